using System.Security.Cryptography;

namespace Lfr.Vision.Files;

/// <summary>Where the master key comes from: bound from configuration, or <see cref="FromEnvironment"/>.</summary>
/// <param name="KeyBase64">The key itself, base64 (<c>LFR_MASTER_KEY</c>): how a KMS or a secrets manager hands it over.</param>
/// <param name="KeyFile">A file holding it as base64 (<c>LFR_MASTER_KEY_FILE</c>, <c>Lfr:Node:MasterKeyPath</c>); created
/// 0600 on first use when missing. Neither set: <c>$XDG_DATA_HOME/lfr/master.key</c> (or <c>~/.local/share/lfr</c>).</param>
public sealed record MasterKeySettings(string? KeyBase64 = null, string? KeyFile = null)
{
    public const string KeyVariable = "LFR_MASTER_KEY";
    public const string KeyFileVariable = "LFR_MASTER_KEY_FILE";
    public const string DefaultFileName = "master.key";

    public static MasterKeySettings FromEnvironment() => new(
        NullIfBlank(Environment.GetEnvironmentVariable(KeyVariable)),
        NullIfBlank(Environment.GetEnvironmentVariable(KeyFileVariable)));

    /// <summary>The key file used when nothing is configured: beside the watchlist key, outside every node's data folder.</summary>
    public static string DefaultFile => Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "lfr", DefaultFileName);

    public string EffectiveFile => Path.GetFullPath(KeyFile ?? DefaultFile);

    // the key itself must never reach a log through the record's generated ToString
    public override string ToString() => $"MasterKeySettings {{ KeyBase64 = {(KeyBase64 is null ? "unset" : "set")}, KeyFile = {KeyFile} }}";

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

/// <summary>
/// The key that wraps every image, embedding and outbox key (AES-256-GCM). It is kept outside the data folder, so a copy
/// of the data folder, a backup or a stolen disk image of it decrypts nothing; destroying a record's wrapped key
/// ("crypto-shredding") destroys the record. Its bytes never leave this class.
/// </summary>
public sealed class MasterKey
{
    public const int KeyBytes = 32;

    /// <summary>What <see cref="Wrap"/> adds to a key: nonce and tag.</summary>
    public const int Overhead = SealedBox.Overhead;

    private readonly byte[] _key;

    private MasterKey(byte[] key) => _key = key;

    public static MasterKey FromBytes(ReadOnlySpan<byte> key) =>
        key.Length == KeyBytes ? new MasterKey(key.ToArray()) : throw new ArgumentException($"A master key is {KeyBytes} bytes, not {key.Length}.", nameof(key));

    private static readonly Lazy<MasterKey> DefaultKey = new(() => Resolve(MasterKeySettings.FromEnvironment()));

    /// <summary>The key from the environment (<c>LFR_MASTER_KEY</c>, <c>LFR_MASTER_KEY_FILE</c>) or the default key file, resolved once.</summary>
    public static MasterKey Default => DefaultKey.Value;

    /// <summary>A key that lives as long as the process: for tests and throw-away stores.</summary>
    public static MasterKey Ephemeral() => new(RandomNumberGenerator.GetBytes(KeyBytes));

    /// <summary>The configured key, or the key file (created 0600, in a 0700 folder, when it does not exist yet).</summary>
    public static MasterKey Resolve(MasterKeySettings settings)
    {
        if (settings.KeyBase64 is not null && settings.KeyFile is not null)
            throw new ArgumentException($"Configure the master key either as {MasterKeySettings.KeyVariable} or as a key file, not both.", nameof(settings));
        if (settings.KeyBase64 is not null)
            return FromBase64(settings.KeyBase64, MasterKeySettings.KeyVariable);
        var path = settings.EffectiveFile;
        return FromBase64(SecretFile.ReadOrCreate(path, KeyBytes), path);
    }

    /// <summary>A fresh random key wrapped under this one, and the key itself (zero it after use).</summary>
    public (byte[] Key, byte[] Wrapped) NewKey(ReadOnlySpan<byte> context)
    {
        var key = RandomNumberGenerator.GetBytes(KeyBytes);
        return (key, Wrap(key, context));
    }

    /// <summary>Encrypts a record's key, bound to <paramref name="context"/> (its reference), so a wrapped key moved to another row fails.</summary>
    public byte[] Wrap(ReadOnlySpan<byte> key, ReadOnlySpan<byte> context) => SealedBox.Seal(_key, key, context);

    /// <summary>The record's key; throws <see cref="CryptographicException"/> under another master key or context.</summary>
    public byte[] Unwrap(ReadOnlySpan<byte> wrapped, ReadOnlySpan<byte> context) => SealedBox.Open(_key, wrapped, context);

    public override string ToString() => "MasterKey(redacted)";

    private static MasterKey FromBase64(string base64, string origin)
    {
        try
        {
            return FromBytes(Convert.FromBase64String(base64.Trim()));
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"The master key from {origin} is not valid base64.", nameof(base64), e);
        }
    }
}

/// <summary>AES-256-GCM as one blob: nonce (12), tag (16), ciphertext; the associated data binds it to its row.</summary>
public static class SealedBox
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    public const int Overhead = NonceBytes + TagBytes;

    public static byte[] Seal(ReadOnlySpan<byte> key, ReadOnlySpan<byte> plain, ReadOnlySpan<byte> associated)
    {
        var box = new byte[Overhead + plain.Length];
        var nonce = box.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(nonce, plain, box.AsSpan(Overhead), box.AsSpan(NonceBytes, TagBytes), associated);
        return box;
    }

    public static byte[] Open(ReadOnlySpan<byte> key, ReadOnlySpan<byte> box, ReadOnlySpan<byte> associated)
    {
        if (box.Length < Overhead)
            throw new CryptographicException($"a sealed box is at least {Overhead} bytes, not {box.Length}");
        var plain = new byte[box.Length - Overhead];
        using var aes = new AesGcm(key, TagBytes);
        aes.Decrypt(box[..NonceBytes], box[Overhead..], box.Slice(NonceBytes, TagBytes), plain, associated);
        return plain;
    }
}
