using System.Text.Json.Serialization;
using Akka.Cluster;
using Lfr.Actors.Cluster;

namespace Lfr.Actors.Console.Health;

/// <summary>What every node tells the ops consoles about itself, and how the console is asked for its view.</summary>
public static class NodeHealthProtocol
{
    public interface INodeHealthMessage;

    /// <summary>
    /// One node's account of itself, sent every <c>lfr.cluster.health-report-interval</c> to each console. Counters
    /// are process- and cluster-level numbers (never anything about a face).
    /// </summary>
    public sealed record NodeHealthReport(
        LfrRole Role,
        string Address,
        MemberStatus Status,
        TimeSpan Uptime,
        DateTimeOffset SentAt,
        IReadOnlyDictionary<string, long> Counters) : INodeHealthMessage, ILfrWireMessage;

    /// <summary>
    /// Published on a node's own event stream by a part of the node that owns some counters (the van's outbox): the
    /// node's <see cref="NodeHealthReporter"/> sends the latest of each source with its next report. Local only.
    /// </summary>
    public sealed record NodeCounters(string Source, IReadOnlyDictionary<string, long> Counters) : INodeHealthMessage;

    /// <summary>Asks the console's <see cref="NodeHealthMonitor"/> for the latest report of every member (local only).</summary>
    public sealed class GetNodeHealth : INodeHealthMessage
    {
        public static GetNodeHealth Instance { get; } = new();

        private GetNodeHealth()
        {
        }
    }

    /// <summary>The latest report of each member, ordered by address. <c>Silent</c>: older than <c>lfr.console.health-stale-after</c>.</summary>
    public sealed record NodeHealthView(IReadOnlyList<NodeHealthEntry> Nodes) : INodeHealthMessage;

    public sealed record NodeHealthEntry(NodeHealthReport Report, DateTimeOffset ReceivedAt, bool Silent);
}

[JsonSourceGenerationOptions(UseStringEnumConverter = true)]
[JsonSerializable(typeof(NodeHealthProtocol.NodeHealthReport))]
internal sealed partial class NodeHealthJson : JsonSerializerContext;
