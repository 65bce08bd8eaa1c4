using System.Globalization;
using System.Text;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Returns;
using Lfr.Host.Web.Auth;
using Lfr.Host.Web.Deployments;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lfr.Host.Web;

/// <summary>
/// The public notice, open without sign-in: upcoming and current deployments (place, window, purpose, how to ask
/// questions or make a subject access request) and past deployments' published results, as counts only. Nothing
/// here is about any person: no entries, no images, no staff, no watchlist names.
/// </summary>
public static class PublicNoticeEndpoints
{
    /// <summary>A deployment the public hears of: authorised at least (a draft may never happen).</summary>
    private static readonly DeploymentStatus[] Announced = [DeploymentStatus.Authorised, DeploymentStatus.Approved, DeploymentStatus.Live];

    public static void Map(IEndpointRouteBuilder app, RouteGroupBuilder api)
    {
        app.MapGet("/public", async (HttpContext context, ControlRoomGateway gateway, DeploymentDirectory deployments, WebSettings settings) =>
        {
            var notice = await NoticeAsync(gateway, deployments);
            return WebPage.Render(context, "Public notice", Html(notice, settings.PublicContact));
        }).AllowAnonymous();
        api.MapGet("/public/deployments", async (ControlRoomGateway gateway, DeploymentDirectory deployments, WebSettings settings) =>
        {
            var notice = await NoticeAsync(gateway, deployments);
            return Results.Json(new { contact = settings.PublicContact, notice.Upcoming, notice.Current, notice.Past });
        }).AllowAnonymous();
    }

    public sealed record Planned(string Place, DateTimeOffset From, DateTimeOffset To, string Purpose);

    /// <summary>A past deployment's published result; true and false alerts as <see cref="ReturnLine"/> counts them.</summary>
    public sealed record Result(string Place, DateTimeOffset From, DateTimeOffset To, string Purpose, int Alerts, int TrueAlerts, int FalseAlerts, int Arrests);

    public sealed record Notice(IReadOnlyList<Planned> Upcoming, IReadOnlyList<Planned> Current, IReadOnlyList<Result> Past);

    private static async Task<Notice> NoticeAsync(ControlRoomGateway gateway, DeploymentDirectory deployments)
    {
        var all = await deployments.AllAsync();
        var upcoming = all.Where(d => Announced.Contains(d.Status) && d.Status != DeploymentStatus.Live).OrderBy(d => d.Plan!.Window.Start).Select(ToPlanned).ToArray();
        var current = all.Where(d => d.Status == DeploymentStatus.Live).Select(ToPlanned).ToArray();
        var past = new List<Result>();
        foreach (var d in all.Where(d => d.Status == DeploymentStatus.Ended && d.LiveAt is not null))
            if (await DeploymentReturn.BuildAsync(gateway.Actors, d.Id, ControlRoomGateway.Timeout) is { } r)
            {
                // the same true and false alerts as oversight's returns
                var line = ReturnLine.Of(r);
                past.Add(new Result(r.Place, r.WindowStart, r.WindowEnd, d.Plan!.Purpose, line.Alerts, line.TrueAlerts, line.FalseAlerts, line.Arrests));
            }

        return new Notice(upcoming, current, past);
    }

    private static Planned ToPlanned(DeploymentState d) => new(d.Plan!.Place.Name, d.Plan.Window.Start, d.Plan.Window.End, d.Plan.Purpose);

    private static string When(DateTimeOffset from, DateTimeOffset to) =>
        $"{from.ToString("ddd d MMM yyyy HH:mm", CultureInfo.InvariantCulture)} to {to.ToString(from.Date == to.Date ? "HH:mm" : "ddd d MMM yyyy HH:mm", CultureInfo.InvariantCulture)} UTC";

    private static string Html(Notice notice, string contact)
    {
        static string E(string? s) => WebPage.Encode(s);
        string Table(string id, IReadOnlyList<Planned> rows, string none) => rows.Count == 0
            ? $"<p class=\"muted\" id=\"{id}\">{none}</p>"
            : $"<table id=\"{id}\"><tr><th>Place</th><th>When</th><th>Purpose</th></tr>" +
              string.Concat(rows.Select(p => $"<tr><td>{E(p.Place)}</td><td>{E(When(p.From, p.To))}</td><td>{E(p.Purpose)}</td></tr>")) + "</table>";
        var html = new StringBuilder();
        html.Append($"""
            <section class="card public">
              <h1>Live facial recognition: where, when and what came of it</h1>
              <p>Cameras on a marked van compare passers-by with a watchlist of people wanted by the police or the courts.
                A face that does not match is deleted at once; an alert is checked by an officer before anyone is approached.
                Signs at each approach say when it is in use.</p>
              <p id="public-contact"><strong>Questions or a subject access request:</strong> {E(contact)}</p>
            </section>
            <section class="card"><h2>In use now</h2>{Table("current", notice.Current, "Not in use anywhere at the moment.")}</section>
            <section class="card"><h2>Planned</h2>{Table("upcoming", notice.Upcoming, "No deployment is planned.")}</section>
            <section class="card"><h2>Past deployments' results</h2>
            """);
        html.Append(notice.Past.Count == 0
            ? "<p class=\"muted\" id=\"past\">No results published yet.</p>"
            : "<table id=\"past\"><tr><th>Place</th><th>When</th><th>Alerts</th><th>True alerts</th><th>False alerts</th><th>Arrests</th></tr>" +
              string.Concat(notice.Past.Select(r => $"<tr><td>{E(r.Place)}</td><td>{E(When(r.From, r.To))}</td><td>{r.Alerts}</td><td>{r.TrueAlerts}</td><td>{r.FalseAlerts}</td><td>{r.Arrests}</td></tr>")) +
              "</table><p class=\"note\">True alerts: the officers found it was the person. False alerts: an operator or officer found it was not.</p>");
        html.Append("</section>");
        return html.ToString();
    }
}
