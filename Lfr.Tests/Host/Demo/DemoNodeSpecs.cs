using Akka.Actor;
using Akka.Hosting;
using Lfr.Actors.Cluster;
using Lfr.Actors.Console.Health;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.Van.Assignment;
using Lfr.Actors.Van.Outbox;
using Lfr.Host.Demo;
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

    private async Task<IHost> StartAsync(TempFolder data)
    {
        var host = new HostBuilder()
            .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .ConfigureServices(services => services.AddAkka(LfrNodeSettings.DefaultClusterName, akka => akka
                .WithLfrDemo(new DemoNodeOptions(data.Path, van.Engine, van.Settings), TimeProvider.System)
                .AddHocon("lfr.cluster.health-report-interval = 300ms", HoconAddMode.Prepend)))
            .Build();
        await host.StartAsync();
        return host;
    }
}
