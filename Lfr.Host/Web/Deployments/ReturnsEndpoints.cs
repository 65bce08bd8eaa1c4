using System.Globalization;
using System.Text;
using Lfr.Actors.ControlRoom.Officers;
using Lfr.Actors.ControlRoom.Returns;
using Lfr.Host.Web.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lfr.Host.Web.Deployments;

/// <summary>
/// Oversight's returns across deployments: a period (and area) with totals, bar charts drawn as inline SVG on the
/// server (no script, no library), and the same as CSV or JSON. Counts only.
/// </summary>
public static class ReturnsEndpoints
{
    public static void Map(IEndpointRouteBuilder app, RouteGroupBuilder api)
    {
        app.MapGet("/returns", async (HttpContext context, ControlRoomGateway gateway, TimeProvider time) =>
        {
            var (from, to, area, problem) = Period(context.Request.Query, time);
            var returns = problem is null ? await PeriodReturn.BuildAsync(gateway.Actors, from, to, area, ControlRoomGateway.Timeout) : null;
            return WebPage.Render(context, "Returns", Form(from, to, area, problem) + (returns is null ? "" : Html(returns)),
                status: problem is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
        }).RequireAuthorization(WebPolicies.ViewReturns);

        api.MapGet("/returns", async (HttpContext context, ControlRoomGateway gateway, TimeProvider time) =>
        {
            var (from, to, area, problem) = Period(context.Request.Query, time);
            if (problem is not null) throw new BadInputException(problem);
            var returns = await PeriodReturn.BuildAsync(gateway.Actors, from, to, area, ControlRoomGateway.Timeout);
            var name = $"lfr-returns-{from:yyyy-MM-dd}-{to:yyyy-MM-dd}";
            context.Response.Headers.ContentDisposition = context.Request.Query["format"] == "csv" ? $"attachment; filename={name}.csv" : $"attachment; filename={name}.json";
            return context.Request.Query["format"] == "csv"
                ? Results.Text(returns.ToCsv(), "text/csv; charset=utf-8")
                : Results.Text(returns.ToJson(), "application/json");
        }).RequireAuthorization(WebPolicies.ViewReturns);
    }

    /// <summary>From the query (<c>from</c>, <c>to</c> as YYYY-MM-DD, <c>area</c>); the last 30 days by default.</summary>
    private static (DateOnly From, DateOnly To, string? Area, string? Problem) Period(IQueryCollection query, TimeProvider time)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        static DateOnly? Parse(string? text) =>
            DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
        var from = string.IsNullOrEmpty(query["from"]) ? today.AddDays(-30) : Parse(query["from"]);
        var to = string.IsNullOrEmpty(query["to"]) ? today : Parse(query["to"]);
        var area = query["area"].ToString() is { Length: > 0 } a ? a.Trim() : null;
        if (from is null || to is null) return (today.AddDays(-30), today, area, "the period's days must read YYYY-MM-DD");
        if (to < from) return (from.Value, to.Value, area, "the period ends before it starts");
        return (from.Value, to.Value, area, null);
    }

    private static string Form(DateOnly from, DateOnly to, string? area, string? problem) => $"""
        <form id="period" class="card filter" method="get" action="/returns">
          <h1>Returns across deployments</h1>
          <label>From <input type="date" name="from" value="{from:yyyy-MM-dd}"></label>
          <label>To <input type="date" name="to" value="{to:yyyy-MM-dd}"></label>
          <label>Area <input name="area" value="{WebPage.Encode(area)}" placeholder="place or area, e.g. Lewisham"></label>
          <button type="submit">Show</button>
          {(problem is null ? "" : $"<p class=\"error\" id=\"period-error\">{WebPage.Encode(problem)}</p>")}
        </form>
        """;

    private static string Html(PeriodReturn r)
    {
        var inv = CultureInfo.InvariantCulture;
        var query = $"from={r.From:yyyy-MM-dd}&to={r.To:yyyy-MM-dd}" + (r.Area is null ? "" : "&area=" + Uri.EscapeDataString(r.Area));
        var html = new StringBuilder();
        html.Append(inv, $"""
            <section class="card" id="totals"><h2>{r.Deployments.Count} deployments, {r.From:d MMM yyyy} to {r.To:d MMM yyyy}{(r.Area is null ? "" : " · " + WebPage.Encode(r.Area))}</h2>
              <p class="export"><a id="export-csv" href="/api/returns?{query}&amp;format=csv">Export CSV</a> · <a id="export-json" href="/api/returns?{query}&amp;format=json">Export JSON</a></p>
              <table><tr><th>Alerts</th><th>True alerts</th><th>False alerts</th><th>Arrests</th></tr>
              <tr class="total"><td>{r.Alerts}</td><td>{r.TrueAlerts}</td><td>{r.FalseAlerts}</td><td>{r.Arrests}</td></tr></table></section>
            """);
        html.Append("<section class=\"grid\">");
        html.Append(Chart("chart-deployments", "Alerts per deployment: true, false, arrests",
            r.Deployments.Select(d => (d.Deployment, new[] { d.TrueAlerts, d.FalseAlerts, d.Arrests })).ToArray(), ["true alerts", "false alerts", "arrests"]));
        html.Append(Chart("chart-outcomes", "Outcomes",
            r.Outcomes.Select(o => (DeploymentReturn.Describe(o.Key), new[] { o.Value })).ToArray(), ["taskings"]));
        html.Append(Chart("chart-offences", "Arrests by offence group",
            r.ArrestsByOffence.Select(o => (o.Key, new[] { o.Value })).ToArray(), ["arrests"]));
        html.Append("</section><section class=\"card wide\"><h2>Per deployment</h2><table id=\"per-deployment\"><tr><th>Deployment</th><th>Place</th><th>Window</th><th>Status</th><th>Alerts</th><th>True</th><th>False</th><th>Taskings</th><th>Arrests</th></tr>");
        foreach (var d in r.Deployments)
            html.Append(inv, $"""<tr><td><a href="/deployments/{Uri.EscapeDataString(d.Deployment)}/return">{WebPage.Encode(d.Deployment)}</a></td><td>{WebPage.Encode(d.Place)}</td><td>{d.WindowStart:yyyy-MM-dd HH:mm} to {d.WindowEnd:HH:mm}</td><td>{d.Status}</td><td>{d.Alerts}</td><td>{d.TrueAlerts}</td><td>{d.FalseAlerts}</td><td>{d.Taskings}</td><td>{d.Arrests}</td></tr>""");
        html.Append("</table></section>");
        return html.ToString();
    }

    private static readonly string[] Colours = ["#16a34a", "#c62828", "#1d4ed8"];

    /// <summary>A horizontal bar chart, one row per label with one bar per series; presentation attributes only (no style attributes, for the CSP).</summary>
    private static string Chart(string id, string title, IReadOnlyList<(string Label, int[] Values)> rows, string[] series)
    {
        var inv = CultureInfo.InvariantCulture;
        var max = Math.Max(1, rows.SelectMany(r => r.Values).DefaultIfEmpty(0).Max());
        const int labelWidth = 170, barArea = 300, barHeight = 12;
        var rowHeight = barHeight * series.Length + 8;
        var height = Math.Max(1, rows.Count) * rowHeight + 24;
        var svg = new StringBuilder();
        svg.Append(inv, $"""<section class="card chart"><h2>{WebPage.Encode(title)}</h2><svg id="{id}" role="img" aria-label="{WebPage.Encode(title)}" viewBox="0 0 {labelWidth + barArea + 40} {height}" width="100%">""");
        if (rows.Count == 0)
            svg.Append("""<text x="0" y="16" fill="#667085">nothing in this period</text>""");
        for (var i = 0; i < rows.Count; i++)
        {
            var y = i * rowHeight;
            svg.Append(inv, $"""<text x="0" y="{y + barHeight}" font-size="12" fill="#1b1f24">{WebPage.Encode(rows[i].Label)}</text>""");
            for (var s = 0; s < series.Length; s++)
            {
                var value = rows[i].Values[s];
                var width = (double)value / max * barArea;
                svg.Append(inv, $"""<rect class="bar" data-series="{WebPage.Encode(series[s])}" data-value="{value}" x="{labelWidth}" y="{y + s * barHeight}" width="{width:0.#}" height="{barHeight - 2}" fill="{Colours[s % Colours.Length]}"><title>{WebPage.Encode(series[s])}: {value}</title></rect>""");
                svg.Append(inv, $"""<text x="{labelWidth + width + 4:0.#}" y="{y + s * barHeight + barHeight - 2}" font-size="10" fill="#667085">{value}</text>""");
            }
        }

        var legendY = Math.Max(1, rows.Count) * rowHeight + 12;
        for (var s = 0; s < series.Length && series.Length > 1; s++)
            svg.Append(inv, $"""<rect x="{labelWidth + s * 100}" y="{legendY - 9}" width="10" height="10" fill="{Colours[s]}"/><text x="{labelWidth + s * 100 + 14}" y="{legendY}" font-size="11">{WebPage.Encode(series[s])}</text>""");
        svg.Append("</svg></section>");
        return svg.ToString();
    }
}
