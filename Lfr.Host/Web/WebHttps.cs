using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Lfr.Host.Web.Auth;
using Lfr.Vision.Files;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace Lfr.Host.Web;

/// <summary>
/// How a node serves its web pages and probes, from <c>Lfr:Node:Https</c>: HTTPS always, unless <c>PlainHttp</c> says
/// a TLS-terminating proxy on the same host does it. <c>CertificatePath</c> (a .pfx) and <c>CertificatePassword</c>
/// name the force's certificate; without them the node makes a self-signed one (kept in its data folder, 0600, so a
/// client can pin it across restarts; in memory for a node without one) and says so in its log.
/// </summary>
public sealed record WebHttpsSettings(string? CertificatePath = null, string? CertificatePassword = null, bool PlainHttp = false)
{
    public const string Section = "Lfr:Node:Https";

    /// <summary>The file a node or the demo keeps its generated certificate in, inside its data folder.</summary>
    public const string GeneratedFile = "https.pfx";

    public static WebHttpsSettings FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var plain = section["PlainHttp"] is { Length: > 0 } text
            ? bool.TryParse(text, out var value) ? value : throw new WebSettingsException($"{Section}:PlainHttp must be true or false, not '{text}'")
            : false;
        var path = section["CertificatePath"] is { Length: > 0 } p ? p : null;
        if (path is not null && !File.Exists(path))
            throw new WebSettingsException($"{Section}:CertificatePath: no certificate file at {path}");
        return new WebHttpsSettings(path, section["CertificatePassword"] is { Length: > 0 } pw ? pw : null, plain);
    }

    // the password must never reach a log through the record's generated ToString
    public override string ToString() => $"WebHttpsSettings {{ CertificatePath = {CertificatePath}, CertificatePassword = {(CertificatePassword is null ? "unset" : "set")}, PlainHttp = {PlainHttp} }}";

    /// <summary>The configured certificate, else the generated one in <paramref name="dataFolder"/> (made there when missing), else one in memory.</summary>
    public X509Certificate2 Certificate(string? dataFolder, string? hostname, out bool generated)
    {
        generated = CertificatePath is null;
        if (CertificatePath is not null)
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(CertificatePath, CertificatePassword);
            if (!certificate.HasPrivateKey)
                throw new WebSettingsException($"{Section}:CertificatePath: {CertificatePath} holds no private key");
            return certificate;
        }
        return dataFolder is null ? SelfSigned.Create(hostname) : SelfSigned.LoadOrCreate(Path.Combine(dataFolder, GeneratedFile), hostname);
    }

    /// <summary><c>https://HOST:PORT</c> (or <c>http://</c> when <see cref="PlainHttp"/>), IPv6 addresses bracketed.</summary>
    public string Url(string hostname, int port)
    {
        var host = IPAddress.TryParse(hostname, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{hostname}]" : hostname;
        return $"{(PlainHttp ? "http" : "https")}://{host}:{port}";
    }

    /// <summary>Binds Kestrel to <paramref name="hostname"/>:<paramref name="port"/> over HTTPS with <paramref name="certificate"/> (none: plain HTTP).</summary>
    public void Apply(IWebHostBuilder web, string hostname, int port, X509Certificate2? certificate)
    {
        web.UseUrls(Url(hostname, port));
        if (certificate is not null && !PlainHttp)
            web.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate));
    }
}

/// <summary>
/// A self-signed server certificate (ECDSA P-256) for localhost, the loopback addresses, this machine's name and the
/// node's own address: what the demo and a node without a configured certificate serve. Browsers warn about it; a
/// client that pins it (the tests, <c>lfr status --certificate</c>) trusts exactly this one.
/// </summary>
public static class SelfSigned
{
    public static X509Certificate2 Create(string? hostname = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=lfr self-signed", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        if (Uri.CheckHostName(Environment.MachineName) == UriHostNameType.Dns) names.AddDnsName(Environment.MachineName);
        if (hostname is { Length: > 0 } && hostname != "127.0.0.1" && hostname != "localhost")
        {
            if (IPAddress.TryParse(hostname, out var ip)) names.AddIpAddress(ip);
            else if (Uri.CheckHostName(hostname) == UriHostNameType.Dns) names.AddDnsName(hostname);
        }
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(397));
        // exported and loaded again, so the key is one Kestrel can use on every platform
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>The certificate in <paramref name="path"/>, or a new one written there 0600 when it is missing or has expired.</summary>
    public static X509Certificate2 LoadOrCreate(string path, string? hostname = null)
    {
        if (File.Exists(path))
        {
            var kept = X509CertificateLoader.LoadPkcs12FromFile(path, null);
            if (kept.HasPrivateKey && kept.NotAfter > DateTime.Now.AddDays(7))
                return kept;
            kept.Dispose();
        }

        var created = Create(hostname);
        PrivateFiles.Folder(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var bytes = created.Export(X509ContentType.Pkcs12);
        AtomicFile.Write(path, stream => stream.Write(bytes), overwrite: true, PrivateFiles.FileMode);
        return created;
    }
}

/// <summary>
/// A client that trusts what the system trusts, and besides exactly one certificate: a node's own (self-signed) one, or
/// the CA that issued it. What <c>lfr status --certificate</c> and the specs use to talk to a node.
/// </summary>
public static class TrustedCertificate
{
    /// <summary>A .pfx (no password), .pem, .crt or .cer file; its public part only is used.</summary>
    public static X509Certificate2 Load(string path)
    {
        try
        {
            return Path.GetExtension(path).ToLowerInvariant() is ".pfx" or ".p12"
                ? X509CertificateLoader.LoadPkcs12FromFile(path, null)
                : X509CertificateLoader.LoadCertificateFromFile(path);
        }
        catch (CryptographicException e)
        {
            throw new IOException($"{path}: not a certificate ({e.Message})", e);
        }
    }

    public static HttpClientHandler Handler(X509Certificate2? trusted, CookieContainer? cookies = null, bool allowAutoRedirect = true, bool useCookies = true)
    {
        var handler = new HttpClientHandler { AllowAutoRedirect = allowAutoRedirect, UseCookies = useCookies };
        if (cookies is not null) handler.CookieContainer = cookies;
        if (trusted is not null)
            handler.ServerCertificateCustomValidationCallback = (_, certificate, _, errors) =>
                errors == System.Net.Security.SslPolicyErrors.None || certificate is not null && Trusts(trusted, certificate, errors);
        return handler;
    }

    /// <summary>The very same certificate (by its SHA-256), or one <paramref name="trusted"/> issued for the name dialled.</summary>
    public static bool Trusts(X509Certificate2 trusted, X509Certificate2 presented, System.Net.Security.SslPolicyErrors errors)
    {
        if (presented.GetCertHash(HashAlgorithmName.SHA256).AsSpan().SequenceEqual(trusted.GetCertHash(HashAlgorithmName.SHA256)))
            return true;
        if (errors.HasFlag(System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch))
            return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(presented);
    }
}
