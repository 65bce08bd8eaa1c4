using Akka.Actor;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Persistence;
using Lfr.Actors.ControlRoom.Watchlists;
using Lfr.Tests.Actors.ControlRoom;

namespace Lfr.Tests.Host.Cli;

public sealed class ReportCommandSpecs
{
    [Fact]
    public async Task Report_should_print_the_deployments_return_from_the_control_room_data_folder()
    {
        using var folder = new TempFolder();
        var options = new ControlRoomOptions(folder.Path);
        var system = ActorSystem.Create("report-spec", ControlRoomTestStorage.SystemConfig(options.EffectiveStorage));
        try
        {
            var actors = ControlRoomActors.Start(system, options, TimeProvider.System);
            var id = new DeploymentId("lewisham-0302");
            var start = DateTimeOffset.UtcNow.AddHours(-1);
            var plan = new DeploymentPlan(new Place("Lewisham High Street", 51.4613, -0.0106), new TimeWindow(start, start.AddHours(4)),
                ["van-1/cam-a"], "Locate people wanted on warrant", new WatchlistId("wl-1"), 0.6);
            var timeout = TimeSpan.FromSeconds(20);
            await actors.Deployments.Ask<DeploymentState>(new DeploymentProtocol.PlanDeployment(id, plan, new StaffId("PS300")), timeout);
            var state = await actors.Deployments.Ask<DeploymentState>(
                new DeploymentProtocol.Authorise(id, new Signatory(new StaffId("S100"), "Superintendent")), timeout);
            Assert.Equal(DeploymentStatus.Authorised, state.Status);
        }
        finally
        {
            await system.Terminate();
        }

        using var lfr = new LfrProcess();
        var markdown = lfr.Run("report", "lewisham-0302", "--data", folder.Path);
        Assert.True(markdown.ExitCode == 0, markdown.ToString());
        Assert.Contains("# LFR deployment return: lewisham-0302", markdown.StdOut);
        Assert.Contains("Lewisham High Street", markdown.StdOut);
        Assert.Contains("Authorised", markdown.StdOut);
        Assert.DoesNotContain("[INFO]", markdown.StdOut);

        var json = lfr.Run("report", "lewisham-0302", "--data", folder.Path, "--json");
        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.Equal(0, json.Json.GetProperty("alerts").GetInt32());
        Assert.Equal("lewisham-0302", json.Json.GetProperty("deployment").GetString());

        var missing = lfr.Run("report", "nowhere", "--data", folder.Path);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("no deployment 'nowhere'", missing.StdErr);
    }
}
