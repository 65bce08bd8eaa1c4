using Akka.Actor;

namespace Lfr.Actors.Van.Link;

/// <summary>
/// Between a van actor that outlives the van's cluster membership (its outbox, its assignment, what it publishes) and
/// its <see cref="ClusterLink"/> in the current membership. The van's membership is an ActorSystem of its own, created
/// anew each time the cluster downs the van (a downed incarnation can never rejoin); the van actor keeps its state, and
/// every link of a new incarnation attaches to it. Everything the van actor sends to another node goes through the link,
/// which is the sender the other node sees and answers.
/// </summary>
public static class LinkProtocol
{
    /// <summary>To the van actor: this link now carries its messages; the cluster's membership events follow.</summary>
    public sealed record Attached(IActorRef Link);

    /// <summary>To the van actor: that incarnation has ended; no member of it is reachable through it any more.</summary>
    public sealed record Detached(IActorRef Link);

    /// <summary>To a link: send <see cref="Message"/> to the actor at <c>/user/NAME</c> of a node, as the link.</summary>
    public sealed record Deliver(Address Node, string Name, object Message);

    /// <summary>To a link: publish <see cref="Event"/> on its incarnation's event stream (camera health, node counters, views).</summary>
    public sealed record Publish(object Event);
}
