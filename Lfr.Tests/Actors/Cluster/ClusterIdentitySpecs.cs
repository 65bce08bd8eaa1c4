using Akka.Actor;
using Akka.Hosting;
using Akka.TestKit;
using Lfr.Actors.Cluster;
using Lfr.Actors.Cluster.Credentials;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Watchlists;
using Lfr.Actors.LiveView;
using Lfr.Actors.Van.Assignment;
using Xunit.Abstractions;
using static Lfr.Actors.Van.Assignment.AssignmentProtocol;

namespace Lfr.Tests.Actors.Cluster;

/// <summary>
/// A member acts only as the van its certificate names: another van's watchlist is not sent to it, and its reports for
/// another van's cameras are refused, while its own go through.
/// </summary>
public sealed class ClusterIdentitySpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);
    private readonly TestCertificates _force = new();

    [Fact]
    public async Task A_van_should_neither_get_another_vans_assignment_nor_report_as_another_van()
    {
        var deployments = CreateTestProbe();
        var watchlists = CreateTestProbe();
        var audit = CreateTestProbe();
        await using var controlRoom = await LfrTestNode.StartAsync(new LfrNodeSettings
        {
            Role = LfrRole.ControlRoom,
            Tls = TestCertificates.Tls(_force.Issue(LfrRole.ControlRoom, "control-room-1")),
        }, LfrTestNode.FastFailureDetection, akka => akka.WithActors((system, _) =>
            system.ActorOf(VanDispatchActor.Props(AssignmentSigner.Create(), deployments.Ref, watchlists.Ref, audit.Ref), DispatchName)));
        await deployments.ExpectMsgAsync<DeploymentProtocol.GetOpenDeployments>(Generous);
        deployments.Reply(new DeploymentProtocol.OpenDeployments([]));
        // van-1's deployment is live: its watchlist goes to van-1 and to nobody else
        controlRoom.System.EventStream.Publish(new DeploymentProtocol.DeploymentStarted(new DeploymentId("d-1"), new WatchlistId("wl-1"), 0.6,
            ["van-1/cam-a"], DateTimeOffset.UtcNow.AddHours(8)));

        await using var van2 = await VanAsync("van-2", controlRoom);
        var dispatch = van2.System.ActorSelection(new RootActorPath(controlRoom.Address) / "user" / DispatchName);
        var asVan2 = CreateTestProbe(van2.System);

        dispatch.Tell(new VanHello("van-1"), asVan2.Ref);
        await watchlists.ExpectNoMsgAsync(TimeSpan.FromSeconds(2));
        await asVan2.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        // as itself, it is answered: nothing covers van-2
        dispatch.Tell(new VanHello("van-2"), asVan2.Ref);
        Assert.Null((await asVan2.ExpectMsgAsync<DropAssignment>(Generous)).Watchlist);

        await using var van1 = await VanAsync("van-1", controlRoom);
        van1.System.ActorSelection(new RootActorPath(controlRoom.Address) / "user" / DispatchName).Tell(new VanHello("van-1"), CreateTestProbe(van1.System).Ref);
        Assert.Equal("van-1", (await watchlists.ExpectMsgAsync<WatchlistProtocol.LoadWatchlist>(Generous)).Node);

        // camera health: van-2's own cameras only
        var hub = ((ExtendedActorSystem)van2.System).Provider.ResolveActorRef(new RootActorPath(controlRoom.Address) / "user" / LiveViewHub.Name);
        hub.Tell(new LiveViewProtocol.CameraHealthUpdate("van-1", WireSamples.Health(lastError: null)), asVan2.Ref);
        hub.Tell(new LiveViewProtocol.CameraHealthUpdate("van-2", WireSamples.Health(lastError: null)), asVan2.Ref);
        var localHub = await controlRoom.Registry.GetAsync<LiveViewHub>();
        await AwaitAssertAsync(async () =>
        {
            var cameras = (await localHub.Ask<LiveViewProtocol.Cameras>(LiveViewProtocol.GetCameras.Instance, TimeSpan.FromSeconds(3))).All;
            Assert.Equal(["van-2/cam-b"], cameras.Select(c => c.Key.ToString()));
        }, Generous, TimeSpan.FromMilliseconds(300));
    }

    /// <summary>A van node with its own certificate, once the control room has bound it to that certificate.</summary>
    private async Task<LfrTestNode> VanAsync(string name, LfrTestNode controlRoom)
    {
        var van = await LfrTestNode.StartAsync(new LfrNodeSettings
        {
            Role = LfrRole.Van,
            Seeds = [controlRoom.Address.ToString()],
            Tls = TestCertificates.Tls(_force.Issue(LfrRole.Van, name)),
        }, LfrTestNode.FastFailureDetection);
        await AwaitAssertAsync(() => Assert.Equal(new NodeIdentity(LfrRole.Van, name), PeerIdentities.Get(controlRoom.System).Of(van.Address)),
            TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200));
        return van;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _force.Dispose();
    }
}
