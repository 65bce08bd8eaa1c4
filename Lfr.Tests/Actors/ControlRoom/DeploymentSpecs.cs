using Akka.Actor;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Actors.ControlRoom.Deployments;
using Xunit.Abstractions;
using static Lfr.Actors.ControlRoom.Deployments.DeploymentProtocol;
using Lfr.Tests.Fixtures;

namespace Lfr.Tests.Actors.ControlRoom;

public sealed class DeploymentSpecs : ControlRoomSpec
{
    private readonly IActorRef _audit;
    private readonly IActorRef _deployments;

    public DeploymentSpecs(ITestOutputHelper output) : base(output)
    {
        _audit = Sys.ActorOf(AuditLogActor.Props(Clock), "audit");
        _deployments = Sys.ActorOf(DeploymentsActor.Props(new DeploymentSettings(), _audit, Clock), "deployments");
    }

    [Fact]
    public async Task Deployments_should_answer_for_an_id_never_planned_without_starting_an_actor_for_it()
    {
        _deployments.Tell(new GetDeployment(new DeploymentId("nowhere")));
        Assert.Equal(DeploymentStatus.NotPlanned, ExpectMsg<DeploymentState>().Status);

        var child = await Sys.ActorSelection(_deployments.Path / "nowhere").ResolveOne(TimeSpan.FromSeconds(3)).ContinueWith(t => t.IsCompletedSuccessfully);
        Assert.False(child);
    }

    [Fact]
    public void Deployment_should_go_live_only_after_authorisation_by_a_superintendent_approval_by_another_chief_superintendent_and_signage()
    {
        var id = new DeploymentId("d-1");
        var vans = CreateTestProbe();
        Sys.EventStream.Subscribe(vans, typeof(DeploymentStarted));

        _deployments.Tell(Readiness.Composed(id, new Lfr.Actors.ControlRoom.Watchlists.WatchlistId("wl-1")));
        _deployments.Tell(new PlanDeployment(id, Plan(Morning, TimeSpan.FromHours(6)), Sergeant));
        ExpectMsg<DeploymentState>(s => s.Status == DeploymentStatus.Draft);

        _deployments.Tell(new GoLive(id, Sergeant));
        Assert.Contains("only an approved deployment", ExpectMsg<Refused>().Reason);

        _deployments.Tell(new Authorise(id, new Signatory(new StaffId("I1"), "Inspector")));
        Assert.Contains("needs a Superintendent", ExpectMsg<Refused>().Reason);
        _deployments.Tell(new Authorise(id, Superintendent));
        ExpectMsg<DeploymentState>(s => s.Status == DeploymentStatus.Authorised);

        // the same officer holding both ranks still cannot approve what they authorised
        _deployments.Tell(new Approve(id, Superintendent with { Rank = "Chief Superintendent" }));
        Assert.Contains("different person", ExpectMsg<Refused>().Reason);
        _deployments.Tell(new Approve(id, ChiefSuperintendent));
        ExpectMsg<DeploymentState>(s => s.Status == DeploymentStatus.Approved);

        _deployments.Tell(new GoLive(id, Sergeant));
        Assert.Contains("signage", ExpectMsg<Refused>().Reason);
        vans.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        foreach (var command in Readiness.Commands(id, Sergeant))
        {
            _deployments.Tell(command);
            ExpectMsg<DeploymentState>();
        }
        _deployments.Tell(new GoLive(id, Sergeant));
        ExpectMsg<DeploymentState>(s => s.Status == DeploymentStatus.Live && s.LiveAt == Morning);

        var started = vans.ExpectMsg<DeploymentStarted>();
        Assert.Equal(0.6, started.Threshold);
        Assert.Equal("wl-1", started.Watchlist.Value);
    }

    [Fact]
    public void Deployment_should_need_as_many_different_signatures_as_configured()
    {
        var deployments = Sys.ActorOf(DeploymentsActor.Props(Configured.ControlRoom("Lfr:ControlRoom:Deployments:AuthorisationsRequired=2").Deployments, _audit, Clock, "deployments-2"));
        var id = new DeploymentId("d-8");
        deployments.Tell(new PlanDeployment(id, Plan(Morning, TimeSpan.FromHours(6)), Sergeant));
        ExpectMsg<DeploymentState>();

        deployments.Tell(new Authorise(id, Superintendent));
        ExpectMsg<DeploymentState>(s => s.Status == DeploymentStatus.Draft && s.Authorisations.Count == 1);
        deployments.Tell(new Authorise(id, Superintendent));
        Assert.Contains("different person", ExpectMsg<Refused>().Reason);
        deployments.Tell(new Approve(id, ChiefSuperintendent));
        Assert.Contains("only an authorised deployment", ExpectMsg<Refused>().Reason);

        deployments.Tell(new Authorise(id, new Signatory(new StaffId("S101"), "superintendent")));
        ExpectMsg<DeploymentState>(s => s.Status == DeploymentStatus.Authorised && s.Authorisations.Count == 2);
        deployments.Tell(new Approve(id, ChiefSuperintendent));
        ExpectMsg<DeploymentState>(s => s.Status == DeploymentStatus.Approved);
    }

    [Fact]
    public void Deployment_should_need_reauthorisation_when_the_threshold_is_lowered_below_the_floor_but_not_when_raised()
    {
        var id = new DeploymentId("d-2");
        var vans = CreateTestProbe();
        Sys.EventStream.Subscribe(vans, typeof(DeploymentThresholdChanged));
        Sys.EventStream.Subscribe(vans, typeof(DeploymentSuspended));
        MakeLive(_deployments, id, Plan(Morning, TimeSpan.FromHours(6)));

        _deployments.Tell(new ChangeThreshold(id, 0.7, Sergeant));
        ExpectMsg<DeploymentState>(s => s.Status == DeploymentStatus.Live && s.Plan!.Threshold == 0.7);
        Assert.Equal(0.7, vans.ExpectMsg<DeploymentThresholdChanged>().Threshold);

        // back down to the floor is still no lower than what was authorised
        _deployments.Tell(new ChangeThreshold(id, 0.6, Sergeant));
        ExpectMsg<DeploymentState>(s => s.Status == DeploymentStatus.Live);
        vans.ExpectMsg<DeploymentThresholdChanged>();

        _deployments.Tell(new ChangeThreshold(id, 0.55, Sergeant));
        ExpectMsg<DeploymentState>(s => s.Status == DeploymentStatus.Draft && s.Authorisations.Count == 0 && s.Approvals.Count == 0);
        vans.ExpectMsg<DeploymentSuspended>();

        _deployments.Tell(new GoLive(id, Sergeant));
        ExpectMsg<Refused>();
        _deployments.Tell(new Authorise(id, Superintendent));
        ExpectMsg<DeploymentState>(s => s.Status == DeploymentStatus.Authorised);
    }

    [Fact]
    public void Deployment_should_end_itself_when_its_time_window_closes()
    {
        var id = new DeploymentId("d-3");
        var vans = CreateTestProbe();
        Sys.EventStream.Subscribe(vans, typeof(DeploymentEnded));
        MakeLive(_deployments, id, Plan(Morning, TimeSpan.FromHours(6), watchlist: "wl-3"));

        Clock.Advance(TimeSpan.FromHours(5));
        vans.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Clock.Advance(TimeSpan.FromHours(1));

        var ended = vans.ExpectMsg<DeploymentEnded>();
        Assert.Equal("wl-3", ended.Watchlist.Value);
        _deployments.Tell(new GetDeployment(id));
        ExpectMsg<DeploymentState>(s => s.Status == DeploymentStatus.Ended && s.EndReason == "its time window closed");
        _deployments.Tell(new GoLive(id, Sergeant));
        ExpectMsg<Refused>();
    }

    [Fact]
    public void Deployment_should_tell_the_vans_again_and_still_end_on_time_after_a_restart_with_no_command_sent_to_it()
    {
        var id = new DeploymentId("d-7");
        var vans = CreateTestProbe();
        Sys.EventStream.Subscribe(vans, typeof(DeploymentStarted));
        Sys.EventStream.Subscribe(vans, typeof(DeploymentEnded));
        MakeLive(_deployments, id, Plan(Morning, TimeSpan.FromHours(2)));
        vans.ExpectMsg<DeploymentStarted>();
        Watch(_deployments);
        Sys.Stop(_deployments);
        ExpectTerminated(_deployments);

        Sys.ActorOf(DeploymentsActor.Props(new DeploymentSettings(), _audit, Clock), "deployments-again");
        Assert.Equal(id, vans.ExpectMsg<DeploymentStarted>().Deployment);
        Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(id, vans.ExpectMsg<DeploymentEnded>().Deployment);
    }

    [Fact]
    public void Deployment_should_only_end_after_a_restart_if_its_window_closed_while_the_node_was_down()
    {
        var id = new DeploymentId("d-9");
        var vans = CreateTestProbe();
        MakeLive(_deployments, id, Plan(Morning, TimeSpan.FromHours(2)));
        Watch(_deployments);
        Sys.Stop(_deployments);
        ExpectTerminated(_deployments);
        Sys.EventStream.Subscribe(vans, typeof(DeploymentStarted));
        Sys.EventStream.Subscribe(vans, typeof(DeploymentEnded));

        Clock.Advance(TimeSpan.FromHours(3));
        Sys.ActorOf(DeploymentsActor.Props(new DeploymentSettings(), _audit, Clock), "deployments-again");
        Assert.Equal(id, vans.ExpectMsg<DeploymentEnded>().Deployment);
        vans.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Deployment_should_refuse_to_go_live_before_its_window_opens()
    {
        var id = new DeploymentId("d-4");
        MakeReady(_deployments, id, Plan(Morning.AddHours(2), TimeSpan.FromHours(4)));
        _deployments.Tell(new GoLive(id, Sergeant));
        Assert.Contains("outside the deployment's time window", ExpectMsg<Refused>().Reason);

        Clock.Advance(TimeSpan.FromHours(2));
        _deployments.Tell(new GoLive(id, Sergeant));
        ExpectMsg<DeploymentState>(s => s.Status == DeploymentStatus.Live);
    }

    [Fact]
    public void Deployment_should_not_count_faces_processed_unless_the_policy_switch_is_on()
    {
        var id = new DeploymentId("d-5");
        _deployments.Tell(new CountFacesProcessed(id, 120));
        Assert.Contains("policy switch off", ExpectMsg<Refused>().Reason);
    }

    [Fact]
    public async Task Deployment_should_record_each_authority_step_in_the_audit_log()
    {
        var id = new DeploymentId("d-6");
        MakeLive(_deployments, id, Plan(Morning, TimeSpan.FromHours(1)));

        var trail = await _audit.Ask<AuditProtocol.Trail>(new AuditProtocol.GetTrail("d-6"), RemainingOrDefault);
        Assert.Equal(
        [
            AuditKind.WatchlistComposed, AuditKind.DeploymentPlanned, AuditKind.DeploymentAuthorised, AuditKind.DeploymentApproved, AuditKind.SignageRecorded,
            AuditKind.SignageConfirmed, AuditKind.CrewOnDuty, AuditKind.CrewOnDuty, AuditKind.CrewOnDuty, AuditKind.DeploymentLive,
        ], trail.Entries.Select(e => e.Kind));
        Assert.Equal(["system", "PS300", "S100", "C200", "PS300", "PS300", "OP1", "PC1", "PC2", "PS300"], trail.Entries.Select(e => e.Who));
        Assert.Contains("total=1", trail.Entries.Single(e => e.Kind == AuditKind.DeploymentAuthorised).Detail);
    }
}
