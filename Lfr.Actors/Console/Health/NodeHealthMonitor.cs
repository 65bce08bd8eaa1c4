using Akka.Actor;
using Akka.Cluster;
using Akka.Hosting;
using Lfr.Actors.Cluster.Credentials;
using static Lfr.Actors.Console.Health.NodeHealthProtocol;

namespace Lfr.Actors.Console.Health;

/// <summary>
/// The console's view of the nodes: the latest <see cref="NodeHealthReport"/> of each member. A member that leaves
/// the cluster leaves the view, and reports from non-members are ignored; a member that stops reporting is marked
/// silent, not dropped, so ops see it went quiet.
/// </summary>
public sealed class NodeHealthMonitor : ReceiveActor
{
    /// <summary>Actor name under <c>/user</c>; reporters on every node address it by this path.</summary>
    public const string Name = "node-health";

    private readonly Dictionary<string, (NodeHealthReport Report, DateTimeOffset ReceivedAt)> _latest = new(StringComparer.Ordinal);
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);

    public NodeHealthMonitor(TimeSpan staleAfter, TimeProvider time)
    {
        var identities = PeerIdentities.Get(Context.System);
        Receive<NodeHealthReport>(report =>
        {
            // a node reports only for itself, in the role its certificate states
            if (report.Address != Sender.Path.Address.ToString() && !Sender.Path.Address.HasLocalScope) return;
            if (!identities.Allows(Sender.Path.Address, report.Role)) return;
            // a report still in flight when its node was removed would otherwise stay in the view as a ghost
            if (_cluster.State.Members.Any(m => m.Address.ToString() == report.Address))
                _latest[report.Address] = (report, time.GetUtcNow());
        });
        Receive<ClusterEvent.MemberRemoved>(removed => _latest.Remove(removed.Member.Address.ToString()));
        Receive<GetNodeHealth>(_ =>
        {
            var now = time.GetUtcNow();
            var nodes = _latest.Values
                .OrderBy(e => e.Report.Address, StringComparer.Ordinal)
                .Select(e => new NodeHealthEntry(e.Report, e.ReceivedAt, now - e.ReceivedAt > staleAfter))
                .ToList();
            Sender.Tell(new NodeHealthView(nodes));
        });
    }

    protected override void PreStart() =>
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.MemberRemoved));

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    public static Props Props(TimeSpan staleAfter, TimeProvider time) =>
        Akka.Actor.Props.Create(() => new NodeHealthMonitor(staleAfter, time));
}

public static class NodeHealthMonitorHostingExtensions
{
    /// <summary>Starts the console's <see cref="NodeHealthMonitor"/> at <c>/user/node-health</c>.</summary>
    public static AkkaConfigurationBuilder WithNodeHealthMonitor(this AkkaConfigurationBuilder builder, TimeProvider time) =>
        builder.WithActors((system, registry) =>
        {
            var staleAfter = system.Settings.Config.GetTimeSpan("lfr.console.health-stale-after", null, allowInfinite: false);
            registry.Register<NodeHealthMonitor>(system.ActorOf(NodeHealthMonitor.Props(staleAfter, time), NodeHealthMonitor.Name));
        });
}
