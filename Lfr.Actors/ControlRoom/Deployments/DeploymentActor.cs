using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Actors.ControlRoom.Persistence;
using Lfr.Actors.ControlRoom.Watchlists;
using static Lfr.Actors.ControlRoom.Deployments.DeploymentProtocol;

namespace Lfr.Actors.ControlRoom.Deployments;

/// <summary>
/// One deployment and its authority to run: Draft -> Authorised (Superintendent) -> Approved (BCU Chief
/// Superintendent, another person) -> Live -> Ended. A refused command is answered with <see cref="Refused"/>,
/// never an exception. Vans learn what they may do from the notices this actor publishes on the event stream.
/// </summary>
public sealed class DeploymentActor : ReceivePersistentActor
{
    private readonly DeploymentSettings _settings;
    private readonly IActorRef _audit;
    private readonly TimeProvider _time;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private DeploymentState _state;
    private ITimer? _windowTimer;

    public DeploymentActor(DeploymentId id, DeploymentSettings settings, IActorRef audit, TimeProvider time)
    {
        _settings = settings;
        _audit = audit;
        _time = time;
        _state = DeploymentState.NotPlanned(id);
        PersistenceId = PersistenceIdOf(id);

        Recover<IDeploymentEvent>(e => _state = _state.Apply(e, _settings));
        Recover<RecoveryCompleted>(_ => OnRecovered());

        Command<GetDeployment>(_ => Sender.Tell(_state));
        // the authority's report needs no answer
        Command<WatchlistComposed>(c => Execute(c, ActorRefs.Nobody));
        Command<IDeploymentCommand>(c => Execute(c, Sender));
        Command<WindowClosed>(_ =>
        {
            if (_state.Status is not (DeploymentStatus.Ended or DeploymentStatus.NotPlanned))
                Execute(new EndDeployment(Id, StaffId.System, "its time window closed"), ActorRefs.Nobody);
        });
    }

    public override string PersistenceId { get; }

    public const string PersistenceIdPrefix = "deployment-";

    public static string PersistenceIdOf(DeploymentId id) => PersistenceIdPrefix + id.Value;

    private DeploymentId Id => _state.Id;

    public static Props Props(DeploymentId id, DeploymentSettings settings, IActorRef audit, TimeProvider time) =>
        Akka.Actor.Props.Create(() => new DeploymentActor(id, settings, audit, time));

    protected override void PostStop()
    {
        _windowTimer?.Dispose();
        base.PostStop();
    }

    private void OnRecovered()
    {
        // vans learn again what is live; one whose window passed while the node was down only ends (timer below)
        if (_state.Status == DeploymentStatus.Live && _state.Plan!.Window.Contains(_time.GetUtcNow()))
            Publish(Started());
        ArmWindowTimer();
    }

    /// <summary>The state decides; the actor persists what it decided, audits it, tells the vans, and answers.</summary>
    private void Execute(IDeploymentCommand command, IActorRef replyTo)
    {
        var before = _state;
        var decision = _state.Decide(command, _time.GetUtcNow(), _settings);
        if (decision.Refusal is { } reason)
        {
            replyTo.Tell(new Refused(Id, reason));
            return;
        }
        if (decision.Events.Count == 0)
        {
            replyTo.Tell(_state);
            return;
        }

        PersistAll(decision.Events.Cast<IDeploymentEvent>(), e => _state = _state.Apply(e, _settings));
        DeferAsync(decision, _ =>
        {
            foreach (var line in decision.Audit)
                _audit.Tell(new AuditProtocol.Record(line.Kind, line.Who.Value, Id.Value, Id.Value, line.Detail));
            foreach (var e in decision.Events) Announce(before, (IDeploymentEvent)e);
            replyTo.Tell(_state);
        });
    }

    /// <summary>What the vans (and the watchlists) learn from an event.</summary>
    private void Announce(DeploymentState before, IDeploymentEvent e)
    {
        var wasLive = before.Status == DeploymentStatus.Live;
        switch (e)
        {
            case Planned:
                ArmWindowTimer();
                break;
            case PlanAmended { Voided: true } amended:
                ArmWindowTimer();
                if (wasLive) Publish(new DeploymentSuspended(Id, $"the plan changed ({amended.Changes}); it needs authorising again"));
                break;
            case PlanAmended:
                ArmWindowTimer();
                break;
            case WentLive:
                Publish(Started());
                break;
            case Ended ended:
                _log.Info("Deployment {DeploymentId} ended: {Reason}", Id, ended.Reason);
                Publish(new DeploymentEnded(Id, _state.Plan!.Watchlist, ended.At));
                _windowTimer?.Dispose();
                break;
            case ThresholdChanged { Reauthorise: true } when wasLive:
                Publish(new DeploymentSuspended(Id, "the threshold was lowered below the authorised floor; it needs re-authorisation"));
                break;
            case ThresholdChanged changed when wasLive:
                Publish(new DeploymentThresholdChanged(Id, changed.To));
                break;
        }
    }

    private void Publish(object notice) => Context.System.EventStream.Publish(notice);

    private DeploymentStarted Started() =>
        new(Id, _state.Plan!.Watchlist, _state.Plan.Threshold, _state.Plan.Cameras, _state.Plan.Window.End);

    /// <summary>The window's end comes from the injected clock, so tests move time instead of waiting.</summary>
    private void ArmWindowTimer()
    {
        _windowTimer?.Dispose();
        if (_state.Plan is null || _state.Status == DeploymentStatus.Ended)
            return;
        var self = Self;
        var due = _state.Plan.Window.End - _time.GetUtcNow();
        _windowTimer = _time.CreateTimer(_ => self.Tell(WindowClosed.Instance), null,
            due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
    }

    private sealed class WindowClosed
    {
        public static readonly WindowClosed Instance = new();
        private WindowClosed() { }
    }

    // Journal events: ids, ranks, times, numbers and the plan's own words (place, purpose, case, signs); nothing about any person.
    internal interface IDeploymentEvent : IControlRoomEvent;
    internal sealed record Planned(DeploymentPlan Plan, StaffId By) : IDeploymentEvent;
    internal sealed record SignageConfirmed(StaffId Officer, DateTimeOffset At) : IDeploymentEvent;
    internal sealed record Authorised(Signatory By, DateTimeOffset At) : IDeploymentEvent;
    internal sealed record Approved(Signatory By, DateTimeOffset At) : IDeploymentEvent;
    internal sealed record WentLive(StaffId By, DateTimeOffset At) : IDeploymentEvent;
    internal sealed record Ended(StaffId By, DateTimeOffset At, string Reason) : IDeploymentEvent;
    internal sealed record ThresholdChanged(double From, double To, StaffId By, bool Reauthorise, DateTimeOffset? At = null) : IDeploymentEvent;
    internal sealed record FacesCounted(long Count) : IDeploymentEvent;
    internal sealed record PlanAmended(DeploymentPlan Plan, StaffId By, DateTimeOffset At, string Changes, bool Voided) : IDeploymentEvent;
    internal sealed record SignRecorded(string Approach, string Evidence, StaffId By, DateTimeOffset At) : IDeploymentEvent;
    internal sealed record SignRemoved(string Approach, StaffId By, DateTimeOffset At) : IDeploymentEvent;
    internal sealed record CrewBookedOn(StaffId Staff, CrewRole Role, DateTimeOffset At) : IDeploymentEvent;
    internal sealed record CrewBookedOff(StaffId Staff, DateTimeOffset At) : IDeploymentEvent;

    /// <summary>The watchlist authority's report: counts by category only.</summary>
    internal sealed record WatchlistComposedEvent(WatchlistId Watchlist, CategoryCounts Counts, DateTimeOffset At, bool Voided) : IDeploymentEvent;
}
