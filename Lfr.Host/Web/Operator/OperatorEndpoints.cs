using System.Security.Claims;
using Lfr.Actors.ControlRoom.Alerts;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Officers;
using Lfr.Actors.ControlRoom.Retention;
using Lfr.Host.Web.Auth;
using Lfr.Host.Web.Deployments;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lfr.Host.Web.Operator;

/// <summary>
/// The operator's screen: the live view, and the queue of alerts awaiting a human decision, most urgent first, each
/// with the watchlist's file image beside the live capture. Confirming tasks the chosen officers; dismissing records why.
/// </summary>
public static class OperatorEndpoints
{
    public static void Map(IEndpointRouteBuilder app, RouteGroupBuilder api)
    {
        app.MapGet("/operator", (HttpContext context) => WebPage.Render(context, "Operator", $"""
            <section class="live" id="live" data-live="{context.User.Can(WebPolicies.ViewLive).ToString().ToLowerInvariant()}">
              <h2>Live view <small>faces that are not alerts are pixelated by the van</small></h2>
              <div id="cameras" class="cameras"><p class="muted">No camera reports to this node.</p></div>
            </section>
            <section class="queue" data-adjudicate="{context.User.Can(WebPolicies.Adjudicate).ToString().ToLowerInvariant()}">
              <div id="escalations" class="escalations"></div>
              <h2>Alerts awaiting a decision <span id="queue-count" class="badge">0</span></h2>
              <div id="queue"><p class="muted">Loading…</p></div>
            </section>
            <section class="decided card">
              <h2>Decided alerts <span id="decided-count" class="badge">0</span></h2>
              <form id="decided-filter" class="filter"><label>Show <select name="status">
                  <option value="">all</option><option value="open">being dealt with</option><option value="Confirmed">confirmed</option>
                  <option value="Dismissed">dismissed</option></select></label>
                <label>Search <input name="text" placeholder="entry, camera, officer, outcome"></label></form>
              <div id="decided"><p class="muted">Loading…</p></div>
            </section>
            <script src="/web/decided.js" defer></script>
            """, "operator.js")).RequireAuthorization(WebPolicies.ViewAlerts);

        api.MapGet("/alerts", (ControlRoomGateway gateway, DeploymentDirectory deployments, ClaimsPrincipal user) => QueueAsync(gateway, deployments, user))
            .RequireAuthorization(WebPolicies.ViewAlerts);
        api.MapGet("/alerts/stream", (HttpContext context, ControlRoomGateway gateway, DeploymentDirectory deployments) =>
                ServerSentEvents.Stream(context, async () => await QueueAsync(gateway, deployments, context.User)))
            .RequireAuthorization(WebPolicies.ViewAlerts);

        api.MapPost("/alerts/{deployment}/{alert}/confirm", async (string deployment, string alert, ConfirmRequest request, ControlRoomGateway gateway, ClaimsPrincipal user) =>
        {
            var officers = await Taskable(gateway, request.Officers);
            var view = await gateway.Alert(new AlertProtocol.Confirm(new DeploymentId(deployment), new AlertId(alert), user.StaffId(), officers, request.Note));
            return Results.Json(WebJson.Alert(view, withImages: true));
        }).RequireAuthorization(WebPolicies.Adjudicate);

        OperatorTaskingEndpoints.Map(api);

        api.MapPost("/alerts/{deployment}/{alert}/dismiss", async (string deployment, string alert, DismissRequest request, ControlRoomGateway gateway, ClaimsPrincipal user) =>
        {
            if (!Enum.TryParse<DismissalReason>(request.Reason, ignoreCase: false, out var reason) || !Enum.IsDefined(reason))
                throw new BadInputException($"choose a reason: {string.Join(", ", Enum.GetNames<DismissalReason>())}");
            var view = await gateway.Alert(new AlertProtocol.Dismiss(new DeploymentId(deployment), new AlertId(alert), user.StaffId(), reason));
            return Results.Json(WebJson.Alert(view, withImages: true));
        }).RequireAuthorization(WebPolicies.Adjudicate);

        // every view of a face image is written to the audit log by the alert desk before the bytes come back
        api.MapGet("/alerts/{deployment}/{alert}/images/{image}", async (string deployment, string alert, string image, ControlRoomGateway gateway, ClaimsPrincipal user) =>
                WebJson.Jpeg(await gateway.ViewImage(new DeploymentId(deployment), new AlertId(alert), new ImageRef(image), user.StaffId())))
            .RequireAuthorization(WebPolicies.Adjudicate);

        api.MapGet("/officers", async (ControlRoomGateway gateway, WebSettings settings) =>
        {
            var officers = await Task.WhenAll(settings.InRole(WebRoles.Officer).Select(async u =>
            {
                var state = await gateway.Officer(new OfficerProtocol.GetOfficer(new OfficerId(u.StaffId)));
                return new { id = u.StaffId, name = u.Name, state.OnDuty, state.Available, busy = state.Current is not null };
            }));
            return Results.Json(officers);
        }).RequireAuthorization(WebPolicies.Adjudicate);
    }

    public sealed record ConfirmRequest(IReadOnlyList<string>? Officers, string? Note = null);

    /// <summary>The chosen officers, each on duty, available and free; the desk would task any, and one who cannot take it would leave the tasking undelivered.</summary>
    internal static async Task<OfficerId[]> Taskable(ControlRoomGateway gateway, IReadOnlyList<string>? chosen)
    {
        var officers = (chosen ?? []).Where(o => !string.IsNullOrWhiteSpace(o)).Select(o => new OfficerId(o.Trim())).Distinct().ToArray();
        if (officers.Length == 0) throw new BadInputException("choose at least one officer to task");
        var states = await Task.WhenAll(officers.Select(o => gateway.Officer(new OfficerProtocol.GetOfficer(o))));
        if (states.FirstOrDefault(o => !o.OnDuty || !o.Available || o.Current is not null) is { } unable)
            throw new RefusedException($"officer {unable.Id} cannot be tasked now ({(!unable.OnDuty ? "off duty" : unable.Current is not null ? "already tasked" : "not available")}); choose another");
        return officers;
    }

    public sealed record DismissRequest(string? Reason);

    private static async Task<object> QueueAsync(ControlRoomGateway gateway, DeploymentDirectory deployments, ClaimsPrincipal user)
    {
        var live = await deployments.LiveAsync();
        var queues = await Task.WhenAll(live.Select(d => gateway.Queue(d.Id)));
        var withImages = user.Can(WebPolicies.Adjudicate);
        var alerts = queues.SelectMany(q => q).OrderBy(a => a.Urgency).ThenBy(a => a.RaisedAt).Select(a => WebJson.Alert(a, withImages)).ToArray();
        var escalations = await deployments.EscalationsAsync();
        return new { deployments = live.Select(d => d.Id.Value).ToArray(), alerts, escalations };
    }
}
