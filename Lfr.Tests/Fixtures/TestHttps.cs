using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Lfr.Host.Web;
using Lfr.Vision.Files;

namespace Lfr.Tests.Fixtures;

/// <summary>
/// How every spec talks to a node's web over HTTPS: one self-signed certificate per test run, served by the in-process
/// <c>WebApp</c> and handed to <c>lfr node</c> processes (<see cref="NodeEnvironment"/>); clients trust exactly it (or
/// the certificate a demo made in its data folder), and headless Chromium accepts it by its public key.
/// </summary>
public static class TestHttps
{
    private static readonly Lazy<(X509Certificate2 Certificate, string Path)> Made = new(() =>
    {
        var certificate = SelfSigned.Create();
        var folder = PrivateFiles.Folder(Directory.CreateTempSubdirectory("lfr-https-").FullName);
        var path = Path.Combine(folder, "node.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, PrivateFiles.FileMode);
        return (certificate, path);
    });

    /// <summary>The certificate the specs' nodes serve.</summary>
    public static X509Certificate2 Certificate => Made.Value.Certificate;

    /// <summary>It as a .pfx without password (0600), for <c>Lfr:Node:Https:CertificatePath</c>.</summary>
    public static string PfxPath => Made.Value.Path;

    /// <summary>What an <c>lfr node</c> process needs to serve <see cref="Certificate"/>.</summary>
    public static IReadOnlyDictionary<string, string> NodeEnvironment => new Dictionary<string, string> { ["LFR__NODE__HTTPS__CERTIFICATEPATH"] = PfxPath };

    /// <summary>A node's web address on loopback.</summary>
    public static string Url(int port) => $"https://127.0.0.1:{port}";

    /// <summary>A client of a node's web that trusts <paramref name="trust"/> (default: <see cref="Certificate"/>) and nothing self-signed besides.</summary>
    public static HttpClient Client(Uri? baseAddress = null, CookieContainer? cookies = null, bool allowAutoRedirect = true, bool useCookies = true,
        X509Certificate2? trust = null) =>
        new(TrustedCertificate.Handler(trust ?? Certificate, cookies, allowAutoRedirect, useCookies)) { BaseAddress = baseAddress };

    /// <summary>The certificate a demo (or a node without one configured) made in its data folder.</summary>
    public static X509Certificate2 GeneratedIn(string dataFolder) => TrustedCertificate.Load(Path.Combine(dataFolder, WebHttpsSettings.GeneratedFile));

    /// <summary>Base64 SHA-256 of the public key, as Chromium's <c>--ignore-certificate-errors-spki-list</c> takes it.</summary>
    public static string Spki(X509Certificate2 certificate) => Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
}
