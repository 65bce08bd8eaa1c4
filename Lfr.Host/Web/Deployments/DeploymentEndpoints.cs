using System.Globalization;
using System.Security.Claims;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Officers;
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
/// order and the two different signatories; the page offers each person only the steps their role allows, and each
/// deployment's own page (<see cref="DeploymentPage"/>) shows the case, the watchlist and what stops it going live.
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

        app.MapGet("/deployments/{id}", async (string id, HttpContext context, ControlRoomGateway gateway, IServiceProvider services) =>
                await gateway.Deployment(new DeploymentProtocol.GetDeployment(new DeploymentId(id))) is { Plan: not null } state
                    ? DeploymentPage.Render(context, state, Settings(services))
                    : WebPage.Render(context, "Deployment", $"<p class=\"error\">Deployment {WebPage.Encode(id)} was never planned.</p>", status: StatusCodes.Status404NotFound))
            .RequireAuthorization(WebPolicies.ViewDeployments);
        api.MapPost("/deployments/{id}/amend", async (string id, AmendRequest request, ControlRoomGateway gateway, ClaimsPrincipal user) =>
        {
            var deployment = new DeploymentId(id);
            var state = await gateway.Deployment(new DeploymentProtocol.GetDeployment(deployment));
            if (state.Plan is null) throw new RefusedException($"deployment {id} was never planned");
            return await Step(gateway, new DeploymentProtocol.AmendPlan(deployment, request.Apply(state.Plan), user.StaffId()));
        }).RequireAuthorization(WebPolicies.RunDeployments);
        api.MapPost("/deployments/{id}/signs", (string id, SignRequest request, ControlRoomGateway gateway, ClaimsPrincipal user) =>
                Step(gateway, new DeploymentProtocol.RecordSign(new DeploymentId(id), request.Approach ?? "", request.Evidence ?? "", user.StaffId())))
            .RequireAuthorization(WebPolicies.RunDeployments);
        api.MapPost("/deployments/{id}/signs/remove", (string id, SignRequest request, ControlRoomGateway gateway, ClaimsPrincipal user) =>
                Step(gateway, new DeploymentProtocol.RemoveSign(new DeploymentId(id), request.Approach ?? "", user.StaffId())))
            .RequireAuthorization(WebPolicies.RunDeployments);
        api.MapPost("/deployments/{id}/crew", (string id, CrewRequest request, ControlRoomGateway gateway, ClaimsPrincipal user) =>
        {
            // officers come on duty on their handset; here an operator books on or off for the control room's desk
            if (!user.IsInRole(WebRoles.Operator)) throw new BadInputException("only an operator comes on duty here; engagement officers use the handset");
            var deployment = new DeploymentId(id);
            return Step(gateway, request.OnDuty
                ? new DeploymentProtocol.BookOn(deployment, user.StaffId(), CrewRole.Operator)
                : new DeploymentProtocol.BookOff(deployment, user.StaffId()));
        }).RequireAuthorization(WebPolicies.RunDeployments);
        // officers who went on duty on their handset before this deployment was planned
        api.MapPost("/deployments/{id}/crew/officers", async (string id, ControlRoomGateway gateway, WebSettings settings) =>
        {
            var deployment = new DeploymentId(id);
            var onDuty = (await Task.WhenAll(settings.InRole(WebRoles.Officer)
                .Select(u => gateway.Officer(new OfficerProtocol.GetOfficer(new OfficerId(u.StaffId)))))).Where(o => o.OnDuty).ToList();
            if (onDuty.Count == 0) throw new RefusedException("no engagement officer is on duty on a handset");
            foreach (var officer in onDuty)
                await gateway.Deployment(new DeploymentProtocol.BookOn(deployment, new StaffId(officer.Id.Value), CrewRole.Officer));
            return await Step(gateway, new DeploymentProtocol.GetDeployment(deployment));
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

    public sealed record SignRequest(string? Approach, string? Evidence);

    public sealed record CrewRequest(bool OnDuty);

    /// <summary>The parts of a plan that may change; what is left out stays as it was.</summary>
    public sealed record AmendRequest(string? Place, DateTimeOffset? WindowStart, DateTimeOffset? WindowEnd, string? Watchlist, double? Threshold)
    {
        public DeploymentPlan Apply(DeploymentPlan plan)
        {
            if (Threshold is not null and not (> 0 and <= 1)) throw new BadInputException("a threshold between 0 and 1");
            return plan with
            {
                Place = string.IsNullOrWhiteSpace(Place) ? plan.Place : plan.Place with { Name = Place.Trim() },
                Window = new TimeWindow(WindowStart ?? plan.Window.Start, WindowEnd ?? plan.Window.End),
                Watchlist = string.IsNullOrWhiteSpace(Watchlist) ? plan.Watchlist : new WatchlistId(Watchlist.Trim()),
                Threshold = Threshold ?? plan.Threshold,
            };
        }
    }

    public sealed record PlanRequest(
        string? Id, string? Place, double? Latitude, double? Longitude, DateTimeOffset? WindowStart, DateTimeOffset? WindowEnd,
        string? Cameras, string? Purpose, string? Watchlist, double? Threshold,
        string? LegalBasis = null, string? Necessity = null, string? Alternatives = null, string? Area = null)
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
            var @case = new DeploymentCase(LegalBasis?.Trim() ?? "", Necessity?.Trim() ?? "", Alternatives?.Trim() ?? "", Area?.Trim() ?? "");
            problems.AddRange(@case.Missing());
            if (problems.Count > 0) throw new BadInputException("a plan needs " + string.Join(", ", problems));
            return (new DeploymentId(Id!.Trim()), new DeploymentPlan(new Place(Place!.Trim(), Latitude!.Value, Longitude!.Value),
                new TimeWindow(WindowStart!.Value, WindowEnd!.Value), cameras, Purpose!.Trim(), new WatchlistId(Watchlist!.Trim()),
                Threshold ?? threshold, @case));
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
          <label>BCU / area <input name="area" required placeholder="South East BCU (Lewisham, Greenwich, Bexley)"></label>
          <label class="wide">Legal basis <textarea name="legalBasis" required rows="2" placeholder="Common law policing powers; DPA 2018 s.35; the force's LFR policy"></textarea></label>
          <label class="wide">Necessity and proportionality <textarea name="necessity" required rows="3" placeholder="Why LFR, here, now; why the watchlist's size fits the aim"></textarea></label>
          <label class="wide">Alternatives considered <textarea name="alternatives" required rows="2" placeholder="Patrols, CCTV review, arrest enquiries: why not enough"></textarea></label>
          <button type="submit">Plan</button><span class="error" id="plan-error"></span>
        </form>
        """;
}
