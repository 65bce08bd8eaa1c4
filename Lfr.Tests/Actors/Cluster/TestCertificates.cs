using Lfr.Actors.Cluster;
using Lfr.Actors.Cluster.Credentials;

namespace Lfr.Tests.Actors.Cluster;

/// <summary>A force CA of its own (<c>lfr pki init</c>) in a temporary folder, and node certificates issued by it; deleted on dispose.</summary>
public sealed class TestCertificates : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("lfr-tls-").FullName;

    public TestCertificates(string force = "Test force") => ForcePki.InitCa(CaFolder, force);

    public string CaFolder => Path.Combine(_folder, "ca");

    /// <summary>A node certificate naming <paramref name="role"/> and <paramref name="name"/>: its .pfx file.</summary>
    public string Issue(LfrRole role, string name) => ForcePki.Issue(CaFolder, role, name, Path.Combine(_folder, "nodes"));

    /// <summary>The TLS settings of a node with this certificate, trusting the CA that issued it.</summary>
    public static LfrTlsSettings Tls(string pfx) => new()
    {
        CertificatePath = pfx,
        CaCertificatePath = Path.Combine(Path.GetDirectoryName(pfx)!, ForcePki.CaCertificateFile),
    };

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
