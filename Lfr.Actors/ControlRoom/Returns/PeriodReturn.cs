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

namespace Lfr.Actors.ControlRoom.Returns;

/// <summary>One deployment's line in a period's returns: counts only.</summary>
public sealed record ReturnLine(
    string Deployment, string Place, DateTimeOffset WindowStart, DateTimeOffset WindowEnd, DeploymentStatus Status,
    int Alerts, int TrueAlerts, int FalseAlerts, int Confirmed, int Dismissed, int Taskings, int Arrests,
    IReadOnlyDictionary<OutcomeKind, int> Outcomes, IReadOnlyDictionary<string, int> ArrestsByOffence)
{
    public static ReturnLine Of(DeploymentReturn r) => new(r.Deployment, r.Place, r.WindowStart, r.WindowEnd, r.Status, r.Alerts,
        Count(r.Outcomes, OutcomeKind.Arrested) + Count(r.Outcomes, OutcomeKind.SpokenToNoFurtherAction),
        Count(r.DismissedByReason, DismissalReason.NotThePerson) + Count(r.DismissedByReason, DismissalReason.LookalikeOrRelative)
            + Count(r.Outcomes, OutcomeKind.SpokenToNotThePerson),
        r.Confirmed, r.Dismissed, r.Taskings, r.Arrests, r.Outcomes, r.ArrestsByOffence);

    private static int Count<T>(IReadOnlyDictionary<T, int> counts, T key) where T : notnull => counts.TryGetValue(key, out var n) ? n : 0;
}

/// <summary>
/// The returns of every deployment whose window overlaps a period (from <see cref="From"/> to <see cref="To"/>,
/// both days included, UTC) and, when <see cref="Area"/> is given, whose place names it; with totals. True alerts:
/// the officers found it was the person (arrested, or spoken to with no further action); false alerts: dismissed as
/// not the person or a lookalike, or spoken to and not the person.
/// </summary>
public sealed record PeriodReturn(DateOnly From, DateOnly To, string? Area, IReadOnlyList<ReturnLine> Deployments)
{
    public int Alerts => Deployments.Sum(d => d.Alerts);
    public int TrueAlerts => Deployments.Sum(d => d.TrueAlerts);
    public int FalseAlerts => Deployments.Sum(d => d.FalseAlerts);
    public int Arrests => Deployments.Sum(d => d.Arrests);
    public IReadOnlyDictionary<OutcomeKind, int> Outcomes => Enum.GetValues<OutcomeKind>().ToDictionary(k => k, k => Deployments.Sum(d => d.Outcomes.GetValueOrDefault(k)));
    public IReadOnlyDictionary<string, int> ArrestsByOffence => Deployments.SelectMany(d => d.ArrestsByOffence)
        .GroupBy(p => p.Key, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(p => p.Value));

    /// <summary>Every deployment ever planned (from the audit trail), its return from the actors, filtered by period and area (the web's edge).</summary>
    public static async Task<PeriodReturn> BuildAsync(ControlRoomActors actors, DateOnly from, DateOnly to, string? area, TimeSpan timeout)
    {
        var trail = await actors.Audit.Ask<AuditProtocol.Trail>(new AuditProtocol.GetTrail(), timeout);
        var ids = trail.Entries.Where(e => e.Kind == AuditKind.DeploymentPlanned && e.Deployment is not null).Select(e => e.Deployment!).Distinct(StringComparer.Ordinal);
        return await OfAsync(ids, id => DeploymentReturn.BuildAsync(actors, id, timeout), from, to, area);
    }

    /// <summary>The same, read-only from the journal (<c>lfr report --from --to</c>): no control-room actor is started.</summary>
    public static async Task<PeriodReturn> ReadAsync(JournalReader journal, string watchlistsPath, DeploymentSettings deployments, AlertSettings alerts,
        DateOnly from, DateOnly to, string? area)
    {
        var ids = (await journal.PersistenceIdsAsync()).Where(p => p.StartsWith(DeploymentActor.PersistenceIdPrefix, StringComparison.Ordinal))
            .Select(p => p[DeploymentActor.PersistenceIdPrefix.Length..]);
        return await OfAsync(ids, id => DeploymentReturn.ReadAsync(journal, watchlistsPath, id, deployments, alerts), from, to, area);
    }

    private static async Task<PeriodReturn> OfAsync(IEnumerable<string> ids, Func<DeploymentId, Task<DeploymentReturn?>> read, DateOnly from, DateOnly to, string? area)
    {
        if (to < from) throw new ArgumentException($"the period ends ({to:yyyy-MM-dd}) before it starts ({from:yyyy-MM-dd})");
        var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var lines = new List<ReturnLine>();
        foreach (var id in ids)
            if (await read(new DeploymentId(id)) is { } r && r.WindowStart < end && r.WindowEnd > start
                && (string.IsNullOrWhiteSpace(area) || r.Place.Contains(area.Trim(), StringComparison.OrdinalIgnoreCase)))
                lines.Add(ReturnLine.Of(r));
        return new PeriodReturn(from, to, string.IsNullOrWhiteSpace(area) ? null : area.Trim(),
            lines.OrderBy(l => l.WindowStart).ThenBy(l => l.Deployment, StringComparer.Ordinal).ToArray());
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DictionaryKeyPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public string ToJson() => JsonSerializer.Serialize(new
    {
        from = From, to = To, area = Area,
        totals = new { alerts = Alerts, trueAlerts = TrueAlerts, falseAlerts = FalseAlerts, arrests = Arrests, outcomes = Outcomes, arrestsByOffence = ArrestsByOffence },
        deployments = Deployments,
    }, JsonOptions);

    /// <summary>One row per deployment, then a TOTAL row; offences as "offence:count" separated by semicolons.</summary>
    public string ToCsv()
    {
        var inv = CultureInfo.InvariantCulture;
        var csv = new StringBuilder();
        var outcomes = Enum.GetValues<OutcomeKind>();
        csv.AppendLine("deployment,place,window_start,window_end,status,alerts,true_alerts,false_alerts,confirmed,dismissed,taskings,"
            + string.Join(',', outcomes.Select(o => "outcome_" + o.ToString().ToLowerInvariant())) + ",arrests,arrests_by_offence");
        foreach (var d in Deployments)
            csv.AppendLine(string.Join(',', [Cell(d.Deployment), Cell(d.Place), d.WindowStart.ToString("u", inv), d.WindowEnd.ToString("u", inv), d.Status.ToString(),
                ..new[] { d.Alerts, d.TrueAlerts, d.FalseAlerts, d.Confirmed, d.Dismissed, d.Taskings }.Select(n => n.ToString(inv)),
                ..outcomes.Select(o => d.Outcomes.GetValueOrDefault(o).ToString(inv)), d.Arrests.ToString(inv), Cell(Offences(d.ArrestsByOffence))]));
        csv.AppendLine(string.Join(',', ["TOTAL", Cell(Area ?? "all areas"), From.ToString("yyyy-MM-dd", inv), To.ToString("yyyy-MM-dd", inv), "",
            ..new[] { Alerts, TrueAlerts, FalseAlerts, Deployments.Sum(d => d.Confirmed), Deployments.Sum(d => d.Dismissed), Deployments.Sum(d => d.Taskings) }.Select(n => n.ToString(inv)),
            ..outcomes.Select(o => Outcomes[o].ToString(inv)), Arrests.ToString(inv), Cell(Offences(ArrestsByOffence))]));
        return csv.ToString();
    }

    private static string Offences(IReadOnlyDictionary<string, int> offences) =>
        string.Join(';', offences.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}:{o.Value.ToString(CultureInfo.InvariantCulture)}"));

    /// <summary>A CSV cell (every export uses it): RFC 4180 quoting; a leading =, +, - or @ is prefixed so that a spreadsheet does not run it as a formula.</summary>
    public static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@') value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
