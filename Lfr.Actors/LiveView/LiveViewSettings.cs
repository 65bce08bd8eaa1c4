using System.ComponentModel;
using Lfr.Actors.Settings;

namespace Lfr.Actors.LiveView;

/// <summary>
/// The operator view (<c>Lfr:LiveView</c>): one setting for the van that renders the frames (rate, width, size) and the relay
/// that sends them, so the relay never has to re-encode a frame the van made; the hub keeps the lease.
/// </summary>
public sealed record LiveViewSettings : ICheckedSettings
{
    public const string Section = "Lfr:LiveView";

    /// <summary>The remote frame (128,000 bytes) less the envelope.</summary>
    public const int LargestFrameBytes = 110_000;

    /// <summary>Frames per second per camera at most, to each watcher; the frames in between are dropped (latest wins) and counted.</summary>
    [Description("operator view frames per second per camera: the van renders this many, the relay sends at most this many to each watcher")]
    public double MaxFramesPerSecond { get; init; } = 2;

    /// <summary>A frame's JPEG at most this large on the wire, re-encoded (lower quality, then smaller) when over: never split.</summary>
    [Description("an operator view frame's JPEG at most this many bytes (the van encodes it under this)")]
    public int MaxFrameBytes { get; init; } = 100_000;

    [Description("the operator view's width in pixels (the van scales each frame to it)")]
    public int Width { get; init; } = 960;

    /// <summary>
    /// How long one <see cref="LiveViewProtocol.WatchCamera"/> keeps frames flowing, and how long one ask keeps a camera
    /// wanted at the hub, which renews the van's lease while it is: frames stop within two leases of the last ask.
    /// </summary>
    [Description("one look at a camera keeps its frames flowing this long; nothing leaves the van when nobody looks")]
    public TimeSpan WatchLease { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan FrameInterval => TimeSpan.FromSeconds(1 / MaxFramesPerSecond);

    public IEnumerable<(string Key, string Problem)> Problems()
    {
        if (MaxFramesPerSecond is <= 0 or > 30)
            yield return (nameof(MaxFramesPerSecond), $"{MaxFramesPerSecond} is outside (0, 30]");
        if (MaxFrameBytes is < Vision.Imaging.JpegEncoder.MinimumMaxBytes or > LargestFrameBytes)
            yield return (nameof(MaxFrameBytes), $"{MaxFrameBytes} is outside {Vision.Imaging.JpegEncoder.MinimumMaxBytes}-{LargestFrameBytes} (the remote frame less the envelope)");
        if (Width is < 160 or > 3840)
            yield return (nameof(Width), $"{Width} is outside 160-3840");
        if (WatchLease < TimeSpan.FromSeconds(1) || WatchLease > TimeSpan.FromMinutes(10))
            yield return (nameof(WatchLease), $"{SettingsBinder.Format(WatchLease)} is outside 1s-10m");
    }
}
