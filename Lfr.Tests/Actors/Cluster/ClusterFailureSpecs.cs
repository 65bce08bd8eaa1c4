using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Akka.Remote;
using Akka.Remote.Transport;
using Lfr.Actors.Cluster;
using Xunit.Abstractions;

namespace Lfr.Tests.Actors.Cluster;

/// <summary>Nodes that crash or lose their link, seen from the control room.</summary>
public sealed class ClusterFailureSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(40);

    /// <summary>The throttler adapter lets a spec cut a node's links without stopping it (every node of that cluster needs it).</summary>
    private static readonly Config Cuttable = ConfigurationFactory
        .ParseString("akka.remote.dot-netty.tcp.applied-adapters = [trttl]")
        .WithFallback(LfrTestNode.FastFailureDetection);

    [Fact]
    public async Task Control_room_should_remove_a_crashed_van_and_let_it_rejoin_when_it_restarts()
    {
        // a crash says no goodbye: terminating this van's ActorSystem skips the graceful leave
        var crashing = ConfigurationFactory.ParseString("akka.coordinated-shutdown.run-by-actor-system-terminate = off")
            .WithFallback(LfrTestNode.FastFailureDetection);
        await using var controlRoom = await LfrTestNode.StartControlRoomAsync(LfrTestNode.FastFailureDetection);
        await using var van = await LfrTestNode.StartJoiningAsync(LfrRole.Van, controlRoom, crashing);
        await ExpectUpAsync(controlRoom, van);
        var events = Subscribe(controlRoom);

        await van.System.Terminate();

        await events.FishForMessageAsync(m => m is ClusterEvent.UnreachableMember u && u.Member.Address == van.Address, Generous);
        await events.FishForMessageAsync(m => m is ClusterEvent.MemberRemoved r && r.Member.Address == van.Address, Generous);
        Assert.Equal(MemberStatus.Up, controlRoom.Cluster.SelfMember.Status);

        await using var restarted = await LfrTestNode.StartJoiningAsync(LfrRole.Van, controlRoom, LfrTestNode.FastFailureDetection);
        await ExpectUpAsync(controlRoom, restarted);
        Assert.Contains(controlRoom.Cluster.State.Members, m => m.Address == restarted.Address && m.HasRole(LfrRoles.Van));
    }

    [Fact]
    public async Task Split_brain_resolver_should_keep_the_control_room_up_and_down_a_van_cut_off_from_it()
    {
        await using var controlRoom = await LfrTestNode.StartControlRoomAsync(Cuttable);
        await using var console = await LfrTestNode.StartJoiningAsync(LfrRole.Console, controlRoom, Cuttable);
        await using var van = await LfrTestNode.StartJoiningAsync(LfrRole.Van, controlRoom, Cuttable);
        await ExpectUpAsync(controlRoom, console);
        await ExpectUpAsync(controlRoom, van);
        await ExpectUpAsync(van, console);
        var events = Subscribe(controlRoom);

        // the van's link fails both ways; the van itself keeps running
        await CutAsync(van, controlRoom.Address);
        await CutAsync(van, console.Address);

        await events.FishForMessageAsync(m => m is ClusterEvent.UnreachableMember u && u.Member.Address == van.Address, Generous);
        await events.FishForMessageAsync(m => m is ClusterEvent.MemberRemoved r && r.Member.Address == van.Address, Generous);
        // the van, seeing no control room, downed itself rather than carrying on as a cluster of its own; this
        // reason is what makes `lfr node` start a fresh ActorSystem that rejoins
        await van.System.WhenTerminated.WaitAsync(Generous);
        Assert.IsType<CoordinatedShutdown.ClusterDowningReason>(CoordinatedShutdown.Get(van.System).ShutdownReason);

        Assert.Equal(MemberStatus.Up, controlRoom.Cluster.SelfMember.Status);
        Assert.Equal(MemberStatus.Up, console.Cluster.SelfMember.Status);
        Assert.Equal(
            new[] { console.Address, controlRoom.Address }.Order(),
            controlRoom.Cluster.State.Members.Where(m => m.Status == MemberStatus.Up).Select(m => m.Address).Order());
        // the state's reachability can trail the removal event by a gossip round on a loaded machine
        await AwaitAssertAsync(() => Assert.Empty(controlRoom.Cluster.State.Unreachable), Generous, TimeSpan.FromMilliseconds(200));
    }

    /// <summary>
    /// Two control rooms have no majority on a 1-1 split: whichever crashes, the other (with the van and the console) is
    /// kept and removes it (keep-oldest, down-if-alone, over every member), rather than downing itself with the dead one.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Split_brain_resolver_should_keep_the_other_control_room_serving_when_either_of_two_crashes(bool oldestCrashes)
    {
        var crashing = ConfigurationFactory.ParseString("akka.coordinated-shutdown.run-by-actor-system-terminate = off")
            .WithFallback(LfrTestNode.FastFailureDetection);
        await using var oldest = await LfrTestNode.StartControlRoomAsync(oldestCrashes ? crashing : LfrTestNode.FastFailureDetection);
        await using var youngest = await LfrTestNode.StartJoiningAsync(LfrRole.ControlRoom, oldest, oldestCrashes ? LfrTestNode.FastFailureDetection : crashing);
        await ExpectUpAsync(oldest, youngest);
        await using var van = await LfrTestNode.StartJoiningAsync(LfrRole.Van, oldest, LfrTestNode.FastFailureDetection);
        await using var console = await LfrTestNode.StartJoiningAsync(LfrRole.Console, oldest, LfrTestNode.FastFailureDetection);
        var (crashed, survivor) = oldestCrashes ? (oldest, youngest) : (youngest, oldest);
        foreach (var node in new[] { van, console, youngest })
            await ExpectUpAsync(oldest, node);
        await ExpectUpAsync(survivor, van);
        await ExpectUpAsync(survivor, console);
        var events = Subscribe(survivor);

        await crashed.System.Terminate();

        await events.FishForMessageAsync(m => m is ClusterEvent.MemberRemoved r && r.Member.Address == crashed.Address, Generous);
        foreach (var node in new[] { survivor, van, console })
            Assert.Equal(MemberStatus.Up, node.Cluster.SelfMember.Status);
        Assert.Equal(
            new[] { survivor.Address, van.Address, console.Address }.Order(),
            survivor.Cluster.State.Members.Where(m => m.Status == MemberStatus.Up).Select(m => m.Address).Order());
    }

    private Akka.TestKit.TestProbe Subscribe(LfrTestNode node)
    {
        var probe = CreateTestProbe(node.System);
        node.Cluster.Subscribe(probe.Ref, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));
        return probe;
    }

    private Task ExpectUpAsync(LfrTestNode observer, LfrTestNode node) =>
        AwaitAssertAsync(
            () => Assert.Contains(observer.Cluster.State.Members, m => m.Address == node.Address && m.Status == MemberStatus.Up),
            Generous, TimeSpan.FromMilliseconds(200));

    private static async Task CutAsync(LfrTestNode node, Address from)
    {
        var transport = ((IRemoteActorRefProvider)((ExtendedActorSystem)node.System).Provider).Transport;
        Assert.True(await transport.ManagementCommand(new SetThrottle(from, ThrottleTransportAdapter.Direction.Both, Blackhole.Instance)));
    }
}
