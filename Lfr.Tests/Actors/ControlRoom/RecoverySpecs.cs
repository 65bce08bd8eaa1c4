using Akka.Actor;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Alerts;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Officers;
using Lfr.Actors.ControlRoom.Persistence;
using Lfr.Actors.ControlRoom.Watchlists;
using Lfr.Tests.Fixtures;
using Lfr.Vision.Watchlists;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Lfr.Tests.Actors.ControlRoom;

/// <summary>
/// The whole control room stopped and started again on the same storage, as after a process restart: everything
/// acknowledged before the stop is there after it. Runs on SQLite always and on PostgreSQL when a server was started.
/// </summary>
public sealed class RecoverySpecs : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public RecoverySpecs(ITestOutputHelper output) : base("akka.test.single-expect-default = 10s", output: output) { }

    [Fact]
    public Task ControlRoom_should_recover_deployments_alerts_officers_and_audit_after_a_restart_on_sqlite() =>
        RestartAndCompare(folder => new ControlRoomStorage.SqliteFile(folder.File("journal.db")));

    [PostgresFact]
    public async Task ControlRoom_should_recover_deployments_alerts_officers_and_audit_after_a_restart_on_postgresql()
    {
        // a database of its own: the audit chain it verifies is this run's alone (other specs write theirs under other keys)
        await using var database = await ScratchDatabase.CreateAsync(ControlRoomTestStorage.PostgresConnection!);
        await RestartAndCompare(_ => new ControlRoomStorage.PostgreSql(database.Connection));
    }

    private async Task RestartAndCompare(Func<TempFolder, ControlRoomStorage> storageIn)
    {
        using var folder = new TempFolder();
        // a database shared between runs (PostgreSQL) needs ids of this run's own
        var run = Guid.NewGuid().ToString("N")[..8];
        var deployment = new DeploymentId("d-" + run);
        var watchlist = new WatchlistId("wl-" + run);
        var officer = new OfficerId("PC-" + run);
        var alert = new AlertId("a-" + run);
        var clock = new FakeTimeProvider(ControlRoomSpec.Morning);
        var options = new ControlRoomOptions(folder.Path) { Storage = storageIn(folder) };

        var first = ActorSystem.Create("before", ControlRoomTestStorage.SystemConfig(options.EffectiveStorage));
        var room = ControlRoomActors.Start(first, options, clock, FileImages.Engine);
        await room.Watchlists.Ask<WatchlistProtocol.WatchlistBuilt>(new WatchlistProtocol.BuildWatchlist(
            watchlist, new DateOnly(2026, 3, 2), deployment, new StaffId("WM1"),
            [new WatchlistEntryDraft(new("E1"), WatchlistCategory.CourtWarrant, "Failed to appear: theft", "Bromley Magistrates",
                new DateOnly(2025, 11, 3), new StaffId("WM1"), "PNC/1", FileImages.Face(0))]), Timeout);
        var plan = new DeploymentPlan(new Place("Catford Broadway", 51.445, -0.020),
            new TimeWindow(ControlRoomSpec.Morning, ControlRoomSpec.Morning.AddHours(8)), ["van-1/cam-a"], "Warrants", watchlist, Case: Readiness.Case);
        await room.Deployments.Ask<DeploymentState>(new DeploymentProtocol.PlanDeployment(deployment, plan, new StaffId("PS300")), Timeout);
        await room.Deployments.Ask<DeploymentState>(new DeploymentProtocol.Authorise(deployment, new(new("S100"), "Superintendent")), Timeout);
        await room.Deployments.Ask<DeploymentState>(new DeploymentProtocol.Approve(deployment, new(new("C200"), "Chief Superintendent")), Timeout);
        await Readiness.PrepareAsync(room.Deployments, deployment, new StaffId("PS300"), Timeout);
        var live = await room.Deployments.Ask<DeploymentState>(new DeploymentProtocol.GoLive(deployment, new StaffId("PS300")), Timeout);
        await room.Officers.Ask<OfficerState>(new OfficerProtocol.GoOnDuty(officer), Timeout);
        await room.Alerts.Ask<AlertProtocol.CandidateAccepted>(new AlertProtocol.AlertCandidate(
            alert, deployment, watchlist, new("E1"), WatchlistCategory.CourtWarrant, 0.81, "van-1/cam-a", ControlRoomSpec.Morning, [9, 9, 9]), Timeout);
        await AwaitAssertAsync(async () => Assert.NotNull(
            (await room.Alerts.Ask<AlertView>(new AlertProtocol.GetAlert(deployment, alert), Timeout)).Record));
        var confirmed = await room.Alerts.Ask<AlertView>(new AlertProtocol.Confirm(deployment, alert, new StaffId("OP1"), [officer]), Timeout);
        await AwaitAssertAsync(async () => Assert.NotNull(
            (await room.Officers.Ask<OfficerState>(new OfficerProtocol.GetOfficer(officer), Timeout)).Current));
        var acknowledged = await room.Officers.Ask<OfficerState>(new OfficerProtocol.Acknowledge(officer, confirmed.Taskings.Single()), Timeout);
        var trail = await room.Audit.Ask<AuditProtocol.Trail>(new AuditProtocol.GetTrail(), Timeout);
        await first.Terminate();

        var second = ActorSystem.Create("after", ControlRoomTestStorage.SystemConfig(options.EffectiveStorage));
        try
        {
            var again = ControlRoomActors.Start(second, options, clock);
            var deploymentAfter = await again.Deployments.Ask<DeploymentState>(new DeploymentProtocol.GetDeployment(deployment), Timeout);
            Assert.Equal(DeploymentStatus.Live, deploymentAfter.Status);
            Assert.Equal(live.LiveAt, deploymentAfter.LiveAt);
            Assert.Equal(live.SignageConfirmedBy, deploymentAfter.SignageConfirmedBy);
            Assert.Equal(live.Authorisations, deploymentAfter.Authorisations);
            Assert.Equal(live.Approvals, deploymentAfter.Approvals);
            Assert.Equal(live.Plan! with { Cameras = [] }, deploymentAfter.Plan! with { Cameras = [] });
            Assert.Equal(live.Plan.Cameras, deploymentAfter.Plan.Cameras);

            var alertAfter = await again.Alerts.Ask<AlertView>(new AlertProtocol.GetAlert(deployment, alert), Timeout);
            Assert.Equal(AlertStatus.Confirmed, alertAfter.Status);
            Assert.Equal(confirmed.Captures, alertAfter.Captures);
            Assert.Equal(confirmed.Confirmations, alertAfter.Confirmations);
            Assert.Equal(confirmed.Taskings, alertAfter.Taskings);

            // the handset's tasking details were never journalled: they come back from the watchlist, which is still held
            await AwaitAssertAsync(async () =>
            {
                var officerAfter = await again.Officers.Ask<OfficerState>(new OfficerProtocol.GetOfficer(officer), Timeout);
                Assert.Equal(TaskingStatus.Acknowledged, officerAfter.Current!.Status);
                Assert.Equal(acknowledged.Current!.AcknowledgedAt, officerAfter.Current.AcknowledgedAt);
                Assert.Equal("Failed to appear: theft", officerAfter.Current.Tasking.Record?.Reason);
            });

            var trailAfter = await again.Audit.Ask<AuditProtocol.Trail>(new AuditProtocol.GetTrail(), Timeout);
            Assert.Equal(trail.Entries, trailAfter.Entries.Take(trail.Entries.Count));
            Assert.Equal(AuditVerification.Intact, AuditChain.Verify(trailAfter.Entries, AuditKey.Default));
        }
        finally
        {
            await second.Terminate();
        }
    }
}
