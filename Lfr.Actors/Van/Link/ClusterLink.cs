using Akka.Actor;
using Akka.Cluster;
using Akka.Hosting;
using static Lfr.Actors.Van.Link.LinkProtocol;

namespace Lfr.Actors.Van.Link;

/// <summary>
/// One van actor's presence in one cluster incarnation (<see cref="LinkProtocol"/>): it passes the membership events to
/// the van actor, sends what the van actor gives it to other nodes as itself, hands every answer from another node to
/// the van actor (whose sender stays the node that answered), and publishes on its incarnation's event stream. When the
/// incarnation ends, the van actor hears <see cref="Detached"/> and forgets its members; its state stays.
/// </summary>
public sealed class ClusterLink : ReceiveActor
{
    private readonly IActorRef _local;

    public ClusterLink(IActorRef local)
    {
        _local = local;
        Receive<Deliver>(deliver => Context.ActorSelection(new RootActorPath(deliver.Node) / "user" / deliver.Name).Tell(deliver.Message, Self));
        Receive<Publish>(publish => Context.System.EventStream.Publish(publish.Event));
        Receive<ClusterEvent.IClusterDomainEvent>(e => _local.Tell(e, Self));
        ReceiveAny(message => _local.Forward(message));
    }

    public static Props Props(IActorRef local) => Akka.Actor.Props.Create(() => new ClusterLink(local));

    protected override void PreStart()
    {
        // attached before the first event: the van actor knows which link the events come from
        _local.Tell(new Attached(Self), Self);
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));
    }

    protected override void PostStop()
    {
        Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
        _local.Tell(new Detached(Self), Self);
    }
}

public static class ClusterLinkHostingExtensions
{
    /// <summary>
    /// A <see cref="ClusterLink"/> at <c>/user/NAME-link</c> of this (cluster) ActorSystem for the van actor
    /// <paramref name="local"/>, which may live in this system or in the van's own, which outlives this one.
    /// </summary>
    public static AkkaConfigurationBuilder WithClusterLink(this AkkaConfigurationBuilder builder, string name, Func<IActorRegistry, IActorRef> local) =>
        builder.WithActors((system, registry) => system.ActorOf(ClusterLink.Props(local(registry)), $"{name}-link"));
}
