using System.Security.Claims;
using Lfr.Actors.ControlRoom.Alerts;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Retention;
using Lfr.Host.Web.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lfr.Host.Web.Oversight;

/// <summary>
/// Evidential holds: an operator (from the decided alerts) or a superintendent marks a capture for evidence under a case
/// reference, so retention keeps it past its period; the holds are listed at <c>/evidence</c> and released there with a
/// reason. Every hold and release is audited by the alert desk.
/// </summary>
public static class EvidenceEndpoints
{
    public static void Map(IEndpointRouteBuilder app, RouteGroupBuilder api)
    {
        app.MapGet("/evidence", (HttpContext context) => WebPage.Render(context, "Evidence", $"""
            <h1>Captures held for evidence</h1>
            <p class="note">A held capture is kept past its retention period until it is released; retention then deletes it when its period is over.</p>
            <div id="holds" data-release="{(context.User.Can(WebPolicies.HoldEvidence) ? "true" : "false")}"><p class="muted">Loading…</p></div>
            <p class="error" id="holds-error"></p>
            """, "evidence.js")).RequireAuthorization(WebPolicies.ViewEvidence);

        api.MapGet("/evidence", async (ControlRoomGateway gateway) => Results.Json((await gateway.Holds()).Select(h => new
        {
            image = h.Image.Value, deployment = h.Deployment, alert = h.Alert, caseReference = h.CaseReference, heldBy = h.HeldBy, heldAt = h.HeldAt,
            retentionEnded = h.PurgeWas,
        }))).RequireAuthorization(WebPolicies.ViewEvidence);

        var capture = api.MapGroup("/alerts/{deployment}/{alert}/captures/{image}").RequireAuthorization(WebPolicies.HoldEvidence);
        capture.MapPost("/hold", async (string deployment, string alert, string image, HoldRequest request, ControlRoomGateway gateway, ClaimsPrincipal user) =>
            Changed(await gateway.Evidence(new AlertProtocol.HoldCapture(new DeploymentId(deployment), new AlertId(alert), new ImageRef(image), user.StaffId(),
                request.CaseReference ?? ""))));
        capture.MapPost("/release", async (string deployment, string alert, string image, ReleaseRequest request, ControlRoomGateway gateway, ClaimsPrincipal user) =>
            Changed(await gateway.Evidence(new AlertProtocol.ReleaseHold(new DeploymentId(deployment), new AlertId(alert), new ImageRef(image), user.StaffId(),
                request.Reason ?? ""))));
    }

    public sealed record HoldRequest(string? CaseReference);

    public sealed record ReleaseRequest(string? Reason);

    private static IResult Changed(AlertProtocol.HoldChanged changed) =>
        Results.Json(new { alert = changed.Alert.Value, image = changed.Image.Value, caseReference = changed.CaseReference, held = changed.CaseReference is not null });
}
