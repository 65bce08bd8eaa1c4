using Akka.Cluster;
using Akka.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Lfr.Actors.Cluster;

/// <summary>
/// Tags of the node's health checks. <c>/healthz</c> runs the checks tagged <see cref="Live"/>, <c>/readyz</c> those
/// tagged <see cref="Ready"/>. A module adds a readiness condition (journal reachable, models loaded) with
/// <c>builder.WithHealthCheck(name, check, tags: [LfrHealthChecks.Ready])</c> in its own hosting extension.
/// </summary>
public static class LfrHealthChecks
{
    public const string Live = "live";
    public const string Ready = "ready";
}

/// <summary>
/// Ready while this node is an Up member. Unlike Akka.Cluster.Hosting's readiness check, which stays healthy once it
/// has seen a join, this one turns unhealthy again when the node is downed, leaves or is removed.
/// </summary>
public sealed class ClusterMemberUpCheck : IAkkaHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(AkkaHealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var self = Akka.Cluster.Cluster.Get(context.ActorSystem).SelfMember;
        return Task.FromResult(self.Status == MemberStatus.Up
            ? HealthCheckResult.Healthy($"{self.Address} is Up")
            : HealthCheckResult.Unhealthy($"{self.Address} is {self.Status}, not Up"));
    }
}
