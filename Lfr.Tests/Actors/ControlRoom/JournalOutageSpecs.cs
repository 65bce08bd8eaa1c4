using System.Diagnostics;
using Akka.Actor;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Alerts;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Officers;
using Lfr.Actors.ControlRoom.Persistence;
using Lfr.Actors.ControlRoom.Retention;
using Lfr.Actors.ControlRoom.Watchlists;
using Lfr.Actors.Van;
using Lfr.Actors.Van.Outbox;
using Lfr.Tests.Fixtures;
using Lfr.Vision.Watchlists;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;
using AlertId = Lfr.Actors.ControlRoom.Alerts.AlertId;
using DeploymentId = Lfr.Actors.ControlRoom.Deployments.DeploymentId;
using VanAlerts = Lfr.Actors.Van.Pipeline.AlertProtocol;

namespace Lfr.Tests.Actors.ControlRoom;

/// <summary>
/// The journal's PostgreSQL server stopped during a live deployment and started again, under a running control room:
/// every actor comes back by itself, image views are refused while the audit log cannot write and recorded only when
/// shown, an alert sent meanwhile waits with its van (resent as the outbox does) and is stored once, and the audit chain
/// has no gap. 8 s of outage in the suite; 60 s with <c>LFR_BENCH=1</c> (the figure in docs/benchmarks.md).
/// </summary>
public sealed class JournalOutageSpecs : Akka.TestKit.Xunit2.TestKit
{
    private readonly ITestOutputHelper _output;
    private readonly ThrowAwayPostgres _server;
    private readonly TempFolder _folder = new();

    // xunit constructs the class only for a test that runs, so a skipped run starts no server
    public JournalOutageSpecs(ITestOutputHelper output) : this(ThrowAwayPostgres.Start(), output) { }

    private JournalOutageSpecs(ThrowAwayPostgres server, ITestOutputHelper output)
        : base(ControlRoomTestStorage.SystemConfig(new ControlRoomStorage.PostgreSql(server.Connection)), output: output)
    {
        _server = server;
        _output = output;
    }

    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);
    private static readonly StaffId Operator = new("OP1");

    private static TimeSpan Outage => Environment.GetEnvironmentVariable("LFR_BENCH") == "1" ? TimeSpan.FromSeconds(60) : TimeSpan.FromSeconds(8);

    [PostgresFact]
    public async Task ControlRoom_should_come_back_by_itself_after_its_database_was_stopped_and_lose_nothing()
    {
        var server = _server;
        var clock = new FakeTimeProvider(ControlRoomSpec.Morning);
        var options = new ControlRoomOptions(_folder.Path) { Storage = new ControlRoomStorage.PostgreSql(server.Connection) };
        {
            var room = ControlRoomActors.Start(Sys, options, clock, FileImages.Engine);
            var deployment = new DeploymentId("d-outage");
            var officer = new OfficerId("PC1");
            await LiveDeployment.StartAsync(room, deployment, new WatchlistId("wl-outage"), TimeSpan.FromSeconds(30), 0, 1);
            await room.Officers.Ask<OfficerState>(new OfficerProtocol.GoOnDuty(officer), AskTimeout);

            var before = Candidate(deployment, "E1");
            await DeliverAsync(room.Intake, before, TimeSpan.FromSeconds(20));
            var beforeAlert = new AlertId(before.Id.Value.ToString("N"));
            var beforeImage = (await Alert(room, deployment, beforeAlert)).Captures.Single().Image;
            var shown = 0;
            Assert.NotNull(await View(room, deployment, beforeAlert, beforeImage));
            shown++;

            server.Stop();
            var stopped = Stopwatch.StartNew();
            // the van's alert during the outage: its outbox sends it again every 3 s until the control room stores it
            var during = Candidate(deployment, "E2");
            var delivery = DeliverAsync(room.Intake, during, Outage + TimeSpan.FromSeconds(90));
            room.Audit.Tell(new AuditProtocol.Record(AuditKind.ImagesPurged, "system", null, "captures", "count=0;during=outage"));

            await AwaitAssertAsync(async () =>
            {
                // refused at once: by the desk (the audit log cannot write) or by its supervisor (the desk's journal is down)
                var refused = await Assert.ThrowsAnyAsync<Exception>(() => View(room, deployment, beforeAlert, beforeImage));
                Assert.True(refused is InvalidOperationException or JournalUnavailableException, refused.ToString());
                var health = await room.Audit.Ask<AuditProtocol.Health>(AuditProtocol.GetHealth.Instance, AskTimeout);
                Assert.False(health.Writing);
            }, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1));
            Assert.False(delivery.IsCompleted);

            var left = Outage - stopped.Elapsed;
            if (left > TimeSpan.Zero) await Task.Delay(left); // the outage's length is the scenario, not a wait for a condition
            Assert.False(delivery.IsCompleted);
            server.StartAgain();
            var restarted = Stopwatch.StartNew();

            await delivery;
            var alertBack = restarted.Elapsed;
            await AwaitAssertAsync(async () =>
            {
                var health = await room.Audit.Ask<AuditProtocol.Health>(AuditProtocol.GetHealth.Instance, AskTimeout);
                Assert.True(health.Writing);
                Assert.Equal(0, health.Waiting);
            }, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1));
            var duringAlert = new AlertId(during.Id.Value.ToString("N"));
            var duringImage = (await Alert(room, deployment, duringAlert)).Captures.Single().Image;
            await AwaitAssertAsync(async () => Assert.NotNull(await View(room, deployment, duringAlert, duringImage)), TimeSpan.FromSeconds(30));
            shown++;
            var allBack = restarted.Elapsed;

            // every actor answers again without a restart of the system: deployments, officers, the desk, the audit log
            Assert.Equal(DeploymentStatus.Live, (await room.Deployments.Ask<DeploymentState>(new DeploymentProtocol.GetDeployment(deployment), AskTimeout)).Status);
            Assert.True((await room.Officers.Ask<OfficerState>(new OfficerProtocol.GetOfficer(officer), AskTimeout)).OnDuty);
            var queue = await room.Alerts.Ask<AlertProtocol.Queue>(new AlertProtocol.GetQueue(deployment), AskTimeout);
            Assert.Equal(new[] { beforeAlert.Value, duringAlert.Value }.Order(), queue.Alerts.Select(a => a.Id.Value).Order());

            var trail = await room.Audit.Ask<AuditProtocol.Trail>(new AuditProtocol.GetTrail(), AskTimeout);
            Assert.Equal(AuditVerification.Intact, AuditChain.Verify(trail.Entries, AuditKey.Default, trail.Head));
            Assert.Equal(Enumerable.Range(1, trail.Entries.Count).Select(i => (long)i), trail.Entries.Select(e => e.Sequence));
            Assert.Single(trail.Entries, e => e.Detail.Contains("during=outage", StringComparison.Ordinal));
            Assert.Single(trail.Entries, e => e.Kind == AuditKind.AlertRaised && e.Subject == duringAlert.Value);
            // a view refused is not recorded as seen
            Assert.Equal(shown, trail.Entries.Count(e => e.Kind == AuditKind.ImageViewed));
            _output.WriteLine($"outage {Outage.TotalSeconds:0} s: the alert held by the van stored {alertBack.TotalSeconds:0.0} s after the database " +
                $"was back, image views and every actor {allBack.TotalSeconds:0.0} s after");
        }
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        Sys.Terminate().Wait(TimeSpan.FromSeconds(10));
        _server.Dispose();
        _folder.Dispose();
    }

    private static VanAlerts.AlertCandidate Candidate(DeploymentId deployment, string entry) =>
        new(new Lfr.Actors.Van.AlertId(Guid.NewGuid()), new Lfr.Actors.Van.DeploymentId(deployment.Value), new CameraId("van-1/cam-a"),
            new TrackId(1), new WatchlistEntryId(entry), WatchlistCategory.CourtWarrant, 0.81f, "model", "calibration",
            ControlRoomSpec.Morning.AddMinutes(5), TimeSpan.Zero, FileImages.Face(5));

    /// <summary>As the van's outbox delivers: sent, and sent again every 3 s, until the control room says it is stored.</summary>
    private static async Task DeliverAsync(IActorRef intake, VanAlerts.AlertCandidate candidate, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < within)
        {
            try
            {
                var answer = await intake.Ask<object>(candidate, TimeSpan.FromSeconds(3));
                if (answer is OutboxProtocol.AlertStored stored && stored.Id == candidate.Id) return;
                throw new InvalidOperationException($"the control room answered {answer}");
            }
            catch (AskTimeoutException)
            {
                // not stored yet: the outbox keeps it and sends it again
            }
        }

        throw new TimeoutException($"alert {candidate.Id} not stored within {within}");
    }

    private static Task<AlertView> Alert(ControlRoomActors room, DeploymentId deployment, AlertId alert) =>
        room.Alerts.Ask<AlertView>(new AlertProtocol.GetAlert(deployment, alert), AskTimeout);

    private static async Task<byte[]?> View(ControlRoomActors room, DeploymentId deployment, AlertId alert, ImageRef image)
    {
        var answer = await room.Alerts.Ask<object>(new AlertProtocol.ViewImage(deployment, alert, image, Operator), TimeSpan.FromSeconds(5));
        return answer switch
        {
            AlertProtocol.ImageView view => view.Jpeg,
            AlertProtocol.Refused refused => throw new InvalidOperationException(refused.Reason),
            Status.Failure failure => throw failure.Cause,
            _ => throw new InvalidOperationException($"answered {answer}"),
        };
    }
}
