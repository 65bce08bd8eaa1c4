using Akka.Actor;
using Akka.Hosting;
using Lfr.Actors.Cluster;
using Lfr.Actors.Console.Health;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Watchlists;
using Lfr.Actors.Van.Cameras;
using Lfr.Actors.Van.Outbox;
using Lfr.Host.Demo;
using Lfr.Tests.Actors.ControlRoom;
using Lfr.Tests.Actors.Van;
using Lfr.Tests.Vision.Matching;
using Lfr.Vision.Matching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Lfr.Tests.Host.Demo;

/// <summary>The demo node's composition, in this process: every role in one member, and the van following the control room.</summary>
[Collection(VanCollection.Name)]
public sealed class DemoNodeSpecs(VanEngine van, ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);
    private static readonly WatchlistIndex Index = WatchlistIndex.Build(RandomEmbeddings.Entries(3, new Random(7)), VectorStorage.Float32);

    [Fact]
    public async Task Demo_node_should_be_one_member_with_every_role_whose_van_and_console_find_its_control_room()
    {
        using var data = new TempFolder();
        using var host = new HostBuilder()
            .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .ConfigureServices(services => services.AddAkka(LfrNodeSettings.DefaultClusterName, akka => akka
                .WithLfrDemo(new DemoNodeOptions(data.Path, van.Engine, van.Settings, Index), TimeProvider.System)
                .AddHocon("lfr.cluster.health-report-interval = 300ms", HoconAddMode.Prepend)))
            .Build();
        await host.StartAsync();
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
    public void Demo_feed_should_start_the_van_when_the_demo_deployment_goes_live_and_stop_it_when_it_ends_or_is_wiped()
    {
        var vanCameras = CreateTestProbe("van");
        var feed = Sys.ActorOf(DemoVanFeed.Props(vanCameras.Ref, Index));
        var deployment = new DeploymentId("demo-1");
        var watchlist = new WatchlistId("demo-1-wl");
        var draft = DeploymentState.NotPlanned(deployment) with { Status = DeploymentStatus.Draft };

        // a draft starts nothing; the feed is subscribed once it has handled this
        feed.Tell(new DemoVanFeedProtocol.Follow(watchlist, draft));
        vanCameras.ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        // another deployment's watchlist is not the demo's: the van has no copy of it
        Sys.EventStream.Publish(new DeploymentProtocol.DeploymentStarted(new DeploymentId("other"), new WatchlistId("other-wl"), 0.6, ["van-1/cam-a"],
            DateTimeOffset.UtcNow.AddHours(1)));
        vanCameras.ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        Sys.EventStream.Publish(new DeploymentProtocol.DeploymentStarted(deployment, watchlist, 0.7, ["van-1/cam-a"], DateTimeOffset.UtcNow.AddHours(1)));
        var started = vanCameras.ExpectMsg<CameraSupervisorProtocol.DeploymentStarted>();
        Assert.Equal(deployment.Value, started.Deployment.Value);
        Assert.Equal(0.7f, started.Threshold);
        Assert.Same(Index, started.Watchlist);

        Sys.EventStream.Publish(new DeploymentProtocol.DeploymentThresholdChanged(deployment, 0.8));
        Assert.Equal(0.8f, vanCameras.ExpectMsg<CameraSupervisorProtocol.DeploymentStarted>().Threshold);

        Sys.EventStream.Publish(new WatchlistProtocol.WatchlistWipeOrdered(watchlist, DateTimeOffset.UtcNow));
        vanCameras.ExpectMsg<CameraSupervisorProtocol.WatchlistWiped>();

        Sys.EventStream.Publish(new DeploymentProtocol.DeploymentEnded(deployment, watchlist, DateTimeOffset.UtcNow));
        Assert.Equal(deployment.Value, vanCameras.ExpectMsg<CameraSupervisorProtocol.DeploymentEnded>().Deployment.Value);
    }
}
