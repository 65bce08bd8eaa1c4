using Akka.Actor;
using Akka.TestKit;
using Lfr.Actors;
using Lfr.Actors.Van.Assignment;
using Lfr.Actors.Van.Cameras;
using Lfr.Vision.Watchlists;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;
using static Lfr.Actors.Van.Assignment.AssignmentProtocol;

namespace Lfr.Tests.Actors.Van.Assignment;

/// <summary>
/// The van's side alone, on a cluster node that never reaches a control room: what it does on its own, and what it refuses
/// (replayed, stale and oversize assignments).
/// </summary>
public sealed class VanAssignmentSpecs(ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit("akka.actor.provider = cluster", output: output)
{
    private static readonly DateTimeOffset Morning = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Morning);
    private readonly AssignmentSigner _key = Assignments.NewKey();

    private (IActorRef Van, TestProbe Cameras) Start()
    {
        var cameras = CreateTestProbe();
        var settings = new VanAssignmentSettings("van-1", _key.Verifier, Assignments.Model);
        return (Sys.ActorOf(VanAssignmentActor.Props(settings, cameras.Ref, _clock)), cameras);
    }

    private static void Deliver(IActorRef van, AssignmentOffer offer, IEnumerable<AssignmentChunk> chunks)
    {
        van.Tell(offer);
        foreach (var chunk in chunks) van.Tell(chunk);
    }

    [Fact]
    public void Van_should_start_the_deployment_with_the_verified_watchlist_and_acknowledge_it()
    {
        var (van, cameras) = Start();
        var (offer, chunks) = Assignments.Signed(_key, _clock.GetUtcNow(), "van-1", 30, Morning.AddHours(8));

        Deliver(van, offer, chunks);

        var started = cameras.ExpectMsg<CameraSupervisorProtocol.DeploymentStarted>();
        Assert.Equal(("d-1", 30, 0.6f), (started.Deployment.Value, started.Watchlist.Count, started.Threshold));
        Assert.Equal(new AssignmentLoaded(offer.Transfer, "van-1", 30), ExpectMsg<AssignmentLoaded>());
        // a resent offer (its acknowledgement lost) is acknowledged again, not loaded again
        van.Tell(offer);
        ExpectMsg<AssignmentLoaded>();
        cameras.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Van_should_refuse_a_tampered_chunk_and_keep_what_it_held()
    {
        var (van, cameras) = Start();
        var (first, firstChunks) = Assignments.Signed(_key, _clock.GetUtcNow(), "van-1", 10, Morning.AddHours(8));
        Deliver(van, first, firstChunks);
        cameras.ExpectMsg<CameraSupervisorProtocol.DeploymentStarted>();
        ExpectMsg<AssignmentLoaded>();

        var (offer, chunks) = Assignments.Signed(_key, _clock.GetUtcNow(), "van-1", 30, Morning.AddHours(8));
        Deliver(van, offer, [chunks[0], Assignments.Tampered(chunks[1])]);

        Assert.Contains("signature does not match", ExpectMsg<AssignmentRefused>().Reason);
        cameras.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        van.Tell(GetAssignment.Instance);
        Assert.Equal(10, ExpectMsg<AssignmentStatus>().Entries);
    }

    [Fact]
    public void Van_should_drop_the_watchlist_at_the_deployments_window_end_on_its_own()
    {
        var (van, cameras) = Start();
        var (offer, chunks) = Assignments.Signed(_key, _clock.GetUtcNow(), "van-1", 5, Morning.AddHours(2));
        var face = chunks[0].Entries[0].Embedding.ToArray();
        Deliver(van, offer, chunks);
        var started = cameras.ExpectMsg<CameraSupervisorProtocol.DeploymentStarted>();
        Assert.Equal(1f, started.Watchlist.Search(face, 1)[0].Cosine, 3);

        _clock.Advance(TimeSpan.FromHours(2));

        Assert.Equal("d-1", cameras.ExpectMsg<CameraSupervisorProtocol.DeploymentEnded>().Deployment.Value);
        AwaitAssert(() =>
        {
            van.Tell(GetAssignment.Instance);
            Assert.Equal(new AssignmentStatus(null, null, 0, null), ExpectMsg<AssignmentStatus>(m => m is AssignmentStatus));
        });
        // the index the cameras held is zeroed: a frame still in flight matches nothing
        Assert.Equal(0f, started.Watchlist.Search(face, 1)[0].Cosine);
    }

    [Fact]
    public void Van_should_drop_the_watchlist_at_the_daily_wipe_time_the_control_room_sent_even_with_the_window_still_open()
    {
        var (van, cameras) = Start();
        // the control room's schedule, not a default of the van's: 21:30 in London (GMT on 2 March), 12.5 h after 09:00
        var (offer, chunks) = Assignments.Signed(_key, _clock.GetUtcNow(), "van-1", 5, Morning.AddDays(2), wipeAt: new TimeOnly(21, 30), wipeZone: "Europe/London");
        Deliver(van, offer, chunks);
        cameras.ExpectMsg<CameraSupervisorProtocol.DeploymentStarted>();

        _clock.Advance(TimeSpan.FromHours(12.4));
        cameras.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        _clock.Advance(TimeSpan.FromHours(0.1));

        cameras.ExpectMsg<CameraSupervisorProtocol.DeploymentEnded>();
        // the next day's wipe needs the next assignment: a van that holds nothing has nothing to wipe
        _clock.Advance(TimeSpan.FromDays(1));
        cameras.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Van_should_refuse_an_assignment_whose_daily_wipe_it_could_not_keep()
    {
        var (van, cameras) = Start();
        var (offer, chunks) = Assignments.Signed(_key, _clock.GetUtcNow(), "van-1", 5, Morning.AddHours(8), wipeZone: "Atlantis/Capital");

        Deliver(van, offer, chunks);

        Assert.Contains("time zone Atlantis/Capital is unknown", ExpectMsg<AssignmentRefused>().Reason);
        cameras.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Van_should_drop_on_order_and_confirm_how_many_entries_it_dropped()
    {
        var (van, cameras) = Start();
        var (offer, chunks) = Assignments.Signed(_key, _clock.GetUtcNow(), "van-1", 7, Morning.AddHours(8));
        Deliver(van, offer, chunks);
        cameras.ExpectMsg<CameraSupervisorProtocol.DeploymentStarted>();
        ExpectMsg<AssignmentLoaded>();

        van.Tell(new DropAssignment("wl-other", "watchlist wiped"));
        Assert.Equal(new AssignmentDropped("van-1", "wl-other", 0), ExpectMsg<AssignmentDropped>());
        van.Tell(new DropAssignment("wl-1", "watchlist wiped"));

        cameras.ExpectMsg<CameraSupervisorProtocol.DeploymentEnded>();
        Assert.Equal(new AssignmentDropped("van-1", "wl-1", 7), ExpectMsg<AssignmentDropped>());
    }

    // What a van refuses on an assignment's head alone, before a chunk is taken: one it has had before (replayed after
    // a wipe), one older than what it accepted last, one issued too long ago or in the future, and one whose size is
    // not what a control room sends.

    [Fact]
    public void Van_should_refuse_an_assignment_replayed_after_its_wipe()
    {
        var (van, cameras) = Start();
        var (offer, chunks) = Assignments.Signed(_key, _clock.GetUtcNow(), "van-1", 7, Morning.AddHours(8));
        Deliver(van, offer, chunks);
        cameras.ExpectMsg<CameraSupervisorProtocol.DeploymentStarted>();
        ExpectMsg<AssignmentLoaded>();
        van.Tell(new DropAssignment("wl-1", "watchlist wiped"));
        cameras.ExpectMsg<CameraSupervisorProtocol.DeploymentEnded>();
        ExpectMsg<AssignmentDropped>();

        // the same signed bytes, recorded on the way and played back a minute later
        _clock.Advance(TimeSpan.FromMinutes(1));
        Deliver(van, offer, chunks);

        Assert.Contains("a replay", ExpectMsg<AssignmentRefused>().Reason);
        cameras.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        van.Tell(GetAssignment.Instance);
        Assert.Equal(0, ExpectMsg<AssignmentStatus>().Entries);
    }

    [Fact]
    public void Van_should_refuse_an_assignment_issued_before_the_one_it_accepted_last()
    {
        var (van, cameras) = Start();
        var (older, olderChunks) = Assignments.Signed(_key, _clock.GetUtcNow(), "van-1", 5, Morning.AddHours(8), deployment: "d-old");
        var (newer, newerChunks) = Assignments.Signed(_key, _clock.GetUtcNow(), "van-1", 9, Morning.AddHours(8));
        Deliver(van, newer, newerChunks);
        cameras.ExpectMsg<CameraSupervisorProtocol.DeploymentStarted>();
        ExpectMsg<AssignmentLoaded>();

        Deliver(van, older, olderChunks);

        Assert.Contains("before the assignment accepted last", ExpectMsg<AssignmentRefused>().Reason);
        cameras.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        van.Tell(GetAssignment.Instance);
        Assert.Equal(9, ExpectMsg<AssignmentStatus>().Entries);
    }

    [Fact]
    public void Van_should_refuse_a_stale_assignment_and_one_from_the_future()
    {
        var (van, cameras) = Start();
        var (stale, staleChunks) = Assignments.Signed(_key, _clock.GetUtcNow(), "van-1", 5, Morning.AddHours(8));
        _clock.Advance(TimeSpan.FromMinutes(16));

        Deliver(van, stale, staleChunks);
        Assert.Contains("stale", ExpectMsg<AssignmentRefused>().Reason);

        var (future, futureChunks) = Assignments.Signed(_key, _clock.GetUtcNow().AddMinutes(10), "van-1", 5, Morning.AddHours(8));
        Deliver(van, future, futureChunks);
        Assert.Contains("ahead of this van's clock", ExpectMsg<AssignmentRefused>().Reason);
        cameras.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Van_should_refuse_an_oversize_assignment_on_its_head_before_any_chunk()
    {
        var (van, cameras) = Start();
        var (offer, _) = Assignments.Signed(_key, _clock.GetUtcNow(), "van-1", 5, Morning.AddHours(8));

        // no chunk is sent: the answer comes from the head alone
        van.Tell(offer with { Chunks = 1_000_000 });
        Assert.Contains("1000000 chunks announced for 5 entries", ExpectMsg<AssignmentRefused>().Reason);
        van.Tell(offer with { Transfer = Guid.NewGuid(), Count = MaxEntries + 1, Chunks = ChunksFor(MaxEntries + 1) });
        Assert.Contains($"a van takes at most {MaxEntries}", ExpectMsg<AssignmentRefused>().Reason);
        van.Tell(offer with { Transfer = Guid.NewGuid(), Van = "van-2" });
        Assert.Contains("is for van-2, not for this van (van-1)", ExpectMsg<AssignmentRefused>().Reason);
        cameras.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }
}
