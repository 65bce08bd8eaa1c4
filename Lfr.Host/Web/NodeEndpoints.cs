using Akka.Actor;
using Akka.Hosting;
using Lfr.Actors.LiveView;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Lfr.Actors.Cluster;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Lfr.Host.Web;

/// <summary>The endpoints every node serves: <c>/healthz</c>, <c>/readyz</c>, <c>/metrics</c>, and <c>/cameras</c> where a live view hub runs.</summary>
public static class NodeEndpoints
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    public static IServiceCollection AddLfrNodeEndpoints(this IServiceCollection services)
    {
        services.AddHealthChecks();
        services.AddSingleton<PrometheusExporter>();
        return services;
    }

    public static WebApplication MapLfrNodeEndpoints(this WebApplication app)
    {
        // created now, not at the first scrape, so that counters count from the start
        app.Services.GetRequiredService<PrometheusExporter>();
        // 200 while the ActorSystem runs: a process manager restarts the node when this fails
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(LfrHealthChecks.Live) }).AllowAnonymous();
        // 200 once the node is an Up member and every module's readiness check passes; 503 otherwise
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(LfrHealthChecks.Ready), ResponseWriter = WriteChecks }).AllowAnonymous();
        app.MapGet("/metrics", (PrometheusExporter exporter) =>
            Results.Text(exporter.Scrape(), "text/plain; version=0.0.4; charset=utf-8")).AllowAnonymous();
        // control rooms and consoles: the vans' cameras as the live view hub last heard of them (404 on a van)
        app.MapGet("/cameras", async (ActorRegistry registry, CancellationToken cancel) =>
        {
            if (!registry.TryGet<LiveViewHub>(out var hub)) return Results.NotFound();
            var cameras = await hub.Ask<LiveViewProtocol.Cameras>(LiveViewProtocol.GetCameras.Instance, AskTimeout, cancel);
            return Results.Json(cameras.All.Select(c => new
            {
                camera = c.Key.ToString(),
                state = c.Health.State.ToString(),
                vanReachable = c.VanReachable,
                fpsIn = Math.Round(c.Health.FpsIn, 1),
                fpsProcessed = Math.Round(c.Health.FpsProcessed, 1),
                framesIn = c.Health.FramesIn,
                framesDropped = c.Health.FramesDropped,
                alerts = c.Health.Alerts,
                restarts = c.Health.Restarts,
                lastError = c.Health.LastError,
                healthAt = c.HealthAt,
            }));
        }).AllowAnonymous();
        return app;
    }

    /// <summary>The overall status, then one line per check with what it found ("models loaded", "journal reachable").</summary>
    private static Task WriteChecks(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        var lines = report.Entries.OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => $"{e.Key}: {e.Value.Status}{(e.Value.Description is { } d ? $" ({d})" : "")}");
        return context.Response.WriteAsync(string.Join('\n', lines.Prepend(report.Status.ToString())) + "\n");
    }
}
