using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Lfr.Actors.Cluster;

/// <summary>
/// Mutual TLS on the cluster transport (<c>Lfr:Node:Tls</c>): every node presents its own certificate and accepts a
/// peer only when that peer's certificate is on <see cref="AllowedThumbprints"/>. The allow-list is the trust: node
/// certificates may be self-signed, and a stolen van's certificate is revoked by taking it off the list.
/// </summary>
public sealed record LfrTlsSettings
{
    /// <summary>This node's certificate with its private key, as a PKCS#12 (.pfx) file.</summary>
    public required string CertificatePath { get; init; }

    /// <summary>The .pfx password; give it through the environment (<c>LFR__NODE__TLS__CERTIFICATEPASSWORD</c>), not a file.</summary>
    public string? CertificatePassword { get; init; }

    /// <summary>SHA-1 thumbprints (hex) of every node certificate this node accepts, its own included.</summary>
    public required IReadOnlyList<string> AllowedThumbprints { get; init; }

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

    // a record would print the password
    public override string ToString() =>
        $"{nameof(LfrTlsSettings)} {{ {nameof(CertificatePath)} = {CertificatePath}, {nameof(AllowedThumbprints)} = [{string.Join(", ", AllowedThumbprints)}] }}";

    internal IEnumerable<string> Problems()
    {
        const string key = $"{LfrNodeSettings.Section}:Tls";
        if (!File.Exists(CertificatePath))
        {
            yield return $"{key}:CertificatePath: '{CertificatePath}' does not exist";
        }
        else
        {
            string? unreadable = null;
            try
            {
                LoadCertificate().Dispose();
            }
            catch (LfrSettingsException e)
            {
                unreadable = e.Problems[0];
            }
            if (unreadable is not null) yield return unreadable;
        }
        if (AllowedThumbprints.Count == 0)
            yield return $"{key}:AllowedThumbprints: empty; list the certificate thumbprint of every node this one may talk to";
        foreach (var thumbprint in AllowedThumbprints.Where(t => t.Length != 40 || !t.All(char.IsAsciiHexDigit)))
            yield return $"{key}:AllowedThumbprints: '{thumbprint}' is not a SHA-1 thumbprint (40 hex digits)";
    }
}
