namespace Lfr.Host.Web.Auth;

/// <summary>The roles a web user may hold (<c>Lfr:Web:Users:NAME:Roles</c>).</summary>
public static class WebRoles
{
    public const string Operator = "operator";
    public const string Officer = "officer";
    public const string Superintendent = "superintendent";
    public const string ChiefSuperintendent = "chief-superintendent";
    public const string WatchlistManager = "watchlist-manager";
    public const string Ops = "ops";

    /// <summary>Oversight: reads deployments, returns, watchlist records and the audit trail; changes nothing.</summary>
    public const string Auditor = "auditor";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        Operator, Officer, Superintendent, ChiefSuperintendent, WatchlistManager, Ops, Auditor,
    };
}

/// <summary>
/// Who may do what: every page and API names one of these. Reading and changing are separate policies, so the
/// auditor is in the reading ones only.
/// </summary>
public static class WebPolicies
{
    public const string Adjudicate = nameof(Adjudicate);
    public const string ViewAlerts = nameof(ViewAlerts);
    public const string Handset = nameof(Handset);
    public const string ViewDeployments = nameof(ViewDeployments);
    public const string RunDeployments = nameof(RunDeployments);
    public const string Authorise = nameof(Authorise);
    public const string Approve = nameof(Approve);
    public const string ViewWatchlists = nameof(ViewWatchlists);
    public const string BuildWatchlists = nameof(BuildWatchlists);
    public const string ViewReturns = nameof(ViewReturns);
    public const string ViewConsole = nameof(ViewConsole);
    public const string ViewLive = nameof(ViewLive);
    public const string ViewAudit = nameof(ViewAudit);
    public const string RestartCameras = nameof(RestartCameras);

    /// <summary>Subject-access requests: a query (audited) that changes nothing, sent as a POST so the reference stays out of URLs.</summary>
    public const string SubjectAccess = nameof(SubjectAccess);
    public const string HoldEvidence = nameof(HoldEvidence);
    public const string ViewEvidence = nameof(ViewEvidence);

    public static readonly IReadOnlyDictionary<string, string[]> Roles = new Dictionary<string, string[]>
    {
        [Adjudicate] = [WebRoles.Operator],
        [ViewAlerts] = [WebRoles.Operator, WebRoles.Auditor],
        [Handset] = [WebRoles.Officer],
        [ViewDeployments] = [WebRoles.Operator, WebRoles.Superintendent, WebRoles.ChiefSuperintendent, WebRoles.WatchlistManager, WebRoles.Ops, WebRoles.Auditor],
        [RunDeployments] = [WebRoles.Operator, WebRoles.Superintendent, WebRoles.ChiefSuperintendent],
        [Authorise] = [WebRoles.Superintendent],
        [Approve] = [WebRoles.ChiefSuperintendent],
        [ViewWatchlists] = [WebRoles.WatchlistManager, WebRoles.Superintendent, WebRoles.ChiefSuperintendent, WebRoles.Ops, WebRoles.Auditor],
        [BuildWatchlists] = [WebRoles.WatchlistManager],
        [ViewReturns] = [WebRoles.Operator, WebRoles.Superintendent, WebRoles.ChiefSuperintendent, WebRoles.Auditor],
        [ViewConsole] = [WebRoles.Ops, WebRoles.Operator, WebRoles.Superintendent, WebRoles.ChiefSuperintendent, WebRoles.Auditor],
        [ViewLive] = [WebRoles.Operator, WebRoles.Ops],
        [ViewAudit] = [WebRoles.Auditor, WebRoles.Superintendent, WebRoles.ChiefSuperintendent],
        [SubjectAccess] = [WebRoles.Auditor],
        [HoldEvidence] = [WebRoles.Operator, WebRoles.Superintendent, WebRoles.ChiefSuperintendent],
        [ViewEvidence] = [WebRoles.Operator, WebRoles.Superintendent, WebRoles.ChiefSuperintendent, WebRoles.Auditor],
        [RestartCameras] = [WebRoles.Ops],
    };
}
