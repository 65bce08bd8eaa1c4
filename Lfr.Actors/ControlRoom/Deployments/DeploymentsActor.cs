using Akka.Actor;
using Akka.Persistence;
using Lfr.Actors.ControlRoom.Persistence;

namespace Lfr.Actors.ControlRoom.Deployments;

/// <summary>
/// Starts one <see cref="DeploymentActor"/> per deployment id and forwards its commands to it. It remembers which
/// deployments have not ended, and starts them again after a restart without waiting for a command, so that a
/// live deployment tells the vans again and still ends itself when its window closes.
/// </summary>
public sealed class DeploymentsActor : ReceivePersistentActor
{
    public const string DefaultPersistenceId = "deployments";

    private readonly DeploymentSettings _settings;
    private readonly IActorRef _audit;
    private readonly TimeProvider _time;
    private readonly HashSet<DeploymentId> _open = [];

    /// <summary>Every deployment ever planned: a question about any other id starts no actor.</summary>
    private readonly HashSet<DeploymentId> _known = [];

    public DeploymentsActor(DeploymentSettings settings, IActorRef audit, TimeProvider time, string persistenceId)
    {
        _settings = settings;
        _audit = audit;
        _time = time;
        PersistenceId = persistenceId;

        Recover<Opened>(e =>
        {
            _open.Add(e.Deployment);
            _known.Add(e.Deployment);
        });
        Recover<Closed>(e => _open.Remove(e.Deployment));
        Recover<RecoveryCompleted>(_ =>
        {
            foreach (var deployment in _open)
                ChildFor(deployment);
        });

        Command<DeploymentProtocol.PlanDeployment>(plan =>
        {
            if (_open.Contains(plan.Deployment))
                ChildFor(plan.Deployment).Forward(plan);
            else
                Persist(new Opened(plan.Deployment), e =>
                {
                    _open.Add(e.Deployment);
                    _known.Add(e.Deployment);
                    ChildFor(plan.Deployment).Forward(plan);
                });
        });
        Command<DeploymentProtocol.GetDeployment>(get =>
        {
            // a deployment not planned yet may already know its watchlist (built first): its actor runs
            if (_known.Contains(get.Deployment) || !Context.Child(Uri.EscapeDataString(get.Deployment.Value)).IsNobody())
                ChildFor(get.Deployment).Forward(get);
            else
                Sender.Tell(DeploymentState.NotPlanned(get.Deployment));
        });
        Command<DeploymentProtocol.IDeploymentCommand>(command => ChildFor(command.Deployment).Forward(command));
        Command<DeploymentProtocol.GetOpenDeployments>(_ => Sender.Tell(new DeploymentProtocol.OpenDeployments([.. _open])));
        Command<DeploymentProtocol.DeploymentEnded>(ended =>
        {
            if (_open.Contains(ended.Deployment))
                Persist(new Closed(ended.Deployment), e => _open.Remove(e.Deployment));
        });
    }

    public override string PersistenceId { get; }

    public static Props Props(DeploymentSettings settings, IActorRef audit, TimeProvider time, string persistenceId = DefaultPersistenceId) =>
        Akka.Actor.Props.Create(() => new DeploymentsActor(settings, audit, time, persistenceId));

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(DeploymentProtocol.DeploymentEnded));
        base.PreStart();
    }

    protected override void PostStop()
    {
        Context.System.EventStream.Unsubscribe(Self);
        base.PostStop();
    }

    private IActorRef ChildFor(DeploymentId deployment)
    {
        var name = Uri.EscapeDataString(deployment.Value);
        var child = Context.Child(name);
        return child.IsNobody() ? Context.ActorOf(JournalBackoff.Props(DeploymentActor.Props(deployment, _settings, _audit, _time), "journal"), name) : child;
    }

    internal sealed record Opened(DeploymentId Deployment) : IControlRoomEvent;
    internal sealed record Closed(DeploymentId Deployment) : IControlRoomEvent;
}
