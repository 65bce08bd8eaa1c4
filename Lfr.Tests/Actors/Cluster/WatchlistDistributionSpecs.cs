using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using Akka.Remote;
using Akka.Remote.Transport;
using Akka.TestKit;
using Lfr.Actors.Cluster;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Watchlists;
using Lfr.Actors.Van.Assignment;
using Lfr.Actors.Van.Cameras;
using Lfr.Tests.Actors.ControlRoom;
using Lfr.Tests.Actors.Van.Assignment;
using Lfr.Tests.Fixtures;
using Lfr.Vision.Watchlists;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;
using static Lfr.Actors.Van.Assignment.AssignmentProtocol;

namespace Lfr.Tests.Actors.Cluster;

/// <summary>
/// Watchlists from a control-room node to van nodes over a real cluster on 127.0.0.1: only to the vans of a live
/// deployment, as embeddings, verified before the swap; every wipe reaches every van, even one cut off at the time.
/// Each van's camera supervisor is a probe registered where the real one would be, so a spec sees what it is told.
/// </summary>
public sealed class WatchlistDistributionSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private readonly ITestOutputHelper _output = output;
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(40);
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(20);
    private static readonly DeploymentId Deployment = new("catford-1");
    private static readonly WatchlistId Watchlist = new("wl-1");

    /// <summary>Links can be cut (throttler adapter); the split-brain resolver waits long enough that a cut van is not downed.</summary>
    private static readonly Config Hocon = ConfigurationFactory.ParseString("""
            akka.remote.dot-netty.tcp.applied-adapters = [trttl]
            akka.cluster.split-brain-resolver.stable-after = 120s
            """).WithFallback(LfrTestNode.FastFailureDetection);

    private readonly FakeTimeProvider _clock = new(ControlRoomSpec.Morning);
    private readonly AssignmentSigner _key = Assignments.NewKey();

    [Fact]
    public async Task A_watchlist_should_reach_the_vans_of_a_deployment_that_goes_live_and_one_that_joins_later_but_no_other_van()
    {
        using var data = new TempFolder();
        // the control room's daily wipe travels with the assignment: the van keeps no schedule of its own
        var wipe = Configured.ControlRoom("Lfr:ControlRoom:Watchlists:DailyWipeAt=21:45", "Lfr:ControlRoom:Watchlists:TimeZone=Europe/London").Watchlists;
        await using var controlRoom = await StartControlRoomAsync(data, watchlists: wipe);
        await BuildAsync(controlRoom, entries: 30);
        var (van1, cameras1) = await StartVanAsync("van-1", controlRoom);
        await using var _ = van1;
        var (van3, cameras3) = await StartVanAsync("van-3", controlRoom);
        await using var __ = van3;
        await AwaitHelloAsync(van1);

        await GoLiveAsync(controlRoom, "van-1/cam-a", "van-2/cam-a");

        var started = await cameras1.ExpectMsgAsync<CameraSupervisorProtocol.DeploymentStarted>(Generous);
        Assert.Equal((Deployment.Value, 30, 0.6f), (started.Deployment.Value, started.Watchlist.Count, started.Threshold));
        // a van of the deployment that joins while it is live gets it on joining
        var (van2, cameras2) = await StartVanAsync("van-2", controlRoom);
        await using var ___ = van2;
        Assert.Equal(30, (await cameras2.ExpectMsgAsync<CameraSupervisorProtocol.DeploymentStarted>(Generous)).Watchlist.Count);
        await AwaitAssertAsync(async () => Assert.Equal(["node=van-1;entries=30", "node=van-2;entries=30"],
            (await TrailAsync(controlRoom, AuditKind.WatchlistLoadConfirmed)).Order()), Generous);
        // what the ops console shows: which van holds which watchlist (van-3 was never sent one)
        var holdings = await controlRoom.Registry.Get<VanDispatchActor>().Ask<VanDispatchProtocol.VanHoldings>(VanDispatchProtocol.GetVanHoldings.Instance, AskTimeout);
        Assert.Equal([("van-1", HoldingState.Holds, 30), ("van-2", HoldingState.Holds, 30)],
            holdings.Vans.Select(v => (v.Van, v.State, v.Entries ?? 0)));
        Assert.All(holdings.Vans, v => Assert.Equal((Deployment.Value, Watchlist.Value), (v.Deployment, v.Watchlist)));
        Assert.Equal(wipe.Schedule.Next(_clock.GetUtcNow()), (await StatusAsync(van1)).NextWipe);
        // a van the deployment does not name is never given the watchlist
        Assert.Equal(0, (await StatusAsync(van3)).Entries);
        await cameras3.ExpectNoMsgAsync(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_wipe_should_reach_every_van_and_each_vans_confirmation_should_be_recorded()
    {
        using var data = new TempFolder();
        var (controlRoomNode, vanNode, cameras) = await LiveVanAsync(data);
        await using var controlRoom = controlRoomNode;
        await using var van = vanNode;

        await controlRoom.Registry.Get<WatchlistAuthorityActor>().Ask<WatchlistProtocol.WatchlistWiped>(
            new WatchlistProtocol.WipeWatchlist(Watchlist, new StaffId("WM1"), "manual wipe"), AskTimeout);

        Assert.Equal(Deployment.Value, (await cameras.ExpectMsgAsync<CameraSupervisorProtocol.DeploymentEnded>(Generous)).Deployment.Value);
        Assert.Equal(new AssignmentStatus(null, null, 0, controlRoom.Address), await StatusAsync(van));
        await AwaitAssertAsync(async () => Assert.Equal(["node=van-1;entries=3;reason=watchlist wiped"],
            await TrailAsync(controlRoom, AuditKind.WatchlistWipeConfirmed)), Generous);
    }

    [Fact]
    public async Task A_raised_threshold_should_reach_the_van_and_a_suspended_deployment_should_stop_it()
    {
        using var data = new TempFolder();
        var (controlRoomNode, vanNode, cameras) = await LiveVanAsync(data);
        await using var controlRoom = controlRoomNode;
        await using var van = vanNode;
        var deployments = controlRoom.Registry.Get<DeploymentsActor>();

        await deployments.Ask<DeploymentState>(new DeploymentProtocol.ChangeThreshold(Deployment, 0.7, new StaffId("PS300")), AskTimeout);
        var raised = await cameras.ExpectMsgAsync<CameraSupervisorProtocol.DeploymentStarted>(Generous);
        Assert.Equal((0.7f, 3), (raised.Threshold, raised.Watchlist.Count));

        // below the authorised floor the deployment goes back to the authorisers: the van stops at once
        await deployments.Ask<DeploymentState>(new DeploymentProtocol.ChangeThreshold(Deployment, 0.5, new StaffId("PS300")), AskTimeout);
        await cameras.ExpectMsgAsync<CameraSupervisorProtocol.DeploymentEnded>(Generous);
        Assert.Equal(0, (await StatusAsync(van)).Entries);
    }

    [Fact]
    public async Task A_van_cut_off_during_a_wipe_should_drop_the_watchlist_when_it_reconnects()
    {
        using var data = new TempFolder();
        var (controlRoomNode, vanNode, cameras) = await LiveVanAsync(data);
        await using var controlRoom = controlRoomNode;
        await using var van = vanNode;

        await ThrottleAsync(van, controlRoom.Address, Blackhole.Instance);
        await AwaitAssertAsync(() => Assert.Contains(van.Cluster.State.Unreachable, m => m.Address == controlRoom.Address), Generous);
        await controlRoom.Registry.Get<WatchlistAuthorityActor>().Ask<WatchlistProtocol.WatchlistWiped>(
            new WatchlistProtocol.WipeWatchlist(Watchlist, new StaffId("WM1"), "manual wipe"), AskTimeout);
        // cut off, the van cannot hear it and keeps what it holds, until its window end or its own daily wipe
        await cameras.ExpectNoMsgAsync(TimeSpan.FromSeconds(2));
        Assert.Equal(3, (await StatusAsync(van)).Entries);

        await ThrottleAsync(van, controlRoom.Address, Unthrottled.Instance);

        await cameras.ExpectMsgAsync<CameraSupervisorProtocol.DeploymentEnded>(Generous);
        Assert.Equal(0, (await StatusAsync(van)).Entries);
        await AwaitAssertAsync(async () => Assert.Single(await TrailAsync(controlRoom, AuditKind.WatchlistWipeConfirmed)), Generous);
    }

    [Fact]
    public async Task A_restarted_control_room_should_give_a_van_its_live_deployment_again_without_stopping_it()
    {
        using var data = new TempFolder();
        var first = await StartControlRoomAsync(data);
        await BuildAsync(first, entries: 3);
        var (van, cameras) = await StartVanAsync("van-1", first);
        await using var _ = van;
        await AwaitHelloAsync(van);
        await GoLiveAsync(first, "van-1/cam-a");
        await cameras.ExpectMsgAsync<CameraSupervisorProtocol.DeploymentStarted>(Generous);

        await first.DisposeAsync();
        await using var second = await StartControlRoomAsync(data, seed: van.Address);

        // the new control room learns what is live from its journal before it answers the van: no stop in between
        Assert.Equal(3, (await cameras.ExpectMsgAsync<CameraSupervisorProtocol.DeploymentStarted>(Generous)).Watchlist.Count);
        Assert.Equal(second.Address, (await StatusAsync(van)).ControlRoom);
        await cameras.ExpectNoMsgAsync(TimeSpan.FromSeconds(1));
        await AwaitAssertAsync(async () => Assert.Equal(["node=van-1;entries=3", "node=van-1;entries=3"],
            await TrailAsync(second, AuditKind.WatchlistLoadConfirmed)), Generous);
    }

    [Fact]
    public async Task A_tampered_chunk_sent_to_a_van_should_be_refused_and_nothing_swapped()
    {
        using var data = new TempFolder();
        await using var controlRoom = await StartControlRoomAsync(data);
        var (van, cameras) = await StartVanAsync("van-1", controlRoom);
        await using var _ = van;
        await AwaitHelloAsync(van);
        // a remote reference, not a selection: untrusted mode lets no selection reach the van's assignment actor
        var vanAssignment = ((ExtendedActorSystem)controlRoom.System).Provider.ResolveActorRef(new RootActorPath(van.Address) / "user" / VanName);
        var sender = CreateTestProbe(controlRoom.System);
        var (offer, chunks) = Assignments.Signed(_key, _clock.GetUtcNow(), "van-1", 40, ControlRoomSpec.Morning.AddHours(8),
            model: FileImages.Engine.EmbeddingModelSha256);

        vanAssignment.Tell(offer, sender.Ref);
        vanAssignment.Tell(chunks[0], sender.Ref);
        vanAssignment.Tell(Assignments.Tampered(chunks[1]), sender.Ref);

        Assert.Contains("signature does not match", (await sender.ExpectMsgAsync<AssignmentRefused>(Generous)).Reason);
        await cameras.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(500));
        Assert.Equal(0, (await StatusAsync(van)).Entries);
    }

    /// <summary>
    /// How long a large watchlist takes from the control room's node to a van's index over loopback (send, verify, build).
    /// Quick form: 2,000 entries. With <c>LFR_BENCH=1</c>: 17,000, the largest watchlist the seed describes.
    /// </summary>
    [Fact]
    public async Task A_large_signed_assignment_should_reach_a_vans_index_whole()
    {
        var entries = Environment.GetEnvironmentVariable("LFR_BENCH") == "1" ? 17_000 : 2_000;
        using var data = new TempFolder();
        await using var controlRoom = await StartControlRoomAsync(data);
        var (van, cameras) = await StartVanAsync("van-1", controlRoom);
        await using var _ = van;
        await AwaitHelloAsync(van);
        // a remote reference, not a selection: untrusted mode lets no selection reach the van's assignment actor
        var vanAssignment = ((ExtendedActorSystem)controlRoom.System).Provider.ResolveActorRef(new RootActorPath(van.Address) / "user" / VanName);
        var sender = CreateTestProbe(controlRoom.System);
        var (offer, chunks) = Assignments.Signed(_key, _clock.GetUtcNow(), "van-1", entries, ControlRoomSpec.Morning.AddHours(8),
            model: FileImages.Engine.EmbeddingModelSha256);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        vanAssignment.Tell(offer, sender.Ref);
        foreach (var chunk in chunks) vanAssignment.Tell(chunk, sender.Ref);

        Assert.Equal(entries, (await sender.ExpectMsgAsync<AssignmentLoaded>(Generous)).Entries);
        var elapsed = clock.Elapsed;
        Assert.Equal(entries, (await cameras.ExpectMsgAsync<CameraSupervisorProtocol.DeploymentStarted>(Generous)).Watchlist.Count);
        _output.WriteLine($"{entries} entries in {chunks.Length} chunks ({entries * 2.1 / 1024:0.0} MB) to the van's index: {elapsed.TotalMilliseconds:0} ms");
    }

    private Task<LfrTestNode> StartControlRoomAsync(TempFolder data, Address? seed = null, WatchlistSettings? watchlists = null) =>
        LfrTestNode.StartAsync(new LfrNodeSettings { Role = LfrRole.ControlRoom, Port = 0, Seeds = seed is null ? [] : [seed.ToString()] }, Hocon, akka => akka
            .WithLfrControlRoom(new ControlRoomOptions(data.File("control-room")) { Watchlists = watchlists ?? new WatchlistSettings() }, _clock,
                FileImages.Engine)
            .WithVanDispatch(_key, new VanDispatchSettings { ResendInterval = TimeSpan.FromMilliseconds(500) }, _clock));

    /// <summary>A van node whose camera supervisor is a probe, with its assignment actor as <c>lfr node</c> runs it.</summary>
    private async Task<(LfrTestNode Van, TestProbe Cameras)> StartVanAsync(string name, LfrTestNode seed)
    {
        TestProbe? cameras = null;
        var van = await LfrTestNode.StartAsync(new LfrNodeSettings { Role = LfrRole.Van, Port = 0, Seeds = [seed.Address.ToString()] }, Hocon,
            akka => akka
                .WithActors((system, registry) =>
                {
                    cameras = CreateTestProbe(system);
                    registry.Register<VanCameras>(cameras.Ref);
                })
                .WithVanAssignment(new VanAssignmentSettings(name, _key.Verifier, FileImages.Engine.EmbeddingModelSha256)
                {
                    HelloInterval = TimeSpan.FromMilliseconds(500),
                }, _clock));
        return (van, cameras!);
    }

    /// <summary>A control room with a three-entry watchlist, and van-1 whose cameras have been told the deployment is live.</summary>
    private async Task<(LfrTestNode ControlRoom, LfrTestNode Van, TestProbe Cameras)> LiveVanAsync(TempFolder data)
    {
        var controlRoom = await StartControlRoomAsync(data);
        await BuildAsync(controlRoom, entries: 3);
        var (van, cameras) = await StartVanAsync("van-1", controlRoom);
        await AwaitHelloAsync(van);
        await GoLiveAsync(controlRoom, "van-1/cam-a");
        await cameras.ExpectMsgAsync<CameraSupervisorProtocol.DeploymentStarted>(Generous);
        return (controlRoom, van, cameras);
    }

    private async Task AwaitHelloAsync(LfrTestNode van) =>
        await AwaitAssertAsync(async () => Assert.NotNull((await StatusAsync(van)).ControlRoom), Generous);

    private static Task<AssignmentStatus> StatusAsync(LfrTestNode van) =>
        van.Registry.Get<VanAssignmentActor>().Ask<AssignmentStatus>(GetAssignment.Instance, AskTimeout);

    private static async Task BuildAsync(LfrTestNode controlRoom, int entries)
    {
        var drafts = Enumerable.Range(1, entries).Select(i => new WatchlistEntryDraft(new WatchlistEntryId($"E{i}"), WatchlistCategory.CourtWarrant,
            "Failed to appear: theft", "Bromley Magistrates", new DateOnly(2025, 11, 3), new StaffId("WM1"), $"PNC/{i}", FileImages.Face(i))).ToList();
        await controlRoom.Registry.Get<WatchlistAuthorityActor>().Ask<WatchlistProtocol.WatchlistBuilt>(new WatchlistProtocol.BuildWatchlist(
            Watchlist, new DateOnly(2026, 3, 2), Deployment, new StaffId("WM1"), drafts), AskTimeout);
    }

    private static async Task GoLiveAsync(LfrTestNode controlRoom, params string[] cameras)
    {
        var staff = new StaffId("PS300");
        var deployments = controlRoom.Registry.Get<DeploymentsActor>();
        var plan = new DeploymentPlan(new Place("Catford Broadway", 51.445, -0.020),
            new TimeWindow(ControlRoomSpec.Morning, ControlRoomSpec.Morning.AddHours(8)), cameras, "Warrants", Watchlist, Case: Readiness.Case);
        await deployments.Ask<DeploymentState>(new DeploymentProtocol.PlanDeployment(Deployment, plan, staff), AskTimeout);
        await deployments.Ask<DeploymentState>(new DeploymentProtocol.Authorise(Deployment, new(new("S100"), "Superintendent")), AskTimeout);
        await deployments.Ask<DeploymentState>(new DeploymentProtocol.Approve(Deployment, new(new("C200"), "Chief Superintendent")), AskTimeout);
        await Readiness.PrepareAsync(deployments, Deployment, staff, AskTimeout);
        var live = await deployments.Ask<DeploymentState>(new DeploymentProtocol.GoLive(Deployment, staff), AskTimeout);
        Assert.Equal(DeploymentStatus.Live, live.Status);
    }

    private static async Task<List<string>> TrailAsync(LfrTestNode controlRoom, AuditKind kind) =>
        (await controlRoom.Registry.Get<AuditLogActor>().Ask<AuditProtocol.Trail>(new AuditProtocol.GetTrail(), AskTimeout)).Entries
        .Where(e => e.Kind == kind).Select(e => e.Detail).ToList();

    private static async Task ThrottleAsync(LfrTestNode node, Address from, ThrottleMode mode)
    {
        var transport = ((IRemoteActorRefProvider)((ExtendedActorSystem)node.System).Provider).Transport;
        Assert.True(await transport.ManagementCommand(new SetThrottle(from, ThrottleTransportAdapter.Direction.Both, mode)));
    }
}
