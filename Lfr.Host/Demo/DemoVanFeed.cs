using Akka.Actor;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Watchlists;
using Lfr.Actors.Van.Cameras;
using Lfr.Vision.Matching;
using VanDeploymentId = Lfr.Actors.Van.DeploymentId;

namespace Lfr.Host.Demo;

public static class DemoVanFeedProtocol
{
    /// <summary>The demo's deployment uses <paramref name="Watchlist"/>; <paramref name="Current"/> is its state now (live on a resumed run).</summary>
    public sealed record Follow(WatchlistId Watchlist, DeploymentState Current);
}

/// <summary>
/// Tells the demo van what the control room decides, in one process: a deployment of the demo's watchlist that goes
/// live starts the van's cameras matching against the watchlist's embeddings; a threshold change, a suspension, an end
/// or a wipe reaches the van the moment the control room publishes it. It stands in for the control room's channel to
/// the vans (issue 5), which carries the same notices across nodes.
/// </summary>
public sealed class DemoVanFeed : ReceiveActor
{
    private readonly IActorRef _van;
    private readonly WatchlistIndex _index;
    private WatchlistId? _watchlist;
    private DeploymentId? _live;

    public DemoVanFeed(IActorRef van, WatchlistIndex index)
    {
        _van = van;
        _index = index;

        Receive<DemoVanFeedProtocol.Follow>(follow =>
        {
            _watchlist = follow.Watchlist;
            if (follow.Current is { Status: DeploymentStatus.Live, Plan: { } plan }) Start(follow.Current.Id, plan.Threshold);
        });
        Receive<DeploymentProtocol.DeploymentStarted>(started =>
        {
            if (started.Watchlist == _watchlist) Start(started.Deployment, started.Threshold);
        });
        Receive<DeploymentProtocol.DeploymentThresholdChanged>(changed =>
        {
            if (changed.Deployment == _live) Start(changed.Deployment, changed.Threshold);
        });
        Receive<DeploymentProtocol.DeploymentSuspended>(suspended => Stop(suspended.Deployment));
        Receive<DeploymentProtocol.DeploymentEnded>(ended => Stop(ended.Deployment));
        Receive<WatchlistProtocol.WatchlistWipeOrdered>(wipe =>
        {
            if (wipe.Watchlist == _watchlist) _van.Tell(CameraSupervisorProtocol.WatchlistWiped.Instance);
        });
        // the van's acknowledgements: nothing waits for them here
        Receive<CameraSupervisorProtocol.DeploymentApplied>(_ => { });
    }

    public static Props Props(IActorRef van, WatchlistIndex index) => Akka.Actor.Props.Create(() => new DemoVanFeed(van, index));

    protected override void PreStart()
    {
        foreach (var notice in new[]
                 {
                     typeof(DeploymentProtocol.DeploymentStarted), typeof(DeploymentProtocol.DeploymentThresholdChanged),
                     typeof(DeploymentProtocol.DeploymentSuspended), typeof(DeploymentProtocol.DeploymentEnded),
                     typeof(WatchlistProtocol.WatchlistWipeOrdered),
                 })
            Context.System.EventStream.Subscribe(Self, notice);
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    private void Start(DeploymentId deployment, double threshold)
    {
        _live = deployment;
        _van.Tell(new CameraSupervisorProtocol.DeploymentStarted(Van(deployment), (float)threshold, _index));
    }

    private void Stop(DeploymentId deployment)
    {
        if (deployment != _live) return;
        _live = null;
        _van.Tell(new CameraSupervisorProtocol.DeploymentEnded(Van(deployment)));
    }

    private static VanDeploymentId Van(DeploymentId deployment) => new(deployment.Value);
}
