using Akka.Actor;
using Akka.Hosting;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Actors.ControlRoom.Deployments;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Lfr.Tests.Actors.ControlRoom;

/// <summary>The control-room role as a host composes it: <c>WithLfrControlRoom</c> on Akka.Hosting.</summary>
public sealed class ControlRoomHostingSpecs
{
    [Fact]
    public async Task Hosting_should_start_the_control_room_on_its_sqlite_journal_and_register_its_actors()
    {
        using var folder = new TempFolder();
        var clock = new FakeTimeProvider(ControlRoomSpec.Morning);
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Services.AddAkka("control-room", akka => akka.WithLfrControlRoom(new ControlRoomOptions(folder.Path), clock));
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var registry = host.Services.GetRequiredService<ActorRegistry>();
            var deployments = await registry.GetAsync<DeploymentsActor>();
            var id = new DeploymentId("d-hosted");
            var plan = new DeploymentPlan(new Place("Lewisham", 51.46, -0.01),
                new TimeWindow(ControlRoomSpec.Morning, ControlRoomSpec.Morning.AddHours(1)), ["van-1/cam-a"], "Warrants", new("wl-1"), Case: Readiness.Case);
            var state = await deployments.Ask<DeploymentState>(new DeploymentProtocol.PlanDeployment(id, plan, new StaffId("PS1")), TimeSpan.FromSeconds(10));
            Assert.Equal(DeploymentStatus.Draft, state.Status);

            var audit = await registry.GetAsync<AuditLogActor>();
            var trail = await audit.Ask<AuditProtocol.Trail>(new AuditProtocol.GetTrail("d-hosted"), TimeSpan.FromSeconds(10));
            Assert.Equal(AuditKind.DeploymentPlanned, trail.Entries.Single().Kind);
            Assert.True(File.Exists(Path.Combine(folder.Path, "journal.db")));
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
