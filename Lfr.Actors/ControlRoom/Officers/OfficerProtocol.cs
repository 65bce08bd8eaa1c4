using Lfr.Actors.ControlRoom.Alerts;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Retention;
using Lfr.Actors.ControlRoom.Watchlists;
using Lfr.Vision.Watchlists;

namespace Lfr.Actors.ControlRoom.Officers;

public readonly record struct OfficerId(string Value)
{
    public override string ToString() => Value;
}

public readonly record struct TaskingId(string Value)
{
    public override string ToString() => Value;
}

public enum OutcomeKind
{
    SpokenToNotThePerson = 1,
    SpokenToNoFurtherAction = 2,
    Arrested = 3,
    NotLocated = 4,
}

/// <summary>What came of a tasking. <see cref="Offence"/> is the offence arrested for (an offence type, not a charge sheet).</summary>
public sealed record Outcome(OutcomeKind Kind, string? Offence = null);

/// <summary>
/// What an engagement officer's handset shows: the watchlist record, the file image and the live captures.
/// <see cref="Record"/> is null on a handset whose actor restarted after the watchlist was wiped.
/// </summary>
public sealed record Tasking(
    TaskingId Id,
    AlertId Alert,
    DeploymentId Deployment,
    WatchlistId Watchlist,
    WatchlistEntryId Entry,
    WatchlistCategory Category,
    WatchlistRecord? Record,
    IReadOnlyList<ImageRef> Captures,
    StaffId TaskedBy,
    DateTimeOffset At,
    IReadOnlyList<Capture>? Sightings = null,
    string? Place = null,
    string? Note = null)
{
    /// <summary>Where and when each capture was taken, best first; null on a tasking journalled before sightings were kept.</summary>
    public IReadOnlyList<Capture> SightingsOrEmpty => Sightings ?? [];
}

public enum TaskingStatus
{
    Sent,
    Acknowledged,
    Escalated,
    Completed,

    /// <summary>An operator cancelled it (re-task, cancel or stand-down) before an outcome.</summary>
    StoodDown,
}

/// <summary>What the handset shows after a stand-down until the officer marks it received.</summary>
public sealed record StandDownNotice(TaskingId Tasking, string Reason, DateTimeOffset At);

public sealed record TaskingState(Tasking Tasking, TaskingStatus Status, DateTimeOffset? AcknowledgedAt, Outcome? Outcome);

public sealed record OfficerState(OfficerId Id, bool OnDuty, bool Available, TaskingState? Current, IReadOnlyList<TaskingState> Completed,
    StandDownNotice? StandDown = null);

public static class OfficerProtocol
{
    public interface IOfficerCommand
    {
        OfficerId Officer { get; }
    }

    public sealed record GoOnDuty(OfficerId Officer) : IOfficerCommand;

    public sealed record GoOffDuty(OfficerId Officer) : IOfficerCommand;

    /// <summary>On duty but busy (e.g. already dealing with someone): operators should not task the officer.</summary>
    public sealed record SetAvailable(OfficerId Officer, bool Available) : IOfficerCommand;

    /// <summary>From the alert desk after a confirmation; the officer's actor replies <see cref="TaskingDelivered"/> or <see cref="Refused"/>.</summary>
    public sealed record AssignTasking(OfficerId Officer, Tasking Tasking) : IOfficerCommand;

    public sealed record Acknowledge(OfficerId Officer, TaskingId Tasking) : IOfficerCommand;

    public sealed record RecordOutcome(OfficerId Officer, TaskingId Tasking, Outcome Outcome) : IOfficerCommand;

    public sealed record GetOfficer(OfficerId Officer) : IOfficerCommand;

    /// <summary>From the alert desk: an operator cancelled this tasking. Ignored if it is no longer the officer's current one.</summary>
    public sealed record StandDownTasking(OfficerId Officer, TaskingId Tasking, string Reason) : IOfficerCommand;

    /// <summary>From the alert desk: the person was seen again while this tasking is open.</summary>
    public sealed record SightingAdded(OfficerId Officer, TaskingId Tasking, Capture Capture) : IOfficerCommand;

    /// <summary>The officer has read the stand-down on the handset.</summary>
    public sealed record StandDownReceived(OfficerId Officer) : IOfficerCommand;

    public sealed record TaskingDelivered(OfficerId Officer, TaskingId Tasking);

    public sealed record Refused(OfficerId Officer, string Reason);

    /// <summary>Published for the operators when a tasking was not acknowledged in time.</summary>
    public sealed record TaskingEscalated(OfficerId Officer, TaskingId Tasking, AlertId Alert, DeploymentId Deployment, DateTimeOffset At);
}
