namespace Lfr.Actors.ControlRoom.Deployments;

/// <summary>Who may sign a deployment off, and the threshold rules; the defaults are the Met's from the seed.</summary>
public sealed record DeploymentSettings
{
    public const double DefaultThreshold = 0.6;

    public string AuthoriserRank { get; init; } = "Superintendent";

    /// <summary>The Chief Superintendent of the Basic Command Unit that covers the deployment area.</summary>
    public string ApproverRank { get; init; } = "Chief Superintendent";

    /// <summary>Lowering the threshold below this needs a fresh authorisation and approval.</summary>
    public double ReauthoriseBelow { get; init; } = DefaultThreshold;

    /// <summary>Off by default: the seed's force does not record how many people were scanned.</summary>
    public bool CountFacesProcessed { get; init; }
}
