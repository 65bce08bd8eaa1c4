using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Lfr.Actors.Cluster;

namespace Lfr.Tests.Actors.Cluster;

/// <summary>Self-signed node certificates written as .pfx files into a temporary folder, deleted on dispose.</summary>
public sealed class TestCertificates : IDisposable
{
    private const string Password = "node-certificate-password";
    private readonly string _folder = Directory.CreateTempSubdirectory("lfr-tls-").FullName;

    /// <summary>A node certificate: its .pfx file and its thumbprint, the value that goes on allow-lists.</summary>
    public (string Path, string Thumbprint) Create(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var path = System.IO.Path.Combine(_folder, $"{name}.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, Password));
        return (path, certificate.Thumbprint);
    }

    public static LfrTlsSettings Tls(string path, params string[] allowed) =>
        new() { CertificatePath = path, CertificatePassword = Password, AllowedThumbprints = allowed };

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
