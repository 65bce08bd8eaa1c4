using System.Globalization;
using System.Security.Claims;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Returns;
using Lfr.Actors.ControlRoom.Watchlists;
using Lfr.Host.Web.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Lfr.Host.Web.Deployments;

/// <summary>
/// Deployments from plan to end: a plan, the Superintendent's authorisation, the Chief Superintendent's approval,
/// signage, going live and ending; and the per-deployment return for oversight. The control room enforces the
/// order and the two different signatories; the page offers each person only the steps their role allows.
/// </summary>
public static class DeploymentEndpoints
{
    public static void Map(IEndpointRouteBuilder app, RouteGroupBuilder api)
    {
        app.MapGet("/deployments", (HttpContext context) => WebPage.Render(context, "Deployments", $"""
            <section id="deployments-page" data-run="{Flag(context, WebPolicies.RunDeployments)}" data-authorise="{Flag(context, WebPolicies.Authorise)}"
                     data-approve="{Flag(context, WebPolicies.Approve)}" data-returns="{Flag(context, WebPolicies.ViewReturns)}">
              <h1>Deployments</h1>
              <div id="deployments"><p class="muted">Loading…</p></div>
              {(context.User.Can(WebPolicies.RunDeployments) ? PlanForm(Settings(context.RequestServices).Threshold) : "")}
            </section>
            """, "deployments.js")).RequireAuthorization(WebPolicies.ViewDeployments);

        api.MapGet("/deployments", async (DeploymentDirectory directory) =>
            Results.Json((await directory.AllAsync()).Select(WebJson.Deployment))).RequireAuthorization(WebPolicies.ViewDeployments);

        api.MapPost("/deployments", async (PlanRequest request, ControlRoomGateway gateway, DeploymentDirectory directory, ClaimsPrincipal user,
            ControlRoomSettings policies) =>
        {
            var (id, plan) = request.ToPlan(policies.Deployments.Threshold);
            var state = await gateway.Deployment(new DeploymentProtocol.PlanDeployment(id, plan, user.StaffId()));
            directory.Planned(id);
            return Results.Json(WebJson.Deployment(state));
        }).RequireAuthorization(WebPolicies.RunDeployments);

        api.MapPost("/deployments/{id}/authorise", (string id, ControlRoomGateway gateway, IServiceProvider services, ClaimsPrincipal user) =>
                Step(gateway, new DeploymentProtocol.Authorise(new DeploymentId(id), new Signatory(user.StaffId(), Settings(services).AuthoriserRank))))
            .RequireAuthorization(WebPolicies.Authorise);
        api.MapPost("/deployments/{id}/approve", (string id, ControlRoomGateway gateway, IServiceProvider services, ClaimsPrincipal user) =>
                Step(gateway, new DeploymentProtocol.Approve(new DeploymentId(id), new Signatory(user.StaffId(), Settings(services).ApproverRank))))
            .RequireAuthorization(WebPolicies.Approve);
        api.MapPost("/deployments/{id}/signage", (string id, ControlRoomGateway gateway, ClaimsPrincipal user) =>
            Step(gateway, new DeploymentProtocol.ConfirmSignage(new DeploymentId(id), user.StaffId()))).RequireAuthorization(WebPolicies.RunDeployments);
        api.MapPost("/deployments/{id}/start", (string id, ControlRoomGateway gateway, ClaimsPrincipal user) =>
            Step(gateway, new DeploymentProtocol.GoLive(new DeploymentId(id), user.StaffId()))).RequireAuthorization(WebPolicies.RunDeployments);
        api.MapPost("/deployments/{id}/end", (string id, EndRequest request, ControlRoomGateway gateway, ClaimsPrincipal user) =>
        {
            if (string.IsNullOrWhiteSpace(request.Reason)) throw new BadInputException("say why the deployment ends");
            return Step(gateway, new DeploymentProtocol.EndDeployment(new DeploymentId(id), user.StaffId(), request.Reason.Trim()));
        }).RequireAuthorization(WebPolicies.RunDeployments);

        api.MapGet("/deployments/{id}/return", async (string id, ControlRoomGateway gateway) =>
                await DeploymentReturn.BuildAsync(gateway.Actors, new DeploymentId(id), ControlRoomGateway.Timeout) is { } ret
                    ? Results.Text(ret.ToJson(), "application/json")
                    : Results.Json(new { error = $"deployment {id} was never planned" }, statusCode: StatusCodes.Status404NotFound))
            .RequireAuthorization(WebPolicies.ViewReturns);
        app.MapGet("/deployments/{id}/return", async (string id, HttpContext context, ControlRoomGateway gateway) =>
                await DeploymentReturn.BuildAsync(gateway.Actors, new DeploymentId(id), ControlRoomGateway.Timeout) is { } ret
                    ? WebPage.Render(context, "Return", $"""
                        <section class="card return"><button type="button" class="no-print" data-action="print">Print</button>
                        <pre id="return">{WebPage.Encode(ret.ToMarkdown())}</pre></section>
                        """, script: "print.js")
                    : WebPage.Render(context, "Return", $"<p class=\"error\">Deployment {WebPage.Encode(id)} was never planned.</p>", status: StatusCodes.Status404NotFound))
            .RequireAuthorization(WebPolicies.ViewReturns);
    }

    private static string Flag(HttpContext context, string policy) => context.User.Can(policy).ToString().ToLowerInvariant();

    /// <summary>The ranks are the control room's setting; a node that runs it registers its <see cref="ControlRoomOptions"/>.</summary>
    private static DeploymentSettings Settings(IServiceProvider services) => services.GetRequiredService<ControlRoomSettings>().Deployments;

    private static async Task<IResult> Step(ControlRoomGateway gateway, DeploymentProtocol.IDeploymentCommand command) =>
        Results.Json(WebJson.Deployment(await gateway.Deployment(command)));

    public sealed record EndRequest(string? Reason);

    public sealed record PlanRequest(
        string? Id, string? Place, double? Latitude, double? Longitude, DateTimeOffset? WindowStart, DateTimeOffset? WindowEnd,
        string? Cameras, string? Purpose, string? Watchlist, double? Threshold)
    {
        /// <param name="threshold">The configured threshold of a plan that names none.</param>
        public (DeploymentId, DeploymentPlan) ToPlan(double threshold)
        {
            var problems = new List<string>();
            if (string.IsNullOrWhiteSpace(Id)) problems.Add("an id");
            if (string.IsNullOrWhiteSpace(Place)) problems.Add("the place");
            if (Latitude is not (>= -90 and <= 90) || Longitude is not (>= -180 and <= 180)) problems.Add("the place's latitude and longitude");
            if (WindowStart is null || WindowEnd is null || WindowEnd <= WindowStart) problems.Add("a time window that ends after it starts");
            var cameras = (Cameras ?? "").Split([',', '\n', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (cameras.Length == 0 || cameras.Any(c => c.Split('/') is not [{ Length: > 0 }, { Length: > 0 }])) problems.Add("cameras named VAN/CAMERA");
            if (string.IsNullOrWhiteSpace(Purpose)) problems.Add("the purpose");
            if (string.IsNullOrWhiteSpace(Watchlist)) problems.Add("the watchlist id");
            if (Threshold is not null and not (> 0 and <= 1)) problems.Add("a threshold between 0 and 1");
            if (problems.Count > 0) throw new BadInputException("a plan needs " + string.Join(", ", problems));
            return (new DeploymentId(Id!.Trim()), new DeploymentPlan(new Place(Place!.Trim(), Latitude!.Value, Longitude!.Value),
                new TimeWindow(WindowStart!.Value, WindowEnd!.Value), cameras, Purpose!.Trim(), new WatchlistId(Watchlist!.Trim()),
                Threshold ?? threshold));
        }
    }

    private static string PlanForm(double threshold) => $"""
        <form id="plan" class="card plan">
          <h2>Plan a deployment</h2>
          <label>Id <input name="id" required placeholder="lewisham-2026-03-02"></label>
          <label>Place <input name="place" required placeholder="Lewisham High Street"></label>
          <label>Latitude <input name="latitude" type="number" step="any" required value="51.4613"></label>
          <label>Longitude <input name="longitude" type="number" step="any" required value="-0.0106"></label>
          <label>From <input name="windowStart" type="datetime-local" required></label>
          <label>To <input name="windowEnd" type="datetime-local" required></label>
          <label>Cameras <input name="cameras" required placeholder="van-1/cam-a, van-1/cam-b"></label>
          <label>Purpose <input name="purpose" required placeholder="Locate people wanted on warrant"></label>
          <label>Watchlist <input name="watchlist" required placeholder="wl-2026-03-02"></label>
          <label>Threshold <input name="threshold" type="number" step="0.01" min="0.01" max="1" value="{threshold.ToString(CultureInfo.InvariantCulture)}"></label>
          <button type="submit">Plan</button><span class="error" id="plan-error"></span>
        </form>
        """;
}
