using System.ComponentModel;
using Lfr.Actors.Settings;

namespace Lfr.Actors.ControlRoom.Deployments;

/// <summary>Who may sign a deployment off, and the threshold rules; the defaults are the Met's from the seed.</summary>
public sealed record DeploymentSettings : ICheckedSettings
{
    public const double DefaultThreshold = 0.6;

    [Description("the likelihood threshold a new deployment is planned with (the planner may change it)")]
    public double Threshold { get; init; } = DefaultThreshold;

    [Description("the rank that authorises a deployment")]
    public string AuthoriserRank { get; init; } = "Superintendent";

    /// <summary>How many officers of <see cref="AuthoriserRank"/> must sign before the deployment is authorised.</summary>
    [Description("how many different officers of that rank must authorise")]
    public int AuthorisationsRequired { get; init; } = 1;

    /// <summary>The Chief Superintendent of the Basic Command Unit that covers the deployment area.</summary>
    [Description("the rank that approves it after the authorisation (another person)")]
    public string ApproverRank { get; init; } = "Chief Superintendent";

    /// <summary>How many officers of <see cref="ApproverRank"/> must sign, after the authorisation, before it is approved.</summary>
    [Description("how many different officers of that rank must approve")]
    public int ApprovalsRequired { get; init; } = 1;

    /// <summary>Lowering the threshold below this needs a fresh authorisation and approval.</summary>
    [Description("the threshold's floor: lowering a deployment's threshold below it sends it back for authorisation and approval")]
    public double ReauthoriseBelow { get; init; } = DefaultThreshold;

    /// <summary>Operators who must be on duty for the deployment before it may go live.</summary>
    [Description("operators who must be on duty for a deployment before it goes live")]
    public int OperatorsRequired { get; init; } = 1;

    /// <summary>Engagement officers who must be on duty for the deployment before it may go live.</summary>
    [Description("engagement officers who must be on duty for a deployment before it goes live")]
    public int OfficersRequired { get; init; } = 2;

    /// <summary>Off by default: the seed's force does not record how many people were scanned.</summary>
    [Description("count the faces processed per deployment in its return (never per person)")]
    public bool CountFacesProcessed { get; init; }

    public IEnumerable<(string Key, string Problem)> Problems()
    {
        if (Threshold is <= 0 or > 1)
            yield return (nameof(Threshold), $"{Threshold} is outside (0, 1]");
        if (ReauthoriseBelow is <= 0 or > 1)
            yield return (nameof(ReauthoriseBelow), $"{ReauthoriseBelow} is outside (0, 1]");
        if (string.IsNullOrWhiteSpace(AuthoriserRank))
            yield return (nameof(AuthoriserRank), "empty");
        if (string.IsNullOrWhiteSpace(ApproverRank))
            yield return (nameof(ApproverRank), "empty");
        if (AuthorisationsRequired is < 1 or > 10)
            yield return (nameof(AuthorisationsRequired), $"{AuthorisationsRequired} is outside 1-10");
        if (ApprovalsRequired is < 1 or > 10)
            yield return (nameof(ApprovalsRequired), $"{ApprovalsRequired} is outside 1-10");
        if (OperatorsRequired is < 1 or > 20)
            yield return (nameof(OperatorsRequired), $"{OperatorsRequired} is outside 1-20");
        if (OfficersRequired is < 1 or > 50)
            yield return (nameof(OfficersRequired), $"{OfficersRequired} is outside 1-50");
    }
}
