namespace Lfr.Actors;

/// <summary>
/// A wall-clock time each day in a force's time zone (e.g. 23:00 Europe/London), at which watchlists are wiped: on the
/// control room and, on its own clock, on every van. Daylight saving moves the instant, never the local time.
/// </summary>
public sealed record DailyWipeSchedule(TimeOnly At, TimeZoneInfo TimeZone)
{
    /// <summary>The first daily wipe strictly after <paramref name="now"/>.</summary>
    public DateTimeOffset Next(DateTimeOffset now)
    {
        var day = LocalDay(now).AddDays(-1);
        while (WipeOn(day) <= now)
            day = day.AddDays(1);
        return WipeOn(day);
    }

    /// <summary>The last daily wipe at or before <paramref name="now"/>.</summary>
    public DateTimeOffset Last(DateTimeOffset now)
    {
        var day = LocalDay(now).AddDays(1);
        while (WipeOn(day) > now)
            day = day.AddDays(-1);
        return WipeOn(day);
    }

    private DateOnly LocalDay(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, TimeZone).DateTime);

    private DateTimeOffset WipeOn(DateOnly day)
    {
        var local = day.ToDateTime(At);
        // a wall-clock time that the spring-forward skips happens an hour later that day
        if (TimeZone.IsInvalidTime(local))
            local = local.AddHours(1);
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, TimeZone), TimeSpan.Zero);
    }
}
