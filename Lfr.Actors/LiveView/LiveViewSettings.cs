using Akka.Configuration;

namespace Lfr.Actors.LiveView;

/// <summary>How operator view frames and camera health flow between nodes (<c>lfr.live-view</c> in hocon/common.conf).</summary>
public sealed record LiveViewSettings
{
    public const string Path = "lfr.live-view";

    /// <summary>Frames per second per camera at most, to each watcher; the frames in between are dropped (latest wins) and counted.</summary>
    public double MaxFramesPerSecond { get; init; } = 2;

    /// <summary>A frame's JPEG at most this large on the wire, re-encoded (lower quality, then smaller) when over: never split.</summary>
    public int MaxFrameBytes { get; init; } = 100_000;

    /// <summary>
    /// How long one <see cref="LiveViewProtocol.WatchCamera"/> keeps frames flowing, and how long one ask keeps a camera
    /// wanted at the hub, which renews the van's lease while it is: frames stop within two leases of the last ask.
    /// </summary>
    public TimeSpan WatchLease { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan FrameInterval => TimeSpan.FromSeconds(1 / MaxFramesPerSecond);

    public static LiveViewSettings From(Config config)
    {
        var defaults = new LiveViewSettings();
        var section = config.GetConfig(Path);
        if (section is null || section.IsEmpty) return defaults;
        var settings = new LiveViewSettings
        {
            MaxFramesPerSecond = section.GetDouble("max-frames-per-second", defaults.MaxFramesPerSecond),
            MaxFrameBytes = section.GetInt("max-frame-bytes", defaults.MaxFrameBytes),
            WatchLease = section.GetTimeSpan("watch-lease", defaults.WatchLease, allowInfinite: false),
        };
        if (settings.MaxFramesPerSecond is <= 0 or > 30 || !double.IsFinite(settings.MaxFramesPerSecond))
            throw new ConfigurationException($"{Path}.max-frames-per-second = {settings.MaxFramesPerSecond} is outside (0, 30]");
        if (settings.MaxFrameBytes is < Vision.Imaging.JpegEncoder.MinimumMaxBytes or > 110_000)
            throw new ConfigurationException($"{Path}.max-frame-bytes = {settings.MaxFrameBytes} is outside [{Vision.Imaging.JpegEncoder.MinimumMaxBytes}, 110000] (the remote frame less the envelope)");
        if (settings.WatchLease <= TimeSpan.Zero)
            throw new ConfigurationException($"{Path}.watch-lease must be positive");
        return settings;
    }
}
