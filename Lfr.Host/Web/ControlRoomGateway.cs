using Akka.Actor;
using Akka.Hosting;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Alerts;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Officers;
using Lfr.Actors.ControlRoom.Persistence;
using Lfr.Actors.ControlRoom.Retention;
using Lfr.Actors.ControlRoom.Watchlists;
using Microsoft.AspNetCore.Http;

namespace Lfr.Host.Web;

/// <summary>A command the control room turned down, with its reason for the person who asked.</summary>
public sealed class RefusedException(string reason) : Exception(reason);

/// <summary>
/// The web's only way into the control room: Asks (the web is an edge) to the actors in the <see cref="ActorRegistry"/>.
/// A refusal becomes a <see cref="RefusedException"/>, which the endpoints answer with 409 and its reason.
/// </summary>
public sealed class ControlRoomGateway(ActorRegistry registry)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public const string NotOnThisNode = "not on this node: this needs the control room's actors; use the control room's pages";

    public ControlRoomActors Actors => new(
        registry.Get<AuditLogActor>(), registry.Get<DeploymentsActor>(), registry.Get<WatchlistAuthorityActor>(), registry.Get<OfficersActor>(),
        registry.Get<AlertsActor>(), registry.Get<RetentionActor>(), registry.Get<AlertIntake>());

    public Task<DeploymentState> Deployment(DeploymentProtocol.IDeploymentCommand command) => Ask<DeploymentState>(registry.Get<DeploymentsActor>(), command);

    public Task<AlertView> Alert(AlertProtocol.IAlertCommand command) => Ask<AlertView>(registry.Get<AlertsActor>(), command);

    public async Task<IReadOnlyList<AlertView>> Queue(DeploymentId deployment) =>
        (await Ask<AlertProtocol.Queue>(registry.Get<AlertsActor>(), new AlertProtocol.GetQueue(deployment))).Alerts;

    /// <summary>The deployment's confirmed and dismissed alerts, newest first.</summary>
    public async Task<IReadOnlyList<AlertView>> Decided(DeploymentId deployment) =>
        (await Ask<AlertProtocol.Queue>(registry.Get<AlertsActor>(), new AlertProtocol.GetDecided(deployment))).Alerts;

    /// <summary>The image, after the desk has written the view to the audit log; null once it has been deleted.</summary>
    public async Task<byte[]?> ViewImage(DeploymentId deployment, AlertId alert, ImageRef image, StaffId viewer) =>
        (await Ask<AlertProtocol.ImageView>(registry.Get<AlertsActor>(), new AlertProtocol.ViewImage(deployment, alert, image, viewer))).Jpeg;

    /// <summary>Holds or releases a capture for evidence (<see cref="AlertProtocol.HoldCapture"/>, <see cref="AlertProtocol.ReleaseHold"/>).</summary>
    public Task<AlertProtocol.HoldChanged> Evidence(AlertProtocol.IAlertCommand command) => Ask<AlertProtocol.HoldChanged>(registry.Get<AlertsActor>(), command);

    public async Task<IReadOnlyList<EvidenceHold>> Holds() =>
        (await Ask<RetentionProtocol.Holds>(registry.Get<RetentionActor>(), RetentionProtocol.GetHolds.Instance)).Held;

    public async Task<int> CountStored(IReadOnlyList<ImageRef> images) =>
        images.Count == 0 ? 0 : (await Ask<RetentionProtocol.StoredCount>(registry.Get<RetentionActor>(), new RetentionProtocol.CountStored(images))).Stored;

    public Task<OfficerState> Officer(OfficerProtocol.IOfficerCommand command) => Ask<OfficerState>(registry.Get<OfficersActor>(), command);

    public Task<T> Watchlists<T>(WatchlistProtocol.IWatchlistMessage message) => Ask<T>(registry.Get<WatchlistAuthorityActor>(), message);

    /// <summary>A build or an addition, which waits as long as enrolment of its images takes (<paramref name="timeout"/>).</summary>
    public Task<T> Watchlists<T>(WatchlistProtocol.IWatchlistMessage message, TimeSpan timeout) =>
        Ask<T>(registry.Get<WatchlistAuthorityActor>(), message, timeout);

    public Task<AuditProtocol.Trail> Trail(string? deployment = null) =>
        Ask<AuditProtocol.Trail>(registry.Get<AuditLogActor>(), new AuditProtocol.GetTrail(deployment));

    /// <summary>Adds a line to the audit log; the log keeps it until its writer has stored it.</summary>
    public void Audit(AuditProtocol.Record record) => registry.Get<AuditLogActor>().Tell(record);

    public Task<VanDispatchProtocol.VanHoldings> VanHoldings() =>
        Ask<VanDispatchProtocol.VanHoldings>(registry.Get<VanDispatchActor>(), VanDispatchProtocol.GetVanHoldings.Instance);

    /// <summary>Puts a van's alert into the control room's intake, as a van's outbox does.</summary>
    public IActorRef Intake => registry.Get<AlertIntake>();

    private static async Task<T> Ask<T>(IActorRef actor, object message, TimeSpan? timeout = null)
    {
        var reply = await actor.Ask<object>(message, timeout ?? Timeout);
        return reply switch
        {
            T answer => answer,
            DeploymentProtocol.Refused r => throw new RefusedException(r.Reason),
            AlertProtocol.Refused r => throw new RefusedException(r.Reason),
            OfficerProtocol.Refused r => throw new RefusedException(r.Reason),
            WatchlistProtocol.Refused r => throw new RefusedException(r.Reason),
            WatchlistProtocol.EnrolmentRefused r => throw new EnrolmentRefusedException(r),
            Status.Failure f => throw new ControlRoomUnavailableException(f.Cause.Message),
            _ => throw new InvalidOperationException($"the control room answered {reply.GetType().Name}, not {typeof(T).Name}"),
        };
    }

    /// <summary>
    /// Answers refusals (409), bad input (400), a silent control room and a node without the control room's actors (503,
    /// e.g. the console's) with a reason the page can show.
    /// </summary>
    public static async ValueTask<object?> Errors(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (RefusedException e)
        {
            return Results.Json(new { error = e.Message }, statusCode: StatusCodes.Status409Conflict);
        }
        catch (Deployments.RejectedUploadException e)
        {
            // every refused file with its row and reason, so the watchlist manager can fix them all at once
            return Results.Json(new { error = e.Message, rejected = e.Rejected.Select(r => new { file = r.File, row = r.Row, reason = r.Reason }) },
                statusCode: StatusCodes.Status400BadRequest);
        }
        catch (BadInputException e)
        {
            return Results.Json(new { error = e.Message }, statusCode: StatusCodes.Status400BadRequest);
        }
        catch (Exception e) when (e is ControlRoomUnavailableException or JournalUnavailableException)
        {
            return Results.Json(new { error = $"the control room cannot answer just now ({e.Message}); try again shortly" },
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        catch (AskTimeoutException)
        {
            return Results.Json(new { error = "the control room did not answer in time; reload to see whether it was done" },
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        catch (MissingActorRegistryEntryException)
        {
            return Results.Json(new { error = NotOnThisNode }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}

/// <summary>The control room answered that it cannot do this now (its journal is down): 503, try again.</summary>
public sealed class ControlRoomUnavailableException(string reason) : Exception(reason);

/// <summary>A build whose file images enrolment refused; the endpoint names them by file for the watchlist manager.</summary>
public sealed class EnrolmentRefusedException(WatchlistProtocol.EnrolmentRefused refused) : Exception(refused.Reason)
{
    public WatchlistProtocol.EnrolmentRefused Refused { get; } = refused;
}

/// <summary>A request the web turns down before it reaches the control room.</summary>
public sealed class BadInputException(string message) : Exception(message);
