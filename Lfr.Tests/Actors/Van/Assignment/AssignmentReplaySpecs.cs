using Akka.Actor;
using Akka.TestKit;
using Lfr.Actors.Van.Assignment;
using Lfr.Actors.Van.Cameras;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;
using static Lfr.Actors.Van.Assignment.AssignmentProtocol;

namespace Lfr.Tests.Actors.Van.Assignment;

/// <summary>
/// What a van refuses on an assignment's head alone, before a chunk is taken: one it has had before (replayed after a
/// wipe), one older than what it accepted last, one issued too long ago or in the future, and one whose size is not
/// what a control room sends.
/// </summary>
public sealed class AssignmentReplaySpecs(ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit("akka.actor.provider = cluster", output: output)
{
    private static readonly DateTimeOffset Morning = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Morning);
    private readonly AssignmentSigner _key = Assignments.NewKey();

    private (IActorRef Van, TestProbe Cameras) Start()
    {
        var cameras = CreateTestProbe();
        return (Sys.ActorOf(VanAssignmentActor.Props(new VanAssignmentSettings("van-1", _key.Verifier, Assignments.Model), cameras.Ref, _clock)), cameras);
    }

    private static void Deliver(IActorRef van, AssignmentOffer offer, IEnumerable<AssignmentChunk> chunks)
    {
        van.Tell(offer);
        foreach (var chunk in chunks) van.Tell(chunk);
    }

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
