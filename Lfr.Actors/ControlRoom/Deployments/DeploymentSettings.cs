namespace Lfr.Actors.ControlRoom.Deployments;

/// <summary>Who may sign a deployment off, and the threshold rules; the defaults are the Met's from the seed.</summary>
public sealed record DeploymentSettings
{
    public const double DefaultThreshold = 0.6;

    public string AuthoriserRank { get; init; } = "Superintendent";

    /// <summary>How many officers of <see cref="AuthoriserRank"/> must sign before the deployment is authorised.</summary>
    public int AuthorisationsRequired { get; init; } = 1;

    /// <summary>The Chief Superintendent of the Basic Command Unit that covers the deployment area.</summary>
    public string ApproverRank { get; init; } = "Chief Superintendent";

    /// <summary>How many officers of <see cref="ApproverRank"/> must sign, after the authorisation, before it is approved.</summary>
    public int ApprovalsRequired { get; init; } = 1;

    /// <summary>Lowering the threshold below this needs a fresh authorisation and approval.</summary>
    public double ReauthoriseBelow { get; init; } = DefaultThreshold;

    /// <summary>Operators who must be on duty for the deployment before it may go live.</summary>
    public int OperatorsRequired { get; init; } = 1;

    /// <summary>Engagement officers who must be on duty for the deployment before it may go live.</summary>
    public int OfficersRequired { get; init; } = 2;

    /// <summary>Off by default: the seed's force does not record how many people were scanned.</summary>
    public bool CountFacesProcessed { get; init; }
}
