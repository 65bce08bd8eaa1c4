using System.Globalization;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Actors.ControlRoom.Persistence;
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

        Recover<IDeploymentEvent>(e => _state = Apply(_state, e));
        Recover<RecoveryCompleted>(_ => OnRecovered());

        Command<PlanDeployment>(Handle);
        Command<ConfirmSignage>(Handle);
        Command<Authorise>(Handle);
        Command<Approve>(Handle);
        Command<GoLive>(Handle);
        Command<EndDeployment>(c => HandleEnd(c.By, c.Reason, Sender));
        Command<ChangeThreshold>(Handle);
        Command<CountFacesProcessed>(Handle);
        Command<GetDeployment>(_ => Sender.Tell(_state));
        Command<WindowClosed>(_ =>
        {
            if (_state.Status is not (DeploymentStatus.Ended or DeploymentStatus.NotPlanned))
                HandleEnd(StaffId.System, "its time window closed", ActorRefs.Nobody);
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

    private void Handle(PlanDeployment c)
    {
        if (_state.Status != DeploymentStatus.NotPlanned)
            Refuse($"deployment {Id} is already planned ({_state.Status})");
        else if (c.Plan.Window.End <= c.Plan.Window.Start)
            Refuse("the time window must end after it starts");
        else if (c.Plan.Window.End <= _time.GetUtcNow())
            Refuse("the time window has already passed");
        else if (!IsValidThreshold(c.Plan.Threshold))
            Refuse($"the threshold must be above 0 and at most 1, not {c.Plan.Threshold}");
        else if (c.Plan.Cameras.Count == 0)
            Refuse("a deployment needs at least one camera");
        else if (string.IsNullOrWhiteSpace(c.Plan.Purpose))
            Refuse("a deployment needs a stated purpose");
        else
            Commit(new Planned(c.Plan, c.By), AuditKind.DeploymentPlanned, c.By, $"threshold={Format(c.Plan.Threshold)};watchlist={c.Plan.Watchlist}",
                ArmWindowTimer);
    }

    private void Handle(ConfirmSignage c)
    {
        if (_state.Status is DeploymentStatus.NotPlanned or DeploymentStatus.Ended)
            Refuse($"signage can only be confirmed for a planned deployment that has not ended ({_state.Status})");
        else
            Commit(new SignageConfirmed(c.Officer, _time.GetUtcNow()), AuditKind.SignageConfirmed, c.Officer, "signage on all approaches");
    }

    private void Handle(Authorise c)
    {
        if (_state.Status != DeploymentStatus.Draft)
            Refuse($"only a draft deployment can be authorised; this one is {_state.Status}");
        else if (!SameRank(c.By.Rank, _settings.AuthoriserRank))
            Refuse($"authorisation needs a {_settings.AuthoriserRank}, not a {c.By.Rank}");
        else if (HasSigned(c.By.Id))
            Refuse($"{c.By.Id} has already signed this deployment; each signature must come from a different person");
        else
            Commit(new Authorised(c.By, _time.GetUtcNow()), AuditKind.DeploymentAuthorised, c.By.Id,
                $"rank={c.By.Rank};signature={_state.Authorisations.Count + 1} of {_settings.AuthorisationsRequired}");
    }

    private void Handle(Approve c)
    {
        if (_state.Status != DeploymentStatus.Authorised)
            Refuse($"only an authorised deployment can be approved; this one is {_state.Status}");
        else if (!SameRank(c.By.Rank, _settings.ApproverRank))
            Refuse($"approval needs the BCU {_settings.ApproverRank}, not a {c.By.Rank}");
        else if (HasSigned(c.By.Id))
            Refuse($"{c.By.Id} has already signed this deployment; approval must come from a different person");
        else
            Commit(new Approved(c.By, _time.GetUtcNow()), AuditKind.DeploymentApproved, c.By.Id,
                $"rank={c.By.Rank};signature={_state.Approvals.Count + 1} of {_settings.ApprovalsRequired}");
    }

    private void Handle(GoLive c)
    {
        var now = _time.GetUtcNow();
        if (_state.Status != DeploymentStatus.Approved)
            Refuse($"only an approved deployment can go live; this one is {_state.Status}");
        else if (_state.SignageConfirmedBy is null)
            Refuse("no officer has confirmed the signage on all approaches");
        else if (!_state.Plan!.Window.Contains(now))
            Refuse($"it is outside the deployment's time window ({_state.Plan.Window.Start:u} to {_state.Plan.Window.End:u})");
        else
            Commit(new WentLive(c.By, now), AuditKind.DeploymentLive, c.By, "", () => Publish(Started()));
    }

    private void HandleEnd(StaffId by, string reason, IActorRef replyTo)
    {
        if (_state.Status is DeploymentStatus.NotPlanned or DeploymentStatus.Ended)
        {
            replyTo.Tell(new Refused(Id, $"deployment {Id} cannot end: it is {_state.Status}"));
            return;
        }

        var ended = new Ended(by, _time.GetUtcNow(), reason);
        Persist(ended, e =>
        {
            _state = Apply(_state, e);
            _audit.Tell(new AuditProtocol.Record(AuditKind.DeploymentEnded, by.Value, Id.Value, Id.Value, reason));
            _log.Info("Deployment {DeploymentId} ended: {Reason}", Id, reason);
            Publish(new DeploymentEnded(Id, _state.Plan!.Watchlist, e.At));
            _windowTimer?.Dispose();
            replyTo.Tell(_state);
        });
    }

    private void Handle(ChangeThreshold c)
    {
        if (_state.Status is DeploymentStatus.NotPlanned or DeploymentStatus.Ended)
        {
            Refuse($"the threshold of a deployment that is {_state.Status} cannot change");
            return;
        }

        if (!IsValidThreshold(c.Threshold))
        {
            Refuse($"the threshold must be above 0 and at most 1, not {c.Threshold}");
            return;
        }

        var old = _state.Plan!.Threshold;
        // a lower threshold means more false alerts, so going below the authorised floor takes the deployment
        // back to the authorisers; a higher one only makes alerts rarer and needs nobody's signature
        var reauthorise = c.Threshold < old && c.Threshold < _settings.ReauthoriseBelow &&
                          _state.Status is DeploymentStatus.Authorised or DeploymentStatus.Approved or DeploymentStatus.Live;
        var wasLive = _state.Status == DeploymentStatus.Live;
        Commit(new ThresholdChanged(old, c.Threshold, c.By, reauthorise), AuditKind.ThresholdChanged, c.By,
            $"from={Format(old)};to={Format(c.Threshold)};reauthorisation={(reauthorise ? "required" : "not required")}",
            () =>
            {
                if (reauthorise && wasLive)
                    Publish(new DeploymentSuspended(Id, "the threshold was lowered below the authorised floor; it needs re-authorisation"));
                else if (wasLive)
                    Publish(new DeploymentThresholdChanged(Id, c.Threshold));
            });
    }

    private void Handle(CountFacesProcessed c)
    {
        if (!_settings.CountFacesProcessed)
            Refuse("this force does not count faces processed (policy switch off)");
        else if (c.Count < 0)
            Refuse("a count cannot be negative");
        else if (_state.Status != DeploymentStatus.Live)
            Refuse($"faces are only counted while a deployment is live; this one is {_state.Status}");
        else
            Persist(new FacesCounted(c.Count), e => _state = Apply(_state, e));
    }

    private void Commit(IDeploymentEvent e, AuditKind kind, StaffId who, string detail, Action? then = null)
    {
        var replyTo = Sender;
        Persist(e, persisted =>
        {
            _state = Apply(_state, persisted);
            _audit.Tell(new AuditProtocol.Record(kind, who.Value, Id.Value, Id.Value, detail));
            then?.Invoke();
            replyTo.Tell(_state);
        });
    }

    private bool HasSigned(StaffId person) => _state.Authorisations.Concat(_state.Approvals).Any(s => s.Id == person);

    private void Refuse(string reason) => Sender.Tell(new Refused(Id, reason));

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

    private static bool IsValidThreshold(double threshold) => threshold is > 0 and <= 1;

    private static bool SameRank(string given, string required) => string.Equals(given.Trim(), required, StringComparison.OrdinalIgnoreCase);

    private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private DeploymentState Apply(DeploymentState state, IDeploymentEvent e) => Apply(state, e, _settings);

    /// <summary>One event on the state: the actor's recovery and commands, and a read-only replay (<c>lfr report</c>).</summary>
    internal static DeploymentState Apply(DeploymentState state, IDeploymentEvent e, DeploymentSettings settings) => e switch
    {
        Planned p => state with { Status = DeploymentStatus.Draft, Plan = p.Plan },
        SignageConfirmed s => state with { SignageConfirmedBy = s.Officer },
        Authorised a => state with
        {
            Authorisations = [.. state.Authorisations, a.By],
            Status = state.Authorisations.Count + 1 >= settings.AuthorisationsRequired ? DeploymentStatus.Authorised : DeploymentStatus.Draft,
        },
        Approved a => state with
        {
            Approvals = [.. state.Approvals, a.By],
            Status = state.Approvals.Count + 1 >= settings.ApprovalsRequired ? DeploymentStatus.Approved : DeploymentStatus.Authorised,
        },
        WentLive l => state with { Status = DeploymentStatus.Live, LiveAt = l.At },
        Ended end => state with { Status = DeploymentStatus.Ended, EndedAt = end.At, EndReason = end.Reason },
        ThresholdChanged { Reauthorise: true } t => state with
        {
            Status = DeploymentStatus.Draft, Authorisations = [], Approvals = [], Plan = state.Plan! with { Threshold = t.To },
        },
        ThresholdChanged t => state with { Plan = state.Plan! with { Threshold = t.To } },
        FacesCounted f => state with { FacesProcessed = (state.FacesProcessed ?? 0) + f.Count },
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "unknown deployment event"),
    };

    private sealed class WindowClosed
    {
        public static readonly WindowClosed Instance = new();
        private WindowClosed() { }
    }

    // Journal events: ids, ranks, times and numbers only.
    internal interface IDeploymentEvent : IControlRoomEvent;
    internal sealed record Planned(DeploymentPlan Plan, StaffId By) : IDeploymentEvent;
    internal sealed record SignageConfirmed(StaffId Officer, DateTimeOffset At) : IDeploymentEvent;
    internal sealed record Authorised(Signatory By, DateTimeOffset At) : IDeploymentEvent;
    internal sealed record Approved(Signatory By, DateTimeOffset At) : IDeploymentEvent;
    internal sealed record WentLive(StaffId By, DateTimeOffset At) : IDeploymentEvent;
    internal sealed record Ended(StaffId By, DateTimeOffset At, string Reason) : IDeploymentEvent;
    internal sealed record ThresholdChanged(double From, double To, StaffId By, bool Reauthorise) : IDeploymentEvent;
    internal sealed record FacesCounted(long Count) : IDeploymentEvent;
}
