using Akka.Cluster;
using Lfr.Actors.Cluster;
using Xunit.Abstractions;

namespace Lfr.Tests.Actors.Cluster;

/// <summary>The cluster transport with mutual TLS and an allow-list of node certificates (<c>Lfr:Node:Tls</c>).</summary>
public sealed class ClusterTlsSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private readonly TestCertificates _certificates = new();

    [Fact]
    public async Task Nodes_on_each_others_allow_list_should_form_a_cluster_over_TLS()
    {
        var controlRoomCertificate = _certificates.Create("control-room-1");
        var vanCertificate = _certificates.Create("van-07");
        string[] allowed = [controlRoomCertificate.Thumbprint, vanCertificate.Thumbprint];

        await using var controlRoom = await LfrTestNode.StartAsync(new LfrNodeSettings
        {
            Role = LfrRole.ControlRoom,
            Tls = TestCertificates.Tls(controlRoomCertificate.Path, allowed),
        });
        await using var van = await LfrTestNode.StartAsync(new LfrNodeSettings
        {
            Role = LfrRole.Van,
            Seeds = [controlRoom.Address.ToString()],
            Tls = TestCertificates.Tls(vanCertificate.Path, allowed),
        });

        Assert.Equal("akka.ssl.tcp", controlRoom.Address.Protocol);
        await AwaitAssertAsync(
            () => Assert.Contains(controlRoom.Cluster.State.Members, m => m.Address == van.Address && m.Status == MemberStatus.Up),
            TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task A_van_whose_certificate_is_not_on_the_control_rooms_allow_list_should_never_join()
    {
        var controlRoomCertificate = _certificates.Create("control-room-1");
        var strangerCertificate = _certificates.Create("not-a-van");

        await using var controlRoom = await LfrTestNode.StartAsync(new LfrNodeSettings
        {
            Role = LfrRole.ControlRoom,
            Tls = TestCertificates.Tls(controlRoomCertificate.Path, controlRoomCertificate.Thumbprint),
        });
        var members = CreateTestProbe(controlRoom.System);
        controlRoom.Cluster.Subscribe(members.Ref, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent));
        await members.ExpectMsgAsync<ClusterEvent.MemberUp>(m => m.Member.Address == controlRoom.Address, TimeSpan.FromSeconds(20));

        // the stranger trusts the control room, but the control room does not trust it
        await using var stranger = await LfrTestNode.StartAsync(new LfrNodeSettings
        {
            Role = LfrRole.Van,
            Seeds = [controlRoom.Address.ToString()],
            Tls = TestCertificates.Tls(strangerCertificate.Path, controlRoomCertificate.Thumbprint, strangerCertificate.Thumbprint),
        });

        // several join attempts fit in this window (seed-node retries every few seconds)
        await members.ExpectNoMsgAsync(TimeSpan.FromSeconds(8));
        Assert.Single(controlRoom.Cluster.State.Members);
        Assert.NotEqual(MemberStatus.Up, stranger.Cluster.SelfMember.Status);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _certificates.Dispose();
    }
}
