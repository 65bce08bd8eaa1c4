using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Akka.Hosting;
using Lfr.Actors.Cluster;
using Lfr.Actors.Cluster.Serialization;
using Lfr.Actors.Console.Health;
using Xunit.Abstractions;
using static Lfr.Actors.Console.Health.NodeHealthProtocol;

namespace Lfr.Tests.Actors.Cluster;

/// <summary>A control room, a van and a console on 127.0.0.1, started once for the specs of this class.</summary>
public sealed class ThreeNodeCluster : IAsyncLifetime
{
    public LfrTestNode ControlRoom { get; private set; } = null!;
    public LfrTestNode Van { get; private set; } = null!;
    public LfrTestNode Console { get; private set; } = null!;

    public IEnumerable<LfrTestNode> All => [ControlRoom, Van, Console];

    public async Task InitializeAsync()
    {
        ControlRoom = await LfrTestNode.StartControlRoomAsync(LfrTestNode.FastFailureDetection);
        Van = await LfrTestNode.StartJoiningAsync(LfrRole.Van, ControlRoom, LfrTestNode.FastFailureDetection);
        Console = await LfrTestNode.StartJoiningAsync(LfrRole.Console, ControlRoom, LfrTestNode.FastFailureDetection);
    }

    public async Task DisposeAsync()
    {
        foreach (var node in new[] { Console, Van, ControlRoom })
            if (node is not null) await node.DisposeAsync();
    }
}

public sealed class ClusterFormationSpecs(ThreeNodeCluster cluster, ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit(output: output), IClassFixture<ThreeNodeCluster>
{
    [Fact]
    public async Task Van_control_room_and_console_should_form_one_cluster_and_see_each_others_roles()
    {
        await AwaitAssertAsync(() =>
        {
            foreach (var node in cluster.All)
            {
                var up = node.Cluster.State.Members.Where(m => m.Status == MemberStatus.Up).ToList();
                Assert.Equal(
                    new[] { LfrRoles.Console, LfrRoles.ControlRoom, LfrRoles.Van },
                    up.SelectMany(m => m.Roles).Order(StringComparer.Ordinal).ToArray());
                Assert.Contains(up, m => m.Address == cluster.Van.Address && m.HasRole(LfrRoles.Van));
                Assert.Contains(up, m => m.Address == cluster.ControlRoom.Address && m.HasRole(LfrRoles.ControlRoom));
            }
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task Console_should_receive_the_health_report_of_every_node()
    {
        var monitor = await cluster.Console.Registry.GetAsync<NodeHealthMonitor>();
        await AwaitAssertAsync(async () =>
        {
            var view = await monitor.Ask<NodeHealthView>(GetNodeHealth.Instance, TimeSpan.FromSeconds(3));
            var reports = view.Nodes.Select(n => n.Report).ToDictionary(r => r.Address);
            Assert.Equal(LfrRole.Van, reports[cluster.Van.Address.ToString()].Role);
            Assert.Equal(LfrRole.ControlRoom, reports[cluster.ControlRoom.Address.ToString()].Role);
            Assert.Equal(LfrRole.Console, reports[cluster.Console.Address.ToString()].Role);
            // the van's report crossed the wire: it is the van's own view, counters included
            var van = reports[cluster.Van.Address.ToString()];
            Assert.Equal(MemberStatus.Up, van.Status);
            Assert.Equal(3, van.Counters["members"]);
            Assert.Equal(0, van.Counters["unreachable"]);
            Assert.All(view.Nodes, n => Assert.False(n.Silent));
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task A_message_over_the_frame_limit_should_be_logged_as_an_error_at_the_sender_and_the_link_should_stay_up()
    {
        var errors = CreateTestProbe(cluster.Van.System);
        cluster.Van.System.EventStream.Subscribe(errors.Ref, typeof(Error));
        var console = cluster.Van.System.ActorSelection(new RootActorPath(cluster.Console.Address) / "user" / NodeHealthMonitor.Name);
        var counters = Enumerable.Range(0, 6_000).ToDictionary(i => $"camera-{i:D5}-frames-dropped", i => (long)i);
        var oversized = new NodeHealthReport(LfrRole.Van, "akka.tcp://lfr@10.9.9.9:1", MemberStatus.Up, TimeSpan.Zero, DateTimeOffset.UnixEpoch, counters);

        console.Tell(oversized);
        var refusedAt = DateTimeOffset.UtcNow;

        var error = await errors.FishForMessageAsync<Error>(e => e.Cause is WirePayloadTooLargeException, TimeSpan.FromSeconds(20));
        Assert.Contains("NodeHealthReport serialized to", error.Cause!.Message);
        var monitor = await cluster.Console.Registry.GetAsync<NodeHealthMonitor>();
        await AwaitAssertAsync(async () =>
        {
            var view = await monitor.Ask<NodeHealthView>(GetNodeHealth.Instance, TimeSpan.FromSeconds(3));
            // the van's regular reports, sent after the refused one, still arrive over the same link
            Assert.Contains(view.Nodes, n => n.Report.Address == cluster.Van.Address.ToString() && n.Report.SentAt > refusedAt);
            Assert.DoesNotContain(view.Nodes, n => n.Report.Address == oversized.Address);
        }, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(300));
        Assert.Empty(cluster.Van.Cluster.State.Unreachable);
    }

    [Fact]
    public async Task Console_should_ignore_a_report_from_a_node_that_is_not_a_member()
    {
        var monitor = await cluster.Console.Registry.GetAsync<NodeHealthMonitor>();
        var ghost = new NodeHealthReport(LfrRole.Van, "akka.tcp://lfr@10.9.9.9:1", MemberStatus.Up, TimeSpan.FromHours(2), DateTimeOffset.UnixEpoch,
            new Dictionary<string, long>());

        monitor.Tell(ghost);

        var view = await monitor.Ask<NodeHealthView>(GetNodeHealth.Instance, TimeSpan.FromSeconds(3));
        Assert.DoesNotContain(view.Nodes, n => n.Report.Address == ghost.Address);
    }
}
