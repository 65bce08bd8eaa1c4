using Lfr.Actors.ControlRoom.Watchlists;

namespace Lfr.Actors.ControlRoom.Deployments;

public readonly record struct DeploymentId(string Value)
{
    public override string ToString() => Value;
}

public sealed record Place(string Name, double Latitude, double Longitude);

/// <summary>When a deployment may run: from <see cref="Start"/> (inclusive) to <see cref="End"/> (exclusive).</summary>
public sealed record TimeWindow(DateTimeOffset Start, DateTimeOffset End)
{
    public bool Contains(DateTimeOffset instant) => instant >= Start && instant < End;
}

/// <summary>
/// What is asked for when a deployment is planned; the authorisers sign exactly this. Each camera is named
/// <c>VAN/CAMERA</c>, so the plan also says which vans (nodes) may load its watchlist.
/// </summary>
public sealed record DeploymentPlan(
    Place Place,
    TimeWindow Window,
    IReadOnlyList<string> Cameras,
    string Purpose,
    WatchlistId Watchlist,
    double Threshold = DeploymentSettings.DefaultThreshold,
    DeploymentCase? Case = null)
{
    public IEnumerable<string> Vans => VansOf(Cameras);

    /// <summary>The vans of cameras named <c>VAN/CAMERA</c>.</summary>
    public static IEnumerable<string> VansOf(IEnumerable<string> cameras) => cameras.Select(c => c.Split('/', 2)[0]).Distinct(StringComparer.Ordinal);
}

/// <summary>Someone who signs: the rank is checked against <see cref="DeploymentSettings"/>.</summary>
public sealed record Signatory(StaffId Id, string Rank);

public enum DeploymentStatus
{
    NotPlanned,
    Draft,
    Authorised,
    Approved,
    Live,
    Ended,
}

/// <summary>
/// The case the authorisers sign beside the plan: the law relied on, why live facial recognition is necessary and
/// proportionate here, what else was considered, and the Basic Command Unit or area it serves. A plan may be drafted
/// without it; it cannot be authorised until every part is there.
/// </summary>
public sealed record DeploymentCase(string LegalBasis, string NecessityAndProportionality, string AlternativesConsidered, string Area)
{
    /// <summary>The parts still blank, as a person would name them.</summary>
    public IEnumerable<string> Missing()
    {
        if (string.IsNullOrWhiteSpace(LegalBasis)) yield return "the legal basis";
        if (string.IsNullOrWhiteSpace(NecessityAndProportionality)) yield return "why it is necessary and proportionate";
        if (string.IsNullOrWhiteSpace(AlternativesConsidered)) yield return "the alternatives considered";
        if (string.IsNullOrWhiteSpace(Area)) yield return "the BCU or area";
    }
}

/// <summary>Who works a deployment: its operators at the control room and the engagement officers on the ground.</summary>
public enum CrewRole
{
    Operator,
    Officer,
}

public sealed record CrewMember(StaffId Staff, CrewRole Role, DateTimeOffset Since);

/// <summary>One approach to the zone and its sign: a photo's reference or the sign's own reference.</summary>
public sealed record SignageSign(string Approach, string Evidence, StaffId By, DateTimeOffset At);

/// <summary>The watchlist built for a deployment, by category: what the authorisers see and sign (counts only).</summary>
public sealed record WatchlistComposition(WatchlistId Watchlist, CategoryCounts Counts, DateTimeOffset At);

/// <summary>A signed-off deployment sent back to Draft because what was signed changed: when, by whom, and what changed.</summary>
public sealed record ApprovalVoided(DateTimeOffset At, StaffId By, DeploymentStatus Was, string Changes);

public static class DeploymentProtocol
{
    public interface IDeploymentCommand
    {
        DeploymentId Deployment { get; }
    }

    public sealed record PlanDeployment(DeploymentId Deployment, DeploymentPlan Plan, StaffId By) : IDeploymentCommand;

    /// <summary>"Approved signage on all approaches", checked on site by a named officer.</summary>
    public sealed record ConfirmSignage(DeploymentId Deployment, StaffId Officer) : IDeploymentCommand;

    /// <summary>One approach and its sign on the signage checklist (again for the same approach: replaces it).</summary>
    public sealed record RecordSign(DeploymentId Deployment, string Approach, string Evidence, StaffId By) : IDeploymentCommand;

    public sealed record RemoveSign(DeploymentId Deployment, string Approach, StaffId By) : IDeploymentCommand;

    /// <summary>A changed plan; a change of place, window, watchlist or threshold voids the signatures already given.</summary>
    public sealed record AmendPlan(DeploymentId Deployment, DeploymentPlan Plan, StaffId By) : IDeploymentCommand;

    /// <summary>Someone comes on duty for this deployment (an operator at the control room, or an engagement officer).</summary>
    public sealed record BookOn(DeploymentId Deployment, StaffId Staff, CrewRole Role) : IDeploymentCommand;

    public sealed record BookOff(DeploymentId Deployment, StaffId Staff) : IDeploymentCommand;

    /// <summary>
    /// From the watchlist authority whenever the watchlist built for this deployment changes (counts by category only);
    /// answered with nothing. A change after authorisation voids it.
    /// </summary>
    public sealed record WatchlistComposed(DeploymentId Deployment, WatchlistId Watchlist, CategoryCounts Counts) : IDeploymentCommand;

    public sealed record Authorise(DeploymentId Deployment, Signatory By) : IDeploymentCommand;

    public sealed record Approve(DeploymentId Deployment, Signatory By) : IDeploymentCommand;

    public sealed record GoLive(DeploymentId Deployment, StaffId By) : IDeploymentCommand;

    public sealed record EndDeployment(DeploymentId Deployment, StaffId By, string Reason) : IDeploymentCommand;

    public sealed record ChangeThreshold(DeploymentId Deployment, double Threshold, StaffId By) : IDeploymentCommand;

    /// <summary>
    /// An aggregate count of faces processed from a van; kept only where the force's policy turns it on
    /// (<see cref="DeploymentSettings.CountFacesProcessed"/>), and never per person.
    /// </summary>
    public sealed record CountFacesProcessed(DeploymentId Deployment, long Count) : IDeploymentCommand;

    public sealed record GetDeployment(DeploymentId Deployment) : IDeploymentCommand;

    /// <summary>Which deployments have not ended (answered once the deployments have recovered after a restart).</summary>
    public sealed record GetOpenDeployments
    {
        public static GetOpenDeployments Instance { get; } = new();
        private GetOpenDeployments() { }
    }

    public sealed record OpenDeployments(IReadOnlyList<DeploymentId> Deployments);

    /// <summary>The reply to a command that was not carried out, with the reason an operator can act on.</summary>
    public sealed record Refused(DeploymentId Deployment, string Reason);

    /// <summary>Published on the event stream for vans: they may process frames for this deployment now.</summary>
    public sealed record DeploymentStarted(
        DeploymentId Deployment, WatchlistId Watchlist, double Threshold, IReadOnlyList<string> Cameras, DateTimeOffset WindowEnd)
    {
        public IEnumerable<string> Vans => DeploymentPlan.VansOf(Cameras);
    }

    /// <summary>Published when a live deployment's threshold is raised; vans apply it at once.</summary>
    public sealed record DeploymentThresholdChanged(DeploymentId Deployment, double Threshold);

    /// <summary>Published when a live deployment goes back for re-authorisation: vans stop processing until it starts again.</summary>
    public sealed record DeploymentSuspended(DeploymentId Deployment, string Reason);

    /// <summary>Published once a deployment has ended: vans stop, and its watchlist is wiped.</summary>
    public sealed record DeploymentEnded(DeploymentId Deployment, WatchlistId Watchlist, DateTimeOffset At);
}
