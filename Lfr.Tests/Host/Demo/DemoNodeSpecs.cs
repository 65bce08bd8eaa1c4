using Akka.Actor;
using Akka.Hosting;
using Lfr.Actors.Cluster;
using Lfr.Actors.Console.Health;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.LiveView;
using Lfr.Actors.Van.Assignment;
using Lfr.Actors.Van.Cameras;
using Lfr.Actors.Van.Outbox;
using Lfr.Host.Demo;
using Lfr.Host.Web.Live;
using Lfr.Tests.Actors.ControlRoom;
using Lfr.Tests.Actors.Van;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Lfr.Tests.Host.Demo;

/// <summary>The demo node's composition, in this process: every role in one member, the van following the control room.</summary>
[Collection(VanCollection.Name)]
public sealed class DemoNodeSpecs(VanEngine van, ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Demo_node_should_be_one_member_with_every_role_whose_van_and_console_find_its_control_room()
    {
        using var data = new TempFolder();
        using var host = await StartAsync(data);
        try
        {
            var cluster = Akka.Cluster.Cluster.Get(host.Services.GetRequiredService<ActorSystem>());
            var registry = host.Services.GetRequiredService<ActorRegistry>();
            await AwaitAssertAsync(() =>
            {
                var member = Assert.Single(cluster.State.Members);
                Assert.Equal(Akka.Cluster.MemberStatus.Up, member.Status);
                Assert.Superset(DemoNodeHostingExtensions.Roles.ToHashSet(), member.Roles.ToHashSet());
            }, TimeSpan.FromSeconds(30));

            // the van's outbox delivers to the control room it finds through membership: this very node
            await AwaitAssertAsync(async () => Assert.Equal(cluster.SelfAddress,
                (await registry.Get<AlertOutbox>().Ask<OutboxProtocol.OutboxStatus>(OutboxProtocol.GetOutboxStatus.Instance, AskTimeout)).ControlRoom),
                TimeSpan.FromSeconds(30));
            // and the console hears the node's health reports, as it would a van's across the network
            await AwaitAssertAsync(async () =>
            {
                var view = await registry.Get<NodeHealthMonitor>().Ask<NodeHealthProtocol.NodeHealthView>(NodeHealthProtocol.GetNodeHealth.Instance, AskTimeout);
                Assert.Equal(cluster.SelfAddress.ToString(), Assert.Single(view.Nodes).Report.Address);
            }, TimeSpan.FromSeconds(30));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Demo_deployment_should_reach_the_van_through_the_control_rooms_watchlist_channel()
    {
        using var data = new TempFolder();
        using var cast = DemoCast.Choose(van.Engine, van.Calibration.CosineAt(0.6f), DemoCast.FindLfw());
        using var host = await StartAsync(data);
        var registry = host.Services.GetRequiredService<ActorRegistry>();

        var prepared = await DemoDeployment.PrepareAsync(registry, data.Path, cast, DemoStaff.Create(), walkthrough: false, TimeProvider.System);

        Assert.Equal(DeploymentStatus.Live, prepared.State.Status);
        // the control room enrolled the file images and sent the embeddings to the van, which verified and holds them
        await AwaitAssertAsync(async () =>
        {
            var held = await registry.Get<VanAssignmentActor>().Ask<AssignmentProtocol.AssignmentStatus>(AssignmentProtocol.GetAssignment.Instance, AskTimeout);
            Assert.Equal(prepared.State.Id.Value, held.Deployment?.Value);
            Assert.Equal(prepared.State.Plan!.Watchlist.Value, held.Watchlist);
            Assert.Equal(cast.Watchlist.Count, held.Entries);
        }, TimeSpan.FromSeconds(30));
        await host.StopAsync();
    }

    [Fact]
    public async Task Demo_live_view_should_come_from_the_vans_relay_through_the_hub_as_on_a_control_room()
    {
        using var data = new TempFolder();
        using var cast = DemoCast.Choose(van.Engine, van.Calibration.CosineAt(0.6f), DemoCast.FindLfw());
        using var host = await StartAsync(data);
        try
        {
            var registry = host.Services.GetRequiredService<ActorRegistry>();
            await DemoDeployment.PrepareAsync(registry, data.Path, cast, DemoStaff.Create(), walkthrough: false, TimeProvider.System);
            var camera = DemoScene.Specs(cast)[0];
            registry.Get<VanCameras>().Tell(new CameraSupervisorProtocol.StartCamera(camera));

            // what the web reads: the hub, which heard the camera from the relay and asks it for frames while someone looks
            var live = new HubLiveView(registry);
            var name = DemoScene.Deployed(camera.Id).Value;
            await AwaitAssertAsync(async () => Assert.Contains(await live.GetCamerasAsync(CancellationToken.None), c => c.Camera.Value == name),
                TimeSpan.FromSeconds(30));
            var frame = await AwaitFrameAsync(live, name);
            Assert.Equal([0xFF, 0xD8], frame.Jpeg[..2]);
            // the relay's limit, not the pipeline's: a frame fits a remote message
            Assert.InRange(frame.Jpeg.Length, 1, new LiveViewSettings().MaxFrameBytes);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static async Task<LiveFrame> AwaitFrameAsync(HubLiveView live, string camera)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (await live.GetLatestFrameAsync(camera, CancellationToken.None) is { } frame) return frame;
            Assert.True(DateTime.UtcNow < deadline, $"no live frame of {camera} through the hub");
            await Task.Delay(250);
        }
    }

    private async Task<IHost> StartAsync(TempFolder data)
    {
        var host = new HostBuilder()
            .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .ConfigureServices(services => services.AddAkka(LfrNodeSettings.DefaultClusterName, akka => akka
                .WithLfrDemo(new DemoNodeOptions(data.Path, van.Engine), TimeProvider.System)
                .AddHocon("lfr.cluster.health-report-interval = 300ms", HoconAddMode.Prepend)))
            .Build();
        await host.StartAsync();
        return host;
    }
}
