using Akka.Actor;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Alerts;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Officers;
using Lfr.Actors.ControlRoom.Returns;
using Lfr.Actors.ControlRoom.Watchlists;
using Lfr.Vision.Watchlists;
using Xunit.Abstractions;
using static Lfr.Actors.ControlRoom.Officers.OfficerProtocol;
using Lfr.Tests.Fixtures;

namespace Lfr.Tests.Actors.ControlRoom;

public sealed class OfficerSpecs : ControlRoomSpec
{
    private static readonly DeploymentId D1 = new("d-1");
    private static readonly OfficerId Pc1 = new("PC1");
    private static readonly StaffId Operator = new("OP1");
    private readonly ControlRoomActors _room;

    public OfficerSpecs(ITestOutputHelper output) : base(output)
    {
        _room = StartControlRoom(Configured.ControlRoom("Lfr:ControlRoom:Officers:AcknowledgeWithin=2m").ApplyTo(Options));
        _room.Watchlists.Tell(Build("wl-1", Entry("E1"), Entry("E2", WatchlistCategory.WantedWithPowerOfArrest)));
        ExpectMsg<WatchlistProtocol.WatchlistBuilt>();
        MakeLive(_room.Deployments, D1, Plan(Morning, TimeSpan.FromHours(8)));
    }

    /// <summary>Raises an alert and has an operator confirm it, tasking <paramref name="officer"/>.</summary>
    private TaskingId RaiseAndConfirm(string alert, string entry, OfficerId officer)
    {
        _room.Alerts.Tell(Candidate(alert, entry));
        ExpectMsg<AlertProtocol.CandidateAccepted>();
        AwaitAssert(() =>
        {
            _room.Alerts.Tell(new AlertProtocol.GetAlert(D1, new AlertId(alert)));
            Assert.NotNull(ExpectMsg<AlertView>().Record);
        });
        _room.Alerts.Tell(new AlertProtocol.Confirm(D1, new AlertId(alert), Operator, [officer]));
        return ExpectMsg<AlertView>().Taskings.Single();
    }

    [Fact]
    public async Task Officer_should_receive_the_record_and_images_acknowledge_and_record_an_arrest_that_the_return_counts()
    {
        _room.Officers.Tell(new GoOnDuty(Pc1));
        ExpectMsg<OfficerState>(s => s.OnDuty && s.Available);
        var tasking = RaiseAndConfirm("a-1", "E1", Pc1);

        OfficerState state = null!;
        await AwaitAssertAsync(async () =>
        {
            state = await _room.Officers.Ask<OfficerState>(new GetOfficer(Pc1), RemainingOrDefault);
            Assert.NotNull(state.Current);
        });
        Assert.Equal(tasking, state.Current!.Tasking.Id);
        Assert.Equal("Failed to appear: theft", state.Current.Tasking.Record!.Reason);
        Assert.Single(state.Current.Tasking.Captures);

        _room.Officers.Tell(new GoOffDuty(Pc1));
        Assert.Contains("record its outcome first", ExpectMsg<Refused>().Reason);
        _room.Officers.Tell(new Acknowledge(Pc1, tasking));
        ExpectMsg<OfficerState>(s => s.Current!.Status == TaskingStatus.Acknowledged && s.Current.AcknowledgedAt == Morning);
        _room.Officers.Tell(new RecordOutcome(Pc1, tasking, new Outcome(OutcomeKind.Arrested)));
        Assert.Contains("needs the offence", ExpectMsg<Refused>().Reason);
        _room.Officers.Tell(new RecordOutcome(Pc1, tasking, new Outcome(OutcomeKind.Arrested, "Theft")));
        ExpectMsg<OfficerState>(s => s.Current == null && s.Completed.Single().Outcome!.Kind == OutcomeKind.Arrested);

        DeploymentReturn? ret = null;
        await AwaitAssertAsync(async () =>
        {
            ret = await DeploymentReturn.BuildAsync(_room, D1, RemainingOrDefault);
            Assert.Equal(1, ret?.Arrests);
        });
        Assert.Equal(1, ret!.Taskings);
        Assert.Equal(1, ret.Outcomes[OutcomeKind.Arrested]);
        Assert.Equal(1, ret.ArrestsByOffence["theft"]);

        var trail = await _room.Audit.Ask<AuditProtocol.Trail>(new AuditProtocol.GetTrail("d-1"), RemainingOrDefault);
        Assert.Equal(
            [AuditKind.WatchlistBuilt, AuditKind.WatchlistComposed, AuditKind.DeploymentPlanned, AuditKind.DeploymentAuthorised, AuditKind.DeploymentApproved,
                AuditKind.SignageRecorded, AuditKind.SignageConfirmed, AuditKind.CrewOnDuty, AuditKind.CrewOnDuty, AuditKind.CrewOnDuty,
                AuditKind.DeploymentLive, AuditKind.AlertRaised, AuditKind.AlertConfirmed, AuditKind.TaskingIssued, AuditKind.TaskingAcknowledged, AuditKind.OutcomeRecorded],
            trail.Entries.Select(e => e.Kind));
    }

    [Fact]
    public void Officer_should_be_escalated_to_the_operators_when_a_tasking_is_not_acknowledged_in_time()
    {
        var (operators, tasking) = TaskPc1WhileOperatorsListenForEscalations();

        Clock.Advance(TimeSpan.FromSeconds(119));
        operators.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Clock.Advance(TimeSpan.FromSeconds(1));
        var escalated = operators.ExpectMsg<TaskingEscalated>();
        Assert.Equal(tasking, escalated.Tasking);
        Assert.Equal(new AlertId("a-1"), escalated.Alert);

        // the officer can still acknowledge late, and is not escalated twice
        _room.Officers.Tell(new Acknowledge(Pc1, tasking));
        ExpectMsg<OfficerState>(s => s.Current!.Status == TaskingStatus.Acknowledged);
        Clock.Advance(TimeSpan.FromMinutes(5));
        operators.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Officer_should_still_be_escalated_when_the_control_room_restarted_before_the_tasking_was_acknowledged()
    {
        var (operators, tasking) = TaskPc1WhileOperatorsListenForEscalations();
        Watch(_room.Officers);
        Sys.Stop(_room.Officers);
        ExpectTerminated(_room.Officers);

        Sys.ActorOf(OfficersActor.Props(new OfficerSettings { AcknowledgeWithin = TimeSpan.FromMinutes(2) }, _room.Watchlists, _room.Audit, Clock),
            "officers-again");
        Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(tasking, operators.ExpectMsg<TaskingEscalated>().Tasking);
    }

    [Fact]
    public async Task Officers_list_should_restart_only_officers_on_duty_and_start_a_retired_one_again_from_their_journal()
    {
        var pc2 = new OfficerId("PC2");
        _room.Officers.Tell(new GoOnDuty(Pc1));
        ExpectMsg<OfficerState>();
        _room.Officers.Tell(new GoOnDuty(pc2));
        ExpectMsg<OfficerState>();
        _room.Officers.Tell(new SetAvailable(pc2, false));
        ExpectMsg<OfficerState>();
        _room.Officers.Tell(new GoOffDuty(pc2));
        ExpectMsg<OfficerState>(s => !s.OnDuty);
        // the retirement is persisted after the reply; a question to the list afterwards is answered after it
        _room.Officers.Tell(new GetOfficer(Pc1));
        ExpectMsg<OfficerState>();

        Watch(_room.Officers);
        Sys.Stop(_room.Officers);
        ExpectTerminated(_room.Officers);
        var again = Sys.ActorOf(OfficersActor.Props(new OfficerSettings(), _room.Watchlists, _room.Audit, Clock), "officers-again");

        await AwaitAssertAsync(async () => await Sys.ActorSelection(again.Path / "PC1").ResolveOne(TimeSpan.FromSeconds(1)));
        // an officer who went off duty with nothing open is not restarted
        await Assert.ThrowsAsync<ActorNotFoundException>(() => Sys.ActorSelection(again.Path / "PC2").ResolveOne(TimeSpan.FromMilliseconds(300)));
        again.Tell(new GetOfficer(pc2));
        var state = ExpectMsg<OfficerState>();
        Assert.False(state.OnDuty);
        Assert.False(state.Available);
    }

    [Fact]
    public void Officer_should_not_take_a_tasking_off_duty_or_while_unavailable_and_the_operators_are_told()
    {
        var operators = CreateTestProbe();
        Sys.EventStream.Subscribe(operators, typeof(Refused));
        RaiseAndConfirm("a-1", "E1", Pc1);
        Assert.Contains("off duty", operators.ExpectMsg<Refused>().Reason);

        _room.Officers.Tell(new GoOnDuty(Pc1));
        ExpectMsg<OfficerState>();
        _room.Officers.Tell(new SetAvailable(Pc1, false));
        ExpectMsg<OfficerState>(s => !s.Available);
        RaiseAndConfirm("a-2", "E2", Pc1);
        Assert.Contains("not available", operators.ExpectMsg<Refused>().Reason);
    }

    /// <summary>PC1 on duty and tasked with a confirmed alert; a probe hears every escalation to the operators.</summary>
    private (Akka.TestKit.TestProbe Operators, TaskingId Tasking) TaskPc1WhileOperatorsListenForEscalations()
    {
        var operators = CreateTestProbe();
        Sys.EventStream.Subscribe(operators, typeof(TaskingEscalated));
        _room.Officers.Tell(new GoOnDuty(Pc1));
        ExpectMsg<OfficerState>();
        var tasking = RaiseAndConfirm("a-1", "E1", Pc1);
        AwaitAssert(() =>
        {
            _room.Officers.Tell(new GetOfficer(Pc1));
            Assert.NotNull(ExpectMsg<OfficerState>().Current);
        });
        return (operators, tasking);
    }
}
