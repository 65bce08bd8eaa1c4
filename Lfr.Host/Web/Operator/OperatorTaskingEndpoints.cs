using System.Security.Claims;
using Lfr.Actors.ControlRoom.Alerts;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Officers;
using Lfr.Host.Web.Auth;
using Lfr.Host.Web.Deployments;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lfr.Host.Web.Operator;

/// <summary>
/// What an operator does after confirming: add officers, re-task (e.g. an escalated tasking nobody acknowledged),
/// cancel one officer's tasking or stand everyone down, each with a reason the officer sees; and the deployment's
/// decided alerts, for the operators (with images) and the auditor (without).
/// </summary>
public static class OperatorTaskingEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/alerts/decided", async (ControlRoomGateway gateway, DeploymentDirectory deployments, ClaimsPrincipal user) =>
        {
            var live = await deployments.LiveAsync();
            var decided = await Task.WhenAll(live.Select(d => gateway.Decided(d.Id)));
            var withImages = user.Can(WebPolicies.Adjudicate);
            return Results.Json(decided.SelectMany(a => a).OrderByDescending(a => a.RaisedAt).Select(a => WebJson.Alert(a, withImages)).ToArray());
        }).RequireAuthorization(WebPolicies.ViewAlerts);

        var alert = api.MapGroup("/alerts/{deployment}/{alert}").RequireAuthorization(WebPolicies.Adjudicate);
        alert.MapPost("/officers", async (string deployment, string alert, OfficersRequest request, ControlRoomGateway gateway, ClaimsPrincipal user) =>
            View(await gateway.Alert(new AlertProtocol.AddOfficers(new DeploymentId(deployment), new AlertId(alert), user.StaffId(),
                await OperatorEndpoints.Taskable(gateway, request.Officers)))));
        alert.MapPost("/cancel", async (string deployment, string alert, CancelRequest request, ControlRoomGateway gateway, ClaimsPrincipal user) =>
            View(await gateway.Alert(new AlertProtocol.CancelTasking(new DeploymentId(deployment), new AlertId(alert),
                new TaskingId(Required(request.Tasking, "tasking")), user.StaffId(), Required(request.Reason, "reason")))));
        alert.MapPost("/retask", async (string deployment, string alert, ReTaskRequest request, ControlRoomGateway gateway, ClaimsPrincipal user) =>
        {
            var to = await OperatorEndpoints.Taskable(gateway, [Required(request.Officer, "officer")]);
            return View(await gateway.Alert(new AlertProtocol.ReTask(new DeploymentId(deployment), new AlertId(alert),
                new TaskingId(Required(request.Tasking, "tasking")), to[0], user.StaffId(), Required(request.Reason, "reason"))));
        });
        alert.MapPost("/stand-down", async (string deployment, string alert, StandDownRequest request, ControlRoomGateway gateway, ClaimsPrincipal user) =>
            View(await gateway.Alert(new AlertProtocol.StandDown(new DeploymentId(deployment), new AlertId(alert), user.StaffId(), Required(request.Reason, "reason")))));
    }

    public sealed record OfficersRequest(IReadOnlyList<string>? Officers);

    public sealed record CancelRequest(string? Tasking, string? Reason);

    public sealed record ReTaskRequest(string? Tasking, string? Officer, string? Reason);

    public sealed record StandDownRequest(string? Reason);

    private static IResult View(AlertView view) => Results.Json(WebJson.Alert(view, withImages: true));

    private static string Required(string? value, string name) =>
        string.IsNullOrWhiteSpace(value) ? throw new BadInputException($"the {name} is missing") : value.Trim();
}
