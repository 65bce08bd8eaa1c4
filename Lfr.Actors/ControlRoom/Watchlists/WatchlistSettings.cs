using System.ComponentModel;

namespace Lfr.Actors.ControlRoom.Watchlists;

/// <summary>The daily wipe: the control room's and, sent with each assignment, every van's (vans keep no schedule of their own).</summary>
public sealed record WatchlistSettings
{
    /// <summary>When every watchlist is wiped each day, as a wall-clock time in <see cref="TimeZone"/>.</summary>
    [Description("when every watchlist is wiped each day, on the control room and (sent with the assignment) on every van")]
    public TimeOnly DailyWipeAt { get; init; } = new(23, 0);

    /// <summary>The force's time zone (e.g. Europe/London), so the wipe keeps its local time across daylight saving.</summary>
    [Description("the time zone of the wipe time (e.g. Europe/London: it keeps its local time across daylight saving)")]
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;

    public DailyWipeSchedule Schedule => new(DailyWipeAt, TimeZone);
}
