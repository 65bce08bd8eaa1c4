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

    /// <summary>Alerts persisted on this van and not yet stored at the control room.</summary>
    public static readonly UpDownCounter<long> OutboxPending =
        Meter.CreateUpDownCounter<long>("lfr.alert.outbox.pending", description: "alerts in the van's outbox, not yet stored at the control room");

    /// <summary>Alerts the van's outbox has taken from its cameras (each once, whether delivered yet or not).</summary>
    public static readonly Counter<long> OutboxAccepted =
        Meter.CreateCounter<long>("lfr.alert.outbox.accepted", description: "alerts the van's outbox has taken from its cameras");

    /// <summary>From the outbox taking an alert (or reopening with it, after a restart) to the control room's word that it is stored.</summary>
    public static readonly Histogram<double> AlertDelivery =
        Meter.CreateHistogram<double>("lfr.alert.delivery.seconds", unit: "s", description: "time from the van's outbox to stored at the control room");

    /// <summary>Operator view frames a van sent to watching hubs (one per hub), by camera.</summary>
    public static readonly Counter<long> LiveViewFramesSent =
        Meter.CreateCounter<long>("lfr.live_view.frames.sent", description: "operator view frames sent to watching control rooms and consoles");

    /// <summary>Operator view frames a van let go to keep to the live view's rate (latest wins), by camera.</summary>
    public static readonly Counter<long> LiveViewFramesDropped =
        Meter.CreateCounter<long>("lfr.live_view.frames.dropped", description: "operator view frames replaced by a newer one before they were sent");

    static LfrTelemetry()
    {
        Meter.CreateObservableGauge("lfr.cluster.members", ClusterGauges.Members,
            description: "cluster members this node sees, by status and role");
        Meter.CreateObservableGauge("lfr.cluster.unreachable", ClusterGauges.Unreachable,
            description: "cluster members this node's failure detector marks unreachable");
        Meter.CreateObservableGauge("lfr.pipeline.latency.ms", PipelineGauges.Latencies, unit: "ms",
            description: "recent time per frame in each stage of a camera's graph, and from capture to alert (alert), by quantile");
        Meter.CreateObservableCounter("lfr.detector.runs", PipelineGauges.Detector,
            description: "a camera's detector runs (kind=runs), tiles run (tiles-run) and tiles its frames had (tiles-planned) and frames detected (frames), since it started");
    }
}
