using System.ComponentModel;
using Lfr.Actors.Settings;

namespace Lfr.Actors.ControlRoom.Retention;

public sealed record RetentionSettings : ICheckedSettings
{
    /// <summary>How long a confirmed (or undecided) alert's captures are kept: 30 days, as in the seed.</summary>
    [Description("how long a confirmed or undecided alert's captures are kept, then purged (key and row)")]
    public TimeSpan CaptureRetention { get; init; } = TimeSpan.FromDays(30);

    /// <summary>How long a dismissed alert's captures are kept: the wrong person's face has less reason to stay.</summary>
    [Description("how long a dismissed alert's captures are kept")]
    public TimeSpan DismissedRetention { get; init; } = TimeSpan.FromDays(7);

    /// <summary>How often the purge runs; an image outlives its period by at most this.</summary>
    [Description("how often the purge runs; an image outlives its period by at most this")]
    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromHours(1);

    public IEnumerable<(string Key, string Problem)> Problems()
    {
        if (CaptureRetention <= TimeSpan.Zero)
            yield return (nameof(CaptureRetention), "must be positive");
        if (DismissedRetention <= TimeSpan.Zero)
            yield return (nameof(DismissedRetention), "must be positive");
        if (SweepInterval < TimeSpan.FromSeconds(1) || SweepInterval > TimeSpan.FromDays(1))
            yield return (nameof(SweepInterval), $"{SettingsBinder.Format(SweepInterval)} is outside 1s-1d");
    }
}
