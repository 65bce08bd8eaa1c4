using Akka.Actor;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Alerts;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Officers;
using Lfr.Actors.ControlRoom.Returns;
using Lfr.Actors.ControlRoom.Watchlists;
using Lfr.Vision.Watchlists;
using Xunit.Abstractions;
using Lfr.Tests.Fixtures;

namespace Lfr.Tests.Actors.ControlRoom;

public sealed class ReturnSpecs : ControlRoomSpec
{
    private static readonly DeploymentId D1 = new("d-1");
    private static readonly StaffId Operator = new("OP1");

    private readonly ITestOutputHelper _output;

    public ReturnSpecs(ITestOutputHelper output) : base(output) => _output = output;

    private void Decide(ControlRoomActors room, string alert, string entry, Func<AlertId, object> decision)
    {
        room.Alerts.Tell(Candidate(alert, entry));
        ExpectMsg<AlertProtocol.CandidateAccepted>();
        AwaitAssert(() =>
        {
            room.Alerts.Tell(new AlertProtocol.GetAlert(D1, new AlertId(alert)));
            Assert.NotNull(ExpectMsg<AlertView>().Record);
        });
        room.Alerts.Tell(decision(new AlertId(alert)));
        ExpectMsg<AlertView>();
    }

    [Fact]
    public async Task Return_should_count_alerts_decisions_and_outcomes_and_name_nobody()
    {
        var room = StartControlRoom();
        room.Watchlists.Tell(Build("wl-1", Entry("E1"), Entry("E2"), Entry("E3", WatchlistCategory.WantedWithPowerOfArrest),
            Entry("E4", WatchlistCategory.SexOffenderWithConditions)));
        ExpectMsg<WatchlistProtocol.WatchlistBuilt>();
        MakeLive(room.Deployments, D1, Plan(Morning, TimeSpan.FromHours(6)));
        var officer = new OfficerId("PC1");
        await room.Officers.Ask<OfficerState>(new OfficerProtocol.GoOnDuty(officer), RemainingOrDefault);

        Decide(room, "a-1", "E1", a => new AlertProtocol.Confirm(D1, a, Operator, [officer]));
        Decide(room, "a-2", "E2", a => new AlertProtocol.Dismiss(D1, a, Operator, DismissalReason.NotThePerson));
        Decide(room, "a-3", "E3", a => new AlertProtocol.Dismiss(D1, a, Operator, DismissalReason.PoorImage));
        var tasking = new TaskingId("a-1/PC1");
        await AwaitAssertAsync(async () => Assert.NotNull(
            (await room.Officers.Ask<OfficerState>(new OfficerProtocol.GetOfficer(officer), RemainingOrDefault)).Current));
        await room.Officers.Ask<OfficerState>(new OfficerProtocol.RecordOutcome(officer, tasking, new Outcome(OutcomeKind.Arrested, "Burglary")),
            RemainingOrDefault);
        // the window closes: the deployment ends and its watchlist is wiped, yet its size stays in the return
        Clock.Advance(TimeSpan.FromHours(6));

        DeploymentReturn ret = null!;
        await AwaitAssertAsync(async () =>
        {
            ret = (await DeploymentReturn.BuildAsync(room, D1, RemainingOrDefault))!;
            Assert.Equal(DeploymentStatus.Ended, ret.Status);
            Assert.Equal(1, ret.Arrests);
        });
        Assert.Equal(new CategoryCounts(2, 1, 1), ret.WatchlistSize);
        Assert.Equal((3, 1, 2, 1), (ret.Alerts, ret.Confirmed, ret.Dismissed, ret.Taskings));
        Assert.Equal(1, ret.DismissedByReason[DismissalReason.NotThePerson]);
        Assert.Equal(1, ret.DismissedByReason[DismissalReason.PoorImage]);
        Assert.Equal(1, ret.ArrestsByOffence["burglary"]);
        Assert.Null(ret.FacesProcessed);

        var markdown = ret.ToMarkdown();
        var json = ret.ToJson();
        _output.WriteLine(markdown);
        Assert.Contains("| Place | Lewisham High Street (51.4613, -0.0106) |", markdown);
        Assert.Contains("| Alerts | 3 |", markdown);
        Assert.Contains("| &nbsp;&nbsp;poor image | 1 |", markdown);
        Assert.Contains("| &nbsp;&nbsp;for burglary | 1 |", markdown);
        Assert.Contains("| Faces processed | not recorded (force policy) |", markdown);
        Assert.Contains("\"dismissedByReason\": {", json);
        Assert.DoesNotContain("facesProcessed", json);
        foreach (var personal in new[] { "E1", "E2", "OP1", "PC1", "PS300", "S100", "capture", "Failed to appear" })
        {
            Assert.DoesNotContain(personal, markdown);
            Assert.DoesNotContain(personal, json);
        }
    }

    [Fact]
    public async Task Return_should_include_an_aggregate_face_count_only_where_the_policy_switch_is_on()
    {
        var room = StartControlRoom(Configured.ControlRoom("Lfr:ControlRoom:Deployments:CountFacesProcessed=true").ApplyTo(Options));
        MakeLive(room.Deployments, D1, Plan(Morning, TimeSpan.FromHours(6)));
        room.Deployments.Tell(new DeploymentProtocol.CountFacesProcessed(D1, 1200));
        room.Deployments.Tell(new DeploymentProtocol.CountFacesProcessed(D1, 345));

        var ret = await DeploymentReturn.BuildAsync(room, D1, RemainingOrDefault);
        Assert.Equal(1545, ret!.FacesProcessed);
        Assert.Null(ret.WatchlistSize);
        Assert.Contains("| Faces processed | 1545 |", ret.ToMarkdown());
        Assert.Contains("\"facesProcessed\": 1545", ret.ToJson());
    }
}
