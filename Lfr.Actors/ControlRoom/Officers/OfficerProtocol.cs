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
    DateTimeOffset At);

public enum TaskingStatus
{
    Sent,
    Acknowledged,
    Escalated,
    Completed,
}

public sealed record TaskingState(Tasking Tasking, TaskingStatus Status, DateTimeOffset? AcknowledgedAt, Outcome? Outcome);

public sealed record OfficerState(OfficerId Id, bool OnDuty, bool Available, TaskingState? Current, IReadOnlyList<TaskingState> Completed);

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

    public sealed record TaskingDelivered(OfficerId Officer, TaskingId Tasking);

    public sealed record Refused(OfficerId Officer, string Reason);

    /// <summary>Published for the operators when a tasking was not acknowledged in time.</summary>
    public sealed record TaskingEscalated(OfficerId Officer, TaskingId Tasking, AlertId Alert, DeploymentId Deployment, DateTimeOffset At);
}
