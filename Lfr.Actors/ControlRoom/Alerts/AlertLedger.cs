using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Officers;

namespace Lfr.Actors.ControlRoom.Alerts;

/// <summary>
/// An alert desk's state, folded from its journal events: the desk applies each event it persists, and a reader that
/// must not write (<c>lfr report</c>) replays the same events from the journal through Akka.Persistence.Query.
/// </summary>
internal sealed class AlertLedger(DeploymentId deployment, AlertSettings settings)
{
    public Dictionary<AlertId, AlertView> Alerts { get; } = [];

    /// <summary>Every candidate id seen, with the alert that holds it, so that a resent candidate is only acknowledged again.</summary>
    public Dictionary<AlertId, AlertId> Candidates { get; } = [];

    public Dictionary<TaskingId, Outcome> Outcomes { get; } = [];

    public static bool IsUndecided(AlertView alert) => alert.Status is AlertStatus.AwaitingDecision or AlertStatus.AwaitingSecondConfirmation;

    public AlertSummary Summary()
    {
        var dismissed = Alerts.Values.Where(a => a.DismissalReason is not null)
            .GroupBy(a => a.DismissalReason!.Value).ToDictionary(g => g.Key, g => g.Count());
        var outcomes = Outcomes.Values.GroupBy(o => o.Kind).ToDictionary(g => g.Key, g => g.Count());
        var arrests = Outcomes.Values.Where(o => o.Kind == OutcomeKind.Arrested)
            .GroupBy(o => string.IsNullOrWhiteSpace(o.Offence) ? "not stated" : o.Offence.Trim().ToLowerInvariant())
            .ToDictionary(g => g.Key, g => g.Count());
        return new AlertSummary(
            Alerts.Count,
            Alerts.Values.Count(a => a.Status == AlertStatus.Confirmed),
            Alerts.Values.Count(IsUndecided),
            dismissed,
            Alerts.Values.Sum(a => a.Taskings.Count),
            outcomes,
            arrests);
    }

    public void Apply(AlertDeskActor.IAlertEvent e)
    {
        switch (e)
        {
            case AlertDeskActor.Raised r:
                Alerts[r.Alert] = new AlertView(r.Alert, deployment, r.Watchlist, r.Entry, r.Category, settings.UrgencyOf(r.Category), r.At,
                    [r.Capture], AlertStatus.AwaitingDecision, [], null, null, [], null);
                Candidates[r.Alert] = r.Alert;
                break;
            case AlertDeskActor.CaptureAdded c:
                Alerts[c.Into] = Alerts[c.Into] with { Captures = [.. Alerts[c.Into].Captures, c.Capture] };
                Candidates[c.Candidate] = c.Into;
                break;
            case AlertDeskActor.ConfirmedOnce c:
                Alerts[c.Alert] = Alerts[c.Alert] with { Status = AlertStatus.AwaitingSecondConfirmation, Confirmations = [c.Decision] };
                break;
            case AlertDeskActor.Confirmed c:
                Alerts[c.Alert] = Alerts[c.Alert] with
                {
                    Status = AlertStatus.Confirmed,
                    Confirmations = [.. Alerts[c.Alert].Confirmations, c.Decision],
                    Taskings = c.Assignments.Select(a => a.Tasking).ToArray(),
                };
                break;
            case AlertDeskActor.Dismissed d:
                Alerts[d.Alert] = Alerts[d.Alert] with { Status = AlertStatus.Dismissed, Dismissal = d.Decision, DismissalReason = d.Reason };
                break;
            case AlertDeskActor.OutcomeRecorded o:
                Outcomes[o.Tasking] = o.Outcome;
                break;
        }
    }
}
