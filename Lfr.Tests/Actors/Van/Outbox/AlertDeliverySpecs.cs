using System.Diagnostics.Metrics;
using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using Lfr.Actors.Cluster;
using Lfr.Actors.Console.Health;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Alerts;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Watchlists;
using Lfr.Actors.Telemetry;
using Lfr.Actors.Van;
using Lfr.Actors.Van.Outbox;
using Lfr.Host.Web.Console;
using Lfr.Tests.Actors.Cluster;
using Lfr.Tests.Actors.ControlRoom;
using Lfr.Tests.Fixtures;
using Lfr.Vision.Watchlists;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;
using CrAlertId = Lfr.Actors.ControlRoom.Alerts.AlertId;
using CrDeploymentId = Lfr.Actors.ControlRoom.Deployments.DeploymentId;
using VanAlerts = Lfr.Actors.Van.Pipeline.AlertProtocol;
using Lfr.Vision.Files;

namespace Lfr.Tests.Actors.Van.Outbox;

/// <summary>
/// Alerts from a van node to a control-room node over a real cluster on 127.0.0.1: persisted on the van first, stored
/// at the control room once, deleted from the van after, whichever side goes down in between.
/// </summary>
public sealed class AlertDeliverySpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private readonly ITestOutputHelper _output = output;
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(40);
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);
    private static readonly CrDeploymentId Deployment = new("catford-1");
    private static readonly WatchlistId Watchlist = new("wl-1");

    /// <summary>Redelivery is quick here so that a lost send costs a spec half a second, not three.</summary>
    private static readonly Config Hocon = LfrTestNode.FastFailureDetection;

    private readonly FakeTimeProvider _clock = new(ControlRoomSpec.Morning);

    [Fact]
    public async Task A_van_alert_should_be_stored_at_the_control_room_and_deleted_from_the_outbox()
    {
        using var data = new TempFolder();
        await using var controlRoom = await StartControlRoomAsync(data);
        await GoLiveAsync(controlRoom);
        await using var van = await StartVanAsync(data, "van.db", controlRoom.Address);

        var alert = Candidate(1);
        await RaiseAsync(van, alert);

        await AwaitAssertAsync(async () => Assert.Equal([Id(alert)], await QueueAsync(controlRoom)), Generous);
        var stored = await controlRoom.Registry.Get<AlertsActor>().Ask<AlertView>(new AlertProtocol.GetAlert(Deployment, new CrAlertId(Id(alert))), AskTimeout);
        var image = await controlRoom.Registry.Get<AlertsActor>().Ask<AlertProtocol.ImageView>(
            new AlertProtocol.ViewImage(Deployment, new CrAlertId(Id(alert)), stored.Captures.Single().Image, new StaffId("OP1")), AskTimeout);
        Assert.Equal(alert.FaceJpeg, image.Jpeg);
        await AwaitAssertAsync(async () => Assert.Equal(0, (await StatusAsync(van)).Pending), Generous);
        Assert.Empty(ReadOutbox(data.File("van.db")));
    }

    [Fact]
    public async Task Outbox_should_keep_alerts_while_the_control_room_is_down_and_drain_them_once_when_it_returns()
    {
        using var data = new TempFolder();
        var first = await StartControlRoomAsync(data);
        await GoLiveAsync(first);
        await using var van = await StartVanAsync(data, "van.db", first.Address);
        var before = Candidate(1);
        await RaiseAsync(van, before);
        await AwaitAssertAsync(async () => Assert.Equal(0, (await StatusAsync(van)).Pending), Generous);

        await first.DisposeAsync();
        await AwaitAssertAsync(async () => Assert.Null((await StatusAsync(van)).ControlRoom), Generous);
        // the van keeps recognising: every alert is acknowledged to the pipeline and kept
        var during = new[] { Candidate(2), Candidate(3), Candidate(4) };
        foreach (var alert in during) await RaiseAsync(van, alert);
        Assert.Equal(3, (await StatusAsync(van)).Pending);

        // the control room comes back on the same journal and finds the van's cluster again
        await using var second = await StartControlRoomAsync(data, seed: van.Address);

        await AwaitAssertAsync(async () => Assert.Equal(0, (await StatusAsync(van)).Pending), Generous);
        await AssertStoredOnceAsync(second, [before, .. during]);
        Assert.Empty(ReadOutbox(data.File("van.db")));
    }

    [Fact]
    public async Task Vans_health_report_should_show_its_outbox_filling_while_the_control_room_is_away_and_emptying_when_it_returns()
    {
        using var data = new TempFolder();
        var first = await StartControlRoomAsync(data);
        await GoLiveAsync(first);
        await using var console = await LfrTestNode.StartJoiningAsync(LfrRole.Console, first, Hocon);
        await using var van = await StartVanAsync(data, "van.db", first.Address);
        var monitor = await console.Registry.GetAsync<NodeHealthMonitor>();
        await AwaitOutboxAsync(monitor, van, pending: 0, oldestAgeMs: 0);

        await first.DisposeAsync();
        await AwaitAssertAsync(async () => Assert.Null((await StatusAsync(van)).ControlRoom), Generous);
        var during = new[] { Candidate(2), Candidate(3), Candidate(4) };
        foreach (var alert in during) await RaiseAsync(van, alert);
        // the oldest waiting alert was captured 20 minutes ago by the van's clock
        _clock.SetUtcNow(during[0].CapturedAt.AddMinutes(20));
        var late = await AwaitOutboxAsync(monitor, van, pending: 3, oldestAgeMs: (long)TimeSpan.FromMinutes(20).TotalMilliseconds);
        Assert.True(ConsoleEndpoints.IsOutboxLate(late.Counters), "the console shows the van red");

        await using var second = await StartControlRoomAsync(data, seed: van.Address);

        var drained = await AwaitOutboxAsync(monitor, van, pending: 0, oldestAgeMs: 0);
        Assert.False(ConsoleEndpoints.IsOutboxLate(drained.Counters));
        await AssertStoredOnceAsync(second, during);
    }

    [Fact]
    public async Task A_restarted_van_should_redeliver_its_outbox_and_the_control_room_should_store_each_alert_once()
    {
        using var data = new TempFolder();
        await using var controlRoom = await StartControlRoomAsync(data);
        await GoLiveAsync(controlRoom);
        // a van cut off from the start: its alerts are persisted and not delivered
        var crashing = ConfigurationFactory.ParseString("akka.coordinated-shutdown.run-by-actor-system-terminate = off").WithFallback(Hocon);
        var cutOff = await StartVanAsync(data, "van.db", new Address("akka.tcp", LfrNodeSettings.DefaultClusterName, "127.0.0.1", 1), crashing);
        var delivered = Candidate(1);
        var undelivered = Candidate(2);
        await RaiseAsync(cutOff, delivered);
        await RaiseAsync(cutOff, undelivered);
        // as if an earlier send of the first had been stored and its confirmation lost on the way back
        await controlRoom.Registry.Get<AlertIntake>().Ask<OutboxProtocol.AlertStored>(delivered, AskTimeout);

        await cutOff.System.Terminate();
        await cutOff.DisposeAsync();
        Assert.Equal(2, ReadOutbox(data.File("van.db")).Count);

        await using var restarted = await StartVanAsync(data, "van.db", controlRoom.Address);

        await AwaitAssertAsync(async () => Assert.Equal(0, (await StatusAsync(restarted)).Pending), Generous);
        await AssertStoredOnceAsync(controlRoom, [delivered, undelivered]);
        Assert.Empty(ReadOutbox(data.File("van.db")));
    }

    [Fact]
    public async Task An_alert_the_control_room_refuses_should_be_deleted_from_the_van_not_resent_forever()
    {
        using var data = new TempFolder();
        await using var controlRoom = await StartControlRoomAsync(data);
        await GoLiveAsync(controlRoom);
        await using var van = await StartVanAsync(data, "van.db", controlRoom.Address);

        // a van with a stale deployment: the control room has no such deployment and stores nothing of it
        var stale = Candidate(1) with { Deployment = new Lfr.Actors.Van.DeploymentId("ended-yesterday") };
        await RaiseAsync(van, stale);

        await AwaitAssertAsync(async () => Assert.Equal(0, (await StatusAsync(van)).Pending), Generous);
        Assert.Empty(ReadOutbox(data.File("van.db")));
        Assert.Empty(await QueueAsync(controlRoom));
    }

    [Fact]
    public async Task A_burst_larger_than_a_redelivery_round_should_be_stored_once_each()
    {
        var latencies = new List<double>();
        using var listener = ListenToDelivery(latencies);
        using var data = new TempFolder();
        await using var controlRoom = await StartControlRoomAsync(data);
        await GoLiveAsync(controlRoom);
        await using var van = await StartVanAsync(data, "van.db", controlRoom.Address);
        await AwaitAssertAsync(async () => Assert.NotNull((await StatusAsync(van)).ControlRoom), Generous);

        var burst = Enumerable.Range(1, 200).Select(Candidate).ToArray();
        foreach (var alert in burst) await RaiseAsync(van, alert);

        await AwaitAssertAsync(async () => Assert.Equal(0, (await StatusAsync(van)).Pending), Generous);
        await AssertStoredOnceAsync(controlRoom, burst);
        lock (latencies)
        {
            Assert.Equal(burst.Length, latencies.Count);
            latencies.Sort();
            _output.WriteLine($"outbox -> stored, {latencies.Count} alerts raised back to back: p50 {Percentile(latencies, 0.5) * 1000:0} ms, " +
                $"p99 {Percentile(latencies, 0.99) * 1000:0} ms, max {latencies[^1] * 1000:0} ms");
        }
    }

    /// <summary>
    /// Several vans raising alerts at a steady rate into one control room: every alert stored once, and the delivery
    /// time per alert. Quick form: 2 vans. With <c>LFR_BENCH=1</c>: 1, 4 and 10 vans (the figures in docs/benchmarks.md).
    /// </summary>
    [Fact]
    public async Task Vans_raising_alerts_at_a_steady_rate_should_each_have_every_alert_stored_once()
    {
        var full = Environment.GetEnvironmentVariable("LFR_BENCH") == "1";
        foreach (var vans in full ? [1, 4, 10] : new[] { 2 })
            await SteadyRateAsync(vans, alertsPerVan: full ? 20 : 5, every: TimeSpan.FromMilliseconds(500));
    }

    private async Task SteadyRateAsync(int vanCount, int alertsPerVan, TimeSpan every)
    {
        var latencies = new List<double>();
        using var listener = ListenToDelivery(latencies);
        using var data = new TempFolder();
        await using var controlRoom = await StartControlRoomAsync(data);
        await GoLiveAsync(controlRoom);
        var vans = new List<LfrTestNode>();
        try
        {
            for (var i = 0; i < vanCount; i++) vans.Add(await StartVanAsync(data, $"van-{i}.db", controlRoom.Address));
            foreach (var van in vans)
                await AwaitAssertAsync(async () => Assert.NotNull((await StatusAsync(van)).ControlRoom), Generous);

            // alert numbers are unique across vans, so that the desk keeps each one as an alert of its own
            var raised = await Task.WhenAll(vans.Select(async (van, v) =>
            {
                var alerts = Enumerable.Range(0, alertsPerVan).Select(k => Candidate(1 + v + k * vanCount)).ToArray();
                using var pace = new PeriodicTimer(every);
                foreach (var alert in alerts)
                {
                    await RaiseAsync(van, alert);
                    await pace.WaitForNextTickAsync();
                }
                return alerts;
            }));

            foreach (var van in vans)
                await AwaitAssertAsync(async () => Assert.Equal(0, (await StatusAsync(van)).Pending), Generous);
            await AssertStoredOnceAsync(controlRoom, [.. raised.SelectMany(a => a)]);
            lock (latencies)
            {
                Assert.Equal(vanCount * alertsPerVan, latencies.Count);
                latencies.Sort();
                _output.WriteLine($"{vanCount} vans, {alertsPerVan} alerts each, one per {every.TotalMilliseconds:0} ms per van: " +
                    $"p50 {Percentile(latencies, 0.5) * 1000:0} ms, p99 {Percentile(latencies, 0.99) * 1000:0} ms, " +
                    $"stored {latencies.Count} of {vanCount * alertsPerVan}");
            }
        }
        finally
        {
            foreach (var van in vans) await van.DisposeAsync();
        }
    }

    private static MeterListener ListenToDelivery(List<double> latencies)
    {
        // read before the listener starts: the callback may run inside LfrTelemetry's static constructor, where the field is still null
        var delivery = LfrTelemetry.AlertDelivery;
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument, delivery)) l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<double>((_, seconds, _, _) =>
        {
            lock (latencies) latencies.Add(seconds);
        });
        listener.Start();
        return listener;
    }

    /// <summary>Waits until the console's latest report from the van shows its outbox so.</summary>
    private async Task<NodeHealthProtocol.NodeHealthReport> AwaitOutboxAsync(IActorRef monitor, LfrTestNode van, long pending, long oldestAgeMs)
    {
        NodeHealthProtocol.NodeHealthReport? report = null;
        await AwaitAssertAsync(async () =>
        {
            var view = await monitor.Ask<NodeHealthProtocol.NodeHealthView>(NodeHealthProtocol.GetNodeHealth.Instance, AskTimeout);
            report = view.Nodes.Single(n => n.Report.Address == van.Address.ToString()).Report;
            Assert.Equal(pending, report.Counters[AlertOutbox.PendingCounter]);
            Assert.Equal(oldestAgeMs, report.Counters[AlertOutbox.OldestAgeCounter]);
        }, Generous);
        return report!;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private Task<LfrTestNode> StartControlRoomAsync(TempFolder data, Address? seed = null) =>
        LfrTestNode.StartAsync(
            new LfrNodeSettings { Role = LfrRole.ControlRoom, Port = 0, Seeds = seed is null ? [] : [seed.ToString()] },
            Hocon,
            akka => akka.WithLfrControlRoom(new ControlRoomOptions(data.File("control-room")), _clock, FileImages.Engine));

    private Task<LfrTestNode> StartVanAsync(TempFolder data, string outbox, Address seed, Config? hocon = null) =>
        LfrTestNode.StartAsync(
            new LfrNodeSettings { Role = LfrRole.Van, Port = 0, Seeds = [seed.ToString()] },
            hocon ?? Hocon,
            akka => akka.WithAlertOutbox(new AlertOutboxSettings(data.File(outbox)) { RedeliveryInterval = TimeSpan.FromMilliseconds(500) }, _clock));

    private static async Task GoLiveAsync(LfrTestNode controlRoom)
    {
        var staff = new StaffId("PS300");
        await controlRoom.Registry.Get<WatchlistAuthorityActor>().Ask<WatchlistProtocol.WatchlistBuilt>(new WatchlistProtocol.BuildWatchlist(
            Watchlist, new DateOnly(2026, 3, 2), Deployment, new StaffId("WM1"),
            [new WatchlistEntryDraft(new("E1"), WatchlistCategory.CourtWarrant, "Failed to appear: theft", "Bromley Magistrates",
                new DateOnly(2025, 11, 3), new StaffId("WM1"), "PNC/1", FileImages.Face(0))]), AskTimeout);
        var deployments = controlRoom.Registry.Get<DeploymentsActor>();
        var plan = new DeploymentPlan(new Place("Catford Broadway", 51.445, -0.020),
            new TimeWindow(ControlRoomSpec.Morning, ControlRoomSpec.Morning.AddHours(8)), ["van-1/cam-a"], "Warrants", Watchlist, Case: Readiness.Case);
        await deployments.Ask<DeploymentState>(new DeploymentProtocol.PlanDeployment(Deployment, plan, staff), AskTimeout);
        await deployments.Ask<DeploymentState>(new DeploymentProtocol.Authorise(Deployment, new(new("S100"), "Superintendent")), AskTimeout);
        await deployments.Ask<DeploymentState>(new DeploymentProtocol.Approve(Deployment, new(new("C200"), "Chief Superintendent")), AskTimeout);
        await Readiness.PrepareAsync(deployments, Deployment, staff, AskTimeout);
        var live = await deployments.Ask<DeploymentState>(new DeploymentProtocol.GoLive(Deployment, staff), AskTimeout);
        Assert.Equal(DeploymentStatus.Live, live.Status);
    }

    /// <summary>
    /// One alert per candidate, each with exactly one capture: a candidate stored twice would show as a second capture
    /// merged into its own alert (same entry, same time).
    /// </summary>
    private async Task AssertStoredOnceAsync(LfrTestNode controlRoom, VanAlerts.AlertCandidate[] alerts) =>
        await AwaitAssertAsync(async () =>
        {
            var queue = await controlRoom.Registry.Get<AlertsActor>().Ask<AlertProtocol.Queue>(new AlertProtocol.GetQueue(Deployment), AskTimeout);
            Assert.Equal(alerts.Select(Id).Order(), queue.Alerts.Select(a => a.Id.Value).Order());
            Assert.All(queue.Alerts, a => Assert.Single(a.Captures));
        }, Generous);

    private async Task<string[]> QueueAsync(LfrTestNode controlRoom) =>
        (await controlRoom.Registry.Get<AlertsActor>().Ask<AlertProtocol.Queue>(new AlertProtocol.GetQueue(Deployment), AskTimeout))
        .Alerts.Select(a => a.Id.Value).ToArray();

    /// <summary>What the recognition graph does: hand the alert to the outbox and wait for its acknowledgement.</summary>
    private async Task RaiseAsync(LfrTestNode van, VanAlerts.AlertCandidate alert)
    {
        var accepted = await van.Registry.Get<AlertOutbox>().Ask<VanAlerts.AlertAccepted>(alert, AskTimeout);
        Assert.Equal(alert.Id, accepted.Id);
    }

    private static Task<OutboxProtocol.OutboxStatus> StatusAsync(LfrTestNode van) =>
        van.Registry.Get<AlertOutbox>().Ask<OutboxProtocol.OutboxStatus>(OutboxProtocol.GetOutboxStatus.Instance, AskTimeout);

    private static List<VanAlerts.AlertCandidate> ReadOutbox(string path)
    {
        using var store = new OutboxStore(path, MasterKey.Default);
        return store.Pending();
    }

    /// <summary>Captures two minutes apart, beyond the desk's merge window, so that each stays an alert of its own.</summary>
    private static VanAlerts.AlertCandidate Candidate(int n) => new(
        Lfr.Actors.Van.AlertId.New(), new Lfr.Actors.Van.DeploymentId(Deployment.Value), new CameraId("van-1/cam-a"), new TrackId(n),
        new WatchlistEntryId("E1"), WatchlistCategory.CourtWarrant, 0.81f, "model-sha", "cal-1",
        ControlRoomSpec.Morning.AddMinutes(2 * n), TimeSpan.FromSeconds(n), [0xFF, 0xD8, (byte)n, 0xFF, 0xD9]);

    private static string Id(VanAlerts.AlertCandidate alert) => alert.Id.ToString();
}
