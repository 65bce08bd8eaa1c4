using Akka.Actor;
using Akka.Hosting;
using Lfr.Actors.Console.Health;
using System.Security.Claims;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Watchlists;
using Lfr.Actors.Van.Cameras;
using Lfr.Actors.Van.Outbox;
using Lfr.Host.Web.Auth;
using Lfr.Host.Web.Deployments;
using Lfr.Host.Web.Live;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Lfr.Host.Web.Console;

/// <summary>
/// The ops console: cluster members, node reports, cameras, the live deployments' watchlists and the next wipe,
/// journal and health checks; the same as JSON at <c>GET /api/status</c>, which <c>lfr status</c> prints.
/// </summary>
public static class ConsoleEndpoints
{
    /// <summary>A camera whose last frame is older than this is shown as failing, whatever its state says.</summary>
    public static readonly TimeSpan SilentAfter = TimeSpan.FromSeconds(5);

    /// <summary>A van whose oldest undelivered alert was captured longer ago than this is shown as failing: an operator is not seeing it.</summary>
    public static readonly TimeSpan OutboxLateAfter = TimeSpan.FromMinutes(1);

    public static void Map(IEndpointRouteBuilder app, RouteGroupBuilder api)
    {
        app.MapGet("/console", (HttpContext context) => WebPage.Render(context, "Console", $"""
            <h1>Ops console <small id="status-at"></small></h1>
            <section class="grid" id="console" data-live="{context.User.Can(WebPolicies.ViewLive).ToString().ToLowerInvariant()}"
                     data-restart="{context.User.Can(WebPolicies.RestartCameras).ToString().ToLowerInvariant()}">
              <div class="card"><h2>Cluster</h2><div id="members"></div></div>
              <div class="card"><h2>Control room</h2><div id="control"></div></div>
              <div class="card wide"><h2>Cameras</h2><p class="error" id="restart-error"></p><div id="cameras"></div></div>
              <div class="card wide"><h2>The last hour <small>fps in and processed, frames dropped, stage latency p50 (detect, track-embed, match)</small></h2><div id="history"></div></div>
              <div class="card wide"><h2>Vans and their watchlists</h2><div id="vans"></div></div>
              <div class="card wide"><h2>Node reports</h2><div id="reports"></div></div>
            </section>
            """, "console.js")).RequireAuthorization(WebPolicies.ViewConsole);

        api.MapGet("/status", (IServiceProvider services, CancellationToken cancellation) => StatusAsync(services, cancellation))
            .RequireAuthorization(WebPolicies.ViewConsole);

        api.MapGet("/console/history", (CameraHistory history, TimeProvider time) => Results.Json(ConsoleCharts.Render(history.Snapshot(), time.GetUtcNow())))
            .RequireAuthorization(WebPolicies.ViewConsole);
        api.MapGet("/console/vans", async (ControlRoomGateway gateway) => Results.Json((await gateway.VanHoldings()).Vans.Select(v => new
        {
            van = v.Van, state = v.State.ToString(), deployment = v.Deployment, watchlist = v.Watchlist, entries = v.Entries, reason = v.Reason, at = v.At,
        }))).RequireAuthorization(WebPolicies.ViewConsole);
        api.MapPost("/cameras/restart", async (RestartRequest request, ILiveView live, ControlRoomGateway gateway, ClaimsPrincipal user, CancellationToken cancellation) =>
        {
            if (string.IsNullOrWhiteSpace(request.Camera)) throw new BadInputException("name the camera (VAN/CAMERA)");
            // the audit log is the control room's: a node without it restarts nothing (503 "not on this node")
            _ = gateway.Actors;
            var answer = await live.RestartCameraAsync(request.Camera.Trim(), cancellation);
            gateway.Audit(new AuditProtocol.Record(AuditKind.CameraRestartRequested, user.StaffId().Value, null, request.Camera.Trim(),
                $"restarted={answer.Restarted.ToString().ToLowerInvariant()};{answer.Detail}"));
            return answer.Restarted ? Results.Json(new { camera = request.Camera, restarted = true, detail = answer.Detail })
                : Results.Json(new { error = $"{request.Camera} was not restarted: {answer.Detail}" }, statusCode: StatusCodes.Status409Conflict);
        }).RequireAuthorization(WebPolicies.RestartCameras);

        // the van has pixelated every face that is not an alert before the frame left its graph
        api.MapGet("/cameras/frame", async (string camera, ILiveView live, CancellationToken cancellation) =>
                await live.GetLatestFrameAsync(camera, cancellation) is { } frame ? Results.Bytes(frame.Jpeg, "image/jpeg") : Results.NotFound())
            .RequireAuthorization(WebPolicies.ViewLive);
    }

    public static async Task<IResult> StatusAsync(IServiceProvider services, CancellationToken cancellation)
    {
        var time = services.GetRequiredService<TimeProvider>();
        var now = time.GetUtcNow();
        var system = services.GetRequiredService<ActorSystem>();
        var directory = services.GetRequiredService<DeploymentDirectory>();
        var gateway = services.GetRequiredService<ControlRoomGateway>();

        object? cluster = null;
        if (system is ExtendedActorSystem { Provider: Akka.Cluster.ClusterActorRefProvider })
        {
            var state = Akka.Cluster.Cluster.Get(system).State;
            cluster = state.Members.OrderBy(m => m.Address.ToString(), StringComparer.Ordinal).Select(m => new
            {
                address = m.Address.ToString(),
                roles = m.Roles.Order(StringComparer.Ordinal).ToArray(),
                status = m.Status.ToString(),
                reachable = !state.Unreachable.Contains(m),
            }).ToArray();
        }

        var reports = Array.Empty<object>();
        if (services.GetRequiredService<ActorRegistry>().TryGet<NodeHealthMonitor>(out var monitor))
        {
            var view = await monitor.Ask<NodeHealthProtocol.NodeHealthView>(NodeHealthProtocol.GetNodeHealth.Instance, ControlRoomGateway.Timeout, cancellation);
            reports = view.Nodes.Select(n => (object)new
            {
                address = n.Report.Address,
                role = n.Report.Role.ToString(),
                status = n.Report.Status.ToString(),
                uptimeSeconds = (long)n.Report.Uptime.TotalSeconds,
                silent = n.Silent,
                receivedAt = n.ReceivedAt,
                counters = n.Report.Counters,
                outboxLate = IsOutboxLate(n.Report.Counters),
            }).ToArray();
        }

        var cameras = await services.GetRequiredService<ILiveView>().GetCamerasAsync(cancellation);
        services.GetRequiredService<CameraHistory>().Record(cameras, now);

        var deployments = Array.Empty<object>();
        string? journalError = null;
        try
        {
            var liveDeployments = await directory.LiveAsync();
            deployments = await Task.WhenAll(liveDeployments.Select(async d =>
            {
                var manifest = (await gateway.Watchlists<WatchlistProtocol.ManifestResult>(new WatchlistProtocol.GetManifest(d.Plan!.Watchlist))).Manifest;
                return (object)new
                {
                    id = d.Id.Value,
                    watchlist = d.Plan.Watchlist.Value,
                    watchlistEntries = manifest?.Counts.Total,
                    watchlistBuiltAt = manifest?.BuiltAt,
                    watchlistWipedAt = manifest?.WipedAt,
                    windowEnd = d.Plan.Window.End,
                };
            }));
        }
        catch (Exception e) when (e is AskTimeoutException or RefusedException)
        {
            journalError = e.Message;
        }
        catch (MissingActorRegistryEntryException)
        {
            // a console node: the deployments and the journal are the control room's
            journalError = ControlRoomGateway.NotOnThisNode;
        }

        var wipe = services.GetRequiredService<ControlRoomSettings>().Watchlists;
        var checks = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync(cancellation);
        var journal = directory.Journal;
        return Results.Json(new
        {
            at = now,
            members = cluster,
            reports,
            cameras = cameras.OrderBy(c => c.Camera.Value, StringComparer.Ordinal).Select(c => new
            {
                camera = c.Camera.Value,
                state = c.State.ToString(),
                failing = IsFailing(c, now),
                fpsIn = Math.Round(c.FpsIn, 1),
                fpsProcessed = Math.Round(c.FpsProcessed, 1),
                framesIn = c.FramesIn,
                framesDropped = c.FramesDropped,
                restarts = c.Restarts,
                lastFrameAt = c.LastFrameAt,
                lastError = c.LastError,
                latencies = c.Latencies is { } l ? new
                {
                    detect = Latency(l.Detect),
                    trackEmbed = Latency(l.TrackEmbed),
                    match = Latency(l.Match),
                    alert = Latency(l.Alert),
                } : null,
                detector = c.Detector is { } d ? new { budget = d.Budget, runsPerFrame = d.RunsPerFrame, tileShare = d.TileShare } : null,
            }),
            deployments,
            nextWipe = wipe.Schedule.Next(now),
            journal = new { healthy = journal.Healthy && journalError is null, journal.LastReadAt, lastReadMs = Math.Round(journal.LastReadMs, 1), error = journalError ?? journal.Error },
            checks = checks.Entries.OrderBy(e => e.Key, StringComparer.Ordinal)
                .Select(e => new { name = e.Key, status = e.Value.Status.ToString(), description = e.Value.Description }),
        });
    }

    public sealed record RestartRequest(string? Camera);

    /// <summary>A node report whose van has an alert waiting longer than <see cref="OutboxLateAfter"/> since its capture.</summary>
    public static bool IsOutboxLate(IReadOnlyDictionary<string, long> counters) =>
        counters.TryGetValue(AlertOutbox.OldestAgeCounter, out var age) && age > OutboxLateAfter.TotalMilliseconds;

    private static object? Latency(LatencySummary s) => s.Samples == 0 ? null : new { p50Ms = s.P50Ms, p99Ms = s.P99Ms, samples = s.Samples };

    private static bool IsFailing(CameraHealth camera, DateTimeOffset now) =>
        camera.State is CameraState.Failed or CameraState.Reconnecting
        || camera.State == CameraState.Running && (camera.LastFrameAt is not { } last || now - last > SilentAfter);
}
