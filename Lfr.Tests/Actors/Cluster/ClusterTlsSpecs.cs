using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Lfr.Actors.Cluster;
using Lfr.Actors.Cluster.Credentials;
using Xunit.Abstractions;

namespace Lfr.Tests.Actors.Cluster;

/// <summary>
/// The closed cluster: mutual TLS with the force CA's certificates (<c>Lfr:Node:Tls</c>), and each member bound to the
/// role and name its certificate states.
/// </summary>
public sealed class ClusterTlsSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private readonly TestCertificates _force = new();

    [Fact]
    public async Task Nodes_with_the_force_CAs_certificates_should_form_a_cluster_over_TLS_and_each_prove_who_it_is()
    {
        await using var controlRoom = await LfrTestNode.StartAsync(new LfrNodeSettings
        {
            Role = LfrRole.ControlRoom,
            Tls = TestCertificates.Tls(_force.Issue(LfrRole.ControlRoom, "control-room-1")),
        });
        await using var van = await LfrTestNode.StartAsync(new LfrNodeSettings
        {
            Role = LfrRole.Van,
            Seeds = [controlRoom.Address.ToString()],
            Tls = TestCertificates.Tls(_force.Issue(LfrRole.Van, "van-07")),
        });

        Assert.Equal("akka.ssl.tcp", controlRoom.Address.Protocol);
        await AwaitAssertAsync(() =>
        {
            Assert.Contains(controlRoom.Cluster.State.Members, m => m.Address == van.Address && m.Status == MemberStatus.Up);
            Assert.Equal(new NodeIdentity(LfrRole.Van, "van-07"), PeerIdentities.Get(controlRoom.System).Of(van.Address));
            Assert.Equal(new NodeIdentity(LfrRole.ControlRoom, "control-room-1"), PeerIdentities.Get(van.System).Of(controlRoom.Address));
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200));
        var identities = PeerIdentities.Get(controlRoom.System);
        Assert.True(identities.Allows(van.Address, LfrRole.Van, "van-07"));
        Assert.False(identities.Allows(van.Address, LfrRole.Van, "van-01"));
        Assert.False(identities.Allows(van.Address, LfrRole.ControlRoom));
    }

    [Fact]
    public async Task A_console_with_a_certificate_of_another_CA_should_never_join()
    {
        await using var controlRoom = await LfrTestNode.StartAsync(new LfrNodeSettings
        {
            Role = LfrRole.ControlRoom,
            Tls = TestCertificates.Tls(_force.Issue(LfrRole.ControlRoom, "control-room-1")),
        });
        var members = CreateTestProbe(controlRoom.System);
        controlRoom.Cluster.Subscribe(members.Ref, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent));
        await members.ExpectMsgAsync<ClusterEvent.MemberUp>(m => m.Member.Address == controlRoom.Address, TimeSpan.FromSeconds(20));

        // a well-formed console certificate, from a CA of its own making: not the force's
        using var stranger = new TestCertificates("Another force");
        await using var console = await LfrTestNode.StartAsync(new LfrNodeSettings
        {
            Role = LfrRole.Console,
            Seeds = [controlRoom.Address.ToString()],
            Tls = TestCertificates.Tls(stranger.Issue(LfrRole.Console, "console-9")),
        }, ConfigurationFactory.ParseString("akka.cluster.seed-node-timeout = 1s"));

        // several join attempts fit in this window (seed-node retries every second here)
        await members.ExpectNoMsgAsync(TimeSpan.FromSeconds(8));
        Assert.Single(controlRoom.Cluster.State.Members);
        Assert.NotEqual(MemberStatus.Up, console.Cluster.SelfMember.Status);
    }

    [Fact]
    public async Task A_van_that_joins_as_a_control_room_should_be_downed()
    {
        await using var controlRoom = await LfrTestNode.StartAsync(new LfrNodeSettings
        {
            Role = LfrRole.ControlRoom,
            Tls = TestCertificates.Tls(_force.Issue(LfrRole.ControlRoom, "control-room-1")),
        });
        var members = CreateTestProbe(controlRoom.System);
        controlRoom.Cluster.Subscribe(members.Ref, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.MemberRemoved));

        // a van's genuine certificate, but the node claims the control-room role in its join
        await using var impostor = await LfrTestNode.StartAsync(new LfrNodeSettings
        {
            Role = LfrRole.Van,
            Seeds = [controlRoom.Address.ToString()],
            Tls = TestCertificates.Tls(_force.Issue(LfrRole.Van, "van-07")),
        }, ConfigurationFactory.ParseString("akka.cluster.roles = [\"control-room\"]"));

        Assert.Equal(impostor.Address, (await members.ExpectMsgAsync<ClusterEvent.MemberRemoved>(TimeSpan.FromSeconds(40))).Member.Address);
        Assert.False(PeerIdentities.Get(controlRoom.System).Allows(impostor.Address, LfrRole.ControlRoom));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _force.Dispose();
    }
}
