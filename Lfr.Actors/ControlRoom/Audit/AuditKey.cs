using System.Security.Cryptography;
using System.Text;
using Lfr.Vision.Files;

namespace Lfr.Actors.ControlRoom.Audit;

/// <summary>
/// The key of the audit chain's MACs (HMAC-SHA256) and of its exported heads, kept like the master key: outside the data
/// folder and the database (a 0600 key file, or the environment for a KMS). Whoever can write the journal but does not
/// hold this key cannot rewrite an entry without breaking its MAC; whoever holds it too is caught by the heads exported
/// before the rewrite. Two keys are derived from it, one per use, so a head's signature is never an entry's MAC.
/// </summary>
public sealed class AuditKey
{
    public const int KeyBytes = 32;
    public const string KeyVariable = "LFR_AUDIT_KEY";
    public const string KeyFileVariable = "LFR_AUDIT_KEY_FILE";
    public const string DefaultFileName = "audit.key";

    private readonly byte[] _chain;
    private readonly byte[] _heads;

    private AuditKey(ReadOnlySpan<byte> key)
    {
        _chain = HKDF.Expand(HashAlgorithmName.SHA256, key.ToArray(), 32, "lfr audit chain v1"u8.ToArray());
        _heads = HKDF.Expand(HashAlgorithmName.SHA256, key.ToArray(), 32, "lfr audit heads v1"u8.ToArray());
    }

    public static AuditKey FromBytes(ReadOnlySpan<byte> key) =>
        key.Length == KeyBytes ? new AuditKey(key) : throw new ArgumentException($"An audit key is {KeyBytes} bytes, not {key.Length}.", nameof(key));

    private static readonly Lazy<AuditKey> DefaultKey = new(() => Resolve(null));

    /// <summary>The key from the environment or the default key file, resolved once.</summary>
    public static AuditKey Default => DefaultKey.Value;

    /// <summary>The key file used when nothing is configured: beside the master key, outside every data folder.</summary>
    public static string DefaultFile => Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "lfr", DefaultFileName);

    /// <summary>
    /// <paramref name="keyFile"/> when given, else <c>LFR_AUDIT_KEY</c> (base64), <c>LFR_AUDIT_KEY_FILE</c>, else
    /// <see cref="DefaultFile"/>; a missing key file is created (0600, in a 0700 folder).
    /// </summary>
    public static AuditKey Resolve(string? keyFile)
    {
        if (keyFile is null && Environment.GetEnvironmentVariable(KeyVariable) is { Length: > 0 } base64)
            return FromBase64(base64, KeyVariable);
        var path = Path.GetFullPath(keyFile ?? (Environment.GetEnvironmentVariable(KeyFileVariable) is { Length: > 0 } file ? file : DefaultFile));
        return FromBase64(SecretFile.ReadOrCreate(path, KeyBytes), path);
    }

    /// <summary>The MAC of an entry's canonical text, as lower-case hex.</summary>
    public string Mac(string text) => Convert.ToHexStringLower(HMACSHA256.HashData(_chain, Encoding.UTF8.GetBytes(text)));

    /// <summary>The signature of an exported head's canonical text, as lower-case hex.</summary>
    public string Sign(string text) => Convert.ToHexStringLower(HMACSHA256.HashData(_heads, Encoding.UTF8.GetBytes(text)));

    public bool Verify(string text, string signature) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(text)), Encoding.ASCII.GetBytes(signature));

    public override string ToString() => "AuditKey(redacted)";

    private static AuditKey FromBase64(string base64, string origin)
    {
        try
        {
            return FromBytes(Convert.FromBase64String(base64.Trim()));
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"The audit key from {origin} is not valid base64.", nameof(base64), e);
        }
    }
}
