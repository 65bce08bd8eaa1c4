using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Watchlists;
using Lfr.Actors.Van.Outbox;
using VanAlerts = Lfr.Actors.Van.Pipeline.AlertProtocol;

namespace Lfr.Actors.ControlRoom.Alerts;

/// <summary>
/// Where vans' outboxes deliver alerts: a well-known path (<c>/user/alert-intake</c>) on every control-room node. It
/// turns a van's candidate into the alert desk's, and answers the van <see cref="OutboxProtocol.AlertStored"/> only
/// once the desk has persisted it (the desk's acknowledgement), so the van deletes its copy only then. A resent
/// candidate reaches the desk again and is only acknowledged again: the desk knows every candidate id it holds.
/// </summary>
public sealed class AlertIntake : ReceiveActor
{
    public const string Name = "alert-intake";

    private readonly IActorRef _alerts;
    private readonly IActorRef _deployments;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    /// <summary>The watchlist of each deployment seen: the van does not know the control room's watchlist ids.</summary>
    private readonly Dictionary<DeploymentId, WatchlistId> _watchlists = [];

    /// <summary>Candidates waiting for their deployment's plan, and when it was last asked for.</summary>
    private readonly Dictionary<DeploymentId, List<(VanAlerts.AlertCandidate Candidate, IActorRef Van)>> _waiting = [];
    private readonly Dictionary<DeploymentId, long> _askedAt = [];

    /// <summary>
    /// A question to the deployments sent while the control room that ran them was lost goes with it: it is asked again
    /// on the next candidate (the van resends every 3 s) once this long has passed without an answer.
    /// </summary>
    private static readonly TimeSpan AskAgainAfter = TimeSpan.FromSeconds(5);

    /// <summary>Which van to answer for each candidate the desk has not yet acknowledged.</summary>
    private readonly Dictionary<AlertId, IActorRef> _replyTo = [];

    public AlertIntake(IActorRef alerts, IActorRef deployments)
    {
        _alerts = alerts;
        _deployments = deployments;

        Receive<VanAlerts.AlertCandidate>(candidate =>
        {
            var deployment = new DeploymentId(candidate.Deployment.Value);
            if (_watchlists.TryGetValue(deployment, out var watchlist))
            {
                ToDesk(candidate, watchlist, Sender);
                return;
            }
            if (!_waiting.TryGetValue(deployment, out var waiting))
                _waiting[deployment] = waiting = [];
            if (waiting.Count == 0 || Stopwatch.GetElapsedTime(_askedAt[deployment]) > AskAgainAfter)
            {
                _askedAt[deployment] = Stopwatch.GetTimestamp();
                _deployments.Tell(new DeploymentProtocol.GetDeployment(deployment));
            }
            // a resent candidate replaces the one waiting: one answer to the van, one candidate to the desk
            waiting.RemoveAll(w => w.Candidate.Id == candidate.Id);
            waiting.Add((candidate, Sender));
        });
        Receive<DeploymentState>(state =>
        {
            if (!_waiting.Remove(state.Id, out var waiting)) return;
            _askedAt.Remove(state.Id);
            if (state.Plan is null)
            {
                foreach (var (candidate, van) in waiting)
                    van.Tell(new OutboxProtocol.AlertRefused(candidate.Id, $"deployment {state.Id} is not planned; nothing was stored"));
                return;
            }
            _watchlists[state.Id] = state.Plan.Watchlist;
            foreach (var (candidate, van) in waiting)
                ToDesk(candidate, state.Plan.Watchlist, van);
        });
        Receive<DeploymentProtocol.DeploymentStarted>(started => _watchlists[started.Deployment] = started.Watchlist);
        Receive<AlertProtocol.CandidateAccepted>(accepted =>
        {
            if (_replyTo.Remove(accepted.Alert, out var van)) van.Tell(new OutboxProtocol.AlertStored(VanId(accepted.Alert)));
        });
        Receive<AlertProtocol.Refused>(refused =>
        {
            if (!_replyTo.Remove(refused.Alert, out var van)) return;
            _log.Warning("Alert {Alert} refused: {Reason}", refused.Alert, refused.Reason);
            van.Tell(new OutboxProtocol.AlertRefused(VanId(refused.Alert), refused.Reason));
        });
    }

    public static Props Props(IActorRef alerts, IActorRef deployments) => Akka.Actor.Props.Create(() => new AlertIntake(alerts, deployments));

    protected override void PreStart() => Context.System.EventStream.Subscribe(Self, typeof(DeploymentProtocol.DeploymentStarted));

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    private void ToDesk(VanAlerts.AlertCandidate candidate, WatchlistId watchlist, IActorRef van)
    {
        var id = new AlertId(candidate.Id.ToString());
        _replyTo[id] = van;
        _alerts.Tell(new AlertProtocol.AlertCandidate(id, new DeploymentId(candidate.Deployment.Value), watchlist, candidate.EntryId,
            candidate.Category, candidate.Likelihood, candidate.Camera.Value, candidate.CapturedAt, candidate.FaceJpeg));
    }

    private static Van.AlertId VanId(AlertId id) => new(Guid.ParseExact(id.Value, "N"));
}
