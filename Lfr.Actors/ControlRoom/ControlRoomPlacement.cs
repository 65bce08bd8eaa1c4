using Akka.Actor;
using Akka.Cluster.Tools.Singleton;
using Lfr.Actors.Cluster;

namespace Lfr.Actors.ControlRoom;

/// <summary>Where the control room's actors run: in this ActorSystem alone, or once in the cluster's control room.</summary>
public enum ControlRoomPlacement
{
    /// <summary>One control-room node (<c>lfr demo</c>, a SQLite journal, the specs): every actor in this ActorSystem.</summary>
    Local,

    /// <summary>
    /// Any number of control-room nodes on one PostgreSQL journal: each persistent actor is a cluster singleton on the
    /// oldest control-room node, and every control-room node reaches it through a proxy of the same name.
    /// </summary>
    ClusterSingletons,
}

/// <summary>
/// One of the control room's actors as a cluster singleton. Every singleton of the control room lives on the oldest
/// control-room member, so they still find each other's notices on that node's event stream, and a persistent actor
/// never runs twice on one journal (which is what two control rooms each starting <c>audit-log</c> did).
/// </summary>
public static class ControlRoomSingleton
{
    /// <summary>
    /// Starts the singleton's manager at <c>/user/NAME-singleton</c> and returns its proxy at <c>/user/NAME</c>, so that a
    /// van's message to <c>/user/NAME</c> on any control room is forwarded (with its sender) to the one that runs it.
    /// While the singleton moves (its node was lost) the proxy holds what is sent to it and delivers it once it is back.
    /// </summary>
    public static IActorRef Start(ActorSystem system, string name, Props props)
    {
        system.ActorOf(ClusterSingletonManager.Props(props, PoisonPill.Instance,
            ClusterSingletonManagerSettings.Create(system).WithRole(LfrRoles.ControlRoom).WithSingletonName(name)), name + "-singleton");
        return system.ActorOf(ClusterSingletonProxy.Props($"/user/{name}-singleton",
            ClusterSingletonProxySettings.Create(system).WithRole(LfrRoles.ControlRoom).WithSingletonName(name)), name);
    }

    /// <summary>A factory that places <paramref name="props"/> as <paramref name="placement"/> says, under <paramref name="name"/>.</summary>
    public static Func<string, Props, IActorRef> Spawner(ActorSystem system, ControlRoomPlacement placement) => placement switch
    {
        ControlRoomPlacement.ClusterSingletons => (name, props) => Start(system, name, props),
        _ => (name, props) => system.ActorOf(props, name),
    };
}
