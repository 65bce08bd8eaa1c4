using System.Security.Cryptography;
using Lfr.Vision.Files;

namespace Lfr.Actors.Van.Assignment;

/// <summary>
/// The control room's assignment signing key (ECDSA P-256). Only the control room holds it; vans hold its public half
/// (<see cref="AssignmentVerifier"/>), so a van that is taken can verify assignments but never make one.
/// </summary>
public sealed class AssignmentSigner
{
    /// <summary>The private key file in a control room's data folder (PKCS#8 PEM, 0600), created on the first start.</summary>
    public const string DefaultFileName = "assignment.key";

    private readonly ECDsa _key;

    private AssignmentSigner(ECDsa key) => _key = key;

    /// <summary>A new key in memory (tests, and the demo's one process).</summary>
    public static AssignmentSigner Create() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>
    /// The key in <paramref name="path"/>, created (0600) when missing; its public half is written beside it as
    /// <see cref="AssignmentVerifier.DefaultFileName"/>, the file every van is given a copy of.
    /// </summary>
    public static AssignmentSigner LoadOrCreate(string path)
    {
        var full = Path.GetFullPath(path);
        AssignmentSigner signer;
        if (File.Exists(full))
        {
            var key = ECDsa.Create();
            try
            {
                key.ImportFromPem(File.ReadAllText(full));
            }
            catch (Exception e) when (e is ArgumentException or CryptographicException)
            {
                key.Dispose();
                throw new InvalidDataException($"{full} is not an ECDSA private key in PEM ({e.Message})", e);
            }
            signer = new AssignmentSigner(key);
        }
        else
        {
            signer = Create();
            File.WriteAllText(PrivateFiles.File(full), signer._key.ExportPkcs8PrivateKeyPem());
        }
        var publicPath = Path.Combine(Path.GetDirectoryName(full)!, AssignmentVerifier.DefaultFileName);
        if (!File.Exists(publicPath)) File.WriteAllText(PrivateFiles.File(publicPath), signer.PublicKeyPem);
        return signer;
    }

    /// <summary>The public key as PEM (SubjectPublicKeyInfo): what vans verify with.</summary>
    public string PublicKeyPem => _key.ExportSubjectPublicKeyInfoPem();

    public AssignmentVerifier Verifier => AssignmentVerifier.FromPem(PublicKeyPem, "the control room's key");

    /// <summary>An IEEE P1363 signature (64 bytes) of a SHA-256 digest.</summary>
    public byte[] SignHash(byte[] digest) => _key.SignHash(digest);
}

/// <summary>The public half of the control room's <see cref="AssignmentSigner"/>, as a van holds it.</summary>
public sealed class AssignmentVerifier
{
    /// <summary>The public key file: beside the control room's private key, and copied into every van's data folder.</summary>
    public const string DefaultFileName = "assignment.pub";

    private readonly ECDsa _key;

    private AssignmentVerifier(ECDsa key) => _key = key;

    public static AssignmentVerifier FromFile(string path) =>
        File.Exists(path)
            ? FromPem(File.ReadAllText(path), path)
            : throw new FileNotFoundException($"{path} does not exist: copy the control room's {DefaultFileName} there", path);

    public static AssignmentVerifier FromPem(string pem, string origin)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new InvalidDataException($"{origin} is not an ECDSA public key in PEM ({e.Message})", e);
        }
        if (key.KeySize != 256)
        {
            key.Dispose();
            throw new InvalidDataException($"{origin} is a {key.KeySize}-bit key, not P-256");
        }
        return new AssignmentVerifier(key);
    }

    public bool VerifyHash(byte[] digest, byte[] signature) => signature.Length == 64 && _key.VerifyHash(digest, signature);
}
