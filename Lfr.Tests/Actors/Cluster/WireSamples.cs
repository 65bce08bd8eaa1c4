using Akka.Cluster;
using Lfr.Actors.Cluster;
using static Lfr.Actors.Console.Health.NodeHealthProtocol;

namespace Lfr.Tests.Actors.Cluster;

/// <summary>
/// One realistic instance of every <see cref="ILfrWireMessage"/>, for the registry spec's round trip. A new wire message
/// adds its sample here; fill every field with a value that differs from its default, so a lost field shows.
/// </summary>
public static class WireSamples
{
    public static IReadOnlyList<ILfrWireMessage> All { get; } =
    [
        new NodeHealthReport(
            LfrRole.Van,
            "akka.tcp://lfr@10.20.0.7:41234",
            MemberStatus.Up,
            TimeSpan.FromMinutes(93.5),
            new DateTimeOffset(2026, 11, 26, 7, 15, 0, TimeSpan.Zero),
            new Dictionary<string, long> { ["members"] = 14, ["unreachable"] = 1, ["gc-heap-bytes"] = 81_234_567 }),
    ];
}
