using System.ComponentModel;
using Lfr.Actors.Settings;
using Lfr.Vision.Watchlists;

namespace Lfr.Actors.ControlRoom.Alerts;

public sealed record AlertSettings : ICheckedSettings
{
    /// <summary>When on, an alert is confirmed only once a second, different operator confirms it too.</summary>
    [Description("an alert is confirmed only once a second, different operator confirms it too")]
    public bool TwoPersonConfirmation { get; init; }

    /// <summary>The same watchlist entry seen again within this time (any camera) joins the alert still awaiting a decision.</summary>
    [Description("the same watchlist entry seen again within this time joins the alert awaiting a decision")]
    public TimeSpan MergeWindow { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Queue order by category, most urgent (lowest) first; a force sets its own.</summary>
    [Description("the operators' queue order by watchlist category, most urgent (lowest) first")]
    public IReadOnlyDictionary<WatchlistCategory, int> UrgencyByCategory { get; init; } = new Dictionary<WatchlistCategory, int>
    {
        [WatchlistCategory.WantedWithPowerOfArrest] = 1,
        [WatchlistCategory.CourtWarrant] = 2,
        [WatchlistCategory.SexOffenderWithConditions] = 3,
    };

    public int UrgencyOf(WatchlistCategory category) => UrgencyByCategory.TryGetValue(category, out var urgency) ? urgency : int.MaxValue;

    public IEnumerable<(string Key, string Problem)> Problems()
    {
        if (MergeWindow < TimeSpan.Zero || MergeWindow > TimeSpan.FromHours(1))
            yield return (nameof(MergeWindow), $"{SettingsBinder.Format(MergeWindow)} is outside 0-1h");
    }
}
