using System.Security.Cryptography;
using Lfr.Vision.Files;

namespace Lfr.Vision.Watchlists;

/// <summary>Where the signing key comes from; bound from configuration or <see cref="FromEnvironment"/>.</summary>
/// <param name="KeyBase64">The key itself, base64 (<c>LFR_WATCHLIST_KEY</c>).</param>
/// <param name="KeyFile">A file holding the key as base64 (<c>LFR_WATCHLIST_KEY_FILE</c>).</param>
/// <param name="DataFolder">Lfr's data folder, where a key is created on first use when neither of
/// the above is set; defaults to <c>$XDG_DATA_HOME/lfr</c> or <c>~/.local/share/lfr</c>.</param>
public sealed record WatchlistKeySettings(string? KeyBase64 = null, string? KeyFile = null, string? DataFolder = null)
{
    public const string KeyVariable = "LFR_WATCHLIST_KEY";
    public const string KeyFileVariable = "LFR_WATCHLIST_KEY_FILE";

    public static WatchlistKeySettings FromEnvironment() => new(
        NullIfBlank(Environment.GetEnvironmentVariable(KeyVariable)),
        NullIfBlank(Environment.GetEnvironmentVariable(KeyFileVariable)));

    /// <summary>.NET maps LocalApplicationData to <c>$XDG_DATA_HOME</c>, else <c>~/.local/share</c>, on Linux.</summary>
    public static string DefaultDataFolder => Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify),
        "lfr");

    // the key itself must never reach a log through the record's generated ToString
    public override string ToString() =>
        $"WatchlistKeySettings {{ KeyBase64 = {(KeyBase64 is null ? "unset" : "set")}, KeyFile = {KeyFile}, DataFolder = {DataFolder} }}";

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

/// <summary>The key that was resolved, where it came from (a variable name or a file path), and
/// whether it was created just now, so the CLI can tell the user where their new key lives.</summary>
public sealed record WatchlistKeyResolution(WatchlistSigningKey Key, string Origin, bool Created);

/// <summary>The HMAC-SHA256 key that signs watchlist files. Its bytes never leave this class.</summary>
public sealed class WatchlistSigningKey
{
    public const int MinimumBytes = 32;
    public const string DefaultFileName = "watchlist.key";

    private readonly byte[] _key;

    private WatchlistSigningKey(byte[] key) => _key = key;

    public static WatchlistSigningKey FromBytes(ReadOnlySpan<byte> key)
    {
        if (key.Length < MinimumBytes)
            throw new ArgumentException($"A watchlist signing key needs at least {MinimumBytes} bytes, not {key.Length}.", nameof(key));
        return new WatchlistSigningKey(key.ToArray());
    }

    public static WatchlistSigningKey FromBase64(string base64)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException e)
        {
            throw new ArgumentException("The watchlist signing key is not valid base64.", nameof(base64), e);
        }
        return FromBytes(key);
    }

    public static WatchlistSigningKey FromFile(string path) => FromBase64(File.ReadAllText(path));

    /// <summary>
    /// The configured key, or the key in the data folder, created there (32 random bytes, mode 600)
    /// when it does not exist yet.
    /// </summary>
    public static WatchlistKeyResolution Resolve(WatchlistKeySettings settings)
    {
        if (settings.KeyBase64 is not null && settings.KeyFile is not null)
            throw new ArgumentException(
                $"Configure the watchlist key either as {WatchlistKeySettings.KeyVariable} or as {WatchlistKeySettings.KeyFileVariable}, not both.",
                nameof(settings));
        if (settings.KeyBase64 is not null)
            return new(FromBase64(settings.KeyBase64), WatchlistKeySettings.KeyVariable, Created: false);
        if (settings.KeyFile is not null)
            return new(FromFile(settings.KeyFile), Path.GetFullPath(settings.KeyFile), Created: false);

        var folder = settings.DataFolder ?? WatchlistKeySettings.DefaultDataFolder;
        var path = Path.GetFullPath(Path.Combine(folder, DefaultFileName));
        var base64 = SecretFile.ReadOrCreate(path, MinimumBytes, out var created);
        return new(FromBase64(base64), path, created);
    }

    internal ReadOnlySpan<byte> Bytes => _key;

    /// <summary>An HMAC-SHA256 under this key, for other signed payloads (the watchlist sent to a van); the key stays inside.</summary>
    public IncrementalHash CreateHmac() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);

    public override string ToString() => "WatchlistSigningKey(redacted)";
}
