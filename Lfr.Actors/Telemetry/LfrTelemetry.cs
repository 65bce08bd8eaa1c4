using System.Diagnostics.Metrics;

namespace Lfr.Actors.Telemetry;

/// <summary>
/// The one <see cref="Meter"/> of Lfr. Instruments are created here, once per process; <c>/metrics</c> exports every
/// instrument of this meter (a dot in a name becomes an underscore in Prometheus).
/// </summary>
public static class LfrTelemetry
{
    public const string MeterName = "Lfr";

    public static readonly Meter Meter = new(MeterName);

    /// <summary>Wire messages refused because they would not fit the remote frame; each is also an error in the log.</summary>
    public static readonly Counter<long> WireOversized =
        Meter.CreateCounter<long>("lfr.wire.oversized", description: "messages refused by the serializer because they exceed the remote frame");

    static LfrTelemetry()
    {
        Meter.CreateObservableGauge("lfr.cluster.members", ClusterGauges.Members,
            description: "cluster members this node sees, by status and role");
        Meter.CreateObservableGauge("lfr.cluster.unreachable", ClusterGauges.Unreachable,
            description: "cluster members this node's failure detector marks unreachable");
    }
}
