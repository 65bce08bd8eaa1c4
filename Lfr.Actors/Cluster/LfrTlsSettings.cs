using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Lfr.Actors.Cluster.Credentials;

namespace Lfr.Actors.Cluster;

/// <summary>
/// Mutual TLS on the cluster transport (<c>Lfr:Node:Tls</c>): every node presents its own certificate, issued by the
/// force's CA (<c>lfr pki issue</c>) and naming its role and name, and accepts a peer only when the peer's certificate
/// chains to that CA and is not on <see cref="RevokedThumbprints"/>.
/// </summary>
public sealed record LfrTlsSettings
{
    /// <summary>This node's certificate with its private key, as a PKCS#12 (.pfx) file.</summary>
    public required string CertificatePath { get; init; }

    /// <summary>The .pfx password, if it has one; give it through the environment (<c>LFR__NODE__TLS__CERTIFICATEPASSWORD</c>), not a file.</summary>
    public string? CertificatePassword { get; init; }

    /// <summary>The force CA's certificate (<c>ca.crt</c>, public): the one trust anchor for the cluster.</summary>
    public required string CaCertificatePath { get; init; }

    /// <summary>SHA-1 thumbprints (hex) of node certificates no longer accepted (a lost or stolen van).</summary>
    public IReadOnlyList<string> RevokedThumbprints { get; init; } = [];

    public X509Certificate2 LoadCertificate()
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(CertificatePath, CertificatePassword);
        }
        catch (CryptographicException e)
        {
            throw new LfrSettingsException([$"{LfrNodeSettings.Section}:Tls:CertificatePath: cannot read '{CertificatePath}' as a .pfx with the given password ({e.Message})"]);
        }
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new LfrSettingsException([$"{LfrNodeSettings.Section}:Tls:CertificatePath: '{CertificatePath}' holds no private key"]);
        }
        return certificate;
    }

    public ForceCa LoadCa() => ForceCa.FromFile(CaCertificatePath, RevokedThumbprints);

    /// <summary>The identity this node's own certificate states (checked against the CA when the settings are read).</summary>
    public NodeIdentity? Identity()
    {
        using var certificate = LoadCertificate();
        return NodeIdentity.Of(certificate);
    }

    // a record would print the password
    public override string ToString() =>
        $"{nameof(LfrTlsSettings)} {{ {nameof(CertificatePath)} = {CertificatePath}, {nameof(CaCertificatePath)} = {CaCertificatePath}, " +
        $"{nameof(RevokedThumbprints)} = [{string.Join(", ", RevokedThumbprints)}] }}";

    internal IEnumerable<string> Problems()
    {
        const string key = $"{LfrNodeSettings.Section}:Tls";
        ForceCa? ca = null;
        if (!File.Exists(CaCertificatePath))
        {
            yield return $"{key}:CaCertificatePath: '{CaCertificatePath}' does not exist; copy the force CA's ca.crt there (lfr pki issue writes one beside the node's .pfx)";
        }
        else
        {
            string? unreadable = null;
            try
            {
                ca = LoadCa();
            }
            catch (CryptographicException e)
            {
                unreadable = $"{key}:CaCertificatePath: '{CaCertificatePath}' is not a certificate ({e.Message})";
            }
            if (unreadable is not null) yield return unreadable;
        }
        if (!File.Exists(CertificatePath))
        {
            yield return $"{key}:CertificatePath: '{CertificatePath}' does not exist";
        }
        else
        {
            string? problem = null;
            try
            {
                using var certificate = LoadCertificate();
                if (ca is not null && ca.Check(certificate).Problem is { } refused)
                    problem = $"{key}:CertificatePath: {refused}; peers would refuse this node";
            }
            catch (LfrSettingsException e)
            {
                problem = e.Problems[0];
            }
            if (problem is not null) yield return problem;
        }
        foreach (var thumbprint in RevokedThumbprints.Where(t => t.Length != 40 || !t.All(char.IsAsciiHexDigit)))
            yield return $"{key}:RevokedThumbprints: '{thumbprint}' is not a SHA-1 thumbprint (40 hex digits)";
    }
}
