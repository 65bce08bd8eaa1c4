using Akka.Actor;
using Lfr.Actors.ControlRoom.Alerts;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom;
using Lfr.Tests.Fixtures;
using Xunit.Abstractions;
using static Lfr.Actors.ControlRoom.Deployments.DeploymentProtocol;

namespace Lfr.Tests.Actors.ControlRoom;

/// <summary>
/// The control room's policies set as a force sets them, in configuration (<c>Lfr:ControlRoom:...</c>), changing what the
/// actors decide: who signs a deployment off, the threshold's floor, how long captures are kept.
/// </summary>
public sealed class PolicySettingsSpecs(ITestOutputHelper output) : ControlRoomSpec(output)
{
    [Fact]
    public void Deployments_should_be_signed_off_by_the_configured_ranks_as_many_times_as_configured()
    {
        var settings = Configured.ControlRoom(
            "Lfr:ControlRoom:Deployments:AuthoriserRank=Chief Inspector",
            "Lfr:ControlRoom:Deployments:ApproverRank=Superintendent",
            "Lfr:ControlRoom:Deployments:ApprovalsRequired=2");
        var deployments = Sys.ActorOf(DeploymentsActor.Props(settings.Deployments, Sys.ActorOf(AuditLogActor.Props(Clock)), Clock));
        var id = new DeploymentId("d-ranks");
        deployments.Tell(new PlanDeployment(id, Plan(Morning, TimeSpan.FromHours(6)), Sergeant));
        ExpectMsg<DeploymentState>();

        deployments.Tell(new Authorise(id, Superintendent));
        Assert.Contains("needs a Chief Inspector", ExpectMsg<Refused>().Reason);
        deployments.Tell(new Authorise(id, new Signatory(new("CI1"), "Chief Inspector")));
        ExpectMsg<DeploymentState>(s => s.Status == DeploymentStatus.Authorised);
        deployments.Tell(new Approve(id, ChiefSuperintendent));
        Assert.Contains("Superintendent", ExpectMsg<Refused>().Reason);
        deployments.Tell(new Approve(id, Superintendent));
        ExpectMsg<DeploymentState>(s => s.Status == DeploymentStatus.Authorised && s.Approvals.Count == 1);
        deployments.Tell(new Approve(id, new Signatory(new("S2"), "Superintendent")));
        ExpectMsg<DeploymentState>(s => s.Status == DeploymentStatus.Approved);
    }

    [Fact]
    public void Deployments_should_go_back_for_authorisation_below_the_configured_floor_only()
    {
        var settings = Configured.ControlRoom("Lfr:ControlRoom:Deployments:ReauthoriseBelow=0.7");
        var deployments = Sys.ActorOf(DeploymentsActor.Props(settings.Deployments, Sys.ActorOf(AuditLogActor.Props(Clock)), Clock));
        var id = new DeploymentId("d-floor");
        MakeLive(deployments, id, Plan(Morning, TimeSpan.FromHours(6), threshold: 0.8));

        deployments.Tell(new ChangeThreshold(id, 0.72, Sergeant));
        ExpectMsg<DeploymentState>(s => s.Status == DeploymentStatus.Live && s.Plan!.Threshold == 0.72);
        // 0.65 is above the seed's 0.6, but below this force's floor
        deployments.Tell(new ChangeThreshold(id, 0.65, Sergeant));
        ExpectMsg<DeploymentState>(s => s.Status == DeploymentStatus.Draft && s.Authorisations.Count == 0);
    }

    [Fact]
    public async Task Retention_should_purge_captures_after_the_configured_period()
    {
        var room = StartControlRoom(Configured.ControlRoom(
            "Lfr:ControlRoom:Retention:CaptureRetention=2d", "Lfr:ControlRoom:Retention:SweepInterval=10m").ApplyTo(Options));
        MakeLive(room.Deployments, new DeploymentId("d-1"), Plan(Morning, TimeSpan.FromHours(8)));
        room.Alerts.Tell(Candidate("a-1", "E1"));
        ExpectMsg<AlertProtocol.CandidateAccepted>();
        room.Alerts.Tell(new AlertProtocol.GetAlert(new("d-1"), new AlertId("a-1")));
        var capture = ExpectMsg<AlertView>().Captures.Single().Image;

        Clock.Advance(TimeSpan.FromDays(2) - TimeSpan.FromMinutes(30));
        room.Alerts.Tell(new AlertProtocol.ViewImage(new("d-1"), new AlertId("a-1"), capture, new StaffId("OP1")));
        Assert.NotNull(ExpectMsg<AlertProtocol.ImageView>().Jpeg);

        Clock.Advance(TimeSpan.FromMinutes(40));
        await AwaitAssertAsync(async () =>
        {
            var trail = await room.Audit.Ask<AuditProtocol.Trail>(new AuditProtocol.GetTrail(), RemainingOrDefault);
            Assert.Contains(trail.Entries, e => e is { Kind: AuditKind.ImagesPurged, Detail: "count=1" });
        });
        room.Alerts.Tell(new AlertProtocol.ViewImage(new("d-1"), new AlertId("a-1"), capture, new StaffId("OP1")));
        Assert.Null(ExpectMsg<AlertProtocol.ImageView>().Jpeg);
    }
}
