using Lfr.Actors.ControlRoom.Audit;
using Lfr.Host.Web.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lfr.Host.Web.Console;

/// <summary>The audit trail for oversight, newest first, with the result of checking its hash chain.</summary>
public static class AuditEndpoints
{
    public const int Shown = 500;

    public static void Map(IEndpointRouteBuilder app, RouteGroupBuilder api)
    {
        app.MapGet("/audit", (HttpContext context) => WebPage.Render(context, "Audit", """
            <h1>Audit trail</h1>
            <p id="verification" class="card">Checking the chain…</p>
            <div id="trail"></div>
            """, "audit.js")).RequireAuthorization(WebPolicies.ViewAudit);

        api.MapGet("/audit", async (ControlRoomGateway gateway) =>
        {
            var trail = await gateway.Trail();
            var verification = AuditChain.Verify(trail.Entries, trail.Head);
            return Results.Json(new
            {
                intact = verification.IsIntact,
                problem = verification.Problem,
                total = trail.Entries.Count,
                entries = trail.Entries.Reverse().Take(Shown).Select(e => new
                {
                    sequence = e.Sequence, at = e.At, kind = e.Kind.ToString(), who = e.Who, deployment = e.Deployment, subject = e.Subject, detail = e.Detail,
                }),
            });
        }).RequireAuthorization(WebPolicies.ViewAudit);
    }
}
