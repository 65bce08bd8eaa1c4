using System.ComponentModel;
using Lfr.Actors.Settings;

namespace Lfr.Actors.Van.Cameras;

/// <summary>The camera restart policy (<c>Lfr:Van:CameraRestart</c>).</summary>
public sealed record CameraSupervisorSettings : ICheckedSettings
{
    [Description("the first wait before a failed camera is reconnected; it doubles on each failure")]
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between reconnects: a camera back from a restart is read again within this long.</summary>
    [Description("the longest wait between reconnects")]
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Failed starts in a row (no frame delivered in between) before a camera is reported failed and left alone while no
    /// deployment is live. While one is, a camera is reconnected without limit.
    /// </summary>
    [Description("failed starts in a row before a camera is left Failed while no deployment is live (while one is: no limit)")]
    public int MaxConsecutiveFailures { get; init; } = 6;

    /// <summary>A running camera with no frame for this long is stalled: stopped and restarted.</summary>
    [Description("a running camera with no frame for this long is stalled: stopped and restarted")]
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A camera that has not delivered its first frame this long after starting (an RTSP connect that hangs) is stalled too.</summary>
    [Description("a camera with no first frame this long after starting is stalled too")]
    public TimeSpan OpenTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// A camera being stopped (stalled, or removed) first sends the alerts its graph holds; one that has not finished
    /// after this long is stopped outright. Above the alert sink's acknowledgement time, so a slow outbox is waited for.
    /// </summary>
    [Description("a camera being stopped first sends the alerts its graph holds, for at most this long")]
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(40);

    /// <summary>How often health is measured, published and the watchdog checks.</summary>
    [Description("how often camera health is measured and published, and the watchdog checks")]
    public TimeSpan HealthInterval { get; init; } = TimeSpan.FromSeconds(1);

    public IEnumerable<(string Key, string Problem)> Problems()
    {
        if (MinBackoff <= TimeSpan.Zero || MinBackoff > MaxBackoff)
            yield return (nameof(MinBackoff), $"must be positive and at most {nameof(MaxBackoff)} ({SettingsBinder.Format(MaxBackoff)})");
        if (MaxBackoff > TimeSpan.FromMinutes(10))
            yield return (nameof(MaxBackoff), $"{SettingsBinder.Format(MaxBackoff)} is over 10m");
        if (MaxConsecutiveFailures < 1)
            yield return (nameof(MaxConsecutiveFailures), $"{MaxConsecutiveFailures} is under 1");
        if (HealthInterval < TimeSpan.FromMilliseconds(50) || HealthInterval > TimeSpan.FromMinutes(1))
            yield return (nameof(HealthInterval), $"{SettingsBinder.Format(HealthInterval)} is outside 50ms-1m");
        if (StallTimeout < HealthInterval)
            yield return (nameof(StallTimeout), $"must be at least {nameof(HealthInterval)} ({SettingsBinder.Format(HealthInterval)}), which checks it");
        if (OpenTimeout <= TimeSpan.Zero)
            yield return (nameof(OpenTimeout), "must be positive");
        if (DrainTimeout <= TimeSpan.Zero)
            yield return (nameof(DrainTimeout), "must be positive");
    }
}
