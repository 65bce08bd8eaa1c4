using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Akka.Cluster;
using Lfr.Actors.Cluster;

namespace Lfr.Actors.Telemetry;

/// <summary>
/// Reads the cluster gauges from <see cref="Akka.Cluster.Cluster.State"/> of each running node at collection time
/// (one node per process in production, several in the multi-node specs, told apart by the <c>node</c> tag).
/// </summary>
public static class ClusterGauges
{
    private static readonly ConcurrentDictionary<Akka.Cluster.Cluster, byte> Nodes = new();

    /// <summary>Reports this node's view until the returned handle is disposed (when its ActorSystem stops).</summary>
    public static IDisposable Track(Akka.Cluster.Cluster cluster)
    {
        _ = LfrTelemetry.Meter; // runs LfrTelemetry's static constructor, which creates the gauges that read Nodes
        Nodes[cluster] = 0;
        return new Untrack(cluster);
    }

    internal static IEnumerable<Measurement<int>> Members()
    {
        foreach (var cluster in Nodes.Keys)
        {
            var node = new KeyValuePair<string, object?>("node", cluster.SelfAddress.ToString());
            foreach (var group in cluster.State.Members.GroupBy(m => (m.Status, Role: RoleOf(m))))
                yield return new Measurement<int>(group.Count(), node,
                    new KeyValuePair<string, object?>("status", group.Key.Status.ToString()),
                    new KeyValuePair<string, object?>("role", group.Key.Role));
        }
    }

    internal static IEnumerable<Measurement<int>> Unreachable() =>
        Nodes.Keys.Select(c => new Measurement<int>(c.State.Unreachable.Count,
            new KeyValuePair<string, object?>("node", c.SelfAddress.ToString())));

    private static string RoleOf(Member member) => LfrRoles.All.FirstOrDefault(member.HasRole) ?? "other";

    private sealed class Untrack(Akka.Cluster.Cluster cluster) : IDisposable
    {
        public void Dispose() => Nodes.TryRemove(cluster, out _);
    }
}
