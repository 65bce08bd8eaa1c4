using Akka;
using Akka.Actor;
using Akka.Event;
using Akka.Hosting;
using Akka.Streams.Dsl;
using Lfr.Actors.Cluster;
using Lfr.Actors.Telemetry;
using Lfr.Actors.Van;
using Lfr.Actors.Van.Cameras;
using Lfr.Actors.Van.Pipeline;
using Lfr.Vision.Imaging;
using OpenCvSharp;
using static Lfr.Actors.LiveView.LiveViewProtocol;

namespace Lfr.Actors.LiveView;

/// <summary>
/// On a van: passes its cameras' operator view frames and health to the hubs that asked for them, and to no one else.
/// Health goes to every <see cref="SubscribeHealth"/> subscriber as the supervisor publishes it. A camera's frames go
/// only to the hubs whose <see cref="WatchCamera"/> lease is running, at most
/// <see cref="LiveViewSettings.MaxFramesPerSecond"/> per camera: a frame that arrives sooner waits, and a newer one
/// replaces it (counted as dropped). A frame over <see cref="LiveViewSettings.MaxFrameBytes"/> is re-encoded to fit.
/// </summary>
public sealed class LiveViewRelay : ReceiveActor, IWithTimers
{
    public const string Name = "live-view-relay";

    private readonly string _van;
    private readonly LiveViewSettings _settings;
    private readonly TimeProvider _time;
    private readonly HashSet<IActorRef> _healthSubscribers = [];
    private readonly Dictionary<CameraId, CameraView> _cameras = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public LiveViewRelay(string van, LiveViewSettings settings, TimeProvider time)
    {
        _van = van;
        _settings = settings;
        _time = time;

        Receive<SubscribeHealth>(_ =>
        {
            if (_healthSubscribers.Add(Sender)) Context.Watch(Sender);
        });
        Receive<WatchCamera>(watch =>
        {
            var view = View(watch.Camera);
            if (!view.Watchers.ContainsKey(Sender)) Context.Watch(Sender);
            view.Watchers[Sender] = _time.GetUtcNow() + _settings.WatchLease;
        });
        Receive<CameraHealth>(health =>
        {
            var update = new CameraHealthUpdate(_van, health);
            foreach (var subscriber in _healthSubscribers) subscriber.Tell(update);
        });
        Receive<OperatorViewFrame>(Offer);
        Receive<Flush>(flush => Send(View(flush.Camera)));
        Receive<Terminated>(terminated =>
        {
            _healthSubscribers.Remove(terminated.ActorRef);
            foreach (var view in _cameras.Values) view.Watchers.Remove(terminated.ActorRef);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string van, LiveViewSettings settings, TimeProvider time) =>
        Akka.Actor.Props.Create(() => new LiveViewRelay(van, settings, time));

    /// <summary>Where a camera graph's operator view goes: this relay (the graph's view output drops frames, never waits).</summary>
    public static Sink<OperatorViewFrame, NotUsed> Sink(IActorRef relay) =>
        Flow.Create<OperatorViewFrame>().To(Akka.Streams.Dsl.Sink.ForEach<OperatorViewFrame>(frame => relay.Tell(frame)));

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(CameraHealth));
        // a van node's cameras run in its own ActorSystem, which hands their frames to this one's event stream (VanUplink)
        Context.System.EventStream.Subscribe(Self, typeof(OperatorViewFrame));
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    private void Offer(OperatorViewFrame frame)
    {
        var view = View(frame.Camera);
        if (!Watched(view)) return;
        if (view.Pending is not null)
        {
            view.Dropped++;
            LfrTelemetry.LiveViewFramesDropped.Add(1, new KeyValuePair<string, object?>("camera", frame.Camera.Value));
        }
        view.Pending = frame;
        var due = view.LastSentAt + _settings.FrameInterval;
        if (_time.GetUtcNow() >= due) Send(view);
        else if (!Timers.IsTimerActive(frame.Camera)) Timers.StartSingleTimer(frame.Camera, new Flush(frame.Camera), due - _time.GetUtcNow());
    }

    private void Send(CameraView view)
    {
        if (view.Pending is not { } frame || !Watched(view)) return;
        view.Pending = null;
        view.LastSentAt = _time.GetUtcNow();
        var live = new LiveFrame(_van, frame.Camera, frame.Sequence, frame.CapturedAt, Fit(frame.Jpeg), frame.Faces, frame.AlertFaces, view.Dropped);
        foreach (var watcher in view.Watchers.Keys) watcher.Tell(live);
        LfrTelemetry.LiveViewFramesSent.Add(view.Watchers.Count, new KeyValuePair<string, object?>("camera", frame.Camera.Value));
    }

    /// <summary>The frame as it is, or re-encoded under the limit: a message over the remote frame would be refused whole.</summary>
    private byte[] Fit(byte[] jpeg)
    {
        if (jpeg.Length <= _settings.MaxFrameBytes) return jpeg;
        using var image = Cv2.ImDecode(jpeg, ImreadModes.Color);
        if (image.Empty())
        {
            // the pipeline's own JPEG: never expected, and better no picture than a failed relay
            _log.Warning("An operator view frame of {Bytes} B could not be decoded to re-encode it", jpeg.Length);
            return [];
        }
        return JpegEncoder.EncodeUnder(image, _settings.MaxFrameBytes);
    }

    /// <summary>True while someone's lease runs; expired leases are dropped here, so nothing flows once nobody watches.</summary>
    private bool Watched(CameraView view)
    {
        var now = _time.GetUtcNow();
        foreach (var (watcher, until) in view.Watchers.ToList())
        {
            if (until > now) continue;
            view.Watchers.Remove(watcher);
            if (!_healthSubscribers.Contains(watcher) && !_cameras.Values.Any(v => v.Watchers.ContainsKey(watcher))) Context.Unwatch(watcher);
        }
        if (view.Watchers.Count == 0) view.Pending = null;
        return view.Watchers.Count > 0;
    }

    private CameraView View(CameraId camera) => _cameras.TryGetValue(camera, out var view) ? view : _cameras[camera] = new CameraView();

    private sealed class CameraView
    {
        public Dictionary<IActorRef, DateTimeOffset> Watchers { get; } = [];
        public OperatorViewFrame? Pending { get; set; }
        public DateTimeOffset LastSentAt { get; set; } = DateTimeOffset.MinValue;
        public long Dropped { get; set; }
    }

    private sealed record Flush(CameraId Camera);
}

public static class LiveViewRelayHostingExtensions
{
    /// <summary>
    /// The van's <see cref="LiveViewRelay"/> at <c>/user/live-view-relay</c>, registered as <see cref="LiveViewRelay"/>;
    /// the van's cameras are <c>NAME/CAMERA</c> by <see cref="LfrNodeSettings.Name"/>.
    /// </summary>
    public static AkkaConfigurationBuilder WithLiveViewRelay(this AkkaConfigurationBuilder builder, LfrNodeSettings settings, TimeProvider time) =>
        builder.AddHocon(VanConfig.Default, HoconAddMode.Append).WithActors((system, registry) =>
        {
            registry.Register<LiveViewRelay>(system.ActorOf(
                LiveViewRelay.Props(settings.Name, settings.LiveView, time).WithDispatcher(VanConfig.VisionDispatcher),
                LiveViewRelay.Name));
        });
}
