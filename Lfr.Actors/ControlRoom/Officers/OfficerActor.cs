using Akka.Actor;
using Akka.Persistence;
using Lfr.Actors.ControlRoom.Alerts;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Actors.ControlRoom.Persistence;
using Lfr.Actors.ControlRoom.Watchlists;
using static Lfr.Actors.ControlRoom.Officers.OfficerProtocol;

namespace Lfr.Actors.ControlRoom.Officers;

/// <summary>
/// One engagement officer on the operation: on or off duty, available or not, and at most one tasking at a time,
/// which the officer acknowledges and closes with an outcome. An unacknowledged tasking is escalated once,
/// after <see cref="OfficerSettings.AcknowledgeWithin"/> on the injected clock.
/// </summary>
public sealed class OfficerActor : ReceivePersistentActor
{
    private readonly OfficerSettings _settings;
    private readonly IActorRef _watchlists;
    private readonly IActorRef _audit;

    /// <summary>The officers' list (not Context.Parent: that is this actor's backoff supervisor).</summary>
    private readonly IActorRef _officers;
    private readonly TimeProvider _time;
    private OfficerState _state;
    private ITimer? _escalation;

    public OfficerActor(OfficerId id, OfficerSettings settings, IActorRef watchlists, IActorRef audit, TimeProvider time, IActorRef officers)
    {
        _officers = officers;
        _settings = settings;
        _watchlists = watchlists;
        _audit = audit;
        _time = time;
        _state = new OfficerState(id, OnDuty: false, Available: false, Current: null, Completed: []);
        PersistenceId = "officer-" + id.Value;

        Recover<IOfficerEvent>(e => _state = Apply(_state, e));
        Recover<RecoveryCompleted>(_ =>
        {
            // the journal keeps no watchlist details; ask for them again while the watchlist is still held
            if (_state.Current is { Tasking.Record: null } current)
                _watchlists.Tell(new WatchlistProtocol.DescribeEntry(current.Tasking.Watchlist, current.Tasking.Entry));
            ArmEscalation();
        });

        Command<GoOnDuty>(_ => Commit(new DutyChanged(true)));
        Command<GoOffDuty>(_ =>
        {
            if (_state.Current is not null)
                Refuse($"officer {Id} still has tasking {_state.Current.Tasking.Id}; record its outcome first");
            else
                // nothing left to escalate: the officers' list need not start this officer after a restart
                Commit(new DutyChanged(false), () => _officers.Tell(new OffDutyWithNothingOpen(Id)));
        });
        Command<SetAvailable>(c =>
        {
            if (!_state.OnDuty)
                Refuse($"officer {Id} is off duty");
            else
                Commit(new AvailabilityChanged(c.Available));
        });
        Command<AssignTasking>(Handle);
        Command<Acknowledge>(Handle);
        Command<RecordOutcome>(Handle);
        Command<GetOfficer>(_ => Sender.Tell(_state));
        Command<StandDownTasking>(down =>
        {
            // the desk's word is final; a tasking already closed here needs nothing more
            if (_state.Current is { } current && current.Tasking.Id == down.Tasking)
                Persist(new StoodDown(down.Tasking, down.Reason, _time.GetUtcNow()), e =>
                {
                    _state = Apply(_state, e);
                    _escalation?.Dispose();
                });
        });
        Command<SightingAdded>(seen =>
        {
            if (_state.Current is { } current && current.Tasking.Id == seen.Tasking)
                Persist(new SightingRecorded(seen.Tasking, seen.Capture), e => _state = Apply(_state, e));
        });
        Command<StandDownReceived>(_ =>
        {
            if (_state.StandDown is not { } notice)
                Refuse($"officer {Id} has no stand-down to acknowledge");
            else
            {
                var tasking = _state.Completed.LastOrDefault(t => t.Tasking.Id == notice.Tasking)?.Tasking;
                Commit(new StandDownCleared(_time.GetUtcNow()), () => _audit.Tell(new AuditProtocol.Record(AuditKind.StandDownReceived, Id.Value,
                    tasking?.Deployment.Value, tasking?.Alert.Value ?? notice.Tasking.Value, $"tasking={notice.Tasking}")));
            }
        });
        Command<WatchlistProtocol.EntryDescription>(d =>
        {
            if (_state.Current is { } current && current.Tasking.Entry == d.Entry && current.Tasking.Watchlist == d.Watchlist)
                _state = _state with { Current = current with { Tasking = current.Tasking with { Record = d.Record } } };
        });
        Command<EscalationDue>(due =>
        {
            if (_state.Current is { Status: TaskingStatus.Sent } current && current.Tasking.Id == due.Tasking)
                Persist(new Escalated(due.Tasking, _time.GetUtcNow()), e =>
                {
                    _state = Apply(_state, e);
                    _audit.Tell(new AuditProtocol.Record(AuditKind.TaskingEscalated, StaffId.System.Value, current.Tasking.Deployment.Value,
                        current.Tasking.Alert.Value, $"tasking={e.Tasking};officer={Id};unacknowledged-for={_settings.AcknowledgeWithin}"));
                    Context.System.EventStream.Publish(new TaskingEscalated(Id, e.Tasking, current.Tasking.Alert, current.Tasking.Deployment, e.At));
                });
        });
    }

    public override string PersistenceId { get; }

    private OfficerId Id => _state.Id;

    public static Props Props(OfficerId id, OfficerSettings settings, IActorRef watchlists, IActorRef audit, TimeProvider time, IActorRef officers) =>
        Akka.Actor.Props.Create(() => new OfficerActor(id, settings, watchlists, audit, time, officers));

    protected override void PostStop()
    {
        _escalation?.Dispose();
        base.PostStop();
    }

    private void Handle(AssignTasking assign)
    {
        if (!_state.OnDuty)
            Refuse($"officer {Id} is off duty");
        else if (!_state.Available)
            Refuse($"officer {Id} is not available");
        else if (_state.Current is not null)
            Refuse($"officer {Id} already has tasking {_state.Current.Tasking.Id}");
        else
        {
            var replyTo = Sender;
            // the record (reason, source) stays in memory: the journal keeps ids and references only
            Persist(new Assigned(assign.Tasking with { Record = null }), e =>
            {
                _state = Apply(_state, e);
                _state = _state with { Current = _state.Current! with { Tasking = assign.Tasking } };
                ArmEscalation();
                replyTo.Tell(new TaskingDelivered(Id, assign.Tasking.Id));
            });
        }
    }

    private void Handle(Acknowledge ack)
    {
        if (Current(ack.Tasking) is not { } current)
            return;
        if (current.Status is not (TaskingStatus.Sent or TaskingStatus.Escalated))
        {
            Refuse($"tasking {ack.Tasking} was already acknowledged");
            return;
        }

        Commit(new Acknowledged(ack.Tasking, _time.GetUtcNow()), () =>
        {
            _escalation?.Dispose();
            _audit.Tell(new AuditProtocol.Record(AuditKind.TaskingAcknowledged, Id.Value, current.Tasking.Deployment.Value,
                current.Tasking.Alert.Value, $"tasking={ack.Tasking}"));
        });
    }

    private void Handle(RecordOutcome record)
    {
        if (Current(record.Tasking) is not { } current)
            return;
        if (!Enum.IsDefined(record.Outcome.Kind))
        {
            Refuse($"unknown outcome {record.Outcome.Kind}");
            return;
        }

        if (record.Outcome.Kind == OutcomeKind.Arrested && string.IsNullOrWhiteSpace(record.Outcome.Offence))
        {
            Refuse("an arrest needs the offence");
            return;
        }

        Commit(new Completed(record.Tasking, record.Outcome, _time.GetUtcNow()), () =>
        {
            _escalation?.Dispose();
            var tasking = current.Tasking;
            _audit.Tell(new AuditProtocol.Record(AuditKind.OutcomeRecorded, Id.Value, tasking.Deployment.Value, tasking.Alert.Value,
                $"tasking={tasking.Id};outcome={record.Outcome.Kind}" + (record.Outcome.Offence is { } offence ? $";offence={offence}" : "")));
            Context.System.EventStream.Publish(new AlertProtocol.TaskingOutcome(tasking.Deployment, tasking.Alert, tasking.Id, record.Outcome));
        });
    }

    /// <summary>The current tasking if it is <paramref name="tasking"/>; otherwise replies why not and returns null.</summary>
    private TaskingState? Current(TaskingId tasking)
    {
        if (_state.Current is { } current && current.Tasking.Id == tasking)
            return current;
        Refuse($"tasking {tasking} is not officer {Id}'s current tasking");
        return null;
    }

    private void Commit(IOfficerEvent e, Action? then = null)
    {
        var replyTo = Sender;
        Persist(e, persisted =>
        {
            _state = Apply(_state, persisted);
            then?.Invoke();
            replyTo.Tell(_state);
        });
    }

    private void Refuse(string reason) => Sender.Tell(new Refused(Id, reason));

    private void ArmEscalation()
    {
        _escalation?.Dispose();
        if (_state.Current is not { Status: TaskingStatus.Sent } current)
            return;
        var self = Self;
        var due = current.Tasking.At + _settings.AcknowledgeWithin - _time.GetUtcNow();
        var tasking = current.Tasking.Id;
        _escalation = _time.CreateTimer(_ => self.Tell(new EscalationDue(tasking)), null,
            due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
    }

    private static OfficerState Apply(OfficerState state, IOfficerEvent e) => e switch
    {
        DutyChanged d => state with { OnDuty = d.OnDuty, Available = d.OnDuty },
        AvailabilityChanged a => state with { Available = a.Available },
        Assigned a => state with { Current = new TaskingState(a.Tasking, TaskingStatus.Sent, null, null), StandDown = null },
        Acknowledged a => state with { Current = state.Current! with { Status = TaskingStatus.Acknowledged, AcknowledgedAt = a.At } },
        Escalated => state with { Current = state.Current! with { Status = TaskingStatus.Escalated } },
        Completed c => state with
        {
            Current = null,
            Completed = [.. state.Completed, state.Current! with { Status = TaskingStatus.Completed, Outcome = c.Outcome, Tasking = state.Current.Tasking with { Record = null } }],
        },
        StoodDown d => state with
        {
            Current = null,
            Completed = [.. state.Completed, state.Current! with { Status = TaskingStatus.StoodDown, Tasking = state.Current.Tasking with { Record = null } }],
            StandDown = new StandDownNotice(d.Tasking, d.Reason, d.At),
        },
        StandDownCleared => state with { StandDown = null },
        SightingRecorded s => state with
        {
            Current = state.Current! with
            {
                Tasking = state.Current.Tasking with
                {
                    Captures = [.. state.Current.Tasking.Captures, s.Capture.Image],
                    Sightings = [.. state.Current.Tasking.SightingsOrEmpty, s.Capture],
                },
            },
        },
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "unknown officer event"),
    };

    private sealed record EscalationDue(TaskingId Tasking);

    // Journal events: ids, references, codes and times only.
    internal interface IOfficerEvent : IControlRoomEvent;
    internal sealed record DutyChanged(bool OnDuty) : IOfficerEvent;

    /// <summary>To the officers' list: this officer went off duty with no tasking open.</summary>
    internal sealed record OffDutyWithNothingOpen(OfficerId Officer);
    internal sealed record AvailabilityChanged(bool Available) : IOfficerEvent;
    internal sealed record Assigned(Tasking Tasking) : IOfficerEvent;
    internal sealed record Acknowledged(TaskingId Tasking, DateTimeOffset At) : IOfficerEvent;
    internal sealed record Escalated(TaskingId Tasking, DateTimeOffset At) : IOfficerEvent;
    internal sealed record Completed(TaskingId Tasking, Outcome Outcome, DateTimeOffset At) : IOfficerEvent;
    internal sealed record StoodDown(TaskingId Tasking, string Reason, DateTimeOffset At) : IOfficerEvent;
    internal sealed record StandDownCleared(DateTimeOffset At) : IOfficerEvent;
    internal sealed record SightingRecorded(TaskingId Tasking, Capture Capture) : IOfficerEvent;
}
