using Lfr.Actors.ControlRoom.Audit;
using static Lfr.Actors.ControlRoom.Deployments.DeploymentActor;
using static Lfr.Actors.ControlRoom.Deployments.DeploymentProtocol;

namespace Lfr.Actors.ControlRoom.Deployments;

/// <summary>
/// A deployment and every decision about it, in plain C#: <see cref="Decide"/> turns a command into the events to
/// persist (or a refusal with its reason), and <see cref="Apply"/> is the only way an event changes the state, so the
/// actor's recovery, its commands and a read-only replay (<c>lfr report</c>) all agree.
/// </summary>
public sealed record DeploymentState(
    DeploymentId Id,
    DeploymentStatus Status,
    DeploymentPlan? Plan,
    StaffId? SignageConfirmedBy,
    IReadOnlyList<Signatory> Authorisations,
    IReadOnlyList<Signatory> Approvals,
    DateTimeOffset? LiveAt,
    DateTimeOffset? EndedAt,
    string? EndReason,
    long? FacesProcessed)
{
    public static DeploymentState NotPlanned(DeploymentId id) => new(id, DeploymentStatus.NotPlanned, null, null, [], [], null, null, null, null);

    /// <summary>The watchlist the watchlist authority last reported built for this deployment.</summary>
    public WatchlistComposition? Watchlist { get; init; }

    /// <summary>Who is on duty for it now.</summary>
    public IReadOnlyList<CrewMember> Crew { get; init; } = [];

    /// <summary>The signage checklist: each approach and its sign.</summary>
    public IReadOnlyList<SignageSign> Signs { get; init; } = [];

    /// <summary>Every time signatures were voided by a change to what they signed, oldest first.</summary>
    public IReadOnlyList<ApprovalVoided> Voided { get; init; } = [];

    /// <summary>The plan's watchlist, as built: null until the authority reported the very watchlist the plan names.</summary>
    public WatchlistComposition? PlannedWatchlist => Plan is not null && Watchlist?.Watchlist == Plan.Watchlist ? Watchlist : null;

    private bool Signed => Status is DeploymentStatus.Authorised or DeploymentStatus.Approved || Authorisations.Count > 0;

    /// <summary>What <paramref name="command"/> does to this deployment at <paramref name="now"/>: the events, or why not.</summary>
    public DeploymentDecision Decide(IDeploymentCommand command, DateTimeOffset now, DeploymentSettings settings) => command switch
    {
        PlanDeployment c => Status != DeploymentStatus.NotPlanned ? Refuse($"deployment {Id} is already planned ({Status})")
            : PlanProblem(c.Plan, now) is { } problem ? Refuse(problem)
            : Accept(settings, new Planned(c.Plan, c.By), AuditKind.DeploymentPlanned, c.By, $"threshold={Format(c.Plan.Threshold)};watchlist={c.Plan.Watchlist}"),
        AmendPlan c => Amend(c, now, settings),
        Authorise c => Authorisable(c.By, settings.AuthoriserRank, DeploymentStatus.Draft, "authorised", "authorisation needs a") is { } no ? Refuse(no)
            : Accept(settings, new Authorised(c.By, now), AuditKind.DeploymentAuthorised, c.By.Id,
                $"rank={c.By.Rank};signature={Authorisations.Count + 1} of {settings.AuthorisationsRequired};{WatchlistDetail}"),
        Approve c => Authorisable(c.By, settings.ApproverRank, DeploymentStatus.Authorised, "approved", "approval needs the BCU") is { } no ? Refuse(no)
            : Accept(settings, new Approved(c.By, now), AuditKind.DeploymentApproved, c.By.Id,
                $"rank={c.By.Rank};signature={Approvals.Count + 1} of {settings.ApprovalsRequired};{WatchlistDetail}"),
        RecordSign c => Open() is { } no ? Refuse(no)
            : string.IsNullOrWhiteSpace(c.Approach) ? Refuse("name the approach the sign stands on")
            : string.IsNullOrWhiteSpace(c.Evidence) ? Refuse($"give a photo or a reference for the sign on {c.Approach.Trim()}")
            : Accept(settings, new SignRecorded(c.Approach.Trim(), c.Evidence.Trim(), c.By, now), AuditKind.SignageRecorded, c.By, $"approach={c.Approach.Trim()}"),
        RemoveSign c => Open() is { } no ? Refuse(no)
            : !Signs.Any(s => SameApproach(s.Approach, c.Approach)) ? Refuse($"no sign is listed for {c.Approach}")
            : Accept(settings, new SignRemoved(c.Approach.Trim(), c.By, now), AuditKind.SignageRecorded, c.By, $"approach={c.Approach.Trim()};removed"),
        ConfirmSignage c => Open() is { } no ? Refuse($"signage can only be confirmed for a planned deployment that has not ended ({Status})")
            : Signs.Count == 0 ? Refuse("list each approach with a photo or a reference for its sign before confirming the signage")
            : Accept(settings, new SignageConfirmed(c.Officer, now), AuditKind.SignageConfirmed, c.Officer,
                $"signs on {Signs.Count} approaches: {string.Join(", ", Signs.Select(s => s.Approach))}"),
        BookOn c => Status is DeploymentStatus.NotPlanned or DeploymentStatus.Ended ? Refuse($"nobody can come on duty for a deployment that is {Status}")
            : Crew.Any(m => m.Staff == c.Staff && m.Role == c.Role) ? Unchanged()
            : Accept(settings, new CrewBookedOn(c.Staff, c.Role, now), AuditKind.CrewOnDuty, c.Staff, $"role={c.Role};on duty"),
        BookOff c => Crew.All(m => m.Staff != c.Staff) ? Unchanged()
            : Accept(settings, new CrewBookedOff(c.Staff, now), AuditKind.CrewOnDuty, c.Staff, "off duty"),
        WatchlistComposed c => Status is DeploymentStatus.Live or DeploymentStatus.Ended || Watchlist is { } w && w.Watchlist == c.Watchlist && w.Counts == c.Counts
            ? Unchanged()
            : Composed(c, now, settings),
        GoLive c => GoLiveProblems(now, settings) is { Count: > 0 } problems ? Refuse(string.Join("; ", problems))
            : Accept(settings, new WentLive(c.By, now), AuditKind.DeploymentLive, c.By, $"operators={Count(CrewRole.Operator)};officers={Count(CrewRole.Officer)}"),
        EndDeployment c => Status is DeploymentStatus.NotPlanned or DeploymentStatus.Ended ? Refuse($"deployment {Id} cannot end: it is {Status}")
            : Accept(settings, new Ended(c.By, now, c.Reason), AuditKind.DeploymentEnded, c.By, c.Reason),
        ChangeThreshold c => Threshold(c, now, settings),
        CountFacesProcessed c => !settings.CountFacesProcessed ? Refuse("this force does not count faces processed (policy switch off)")
            : c.Count < 0 ? Refuse("a count cannot be negative")
            : Status != DeploymentStatus.Live ? Refuse($"faces are only counted while a deployment is live; this one is {Status}")
            : new DeploymentDecision(null, Apply(new FacesCounted(c.Count), settings), [new FacesCounted(c.Count)], []),
        _ => Refuse($"a deployment does not take {command.GetType().Name}"),
    };

    /// <summary>Every reason it may not go live now, all at once, so that the crew can put everything right in one go.</summary>
    public IReadOnlyList<string> GoLiveProblems(DateTimeOffset now, DeploymentSettings settings)
    {
        if (Status != DeploymentStatus.Approved) return [$"only an approved deployment can go live; this one is {Status}"];
        var problems = new List<string>();
        if (PlannedWatchlist is not { Counts.Total: > 0 })
            problems.Add($"watchlist {Plan!.Watchlist} has not been built for this deployment");
        if (Count(CrewRole.Operator) < settings.OperatorsRequired)
            problems.Add($"{settings.OperatorsRequired} operator(s) must be on duty; {Count(CrewRole.Operator)} is");
        if (Count(CrewRole.Officer) < settings.OfficersRequired)
            problems.Add($"at least {settings.OfficersRequired} engagement officers must be on duty; {Count(CrewRole.Officer)} are");
        if (Signs.Count == 0) problems.Add("the signage checklist lists no approach");
        else if (SignageConfirmedBy is null) problems.Add("no officer has confirmed the signage on all approaches");
        if (!Plan!.Window.Contains(now))
            problems.Add($"it is outside the deployment's time window ({Plan.Window.Start:u} to {Plan.Window.End:u})");
        return problems;
    }

    public int Count(CrewRole role) => Crew.Count(m => m.Role == role);

    private string WatchlistDetail => PlannedWatchlist is { } w ? $"watchlist={w.Watchlist};{w.Counts};total={w.Counts.Total}" : "watchlist=not built";

    private string? Open() => Status is DeploymentStatus.NotPlanned or DeploymentStatus.Ended ? $"deployment {Id} is {Status}" : null;

    private string? Authorisable(Signatory by, string rank, DeploymentStatus needed, string verb, string needs)
    {
        if (Status != needed)
            return $"only {(needed == DeploymentStatus.Draft ? "a draft" : "an authorised")} deployment can be {verb}; this one is {Status}";
        if (!string.Equals(by.Rank.Trim(), rank, StringComparison.OrdinalIgnoreCase)) return $"{needs} {rank}, not a {by.Rank}";
        if (Authorisations.Concat(Approvals).Any(s => s.Id == by.Id))
            return $"{by.Id} has already signed this deployment; each signature must come from a different person";
        if ((Plan!.Case?.Missing().ToList() ?? ["the legal basis, necessity and proportionality, alternatives considered and BCU or area"]) is { Count: > 0 } missing)
            return "the plan cannot be signed without " + string.Join(", ", missing);
        return null;
    }

    private DeploymentDecision Amend(AmendPlan c, DateTimeOffset now, DeploymentSettings settings)
    {
        if (Status is DeploymentStatus.NotPlanned or DeploymentStatus.Ended) return Refuse($"the plan of a deployment that is {Status} cannot change");
        if (PlanProblem(c.Plan, now) is { } problem) return Refuse(problem);
        var old = Plan!;
        var changes = new List<string>();
        if (old.Place != c.Plan.Place) changes.Add($"place {old.Place.Name} -> {c.Plan.Place.Name}");
        if (old.Window != c.Plan.Window) changes.Add($"window {old.Window.Start:u}-{old.Window.End:u} -> {c.Plan.Window.Start:u}-{c.Plan.Window.End:u}");
        if (old.Watchlist != c.Plan.Watchlist) changes.Add($"watchlist {old.Watchlist} -> {c.Plan.Watchlist}");
        if (!old.Threshold.Equals(c.Plan.Threshold)) changes.Add($"threshold {Format(old.Threshold)} -> {Format(c.Plan.Threshold)}");
        // the cameras say which vans load the watchlist: another van is another deployment
        if (!old.Cameras.SequenceEqual(c.Plan.Cameras)) changes.Add($"cameras {string.Join(",", old.Cameras)} -> {string.Join(",", c.Plan.Cameras)}");
        var voids = Signed && changes.Count > 0;
        var others = old.Purpose == c.Plan.Purpose && old.Case == c.Plan.Case ? "" : "purpose or case";
        if (changes.Count == 0 && others.Length == 0) return Unchanged();
        var detail = string.Join("; ", changes.Append(others).Where(x => x.Length > 0));
        return Accept(settings, new PlanAmended(c.Plan, c.By, now, detail, voids), voids ? AuditKind.ApprovalVoided : AuditKind.PlanAmended, c.By, detail);
    }

    private DeploymentDecision Composed(WatchlistComposed c, DateTimeOffset now, DeploymentSettings settings)
    {
        // the authorisers signed what the page showed them: a different watchlist behind the same plan needs them again
        var voids = Signed && Plan?.Watchlist == c.Watchlist;
        var detail = $"watchlist={c.Watchlist};{c.Counts};total={c.Counts.Total}";
        return Accept(settings, new WatchlistComposedEvent(c.Watchlist, c.Counts, now, voids), voids ? AuditKind.ApprovalVoided : AuditKind.WatchlistComposed,
            StaffId.System, voids ? "watchlist changed after signing: " + detail : detail);
    }

    private DeploymentDecision Threshold(ChangeThreshold c, DateTimeOffset now, DeploymentSettings settings)
    {
        if (Status is DeploymentStatus.NotPlanned or DeploymentStatus.Ended) return Refuse($"the threshold of a deployment that is {Status} cannot change");
        if (c.Threshold is not (> 0 and <= 1)) return Refuse($"the threshold must be above 0 and at most 1, not {c.Threshold}");
        var old = Plan!.Threshold;
        // before it is live any change voids what was signed; once live, only a lower threshold than the authorised floor
        // does (more false alerts), and a higher one applies at once (alerts only become rarer)
        var reauthorise = Status == DeploymentStatus.Live
            ? c.Threshold < old && c.Threshold < settings.ReauthoriseBelow
            : Signed && !c.Threshold.Equals(old);
        var changed = new ThresholdChanged(old, c.Threshold, c.By, reauthorise, now);
        var detail = $"from={Format(old)};to={Format(c.Threshold)};reauthorisation={(reauthorise ? "required" : "not required")}";
        return new DeploymentDecision(null, Apply(changed, settings), [changed],
        [
            new DeploymentAudit(AuditKind.ThresholdChanged, c.By, detail),
            .. reauthorise ? [new DeploymentAudit(AuditKind.ApprovalVoided, c.By, $"threshold {Format(old)} -> {Format(c.Threshold)}")] : Array.Empty<DeploymentAudit>(),
        ]);
    }

    private static string? PlanProblem(DeploymentPlan plan, DateTimeOffset now) =>
        plan.Window.End <= plan.Window.Start ? "the time window must end after it starts"
        : plan.Window.End <= now ? "the time window has already passed"
        : plan.Threshold is not (> 0 and <= 1) ? $"the threshold must be above 0 and at most 1, not {plan.Threshold}"
        : plan.Cameras.Count == 0 ? "a deployment needs at least one camera"
        : string.IsNullOrWhiteSpace(plan.Purpose) ? "a deployment needs a stated purpose"
        : null;

    private DeploymentDecision Accept(DeploymentSettings settings, IDeploymentEvent e, AuditKind kind, StaffId who, string detail)
    {
        var after = Apply(e, settings);
        return new DeploymentDecision(null, after, [e], [new DeploymentAudit(kind, who, detail)]);
    }

    private DeploymentDecision Refuse(string reason) => new(reason, this, [], []);

    private DeploymentDecision Unchanged() => new(null, this, [], []);

    private static bool SameApproach(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);

    public static string Format(double value) => value.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>One event on the state.</summary>
    internal DeploymentState Apply(IDeploymentEvent e, DeploymentSettings settings) => e switch
    {
        Planned p => this with { Status = DeploymentStatus.Draft, Plan = p.Plan },
        PlanAmended { Voided: true } a => Void(a.At, a.By, a.Changes) with { Plan = a.Plan },
        PlanAmended a => this with { Plan = a.Plan },
        SignageConfirmed s => this with { SignageConfirmedBy = s.Officer },
        // a changed checklist needs confirming again
        SignRecorded s => this with
        {
            Signs = [.. Signs.Where(x => !SameApproach(x.Approach, s.Approach)), new SignageSign(s.Approach, s.Evidence, s.By, s.At)],
            SignageConfirmedBy = null,
        },
        SignRemoved s => this with { Signs = [.. Signs.Where(x => !SameApproach(x.Approach, s.Approach))], SignageConfirmedBy = null },
        CrewBookedOn b => this with { Crew = [.. Crew.Where(m => m.Staff != b.Staff), new CrewMember(b.Staff, b.Role, b.At)] },
        CrewBookedOff b => this with { Crew = [.. Crew.Where(m => m.Staff != b.Staff)] },
        WatchlistComposedEvent { Voided: true } w => Void(w.At, StaffId.System, $"watchlist {w.Watchlist} now {w.Counts.Total} entries ({w.Counts})")
            with { Watchlist = new WatchlistComposition(w.Watchlist, w.Counts, w.At) },
        WatchlistComposedEvent w => this with { Watchlist = new WatchlistComposition(w.Watchlist, w.Counts, w.At) },
        Authorised a => this with
        {
            Authorisations = [.. Authorisations, a.By],
            Status = Authorisations.Count + 1 >= settings.AuthorisationsRequired ? DeploymentStatus.Authorised : DeploymentStatus.Draft,
        },
        Approved a => this with
        {
            Approvals = [.. Approvals, a.By],
            Status = Approvals.Count + 1 >= settings.ApprovalsRequired ? DeploymentStatus.Approved : DeploymentStatus.Authorised,
        },
        WentLive l => this with { Status = DeploymentStatus.Live, LiveAt = l.At },
        Ended end => this with { Status = DeploymentStatus.Ended, EndedAt = end.At, EndReason = end.Reason },
        ThresholdChanged { Reauthorise: true } t => Void(t.At ?? LiveAt ?? DateTimeOffset.MinValue, t.By, $"threshold {Format(t.From)} -> {Format(t.To)}")
            with { Plan = Plan! with { Threshold = t.To } },
        ThresholdChanged t => this with { Plan = Plan! with { Threshold = t.To } },
        FacesCounted f => this with { FacesProcessed = (FacesProcessed ?? 0) + f.Count },
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "unknown deployment event"),
    };

    private DeploymentState Void(DateTimeOffset at, StaffId by, string changes) => this with
    {
        Status = DeploymentStatus.Draft,
        Authorisations = [],
        Approvals = [],
        Voided = [.. Voided, new ApprovalVoided(at, by, Status, changes)],
    };
}

/// <summary>One line for the audit log that a decision adds, about this deployment.</summary>
public sealed record DeploymentAudit(AuditKind Kind, StaffId Who, string Detail);

/// <summary>
/// What a command does: <see cref="Refusal"/> (nothing else happens), or the events to persist, the state they lead to,
/// and the audit lines to write once they are stored. No events and no refusal: nothing to do.
/// </summary>
public sealed record DeploymentDecision(string? Refusal, DeploymentState State, IReadOnlyList<object> Events, IReadOnlyList<DeploymentAudit> Audit);
