using Lfr.Vision.Watchlists;

namespace Lfr.Host.Cli;

/// <summary>The watchlist signing key as the CLI resolves it: from the environment, or the data folder.</summary>
public static class CliSigningKey
{
    /// <summary>For writing a watchlist: creates a key in the data folder when none is configured.</summary>
    public static WatchlistKeyResolution ForWriting() => Resolve(WatchlistKeySettings.FromEnvironment());

    /// <summary>
    /// For reading a watchlist: never creates a key, since a new key cannot verify any existing file;
    /// says where the key was looked for instead.
    /// </summary>
    public static WatchlistSigningKey ForReading()
    {
        var settings = WatchlistKeySettings.FromEnvironment();
        if (settings is { KeyBase64: null, KeyFile: null })
        {
            var path = Path.Combine(WatchlistKeySettings.DefaultDataFolder, WatchlistSigningKey.DefaultFileName);
            if (!File.Exists(path))
                throw new CliException(
                    $"no watchlist signing key: {path} does not exist and neither {WatchlistKeySettings.KeyVariable} nor " +
                    $"{WatchlistKeySettings.KeyFileVariable} is set. Use the key the watchlist was built with.");
        }
        return Resolve(settings).Key;
    }

    private static WatchlistKeyResolution Resolve(WatchlistKeySettings settings)
    {
        try
        {
            return WatchlistSigningKey.Resolve(settings);
        }
        catch (ArgumentException e)
        {
            throw new CliException($"watchlist signing key: {e.Message}");
        }
    }
}
