using System.ComponentModel;
using Lfr.Actors.Settings;

namespace Lfr.Actors.ControlRoom.Officers;

public sealed record OfficerSettings : ICheckedSettings
{
    /// <summary>A tasking not acknowledged within this time is escalated to the operators.</summary>
    [Description("a tasking the officer has not acknowledged within this time is escalated to the operators (Re-task)")]
    public TimeSpan AcknowledgeWithin { get; init; } = TimeSpan.FromSeconds(90);

    public IEnumerable<(string Key, string Problem)> Problems()
    {
        if (AcknowledgeWithin < TimeSpan.FromSeconds(1) || AcknowledgeWithin > TimeSpan.FromHours(1))
            yield return (nameof(AcknowledgeWithin), $"{SettingsBinder.Format(AcknowledgeWithin)} is outside 1s-1h");
    }
}
