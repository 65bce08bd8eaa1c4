using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Lfr.Vision.Files;

namespace Lfr.Actors.Cluster.Credentials;

/// <summary>Who a node is, as its certificate states it: the subject's CN is its name, the OU its role.</summary>
public sealed record NodeIdentity(LfrRole Role, string Name)
{
    public override string ToString() => $"{Role.Name()} {Name}";

    /// <summary>The identity a force certificate states, or null when its subject names no known role and name.</summary>
    public static NodeIdentity? Of(X509Certificate2 certificate)
    {
        string? name = null, role = null;
        foreach (var part in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            if (part.HasMultipleElements) continue;
            switch (part.GetSingleElementType().Value)
            {
                case CommonName: name = part.GetSingleElementValue(); break;
                case OrganizationalUnit: role = part.GetSingleElementValue(); break;
            }
        }
        return name is { Length: > 0 } && LfrRoles.TryParse(role, out var parsed) ? new NodeIdentity(parsed, name) : null;
    }

    internal const string CommonName = "2.5.4.3";
    internal const string OrganizationalUnit = "2.5.4.11";
}

/// <summary>
/// A force's own certificate authority for its cluster (<c>lfr pki init</c>, <c>lfr pki issue</c>): an ECDSA P-256 CA
/// whose key stays in the folder the operator names (0700, key 0600), and node certificates that state each node's
/// role and name, with their private keys in a .pfx file (0600). Nodes accept only peers whose certificate chains to it.
/// </summary>
public static class ForcePki
{
    public const string CaCertificateFile = "ca.crt";
    public const string CaKeyFile = "ca.key";

    /// <summary>Creates the CA in <paramref name="folder"/>; refuses to overwrite one (every node certificate hangs on it).</summary>
    public static string InitCa(string folder, string force, int years = 10)
    {
        if (string.IsNullOrWhiteSpace(force) || force.Any(c => c is ',' or '=' or '+' or '"' or '\\' or '<' or '>' or ';'))
            throw new ArgumentException($"'{force}' is not a usable force name (no , = + \" \\ < > ;)", nameof(force));
        var dir = PrivateFiles.Folder(folder);
        var certificatePath = Path.Combine(dir, CaCertificateFile);
        var keyPath = Path.Combine(dir, CaKeyFile);
        if (File.Exists(certificatePath) || File.Exists(keyPath))
            throw new IOException($"{dir} already holds a CA ({CaCertificateFile}, {CaKeyFile}); every node certificate depends on it, so it is never replaced");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={force} Lfr cluster CA, O=Lfr", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var ca = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(years));
        File.WriteAllText(PrivateFiles.File(keyPath), key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(PrivateFiles.File(certificatePath), ca.ExportCertificatePem());
        return certificatePath;
    }

    /// <summary>
    /// Issues a node certificate naming <paramref name="role"/> and <paramref name="name"/>, signed by the CA in
    /// <paramref name="caFolder"/>: <c>OUT/NAME.pfx</c> (certificate and private key, no password, 0600) and a copy of the
    /// CA certificate (<c>OUT/ca.crt</c>) that the node trusts. Returns the .pfx path.
    /// </summary>
    public static string Issue(string caFolder, LfrRole role, string name, string outFolder, int days = 825)
    {
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
            throw new ArgumentException($"'{name}' is not a node name (letters, digits, '-', '_', '.' or ':')", nameof(name));
        var caCertificatePath = Path.Combine(caFolder, CaCertificateFile);
        var caKeyPath = Path.Combine(caFolder, CaKeyFile);
        if (!File.Exists(caCertificatePath) || !File.Exists(caKeyPath))
            throw new FileNotFoundException($"{caFolder} holds no CA ({CaCertificateFile} and {CaKeyFile}): run lfr pki init first", caKeyPath);
        using var ca = X509Certificate2.CreateFromPemFile(caCertificatePath, caKeyPath);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(name);
        subject.AddOrganizationalUnitName(role.Name());
        subject.AddOrganizationName("Lfr");
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        // the same certificate serves a node's outbound (client) and inbound (server) connections
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        var now = DateTimeOffset.UtcNow;
        var notAfter = now.AddDays(days) < ca.NotAfter ? now.AddDays(days) : new DateTimeOffset(ca.NotAfter.ToUniversalTime());
        using var signed = request.Create(ca, now.AddMinutes(-5), notAfter, serial);
        using var withKey = signed.CopyWithPrivateKey(key);
        var dir = PrivateFiles.Folder(outFolder);
        var pfx = Path.Combine(dir, $"{name}.pfx");
        if (File.Exists(pfx)) throw new IOException($"{pfx} exists; move it away first (a node's key is never overwritten in place)");
        File.WriteAllBytes(PrivateFiles.File(pfx), withKey.Export(X509ContentType.Pkcs12));
        var trust = Path.Combine(dir, CaCertificateFile);
        if (!File.Exists(trust)) File.WriteAllBytes(PrivateFiles.File(trust), File.ReadAllBytes(caCertificatePath));
        return pfx;
    }
}

/// <summary>The force CA as a node trusts it: a peer is accepted only with a certificate that chains to it and states an identity.</summary>
public sealed class ForceCa
{
    private readonly X509Certificate2 _ca;
    private readonly HashSet<string> _revoked;

    public ForceCa(X509Certificate2 ca, IEnumerable<string>? revokedThumbprints = null)
    {
        _ca = ca;
        _revoked = new HashSet<string>(revokedThumbprints ?? [], StringComparer.OrdinalIgnoreCase);
    }

    public static ForceCa FromFile(string path, IEnumerable<string>? revokedThumbprints = null) =>
        new(X509CertificateLoader.LoadCertificateFromFile(path), revokedThumbprints);

    /// <summary>The identity <paramref name="certificate"/> states, or why it is not accepted.</summary>
    public (NodeIdentity? Identity, string? Problem) Check(X509Certificate2 certificate)
    {
        if (_revoked.Contains(certificate.Thumbprint))
            return (null, $"certificate {certificate.Subject} ({certificate.Thumbprint}) is revoked");
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_ca);
        // the force's own CA publishes no revocation list; revoked node certificates are listed in the settings instead
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        try
        {
            if (!chain.Build(certificate))
                return (null, $"certificate {certificate.Subject} does not chain to the force CA: " +
                    string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim())));
            if (!chain.ChainElements[^1].Certificate.RawData.AsSpan().SequenceEqual(_ca.RawData))
                return (null, $"certificate {certificate.Subject} does not chain to the force CA");
        }
        finally
        {
            foreach (var element in chain.ChainElements) element.Certificate.Dispose();
        }
        return NodeIdentity.Of(certificate) is { } identity
            ? (identity, null)
            : (null, $"certificate {certificate.Subject} names no role and node name (lfr pki issue --role ROLE --name NAME)");
    }
}
