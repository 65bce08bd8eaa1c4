using System.Globalization;
using System.Text;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Actors.ControlRoom.Returns;
using Lfr.Host.Web.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lfr.Host.Web.Console;

/// <summary>
/// The audit trail for oversight, newest first, with the result of checking its (whole) chain's MACs (on the control room, which holds the audit key): filtered by
/// who, what, deployment and period (UTC days), a page at a time, and exported whole (the filter applied) as CSV or JSON.
/// </summary>
public static class AuditEndpoints
{
    public const int PageSize = 100;

    public static void Map(IEndpointRouteBuilder app, RouteGroupBuilder api)
    {
        app.MapGet("/audit", (HttpContext context) => WebPage.Render(context, "Audit", $"""
            <h1>Audit trail</h1>
            <p id="verification" class="card">Checking the chain…</p>
            <form id="audit-filter" class="card filter" method="get" action="/audit">
              <label>Who <input name="who" placeholder="staff id"></label>
              <label>What <select name="kind"><option value="">anything</option>{string.Concat(Enum.GetNames<AuditKind>().Order(StringComparer.Ordinal).Select(k => $"<option>{k}</option>"))}</select></label>
              <label>Deployment <input name="deployment"></label>
              <label>From <input type="date" name="from"></label>
              <label>To <input type="date" name="to"></label>
              <button type="submit">Filter</button>
              <span class="export"><a id="audit-csv" href="/api/audit?format=csv">Export CSV</a> · <a id="audit-json" href="/api/audit?format=json">Export JSON</a></span>
            </form>
            <p id="audit-count" class="muted"></p>
            <div id="trail"></div>
            <p class="pager"><a id="newer" hidden>Newer</a> <a id="older" hidden>Older</a></p>
            """, "audit.js")).RequireAuthorization(WebPolicies.ViewAudit);

        api.MapGet("/audit", async (HttpContext context, ControlRoomGateway gateway) =>
        {
            var query = context.Request.Query;
            var trail = await gateway.Trail();
            var verification = trail.Verification ?? AuditVerification.Intact;
            var matching = Filter(trail.Entries, query).Reverse().ToArray();
            var format = query["format"].ToString();
            if (format == "csv")
            {
                context.Response.Headers.ContentDisposition = "attachment; filename=lfr-audit.csv";
                return Results.Text(Csv(matching), "text/csv; charset=utf-8");
            }

            var all = format == "json";
            if (all) context.Response.Headers.ContentDisposition = "attachment; filename=lfr-audit.json";
            var page = int.TryParse(query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p > 0 ? p : 1;
            return Results.Json(new
            {
                intact = verification.IsIntact,
                problem = verification.Problem,
                total = trail.Entries.Count,
                matching = matching.Length,
                page,
                pageSize = PageSize,
                entries = (all ? matching : matching.Skip((page - 1) * PageSize).Take(PageSize)).Select(e => new
                {
                    sequence = e.Sequence, at = e.At, kind = e.Kind.ToString(), who = e.Who, deployment = e.Deployment, subject = e.Subject, detail = e.Detail,
                }),
            });
        }).RequireAuthorization(WebPolicies.ViewAudit);
    }

    private static IEnumerable<AuditEntry> Filter(IEnumerable<AuditEntry> entries, IQueryCollection query)
    {
        static string? Given(IQueryCollection q, string name) => q[name].ToString().Trim() is { Length: > 0 } v ? v : null;
        static DateOnly? Day(string? text) =>
            text is null ? null : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d
                : throw new BadInputException($"'{text}': a day must read YYYY-MM-DD");
        var who = Given(query, "who");
        var deployment = Given(query, "deployment");
        AuditKind? kind = Given(query, "kind") is { } k
            ? Enum.TryParse<AuditKind>(k, ignoreCase: false, out var parsed) && Enum.IsDefined(parsed) ? parsed : throw new BadInputException($"unknown kind '{k}'")
            : null;
        var from = Day(Given(query, "from"));
        var to = Day(Given(query, "to"));
        return entries.Where(e =>
            (who is null || string.Equals(e.Who, who, StringComparison.OrdinalIgnoreCase))
            && (deployment is null || e.Deployment == deployment)
            && (kind is null || e.Kind == kind)
            && (from is null || DateOnly.FromDateTime(e.At.UtcDateTime) >= from)
            && (to is null || DateOnly.FromDateTime(e.At.UtcDateTime) <= to));
    }

    private static string Csv(IEnumerable<AuditEntry> entries)
    {
        static string Cell(string value) => PeriodReturn.Cell(value);
        var csv = new StringBuilder("sequence,at,kind,who,deployment,subject,detail,hash\n");
        foreach (var e in entries)
            csv.AppendJoin(',', [e.Sequence.ToString(CultureInfo.InvariantCulture), e.At.ToString("O", CultureInfo.InvariantCulture), e.Kind.ToString(),
                Cell(e.Who), Cell(e.Deployment ?? ""), Cell(e.Subject), Cell(e.Detail), e.Hash]).Append('\n');
        return csv.ToString();
    }
}
