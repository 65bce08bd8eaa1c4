using System.Globalization;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Officers;
using Lfr.Actors.ControlRoom.Persistence;
using Lfr.Actors.ControlRoom.Retention;
using Lfr.Actors.ControlRoom.Watchlists;
using Lfr.Vision.Watchlists;
using static Lfr.Actors.ControlRoom.Alerts.AlertProtocol;

namespace Lfr.Actors.ControlRoom.Alerts;

/// <summary>
/// A deployment's alerts and the human decision on each. A van's candidate becomes a persisted alert (its capture
/// stored encrypted, the journal holding only references) and waits in the operators' queue; nothing reaches an
/// officer until an operator confirms it, and a dismissal records why. Every decision records who and when.
/// Candidates are taken only while the deployment is live and only for captures inside its window, so nothing
/// from a deployment that lacks its authority is ever stored.
/// </summary>
public sealed partial class AlertDeskActor : ReceivePersistentActor
{
    private readonly DeploymentId _deployment;
    private readonly AlertSettings _settings;
    private readonly RetentionSettings _retention;
    private readonly EncryptedImageStore _images;
    private readonly IActorRef _deployments;
    private readonly IActorRef _watchlists;
    private readonly IActorRef _officers;
    private readonly IActorRef _audit;
    private readonly TimeProvider _time;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly AlertLedger _ledger;

    /// <summary>Image hand-outs waiting for their audit record to be stored, by receipt.</summary>
    private readonly Dictionary<long, (IActorRef To, AlertId Alert, ImageRef Image)> _handOuts = [];

    private long _receipts;

    /// <summary>The deployment as last reported by its actor; null until the first report, while candidates wait.</summary>
    private DeploymentState? _deploymentState;

    public AlertDeskActor(DeploymentId deployment, AlertSettings settings, RetentionSettings retention, EncryptedImageStore images,
        IActorRef deployments, IActorRef watchlists, IActorRef officers, IActorRef audit, TimeProvider time)
    {
        _deployments = deployments;
        _deployment = deployment;
        _settings = settings;
        _retention = retention;
        _images = images;
        _watchlists = watchlists;
        _officers = officers;
        _audit = audit;
        _time = time;
        _ledger = new AlertLedger(deployment, settings);
        PersistenceId = PersistenceIdOf(deployment);

        Recover<IAlertEvent>(_ledger.Apply);
        Recover<RecoveryCompleted>(_ =>
        {
            foreach (var alert in _ledger.Alerts.Values.Where(a => a.Record is null && AlertLedger.IsUndecided(a)))
                _watchlists.Tell(new WatchlistProtocol.DescribeEntry(alert.Watchlist, alert.Entry));
        });

        Command<DeploymentState>(state =>
        {
            _deploymentState = state;
            Stash.UnstashAll();
        });
        Command<DeploymentProtocol.DeploymentStarted>(n => RefreshDeployment(n.Deployment));
        Command<DeploymentProtocol.DeploymentSuspended>(n => RefreshDeployment(n.Deployment));
        Command<DeploymentProtocol.DeploymentEnded>(n => RefreshDeployment(n.Deployment));
        Command<AlertCandidate>(Handle);
        Command<Confirm>(Handle);
        Command<Dismiss>(Handle);
        Command<AddOfficers>(Handle);
        Command<CancelTasking>(Handle);
        Command<ReTask>(Handle);
        Command<StandDown>(Handle);
        Command<GetDecided>(_ => Sender.Tell(new Queue(_ledger.Alerts.Values.Where(a => !AlertLedger.IsUndecided(a))
            .OrderByDescending(a => a.RaisedAt).ThenBy(a => a.Id.Value, StringComparer.Ordinal).ToArray())));
        Command<ViewImage>(v => HandOut(v.Alert, v.Image, v.Viewer, AuditKind.ImageViewed, $"image={v.Image}"));
        Command<ExportImage>(e =>
        {
            if (string.IsNullOrWhiteSpace(e.Purpose))
                Sender.Tell(new Refused(e.Alert, "an export needs its purpose"));
            else
                HandOut(e.Alert, e.Image, e.By, AuditKind.ImageExported, $"image={e.Image};purpose={e.Purpose}");
        });
        Command<AuditProtocol.Recorded>(recorded =>
        {
            if (_handOuts.Remove(recorded.Receipt, out var handOut))
                handOut.To.Tell(new ImageView(handOut.Image, _images.Get(handOut.Image)));
        });
        Command<AuditProtocol.NotRecorded>(refused =>
        {
            if (_handOuts.Remove(refused.Receipt, out var handOut))
                handOut.To.Tell(new Refused(handOut.Alert, $"{refused.Reason}: an image is shown only once its view is recorded; try again shortly"));
        });
        Command<TaskingOutcome>(Handle);
        Command<GetQueue>(_ => Sender.Tell(new Queue(_ledger.Alerts.Values.Where(AlertLedger.IsUndecided)
            .OrderBy(a => a.Urgency).ThenBy(a => a.RaisedAt).ThenBy(a => a.Id.Value, StringComparer.Ordinal).ToArray())));
        Command<GetAlert>(g =>
        {
            if (_ledger.Alerts.TryGetValue(g.Alert, out var alert))
                Sender.Tell(alert);
            else
                Sender.Tell(new Refused(g.Alert, $"no alert {g.Alert} in deployment {_deployment}"));
        });
        Command<GetSummary>(_ => Sender.Tell(_ledger.Summary()));
        Command<WatchlistProtocol.EntryDescription>(d =>
        {
            foreach (var alert in _ledger.Alerts.Values.Where(a => a.Watchlist == d.Watchlist && a.Entry == d.Entry).ToList())
                _ledger.Alerts[alert.Id] = alert with { Record = d.Record };
        });
        Command<OfficerProtocol.TaskingDelivered>(_ => { });
        Command<OfficerProtocol.Refused>(refusal =>
        {
            // the operator's screen shows it, so that someone else can be tasked
            _log.Warning("Tasking not delivered to officer {Officer}: {Reason}", refusal.Officer, refusal.Reason);
            Context.System.EventStream.Publish(refusal);
        });
    }

    public override string PersistenceId { get; }

    public static string PersistenceIdOf(DeploymentId deployment) => "alerts-" + deployment.Value;

    public static Props Props(DeploymentId deployment, AlertSettings settings, RetentionSettings retention, EncryptedImageStore images,
        IActorRef deployments, IActorRef watchlists, IActorRef officers, IActorRef audit, TimeProvider time) =>
        Akka.Actor.Props.Create(() => new AlertDeskActor(deployment, settings, retention, images, deployments, watchlists, officers, audit, time));

    protected override void PreStart()
    {
        var events = Context.System.EventStream;
        events.Subscribe(Self, typeof(DeploymentProtocol.DeploymentStarted));
        events.Subscribe(Self, typeof(DeploymentProtocol.DeploymentSuspended));
        events.Subscribe(Self, typeof(DeploymentProtocol.DeploymentEnded));
        _deployments.Tell(new DeploymentProtocol.GetDeployment(_deployment));
        base.PreStart();
    }

    protected override void PostStop()
    {
        Context.System.EventStream.Unsubscribe(Self);
        base.PostStop();
    }

    private void RefreshDeployment(DeploymentId deployment)
    {
        if (deployment == _deployment)
            _deployments.Tell(new DeploymentProtocol.GetDeployment(_deployment));
    }

    private void Handle(AlertCandidate candidate)
    {
        if (_ledger.Candidates.TryGetValue(candidate.Alert, out var holder))
        {
            Sender.Tell(new CandidateAccepted(candidate.Alert, holder));
            return;
        }

        if (_deploymentState is null)
        {
            Stash.Stash();
            return;
        }

        if (_deploymentState.Status != DeploymentStatus.Live || !_deploymentState.Plan!.Window.Contains(candidate.CapturedAt))
        {
            _log.Warning("Candidate {Alert} refused: deployment {Deployment} is {Status}", candidate.Alert, _deployment, _deploymentState.Status);
            Sender.Tell(new Refused(candidate.Alert, $"deployment {_deployment} is not live for a capture at {candidate.CapturedAt:u}; nothing was stored"));
            return;
        }

        if (candidate.Likelihood is < 0 or > 1 || candidate.CaptureJpeg.Length == 0 || string.IsNullOrWhiteSpace(candidate.Alert.Value))
        {
            Sender.Tell(new Refused(candidate.Alert, "a candidate needs an id, a likelihood between 0 and 1 and a capture"));
            return;
        }

        // a van with a stale copy of the deployment must not raise alerts the deployment does not allow
        var plan = _deploymentState.Plan;
        if (candidate.Watchlist != plan.Watchlist || candidate.Likelihood < plan.Threshold)
        {
            Sender.Tell(new Refused(candidate.Alert,
                $"deployment {_deployment} alerts on watchlist {plan.Watchlist} at {plan.Threshold} or more; nothing was stored"));
            return;
        }

        var now = _time.GetUtcNow();
        // stored before the event is persisted: if the write fails, the orphaned image still goes at its purge time
        var image = ImageRef.New("capture");
        _images.Put(image, ImageKind.Capture, _deployment.Value, candidate.CaptureJpeg, now + _retention.CaptureRetention);
        var capture = new Capture(image, candidate.Camera, candidate.CapturedAt, candidate.Likelihood);
        var replyTo = Sender;

        // the same person seen again joins the alert still awaiting a decision (within the merge window) or the one
        // officers are dealing with (whenever): the operator and the officers see the new camera and time
        var same = _ledger.Alerts.Values.Where(a => a.Entry == candidate.Entry && a.Watchlist == candidate.Watchlist).ToList();
        var into = same.Where(AlertLedger.IsUndecided).FirstOrDefault(a => a.Captures.Any(c => (c.At - candidate.CapturedAt).Duration() <= _settings.MergeWindow))
            ?? same.Where(a => a.BeingDealtWith).MaxBy(a => a.RaisedAt);
        if (into is not null)
        {
            Persist(new CaptureAdded(into.Id, candidate.Alert, capture), e =>
            {
                _ledger.Apply(e);
                Audit(AuditKind.AlertCaptureAdded, StaffId.System, into.Id, $"candidate={candidate.Alert};camera={candidate.Camera}");
                foreach (var line in _ledger.Alerts[into.Id].Lines ?? [])
                    if (line.Open)
                        _officers.Tell(new OfficerProtocol.SightingAdded(line.Officer, line.Id, capture));
                replyTo.Tell(new CandidateAccepted(candidate.Alert, into.Id));
            });
            return;
        }

        Persist(new Raised(candidate.Alert, candidate.Watchlist, candidate.Entry, candidate.Category, now, capture), e =>
        {
            _ledger.Apply(e);
            Audit(AuditKind.AlertRaised, StaffId.System, candidate.Alert,
                $"entry={candidate.Entry};category={candidate.Category};camera={candidate.Camera};likelihood={candidate.Likelihood.ToString("0.000", CultureInfo.InvariantCulture)}");
            _watchlists.Tell(new WatchlistProtocol.DescribeEntry(candidate.Watchlist, candidate.Entry));
            replyTo.Tell(new CandidateAccepted(candidate.Alert, candidate.Alert));
        });
    }

    private void Handle(Confirm confirm)
    {
        if (Undecided(confirm.Alert) is not { } alert)
            return;
        if (confirm.Officers.Count == 0)
        {
            Sender.Tell(new Refused(confirm.Alert, "confirm with at least one officer to task"));
            return;
        }

        if (alert.Record is null)
        {
            Sender.Tell(new Refused(confirm.Alert, "the watchlist record for this alert is not available (the watchlist may have been wiped)"));
            return;
        }

        var decision = new Decision(confirm.Operator, _time.GetUtcNow());
        var replyTo = Sender;
        if (_settings.TwoPersonConfirmation && alert.Status == AlertStatus.AwaitingDecision)
        {
            Persist(new ConfirmedOnce(alert.Id, decision), e =>
            {
                _ledger.Apply(e);
                Audit(AuditKind.AlertConfirmed, confirm.Operator, alert.Id, "confirmation=first of two");
                replyTo.Tell(_ledger.Alerts[alert.Id]);
            });
            return;
        }

        if (alert.Confirmations.Any(c => c.By == confirm.Operator))
        {
            Sender.Tell(new Refused(confirm.Alert, $"{confirm.Operator} has already confirmed; a second, different operator must confirm"));
            return;
        }

        var note = string.IsNullOrWhiteSpace(confirm.Note) ? null : confirm.Note.Trim();
        var assignments = Assign(alert, confirm.Officers);
        Persist(new Confirmed(alert.Id, decision, assignments, note), e =>
        {
            _ledger.Apply(e);
            var confirmed = _ledger.Alerts[alert.Id];
            Audit(AuditKind.AlertConfirmed, confirm.Operator, alert.Id, $"officers={assignments.Length}");
            Task(confirmed, assignments, confirm.Operator, decision.At, AuditKind.TaskingIssued);
            replyTo.Tell(confirmed);
        });
    }

    private void Handle(Dismiss dismiss)
    {
        if (Undecided(dismiss.Alert) is not { } alert)
            return;
        if (!Enum.IsDefined(dismiss.Reason))
        {
            Sender.Tell(new Refused(dismiss.Alert, $"unknown dismissal reason {dismiss.Reason}"));
            return;
        }

        var replyTo = Sender;
        Persist(new Dismissed(alert.Id, new Decision(dismiss.Operator, _time.GetUtcNow()), dismiss.Reason), e =>
        {
            _ledger.Apply(e);
            // a dismissed alert's captures show someone who was not wanted: keep them for the shorter period only
            foreach (var capture in alert.Captures)
                _images.PurgeNoLaterThan(capture.Image, e.Decision.At + _retention.DismissedRetention);
            Audit(AuditKind.AlertDismissed, dismiss.Operator, alert.Id, $"reason={dismiss.Reason}");
            replyTo.Tell(_ledger.Alerts[alert.Id]);
        });
    }

    /// <summary>Gives an alert's capture or file image to a member of staff once the audit log has stored the view.</summary>
    private void HandOut(AlertId id, ImageRef image, StaffId to, AuditKind kind, string detail)
    {
        if (!_ledger.Alerts.TryGetValue(id, out var alert))
        {
            Sender.Tell(new Refused(id, $"no alert {id} in deployment {_deployment}"));
            return;
        }

        if (alert.Captures.All(c => c.Image != image) && alert.Record?.HasFileImage(image) != true)
        {
            Sender.Tell(new Refused(id, $"image {image} does not belong to alert {id}"));
            return;
        }

        var receipt = ++_receipts;
        _handOuts[receipt] = (Sender, alert.Id, image);
        _audit.Tell(new AuditProtocol.RecordAndConfirm(new AuditProtocol.Record(kind, to.Value, _deployment.Value, alert.Id.Value, detail), receipt));
    }

    private void Handle(TaskingOutcome outcome)
    {
        if (!_ledger.Alerts.TryGetValue(outcome.Alert, out var alert) || !alert.Taskings.Contains(outcome.Tasking) || _ledger.Outcomes.ContainsKey(outcome.Tasking)
            || alert.Lines?.FirstOrDefault(l => l.Id == outcome.Tasking)?.CancelledBecause is not null)
            return;
        Persist(new OutcomeRecorded(outcome.Alert, outcome.Tasking, outcome.Outcome), _ledger.Apply);
    }

    /// <summary>The alert if it still awaits a decision; otherwise replies why not and returns null.</summary>
    private AlertView? Undecided(AlertId id)
    {
        if (!_ledger.Alerts.TryGetValue(id, out var alert))
            Sender.Tell(new Refused(id, $"no alert {id} in deployment {_deployment}"));
        else if (!AlertLedger.IsUndecided(alert))
            Sender.Tell(new Refused(id, $"alert {id} has already been decided ({alert.Status})"));
        else
            return alert;
        return null;
    }


    private void Audit(AuditKind kind, StaffId who, AlertId alert, string detail) =>
        _audit.Tell(new AuditProtocol.Record(kind, who.Value, _deployment.Value, alert.Value, detail));

    // Journal events: ids, references, codes and times only; the capture itself is in the encrypted store.
    internal interface IAlertEvent : IControlRoomEvent;
    internal sealed record Raised(AlertId Alert, WatchlistId Watchlist, WatchlistEntryId Entry, WatchlistCategory Category, DateTimeOffset At, Capture Capture) : IAlertEvent;
    internal sealed record CaptureAdded(AlertId Into, AlertId Candidate, Capture Capture) : IAlertEvent;
    internal sealed record ConfirmedOnce(AlertId Alert, Decision Decision) : IAlertEvent;
    internal sealed record Assignment(OfficerId Officer, TaskingId Tasking);
    internal sealed record Confirmed(AlertId Alert, Decision Decision, IReadOnlyList<Assignment> Assignments, string? Note = null) : IAlertEvent;
    internal sealed record TaskingsAdded(AlertId Alert, Decision Decision, IReadOnlyList<Assignment> Assignments) : IAlertEvent;
    internal sealed record TaskingCancelled(AlertId Alert, TaskingId Tasking, Decision Decision, string Reason) : IAlertEvent;
    internal sealed record Dismissed(AlertId Alert, Decision Decision, DismissalReason Reason) : IAlertEvent;
    internal sealed record OutcomeRecorded(AlertId Alert, TaskingId Tasking, Outcome Outcome) : IAlertEvent;
}
