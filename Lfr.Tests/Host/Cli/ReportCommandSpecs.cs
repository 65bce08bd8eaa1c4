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
                ["van-1/cam-a"], "Locate people wanted on warrant", new WatchlistId("wl-1"), 0.6, Case: Readiness.Case);
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

    [Fact]
    public async Task Report_should_give_a_periods_returns_for_an_area_as_csv_and_json()
    {
        using var folder = new TempFolder();
        var options = new ControlRoomOptions(folder.Path);
        var system = ActorSystem.Create("report-period-spec", ControlRoomTestStorage.SystemConfig(options.EffectiveStorage));
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        try
        {
            var actors = ControlRoomActors.Start(system, options, TimeProvider.System);
            var timeout = TimeSpan.FromSeconds(20);
            foreach (var (id, place) in new[] { ("lewisham-a", "Lewisham High Street"), ("croydon-b", "Croydon North End") })
                await actors.Deployments.Ask<DeploymentState>(new DeploymentProtocol.PlanDeployment(new DeploymentId(id),
                    new DeploymentPlan(new Place(place, 51.4, -0.1), new TimeWindow(start, start.AddHours(4)), ["van-1/cam-a"], "Locate people wanted on warrant",
                        new WatchlistId("wl-" + id), 0.6, Case: Readiness.Case), new StaffId("PS300")), timeout);
            // the period's deployments are found in the audit trail: wait until both plans are written there
            await AwaitTrailAsync(actors, 2);
        }
        finally
        {
            await system.Terminate();
        }

        using var lfr = new LfrProcess();
        var from = start.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var to = start.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var csv = lfr.Run("report", "--from", from, "--to", to, "--area", "lewisham", "--csv", "--data", folder.Path);
        Assert.True(csv.ExitCode == 0, csv.ToString());
        var rows = csv.StdOut.Trim().Split('\n');
        Assert.Equal(3, rows.Length);
        Assert.StartsWith("deployment,place,window_start,window_end,status,alerts,true_alerts,false_alerts", rows[0]);
        Assert.StartsWith("lewisham-a,Lewisham High Street,", rows[1]);
        Assert.StartsWith("TOTAL,lewisham," + from + "," + to, rows[2]);

        var json = lfr.Run("report", "--from", from, "--to", to, "--json", "--data", folder.Path);
        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.Equal(2, json.Json.GetProperty("deployments").GetArrayLength());
        Assert.Equal(0, json.Json.GetProperty("totals").GetProperty("alerts").GetInt32());

        var before = lfr.Run("report", "--from", "2020-01-01", "--to", "2020-01-02", "--json", "--data", folder.Path);
        Assert.Equal(0, before.Json.GetProperty("deployments").GetArrayLength());
        var backwards = lfr.Run("report", "--from", to, "--to", from, "--data", folder.Path);
        Assert.Equal(2, backwards.ExitCode);
        Assert.Contains("before --from", backwards.StdErr);
    }

    private static async Task AwaitTrailAsync(ControlRoomActors actors, int planned)
    {
        for (var i = 0; i < 200; i++)
        {
            var trail = await actors.Audit.Ask<Lfr.Actors.ControlRoom.Audit.AuditProtocol.Trail>(new Lfr.Actors.ControlRoom.Audit.AuditProtocol.GetTrail(), TimeSpan.FromSeconds(20));
            if (trail.Entries.Count(e => e.Kind == Lfr.Actors.ControlRoom.Audit.AuditKind.DeploymentPlanned) >= planned) return;
            await Task.Delay(50);
        }

        throw new TimeoutException("the plans did not reach the audit trail");
    }
}
