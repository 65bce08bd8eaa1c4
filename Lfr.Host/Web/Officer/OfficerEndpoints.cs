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

namespace Lfr.Host.Web.Officer;

/// <summary>
/// The engagement officer's handset (a phone-sized page): duty and availability, the current tasking card (category
/// and warning markers, the record, the file image beside the best capture with the other captures and file images behind "more", camera,
/// place, time, likelihood and the operator's note), acknowledge and the outcome, and a stand-down when it comes. An officer sees only
/// their own tasking's images, and only through the alert desk, which audits each view.
/// </summary>
public static class OfficerEndpoints
{
    public static void Map(IEndpointRouteBuilder app, RouteGroupBuilder api)
    {
        app.MapGet("/officer", (HttpContext context) => WebPage.Render(context, "Handset", """
            <section class="handset">
              <div id="stand-down" class="stand-down card" hidden><p><strong>Stood down.</strong> <span class="stand-down-reason"></span></p>
                <button type="button" id="stand-down-received">Received</button></div>
              <div id="tasking"><p class="muted">Loading…</p></div>
              <div class="duty card"><span id="duty-state">…</span>
                <button type="button" id="duty-toggle" disabled>…</button>
                <button type="button" id="available-toggle" hidden>…</button></div>
            </section>
            """, "officer.js")).RequireAuthorization(WebPolicies.Handset);

        var me = api.MapGroup("/me").RequireAuthorization(WebPolicies.Handset);
        me.MapGet("", (ControlRoomGateway gateway, ClaimsPrincipal user) => Me(gateway, user));
        me.MapGet("/stream", (HttpContext context, ControlRoomGateway gateway) => ServerSentEvents.Stream(context, () => Me(gateway, context.User)));
        me.MapPost("/duty", async (DutyRequest request, ControlRoomGateway gateway, DeploymentDirectory deployments, ClaimsPrincipal user) =>
        {
            var officer = Officer(user);
            OfficerProtocol.IOfficerCommand command = request.OnDuty ? new OfficerProtocol.GoOnDuty(officer) : new OfficerProtocol.GoOffDuty(officer);
            var view = View(await gateway.Officer(command));
            // on duty is on duty for the deployments under way: going live needs two engagement officers booked on
            foreach (var open in (await deployments.AllAsync()).Where(d => d.Status is not (DeploymentStatus.Ended or DeploymentStatus.NotPlanned)))
            {
                try
                {
                    await gateway.Deployment(request.OnDuty
                        ? new DeploymentProtocol.BookOn(open.Id, user.StaffId(), CrewRole.Officer)
                        : new DeploymentProtocol.BookOff(open.Id, user.StaffId()));
                }
                catch (RefusedException)
                {
                    // it ended since the list was read: nobody is on duty for it any more
                }
            }
            return view;
        });
        me.MapPost("/available", async (AvailableRequest request, ControlRoomGateway gateway, ClaimsPrincipal user) =>
            View(await gateway.Officer(new OfficerProtocol.SetAvailable(Officer(user), request.Available))));
        me.MapPost("/acknowledge", async (TaskingRequest request, ControlRoomGateway gateway, ClaimsPrincipal user) =>
            View(await gateway.Officer(new OfficerProtocol.Acknowledge(Officer(user), new TaskingId(Required(request.Tasking, "tasking"))))));
        me.MapPost("/outcome", async (OutcomeRequest request, ControlRoomGateway gateway, ClaimsPrincipal user) =>
        {
            if (!Enum.TryParse<OutcomeKind>(request.Kind, ignoreCase: false, out var kind) || !Enum.IsDefined(kind))
                throw new BadInputException($"choose an outcome: {string.Join(", ", Enum.GetNames<OutcomeKind>())}");
            var outcome = new Outcome(kind, string.IsNullOrWhiteSpace(request.Offence) ? null : request.Offence.Trim());
            return View(await gateway.Officer(new OfficerProtocol.RecordOutcome(Officer(user), new TaskingId(Required(request.Tasking, "tasking")), outcome)));
        });
        me.MapPost("/stand-down-received", async (ControlRoomGateway gateway, ClaimsPrincipal user) =>
            View(await gateway.Officer(new OfficerProtocol.StandDownReceived(Officer(user)))));
        me.MapGet("/images/{deployment}/{alert}/{image}", async (string deployment, string alert, string image, ControlRoomGateway gateway, ClaimsPrincipal user) =>
        {
            var state = await gateway.Officer(new OfficerProtocol.GetOfficer(Officer(user)));
            var imageRef = new ImageRef(image);
            // an officer may open the images of the tasking in hand only
            if (state.Current?.Tasking is not { } tasking || tasking.Alert.Value != alert || tasking.Deployment.Value != deployment
                || (!tasking.Captures.Contains(imageRef) && tasking.Record?.HasFileImage(imageRef) != true))
                return Results.Json(new { error = "this image is not part of your current tasking" }, statusCode: StatusCodes.Status404NotFound);
            return WebJson.Jpeg(await gateway.ViewImage(new DeploymentId(deployment), new AlertId(alert), imageRef, user.StaffId()));
        });
    }

    public sealed record DutyRequest(bool OnDuty);

    public sealed record AvailableRequest(bool Available);

    public sealed record TaskingRequest(string? Tasking);

    public sealed record OutcomeRequest(string? Tasking, string? Kind, string? Offence);

    private static OfficerId Officer(ClaimsPrincipal user) => new(user.StaffId().Value);

    private static string Required(string? value, string name) =>
        string.IsNullOrWhiteSpace(value) ? throw new BadInputException($"the {name} is missing") : value;

    private static async Task<object> Me(ControlRoomGateway gateway, ClaimsPrincipal user) =>
        ToJson(await gateway.Officer(new OfficerProtocol.GetOfficer(Officer(user))));

    private static IResult View(OfficerState state) => Results.Json(ToJson(state));

    private static object ToJson(OfficerState state) => new
    {
        officer = state.Id.Value,
        onDuty = state.OnDuty,
        available = state.Available,
        tasking = WebJson.Tasking(state.Current),
        completed = state.Completed.Count(t => t.Status == TaskingStatus.Completed),
        standDown = state.StandDown is { } s ? new { tasking = s.Tasking.Value, reason = s.Reason, at = s.At } : null,
    };
}
