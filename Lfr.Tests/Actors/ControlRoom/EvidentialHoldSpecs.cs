using Akka.Actor;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Alerts;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Actors.ControlRoom.Deployments;
using Xunit.Abstractions;

namespace Lfr.Tests.Actors.ControlRoom;

/// <summary>
/// Evidential holds against retention on the injected clock: a held capture outlives its 30 days until released, a
/// released one goes at the next purge, and each hold and release is in the audit trail with its case.
/// </summary>
public sealed class EvidentialHoldSpecs : ControlRoomSpec
{
    public EvidentialHoldSpecs(ITestOutputHelper output) : base(output) { }

    [Fact]
    public async Task A_held_capture_should_survive_the_purge_until_released_and_a_released_one_should_go()
    {
        var room = StartControlRoom();
        var d1 = new DeploymentId("d-1");
        MakeLive(room.Deployments, d1, Plan(Morning, TimeSpan.FromHours(8)));
        room.Alerts.Tell(Candidate("a-1", "E1"));
        ExpectMsg<AlertProtocol.CandidateAccepted>();
        room.Alerts.Tell(Candidate("a-2", "E2"));
        ExpectMsg<AlertProtocol.CandidateAccepted>();
        var kept = Capture(room, "a-1");
        var released = Capture(room, "a-2");

        room.Alerts.Tell(new AlertProtocol.HoldCapture(d1, new AlertId("a-1"), kept, new StaffId("OP1"), " "));
        Assert.Contains("case reference", ExpectMsg<AlertProtocol.Refused>().Reason);
        room.Alerts.Tell(new AlertProtocol.HoldCapture(d1, new AlertId("a-1"), released, new StaffId("OP1"), "CAD-1"));
        Assert.Contains("is not a capture of alert a-1", ExpectMsg<AlertProtocol.Refused>().Reason);
        room.Alerts.Tell(new AlertProtocol.HoldCapture(d1, new AlertId("a-1"), kept, new StaffId("OP1"), "CAD-4711"));
        Assert.Equal("CAD-4711", ExpectMsg<AlertProtocol.HoldChanged>().CaseReference);
        room.Alerts.Tell(new AlertProtocol.HoldCapture(d1, new AlertId("a-2"), released, new StaffId("S100"), "CAD-4712"));
        ExpectMsg<AlertProtocol.HoldChanged>();
        room.Alerts.Tell(new AlertProtocol.HoldCapture(d1, new AlertId("a-2"), released, new StaffId("S100"), "CAD-9"));
        Assert.Contains("already held under case CAD-4712", ExpectMsg<AlertProtocol.Refused>().Reason);

        // released on day 29: its 30 days run out as they would have, and the purge takes it
        Clock.Advance(TimeSpan.FromDays(29));
        room.Alerts.Tell(new AlertProtocol.ReleaseHold(d1, new AlertId("a-2"), released, new StaffId("S100"), "no further action"));
        Assert.Null(ExpectMsg<AlertProtocol.HoldChanged>().CaseReference);
        Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromHours(1));
        await AwaitAssertAsync(async () => Assert.Null(await View(room, "a-2", released)));
        Assert.NotNull(await View(room, "a-1", kept));

        // the held one is still there at 90 days; released, it goes at the next sweep
        Clock.Advance(TimeSpan.FromDays(60));
        Assert.NotNull(await View(room, "a-1", kept));
        room.Alerts.Tell(new AlertProtocol.ReleaseHold(d1, new AlertId("a-1"), kept, new StaffId("OP1"), "case closed"));
        ExpectMsg<AlertProtocol.HoldChanged>();
        Clock.Advance(TimeSpan.FromHours(1));
        await AwaitAssertAsync(async () => Assert.Null(await View(room, "a-1", kept)));

        var trail = (await room.Audit.Ask<AuditProtocol.Trail>(new AuditProtocol.GetTrail(), RemainingOrDefault)).Entries;
        Assert.Equal(["OP1", "S100"], trail.Where(e => e.Kind == AuditKind.EvidenceHeld).Select(e => e.Who));
        Assert.Contains(trail, e => e is { Kind: AuditKind.EvidenceReleased, Who: "S100" } && e.Detail.Contains("case=CAD-4712;reason=no further action", StringComparison.Ordinal));
        Assert.Contains(trail, e => e is { Kind: AuditKind.EvidenceReleased, Who: "OP1" } && e.Detail.Contains("case=CAD-4711;reason=case closed", StringComparison.Ordinal));
    }

    private Lfr.Actors.ControlRoom.Retention.ImageRef Capture(ControlRoomActors room, string alert)
    {
        room.Alerts.Tell(new AlertProtocol.GetAlert(new("d-1"), new AlertId(alert)));
        return ExpectMsg<AlertView>().Captures.Single().Image;
    }

    private async Task<byte[]?> View(ControlRoomActors room, string alert, Lfr.Actors.ControlRoom.Retention.ImageRef image) =>
        (await room.Alerts.Ask<AlertProtocol.ImageView>(new AlertProtocol.ViewImage(new("d-1"), new AlertId(alert), image, new StaffId("AUD1")), RemainingOrDefault)).Jpeg;
}
