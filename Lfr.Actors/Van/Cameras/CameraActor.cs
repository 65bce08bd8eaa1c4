using Akka;
using Akka.Actor;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Dsl;
using Lfr.Actors.Van.Pipeline;
using OpenCvSharp;

namespace Lfr.Actors.Van.Cameras;

/// <summary>How to open a camera and how its frames are handed to recognition.</summary>
/// <param name="Open">Opens the source; called on every (re)start, so a reconnect is a fresh open.</param>
/// <param name="ReconnectOnEnd">A file that ends is reopened (a looping demo feed); off for a one-shot run such as <c>lfr watch</c>.</param>
public sealed record CameraSpec(CameraId Id, Func<IFrameSource> Open, HandOffPolicy Policy = HandOffPolicy.LatestFrameWins, bool ReconnectOnEnd = true)
{
    public override string ToString() => $"CameraSpec({Id}, {Policy})";
}

public static class CameraProtocol
{
    public interface ICameraMessage;

    /// <summary>To the parent: the source ended and every frame read from it has been processed.</summary>
    /// <param name="Live">A live camera's stream ended: it closed the stream or went away, which is worth a reconnect and a word.</param>
    public sealed record SourceEnded(CameraId Camera, bool Live = false) : ICameraMessage;

    /// <summary>
    /// To the parent: the source is open and delivers its first frame (connecting to a network camera and waiting for its
    /// first key frame may take seconds, which is not a stall).
    /// </summary>
    public sealed record SourceOpened(CameraId Camera) : ICameraMessage;

    /// <summary>To the parent, just before the camera stops: the source could not be opened or broke. Expected; restarted with backoff.</summary>
    public sealed record SourceFailed(CameraId Camera, string Reason) : ICameraMessage;

    /// <summary>
    /// From the parent: stop reading (the camera stalled, or it is no longer wanted), let the graph finish the frames it
    /// has and send the alerts it holds, then stop. The parent stops a camera that has not drained in time.
    /// </summary>
    public sealed record Drain : ICameraMessage
    {
        public static Drain Instance { get; } = new();
        private Drain() { }
    }
}

/// <summary>
/// One camera: reads its source on a dedicated thread into a latest-frame-wins hand-off and runs its recognition
/// graph, both started in <see cref="PreStart"/> so that a restart rebuilds them from scratch. A source that ends or
/// breaks completes the graph (which releases the alerts it holds); then the actor reports
/// <see cref="CameraProtocol.SourceEnded"/> or <see cref="CameraProtocol.SourceFailed"/> and stops, and the supervisor
/// restarts a failed one with backoff. The source is opened by the reader, so a camera slow to connect blocks no actor; a
/// stopping camera aborts its source, so a reader blocked on a silent camera does not outlive it. Anything unexpected
/// throws and is handled by the supervisor in the same way.
/// </summary>
public sealed class CameraActor : ReceiveActor
{
    private readonly CameraSpec _spec;
    private readonly VanPipelineContext _pipeline;
    private readonly IActorRef _alertSink;
    private readonly Sink<OperatorViewFrame, NotUsed>? _view;
    private readonly TimeProvider _time;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly CancellationTokenSource _stop = new();
    private FrameHandOff? _handOff;
    private Exception? _sourceError;
    private volatile bool _live;
    private bool _draining;

    public CameraActor(CameraSpec spec, VanPipelineContext pipeline, IActorRef alertSink, Sink<OperatorViewFrame, NotUsed>? view, TimeProvider time)
    {
        _spec = spec;
        _pipeline = pipeline;
        _alertSink = alertSink;
        _view = view;
        _time = time;
        Receive<FirstFrame>(first =>
        {
            Context.Parent.Tell(new CameraProtocol.SourceOpened(_spec.Id));
            _log.Info("Camera {Camera} delivering ({Policy}, {Fps:0.#} fps nominal)", _spec.Id, _spec.Policy, first.FramesPerSecond);
        });
        Receive<ReaderFinished>(finished =>
        {
            // whether the source ended or broke, let the graph finish the frames already read (and release the alerts
            // it holds) before reporting
            _sourceError = finished.Error;
            _handOff?.Complete();
        });
        Receive<CameraProtocol.Drain>(_ =>
        {
            // a reader blocked in the source (a hung RTSP read) is not waited for: the graph completes without it, the
            // cancellation aborts the source where it can, and the reader exits, releasing its frame and the source
            _draining = true;
            _stop.Cancel();
            if (_handOff is null) Context.Stop(Self);
            else _handOff.Complete();
        });
        Receive<GraphFinished>(finished =>
        {
            if (_draining)
            {
                if (finished.Error is not null) _log.Warning("Camera {Camera} graph failed while draining: {ErrorType}", _spec.Id, finished.Error.GetType().Name);
                Context.Stop(Self);
                return;
            }
            if (finished.Error is not null)
                throw new InvalidOperationException($"camera {_spec.Id}: the recognition graph failed", finished.Error);
            if (_sourceError is not null)
            {
                Fail(_sourceError);
                return;
            }
            Context.Parent.Tell(new CameraProtocol.SourceEnded(_spec.Id, _live));
            Context.Stop(Self);
        });
    }

    public static Props Props(CameraSpec spec, VanPipelineContext pipeline, IActorRef alertSink, Sink<OperatorViewFrame, NotUsed>? view = null,
        TimeProvider? time = null) =>
        Akka.Actor.Props.Create(() => new CameraActor(spec, pipeline, alertSink, view, time ?? TimeProvider.System));

    protected override void PreStart()
    {
        _handOff = new FrameHandOff(_pipeline.Counters, _spec.Policy);
        VanPipeline.ForCamera(_handOff, _pipeline, _alertSink, _view)
            .Run(Context.Materializer(VanPipeline.MaterializerSettings(Context.System)))
            .PipeTo(Self, success: _ => new GraphFinished(null), failure: e => new GraphFinished(e));

        // the source is opened on the reader's thread: connecting to a network camera takes seconds, or hangs
        var handOff = _handOff;
        var cancel = _stop.Token;
        var self = Self;
        Task.Factory.StartNew(() => ReadLoop(handOff, self, cancel), cancel, TaskCreationOptions.LongRunning, TaskScheduler.Default)
            .Unwrap()
            .PipeTo(Self, success: () => new ReaderFinished(null), failure: e => new ReaderFinished(e));
    }

    private void Fail(Exception error)
    {
        // our own messages say what broke without the address (which may hold credentials); others only by type
        var reason = error is CameraSourceException ? error.Message : error.GetType().Name;
        _log.Warning("Camera {Camera} source failed: {Reason}", _spec.Id, reason);
        Context.Parent.Tell(new CameraProtocol.SourceFailed(_spec.Id, reason));
        Context.Stop(Self);
    }

    protected override void PostStop()
    {
        _stop.Cancel();
        _handOff?.Close();
        _stop.Dispose();
    }

    /// <summary>Opens the source and reads until it ends, fails or the actor stops. Owns the source and disposes it.</summary>
    private async Task ReadLoop(FrameHandOff handOff, IActorRef self, CancellationToken cancel)
    {
        using var source = _spec.Open();
        _live = source.IsLive;
        // a stopping camera kills what its source waits on (an ffmpeg child reading a silent camera), so no reader lingers
        await using var abort = cancel.Register(source.Abort);
        try
        {
            await ReadFrames(source, handOff, self, cancel);
        }
        catch (Exception) when (cancel.IsCancellationRequested)
        {
            // the actor stopped (and may have aborted the source): not a failure of the source
        }
    }

    private async Task ReadFrames(IFrameSource source, FrameHandOff handOff, IActorRef self, CancellationToken cancel)
    {
        // a file or scene plays at its own frame rate, like the camera it stands in for
        var paced = !source.IsLive && source.FramesPerSecond > 0 && _spec.Policy == HandOffPolicy.LatestFrameWins;
        var interval = paced ? TimeSpan.FromSeconds(1 / source.FramesPerSecond) : TimeSpan.Zero;
        var started = _time.GetTimestamp();
        long sequence = 0;
        while (!cancel.IsCancellationRequested)
        {
            var image = new Mat();
            bool read;
            TimeSpan position;
            try
            {
                read = source.Read(image, out position);
            }
            catch
            {
                image.Dispose();
                throw;
            }
            if (!read)
            {
                image.Dispose();
                return;
            }
            var now = _time.GetUtcNow();
            // open means delivering: until the first frame the supervisor allows for a slow connect, then for a stall
            if (sequence == 0) self.Tell(new FirstFrame(source.FramesPerSecond));
            _pipeline.Counters.FrameRead(now);
            await handOff.OfferAsync(new CameraFrame(_spec.Id, sequence++, now, position, image, _pipeline.Counters), cancel);

            if (paced)
            {
                var due = interval * sequence - _time.GetElapsedTime(started);
                if (due > TimeSpan.Zero) await Task.Delay(due, _time, cancel);
            }
        }
    }

    private sealed record FirstFrame(double FramesPerSecond);

    private sealed record ReaderFinished(Exception? Error);

    private sealed record GraphFinished(Exception? Error);
}
