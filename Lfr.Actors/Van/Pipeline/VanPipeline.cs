using Akka;
using Akka.Actor;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Dsl;
using Lfr.Actors.Van.Cameras;
using Lfr.Actors.Van.Pipeline.Stages;
using Lfr.Vision;
using static Lfr.Actors.Van.Pipeline.AlertProtocol;

namespace Lfr.Actors.Van.Pipeline;

/// <summary>What one camera's graph works with. The engine and the deployment are shared by all cameras of the van.</summary>
/// <param name="Time">The clock frames are stamped with at capture, so that capture to alert is measured on one clock.</param>
public sealed record VanPipelineContext(
    CameraId Camera, FaceEngine Engine, LiveDeployment Deployment, VanPipelineSettings Settings, CameraCounters Counters, ILoggingAdapter Log,
    TimeProvider Time);

/// <summary>One frame through the whole graph: the alerts it raised and, when one was due, its operator view.</summary>
public sealed record ProcessedFrame(CameraId Camera, long Sequence, DateTimeOffset CapturedAt, IReadOnlyList<AlertCandidate> Alerts, OperatorViewFrame? View);

/// <summary>
/// The per-camera recognition graph as blueprints (nothing runs until materialised):
/// <code>
/// hand-off (latest frame wins) -> gate (deployment live?) -> detect | track-embed | match -> operator-view -> alerts (acked), view (latest wins)
/// </code>
/// <c>|</c> marks an async boundary: detection of frame n+1 overlaps embedding and matching of frame n. Each stage is a
/// file of <c>Stages/</c> and runs on <see cref="VanConfig.VisionDispatcher"/>. Materialised with <see cref="MaterializerSettings"/>,
/// buffers between stages hold one element, so at most a handful of frames are alive whatever the input rate; a frame is
/// disposed by whichever stage drops it, and by the view stage otherwise. A stage that throws on a frame drops that frame
/// (disposed, logged by type) and carries on.
/// </summary>
public static class VanPipeline
{
    /// <summary>
    /// Materialise camera graphs with these: one-element buffers everywhere, including the async boundaries between
    /// islands, which stage attributes do not reach (with the default of 16, some 30 frames queued behind a busy stage).
    /// </summary>
    public static ActorMaterializerSettings MaterializerSettings(ActorSystem system) =>
        ActorMaterializerSettings.Create(system).WithInputBuffer(1, 1);

    /// <summary>The whole graph for one camera: frames from <paramref name="handOff"/> to the alert sink and the view.</summary>
    public static IRunnableGraph<Task<Done>> ForCamera(FrameHandOff handOff, VanPipelineContext context, IActorRef alertSink,
        Sink<OperatorViewFrame, NotUsed>? view = null) =>
        ChannelSource.FromReader(handOff.Reader).Named("hand-off")
            .Via(Recognition(context))
            .ToMaterialized(Outputs(alertSink, view, context.Settings.AlertSinkTimeout), Keep.Right);

    /// <summary>Frames in, processed frames out. Every frame that enters is disposed inside.</summary>
    public static Flow<CameraFrame, ProcessedFrame, NotUsed> Recognition(VanPipelineContext context) =>
        Flow.Create<CameraFrame>()
            .Where(frame => Live(frame, context)).Named("gate")
            .Via(DetectStage.Create(context).Async())
            .Via(TrackEmbedStage.Create(context).Async())
            .Via(MatchStage.Create(context).Async())
            .Via(OperatorViewStage.Create(context));

    /// <summary>
    /// Alerts go to <paramref name="alertSink"/> one at a time, each waiting for its <see cref="AlertAccepted"/>, and
    /// the frame that raised an alert is done only once the alert is accepted: a slow sink holds the whole graph, so the
    /// hand-off drops (and counts) frames instead of anything queueing. View frames never wait: a slow viewer misses frames.
    /// </summary>
    public static Sink<ProcessedFrame, Task<Done>> Outputs(IActorRef alertSink, Sink<OperatorViewFrame, NotUsed>? view, TimeSpan timeout)
    {
        var flow = Flow.Create<ProcessedFrame>();
        if (view is not null)
            flow = flow.AlsoTo(Flow.Create<ProcessedFrame>()
                .Where(p => p.View is not null).Select(p => p.View!)
                .Buffer(1, OverflowStrategy.DropHead)
                .To(view).Named("view-out"));
        return flow
            .SelectAsync(1, processed => Deliver(processed.Alerts, alertSink, timeout))
            .Named("alert-out")
            .ToMaterialized(Sink.Ignore<Done>(), Keep.Right);
    }

    /// <summary>Hands a frame's alerts to the sink one by one; the frame counts as delivered when the last is accepted.</summary>
    private static async Task<Done> Deliver(IReadOnlyList<AlertCandidate> alerts, IActorRef sink, TimeSpan timeout)
    {
        foreach (var alert in alerts)
            await sink.Ask<AlertAccepted>(alert, timeout);
        return Done.Instance;
    }

    private static bool Live(CameraFrame frame, VanPipelineContext context)
    {
        if (context.Deployment.Current is not null) return true;
        frame.Dispose();
        return false;
    }
}
