using Akka.Actor;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Tests.Fixtures;
using Xunit.Abstractions;
using static Lfr.Actors.ControlRoom.Deployments.DeploymentProtocol;

namespace Lfr.Tests.Actors.ControlRoom;

/// <summary>
/// The control room's policies set as a force sets them, in configuration (<c>Lfr:ControlRoom:...</c>), changing what the
/// actors decide: who signs a deployment off and the threshold's floor (retention: RetentionSpecs; merge and urgency: AlertSpecs).
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
}
