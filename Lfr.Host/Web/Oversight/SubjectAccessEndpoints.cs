using System.Security.Claims;
using Lfr.Actors.ControlRoom.Alerts;
using Lfr.Actors.ControlRoom.Watchlists;
using Lfr.Host.Web.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lfr.Host.Web.Oversight;

/// <summary>
/// Subject access for the auditor (the page and <c>lfr subject-access</c>): which deployments' watchlists held a
/// reference, when, in which category, and whether any alert or capture of that entry exists. The query is a POST so
/// the reference stays out of URLs and logs; the control room audits each one by its request number, never the reference.
/// </summary>
public static class SubjectAccessEndpoints
{
    public static void Map(IEndpointRouteBuilder app, RouteGroupBuilder api)
    {
        app.MapGet("/subject-access", (HttpContext context) => WebPage.Render(context, "Subject access", """
            <h1>Subject access</h1>
            <form id="sar" class="card build">
              <label>Subject reference <input name="reference" required autocomplete="off" placeholder="PNC/01/123456A"></label>
              <label>Request number <input name="request" required placeholder="SAR-2026-0142"></label>
              <button type="submit">Search</button><span class="error" id="sar-error"></span>
              <p class="note">Each search is recorded in the audit trail under your name and the request number (never the reference).</p>
            </form>
            <div id="sar-answer"></div>
            """, "subject-access.js")).RequireAuthorization(WebPolicies.SubjectAccess);

        api.MapPost("/subject-access", async (Query query, ControlRoomGateway gateway, ClaimsPrincipal user) =>
            Results.Json(await AnswerAsync(gateway, Required(query.Reference, "subject reference"), Required(query.Request, "request number"), user.StaffId())))
            .RequireAuthorization(WebPolicies.SubjectAccess);
    }

    public sealed record Query(string? Reference, string? Request);

    private static string Required(string? value, string name) =>
        string.IsNullOrWhiteSpace(value) ? throw new BadInputException($"the {name} is missing") :
        value.Length > 200 ? throw new BadInputException($"the {name} is too long") : value.Trim();

    private static async Task<object> AnswerAsync(ControlRoomGateway gateway, string reference, string request, Actors.ControlRoom.StaffId by)
    {
        var answer = await gateway.Watchlists<WatchlistProtocol.SubjectAccessAnswer>(new WatchlistProtocol.FindSubject(reference, by, request));
        var records = new List<object>();
        foreach (var record in answer.Records)
        {
            IReadOnlyList<AlertView> alerts = [];
            if (record.Deployment is { } deployment)
            {
                var open = await gateway.Queue(deployment);
                var decided = await gateway.Decided(deployment);
                alerts = [.. open.Concat(decided).Where(a => a.Watchlist == record.Watchlist && a.Entry == record.Entry)];
            }

            var captures = alerts.SelectMany(a => a.Captures).Select(c => c.Image).ToList();
            records.Add(new
            {
                watchlist = record.Watchlist.Value,
                entry = record.Entry.Value,
                deployment = record.Deployment?.Value,
                forDate = record.ForDate,
                category = record.Category,
                addedAt = record.AddedAt,
                removedAt = record.RemovedAt,
                wipedAt = record.WipedAt,
                alerts = alerts.Select(a => new { id = a.Id.Value, status = a.Status, raisedAt = a.RaisedAt, captures = a.Captures.Count }),
                captures = captures.Count,
                capturesStored = await gateway.CountStored(captures),
            });
        }

        return new { request, found = records.Count, records };
    }
}
