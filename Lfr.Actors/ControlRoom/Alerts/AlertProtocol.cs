using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Officers;
using Lfr.Actors.ControlRoom.Retention;
using Lfr.Actors.ControlRoom.Watchlists;
using Lfr.Vision.Watchlists;

namespace Lfr.Actors.ControlRoom.Alerts;

/// <summary>Chosen by the van that saw the match, so that a resent candidate is recognised as the same one.</summary>
public readonly record struct AlertId(string Value)
{
    public override string ToString() => Value;
}

public enum DismissalReason
{
    NotThePerson = 1,
    PoorImage = 2,
    LookalikeOrRelative = 3,
    Other = 4,
}

public enum AlertStatus
{
    /// <summary>Waiting for an operator; nobody outside the control room knows of it.</summary>
    AwaitingDecision,

    /// <summary>Two-person mode: one operator has confirmed, a second must too.</summary>
    AwaitingSecondConfirmation,
    Confirmed,
    Dismissed,
}

public sealed record Capture(ImageRef Image, string Camera, DateTimeOffset At, double Likelihood);

public sealed record Decision(StaffId By, DateTimeOffset At);

/// <summary>
/// One officer's tasking on a confirmed alert: open until the officer records an <see cref="Outcome"/> or an operator
/// cancels it (<see cref="CancelledBecause"/>, by re-tasking, cancelling or standing down).
/// </summary>
public sealed record TaskingLine(TaskingId Id, OfficerId Officer, string? CancelledBecause = null, Outcome? Outcome = null)
{
    public bool Open => CancelledBecause is null && Outcome is null;
}

/// <summary>An alert as the operator's queue shows it. <see cref="Record"/> is null until the watchlist has described the entry.</summary>
public sealed record AlertView(
    AlertId Id,
    DeploymentId Deployment,
    WatchlistId Watchlist,
    WatchlistEntryId Entry,
    WatchlistCategory Category,
    int Urgency,
    DateTimeOffset RaisedAt,
    IReadOnlyList<Capture> Captures,
    AlertStatus Status,
    IReadOnlyList<Decision> Confirmations,
    Decision? Dismissal,
    DismissalReason? DismissalReason,
    IReadOnlyList<TaskingId> Taskings,
    WatchlistRecord? Record,
    IReadOnlyList<TaskingLine>? Lines = null,
    string? Note = null)
{
    /// <summary>Confirmed and some officer still holds an open tasking: a new sighting of the entry joins it.</summary>
    public bool BeingDealtWith => Status == AlertStatus.Confirmed && (Lines ?? []).Any(l => l.Open);

    /// <summary>The capture the operator and officers see first: the most likely one.</summary>
    public Capture Best => Captures.MaxBy(c => c.Likelihood)!;
}

/// <summary>Counts for the deployment's return: no ids, no people.</summary>
public sealed record AlertSummary(
    int Alerts,
    int Confirmed,
    int AwaitingDecision,
    IReadOnlyDictionary<DismissalReason, int> DismissedByReason,
    int Taskings,
    IReadOnlyDictionary<OutcomeKind, int> Outcomes,
    IReadOnlyDictionary<string, int> ArrestsByOffence);

public static class AlertProtocol
{
    public interface IAlertCommand
    {
        DeploymentId Deployment { get; }
    }

    /// <summary>
    /// A van's match at or above the deployment's threshold. <see cref="CaptureJpeg"/> is the face crop (under the
    /// remoting size cap); the desk stores it encrypted and keeps only its reference.
    /// </summary>
    public sealed record AlertCandidate(
        AlertId Alert,
        DeploymentId Deployment,
        WatchlistId Watchlist,
        WatchlistEntryId Entry,
        WatchlistCategory Category,
        double Likelihood,
        string Camera,
        DateTimeOffset CapturedAt,
        byte[] CaptureJpeg) : IAlertCommand
    {
        /// <summary>Never print the capture or the entry: logs would keep them.</summary>
        public override string ToString() => $"AlertCandidate({Alert}, {Deployment}, {Camera})";
    }

    /// <summary>The reply to the van: it may drop the candidate from its outbox. <see cref="MergedInto"/> names the alert that holds it.</summary>
    public sealed record CandidateAccepted(AlertId Alert, AlertId MergedInto);

    /// <summary>
    /// The operator's confirmation; officers are tasked only once the alert is confirmed (by two operators in
    /// two-person mode). <paramref name="Note"/> goes to the officers' handsets (e.g. what the person is wearing).
    /// </summary>
    public sealed record Confirm(DeploymentId Deployment, AlertId Alert, StaffId Operator, IReadOnlyList<OfficerId> Officers, string? Note = null) : IAlertCommand;

    /// <summary>More officers on a confirmed alert.</summary>
    public sealed record AddOfficers(DeploymentId Deployment, AlertId Alert, StaffId Operator, IReadOnlyList<OfficerId> Officers) : IAlertCommand;

    /// <summary>Cancels one officer's open tasking; the handset shows the stand-down and the reason.</summary>
    public sealed record CancelTasking(DeploymentId Deployment, AlertId Alert, TaskingId Tasking, StaffId Operator, string Reason) : IAlertCommand;

    /// <summary>Cancels one officer's open tasking (e.g. escalated, unacknowledged) and tasks another in its place.</summary>
    public sealed record ReTask(DeploymentId Deployment, AlertId Alert, TaskingId Tasking, OfficerId To, StaffId Operator, string Reason) : IAlertCommand;

    /// <summary>Stands every officer on the alert down (e.g. the person has left the area).</summary>
    public sealed record StandDown(DeploymentId Deployment, AlertId Alert, StaffId Operator, string Reason) : IAlertCommand;

    /// <summary>The deployment's decided alerts (confirmed or dismissed), newest first.</summary>
    public sealed record GetDecided(DeploymentId Deployment) : IAlertCommand;

    public sealed record Dismiss(DeploymentId Deployment, AlertId Alert, StaffId Operator, DismissalReason Reason) : IAlertCommand;

    public sealed record GetQueue(DeploymentId Deployment) : IAlertCommand;

    /// <summary>Undecided alerts, most urgent first, then oldest first (or, for <see cref="GetDecided"/>, decided ones newest first).</summary>
    public sealed record Queue(IReadOnlyList<AlertView> Alerts);

    public sealed record GetAlert(DeploymentId Deployment, AlertId Alert) : IAlertCommand;

    public sealed record GetSummary(DeploymentId Deployment) : IAlertCommand;

    /// <summary>An operator opens a capture or file image of an alert; the view is audited.</summary>
    public sealed record ViewImage(DeploymentId Deployment, AlertId Alert, ImageRef Image, StaffId Viewer) : IAlertCommand;

    /// <summary>
    /// An image taken out of the system, e.g. as evidence after an arrest; <paramref name="Purpose"/> is recorded with
    /// the export in the audit log. Retention still deletes the stored copy on time.
    /// </summary>
    public sealed record ExportImage(DeploymentId Deployment, AlertId Alert, ImageRef Image, StaffId By, string Purpose) : IAlertCommand;

    /// <summary>
    /// An operator or supervisor holds a capture of the alert for evidence under <paramref name="CaseReference"/> (e.g. the
    /// crime number): retention keeps it past its period until <see cref="ReleaseHold"/>. Answered <see cref="HoldChanged"/>.
    /// </summary>
    public sealed record HoldCapture(DeploymentId Deployment, AlertId Alert, ImageRef Image, StaffId By, string CaseReference) : IAlertCommand;

    /// <summary>Ends a hold, with the reason; the capture's retention runs again (past it, it goes at the next purge).</summary>
    public sealed record ReleaseHold(DeploymentId Deployment, AlertId Alert, ImageRef Image, StaffId By, string Reason) : IAlertCommand;

    /// <summary><see cref="CaseReference"/> is null once released.</summary>
    public sealed record HoldChanged(AlertId Alert, ImageRef Image, string? CaseReference);

    /// <summary><see cref="Jpeg"/> is null once retention or a wipe has deleted the image.</summary>
    public sealed record ImageView(ImageRef Image, byte[]? Jpeg);

    /// <summary>From an officer's actor: what came of a tasking, counted in the return.</summary>
    public sealed record TaskingOutcome(DeploymentId Deployment, AlertId Alert, TaskingId Tasking, Outcome Outcome) : IAlertCommand;

    public sealed record Refused(AlertId Alert, string Reason);
}
