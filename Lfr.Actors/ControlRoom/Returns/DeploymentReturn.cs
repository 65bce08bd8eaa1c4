using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using Lfr.Actors.ControlRoom.Alerts;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Officers;
using Lfr.Actors.ControlRoom.Persistence;
using Lfr.Actors.ControlRoom.Watchlists;

namespace Lfr.Actors.ControlRoom.Returns;

/// <summary>
/// A deployment's return for oversight: what was authorised and what came of it, in counts only. There is no
/// per-person data and no demographic field; <see cref="FacesProcessed"/> is present only where the force's
/// policy turns the aggregate counter on (it is off by default).
/// </summary>
public sealed record DeploymentReturn(
    string Deployment,
    string Place,
    double Latitude,
    double Longitude,
    DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd,
    DeploymentStatus Status,
    DateTimeOffset? LiveAt,
    DateTimeOffset? EndedAt,
    double Threshold,
    CategoryCounts? WatchlistSize,
    int Alerts,
    int Confirmed,
    int AwaitingDecision,
    IReadOnlyDictionary<DismissalReason, int> DismissedByReason,
    int Taskings,
    IReadOnlyDictionary<OutcomeKind, int> Outcomes,
    int Arrests,
    IReadOnlyDictionary<string, int> ArrestsByOffence,
    long? FacesProcessed,
    AuditHead? AuditHeadAtEnd = null)
{
    /// <summary>
    /// The audit chain's head as the deployment ended (its <see cref="AuditKind.DeploymentEnded"/> entry and MAC): a copy
    /// outside the database, in the hands of whoever receives the return, that a later rewrite cannot match.
    /// </summary>
    private static AuditHead? EndOf(IEnumerable<AuditEntry> entries, DeploymentId deployment) =>
        entries.LastOrDefault(e => e.Kind == AuditKind.DeploymentEnded && e.Deployment == deployment.Value) is { } ended
            ? new AuditHead(ended.Sequence, ended.Hash)
            : null;

    public int Dismissed => DismissedByReason.Values.Sum();

    /// <summary>
    /// Asks the deployment, its alert desk and the watchlist authority (an edge: the CLI's <c>lfr report</c> and the
    /// web API call this). Returns null for a deployment that was never planned.
    /// </summary>
    public static async Task<DeploymentReturn?> BuildAsync(ControlRoomActors actors, DeploymentId deployment, TimeSpan timeout)
    {
        var state = await actors.Deployments.Ask<DeploymentState>(new DeploymentProtocol.GetDeployment(deployment), timeout);
        if (state.Plan is not { } plan)
            return null;
        var alerts = await actors.Alerts.Ask<AlertSummary>(new AlertProtocol.GetSummary(deployment), timeout);
        var manifest = await actors.Watchlists.Ask<WatchlistProtocol.ManifestResult>(new WatchlistProtocol.GetManifest(plan.Watchlist), timeout);
        var head = state.EndedAt is null ? null : EndOf((await actors.Audit.Ask<AuditProtocol.Trail>(new AuditProtocol.GetTrail(deployment.Value), timeout)).Entries, deployment);
        return From(state, plan, alerts, manifest.Manifest) with { AuditHeadAtEnd = head };
    }

    /// <summary>
    /// The same return read from the stored data alone, starting no actor and writing nothing (<c>lfr report</c>): the
    /// deployment's and its alert desk's events replayed from the journal, the manifest from the watchlist file opened
    /// read-only. Returns null for a deployment that was never planned.
    /// </summary>
    public static async Task<DeploymentReturn?> ReadAsync(JournalReader journal, string watchlistsPath, DeploymentId deployment,
        DeploymentSettings deployments, AlertSettings alertSettings)
    {
        var state = (await DeploymentReading.Of(deployment).CatchUpAsync(journal, deployments)).State;
        if (state.Plan is not { } plan)
            return null;
        var ledger = new AlertLedger(deployment, alertSettings);
        foreach (var envelope in await journal.EventsAsync(AlertDeskActor.PersistenceIdOf(deployment)))
            ledger.Apply((AlertDeskActor.IAlertEvent)envelope.Event);
        var manifest = WatchlistStore.OpenReadOnly(watchlistsPath)?.Manifest(plan.Watchlist);
        var head = state.EndedAt is null ? null
            : EndOf((await journal.EventsAsync(AuditLogActor.DefaultPersistenceId)).Select(e => (AuditEntry)e.Event), deployment);
        return From(state, plan, ledger.Summary(), manifest) with { AuditHeadAtEnd = head };
    }

    private static DeploymentReturn From(DeploymentState state, DeploymentPlan plan, AlertSummary alerts, WatchlistManifest? manifest) =>
        new(state.Id.Value, plan.Place.Name, plan.Place.Latitude, plan.Place.Longitude, plan.Window.Start, plan.Window.End,
            state.Status, state.LiveAt, state.EndedAt, plan.Threshold, manifest?.Counts,
            alerts.Alerts, alerts.Confirmed, alerts.AwaitingDecision, alerts.DismissedByReason, alerts.Taskings, alerts.Outcomes,
            alerts.ArrestsByOffence.Values.Sum(), alerts.ArrestsByOffence, state.FacesProcessed);

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DictionaryKeyPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        md.AppendLine(inv, $"# LFR deployment return: {Deployment}");
        md.AppendLine();
        md.AppendLine("| | |");
        md.AppendLine("|---|---|");
        md.AppendLine(inv, $"| Place | {Place} ({Latitude:0.0000}, {Longitude:0.0000}) |");
        md.AppendLine(inv, $"| Window | {WindowStart:u} to {WindowEnd:u} |");
        md.AppendLine(inv, $"| Status | {Status} |");
        md.AppendLine(inv, $"| Live from | {(LiveAt is { } live ? live.ToString("u", inv) : "never went live")} |");
        md.AppendLine(inv, $"| Ended | {(EndedAt is { } ended ? ended.ToString("u", inv) : "not ended")} |");
        md.AppendLine(inv, $"| Threshold | {Threshold.ToString("0.00", inv)} |");
        if (AuditHeadAtEnd is { } head)
            md.AppendLine(inv, $"| Audit chain at the end | entry {head.Sequence}, MAC {head.Hash} (`lfr audit verify`) |");
        md.AppendLine(inv, $"| Faces processed | {(FacesProcessed is { } faces ? faces.ToString(inv) : "not recorded (force policy)")} |");
        md.AppendLine();
        md.AppendLine("## Watchlist");
        md.AppendLine();
        if (WatchlistSize is { } size)
        {
            md.AppendLine("| Category | Entries |");
            md.AppendLine("|---|---:|");
            md.AppendLine(inv, $"| Wanted on a court warrant | {size.CourtWarrant} |");
            md.AppendLine(inv, $"| Wanted by police (power of arrest) | {size.WantedWithPowerOfArrest} |");
            md.AppendLine(inv, $"| Sex offender with conditions | {size.SexOffenderWithConditions} |");
            md.AppendLine(inv, $"| **Total** | **{size.Total}** |");
        }
        else
        {
            md.AppendLine("No watchlist was built for this deployment.");
        }

        md.AppendLine();
        md.AppendLine("## Alerts and outcomes");
        md.AppendLine();
        md.AppendLine("| | Count |");
        md.AppendLine("|---|---:|");
        md.AppendLine(inv, $"| Alerts | {Alerts} |");
        md.AppendLine(inv, $"| Confirmed by an operator | {Confirmed} |");
        md.AppendLine(inv, $"| Dismissed by an operator | {Dismissed} |");
        foreach (var reason in Enum.GetValues<DismissalReason>())
            md.AppendLine(inv, $"| &nbsp;&nbsp;{Describe(reason)} | {DismissedByReason.GetValueOrDefault(reason)} |");
        md.AppendLine(inv, $"| Awaiting a decision | {AwaitingDecision} |");
        md.AppendLine(inv, $"| Officer taskings | {Taskings} |");
        foreach (var outcome in Enum.GetValues<OutcomeKind>())
            md.AppendLine(inv, $"| &nbsp;&nbsp;{Describe(outcome)} | {Outcomes.GetValueOrDefault(outcome)} |");
        md.AppendLine(inv, $"| Arrests | {Arrests} |");
        foreach (var (offence, count) in ArrestsByOffence.OrderBy(o => o.Key, StringComparer.Ordinal))
            md.AppendLine(inv, $"| &nbsp;&nbsp;for {offence} | {count} |");
        return md.ToString();
    }

    private static string Describe(DismissalReason reason) => reason switch
    {
        DismissalReason.NotThePerson => "not the person",
        DismissalReason.PoorImage => "poor image",
        DismissalReason.LookalikeOrRelative => "lookalike or relative",
        _ => "other",
    };

    public static string Describe(OutcomeKind outcome) => outcome switch
    {
        OutcomeKind.SpokenToNotThePerson => "spoken to: not the person",
        OutcomeKind.SpokenToNoFurtherAction => "spoken to: no further action",
        OutcomeKind.Arrested => "arrested",
        _ => "not located",
    };
}
