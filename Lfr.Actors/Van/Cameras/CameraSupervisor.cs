using Akka;
using Akka.Actor;
using Akka.Event;
using Akka.Hosting;
using Akka.Streams.Dsl;
using Lfr.Actors.Telemetry;
using Lfr.Actors.Van.Pipeline;
using Lfr.Vision;
using Lfr.Vision.Matching;

namespace Lfr.Actors.Van.Cameras;

/// <summary>
/// The van's cameras: starts one <see cref="CameraActor"/> per camera, restarts a failed or stalled one with
/// exponential backoff (without limit while a deployment is live; otherwise a camera that keeps failing is reported
/// failed) while the others carry on, and publishes
/// <see cref="CameraHealth"/>. It also holds the van's <see cref="LiveDeployment"/>, which every camera graph reads.
/// </summary>
public sealed class CameraSupervisor : ReceiveActor, IWithTimers
{
    /// <summary>At <c>/user/van-cameras</c>; its cluster link, which ops' restarts reach, at <c>/user/van-cameras-link</c>.</summary>
    public const string Name = "van-cameras";

    private readonly FaceEngine _engine;
    private readonly VanPipelineSettings _pipeline;
    private readonly IActorRef _alertSink;
    private readonly Func<CameraId, Sink<OperatorViewFrame, NotUsed>>? _views;
    private readonly CameraSupervisorSettings _settings;
    private readonly TimeProvider _time;
    private readonly LiveDeployment _deployment = new();
    private readonly Dictionary<CameraId, Camera> _cameras = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private DateTimeOffset _lastTick;

    public CameraSupervisor(FaceEngine engine, VanPipelineSettings pipeline, IActorRef alertSink,
        Func<CameraId, Sink<OperatorViewFrame, NotUsed>>? views, CameraSupervisorSettings settings, TimeProvider time)
    {
        _engine = engine;
        _pipeline = pipeline;
        _alertSink = alertSink;
        _views = views;
        _settings = settings;
        _time = time;

        Receive<CameraSupervisorProtocol.StartCamera>(start =>
        {
            if (_cameras.TryGetValue(start.Spec.Id, out var existing) && existing.Child is not null) return;
            var camera = existing ?? new Camera(start.Spec, _pipeline.DetectorBudget);
            camera.Gauges ??= PipelineGauges.Track(start.Spec.Id, camera.Counters);
            camera.Failures = 0;
            _cameras[start.Spec.Id] = camera;
            Start(camera);
        });
        Receive<CameraSupervisorProtocol.StopCamera>(stop =>
        {
            if (!_cameras.Remove(stop.Camera, out var camera)) return;
            camera.Gauges?.Dispose();
            Timers.Cancel(camera.Spec.Id);
            if (camera.Child is not null)
            {
                Context.Unwatch(camera.Child);
                Drain(camera.Child);
            }
        });
        Receive<CameraSupervisorProtocol.GetHealth>(_ => Sender.Tell(new CameraSupervisorProtocol.VanHealth(Health(0))));
        Receive<CameraSupervisorProtocol.RestartCamera>(restart => Sender.Tell(RestartOnRequest(restart.Camera)));
        // the van's cluster link (ops' restarts come through it) also passes its own news, which the cameras do not need
        Receive<Link.LinkProtocol.Attached>(_ => { });
        Receive<Link.LinkProtocol.Detached>(_ => { });
        Receive<Akka.Cluster.ClusterEvent.IClusterDomainEvent>(_ => { });

        Receive<CameraSupervisorProtocol.DeploymentStarted>(started =>
        {
            _deployment.Start(started.Deployment, started.Threshold, started.Watchlist);
            _log.Info("Deployment {Deployment} live: threshold {Threshold}, watchlist of {Entries}", started.Deployment, started.Threshold, started.Watchlist.Count);
            // a live deployment gives up on no camera: those that were left failed try again
            foreach (var camera in _cameras.Values.Where(c => c is { State: CameraState.Failed, Child: null }))
            {
                camera.Failures = 0;
                Start(camera);
            }
            ReplyDeployment();
        });
        Receive<CameraSupervisorProtocol.DeploymentEnded>(ended =>
        {
            if (_deployment.Current?.Deployment == ended.Deployment) _deployment.End();
            _log.Info("Deployment {Deployment} ended", ended.Deployment);
            ReplyDeployment();
        });
        Receive<CameraSupervisorProtocol.WatchlistUpdated>(updated =>
        {
            if (!_deployment.Swap(updated.Watchlist)) _log.Warning("Watchlist update ignored: no deployment is live");
            else _log.Info("Watchlist swapped: {Entries} entries", updated.Watchlist.Count);
            ReplyDeployment();
        });
        Receive<CameraSupervisorProtocol.WatchlistWiped>(_ =>
        {
            _deployment.Wipe();
            _log.Info("Watchlist wiped");
            ReplyDeployment();
        });

        Receive<CameraProtocol.SourceEnded>(ended =>
        {
            if (!_cameras.TryGetValue(ended.Camera, out var camera)) return;
            camera.Ended = true;
            // TCP gives no reason when a camera goes away: its stream simply ends
            if (ended.Live) camera.LastError = "the stream ended: the camera closed it or went away";
        });
        Receive<CameraProtocol.SourceOpened>(opened =>
        {
            if (_cameras.TryGetValue(opened.Camera, out var camera)) camera.OpenedAt = _time.GetUtcNow();
        });
        Receive<CameraProtocol.SourceFailed>(failed =>
        {
            if (_cameras.TryGetValue(failed.Camera, out var camera)) camera.LastError = failed.Reason;
        });
        Receive<Terminated>(terminated =>
        {
            Timers.Cancel(terminated.ActorRef);
            var camera = _cameras.Values.FirstOrDefault(c => c.Child?.Equals(terminated.ActorRef) == true);
            if (camera is not null) Stopped(camera);
        });
        Receive<Restart>(restart =>
        {
            if (_cameras.TryGetValue(restart.Camera, out var camera) && camera.Child is null) Start(camera);
        });
        Receive<Tick>(_ => Watch());
        Receive<DrainOver>(over => Context.Stop(over.Child));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(FaceEngine engine, VanPipelineSettings pipeline, IActorRef alertSink,
        Func<CameraId, Sink<OperatorViewFrame, NotUsed>>? views = null, CameraSupervisorSettings? settings = null, TimeProvider? time = null) =>
        Akka.Actor.Props.Create(() => new CameraSupervisor(engine, pipeline, alertSink, views, settings ?? new CameraSupervisorSettings(),
            time ?? TimeProvider.System));

    // every failure of a camera is handled the same way: stop it, then restart it from Terminated with backoff
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(error =>
    {
        _log.Warning("A camera failed unexpectedly: {ErrorType}", error.GetType().Name);
        return Directive.Stop;
    });

    protected override void PreStart()
    {
        _lastTick = _time.GetUtcNow();
        Timers.StartPeriodicTimer(nameof(Tick), Tick.Instance, _settings.HealthInterval);
    }

    protected override void PostStop()
    {
        foreach (var camera in _cameras.Values)
            camera.Gauges?.Dispose();
    }

    private CameraSupervisorProtocol.CameraRestartAnswer RestartOnRequest(CameraId id)
    {
        if (!_cameras.TryGetValue(id, out var camera))
            return new CameraSupervisorProtocol.CameraRestartAnswer(id, false, $"this van has no camera {id}");
        if (camera.Child is not null || camera.State is not (CameraState.Failed or CameraState.Ended))
            return new CameraSupervisorProtocol.CameraRestartAnswer(id, false, camera.State == CameraState.Reconnecting
                ? "it is reconnecting by itself; the supervisor has not given up on it"
                : $"it is {camera.State}, not failed: nothing to restart");
        _log.Info("Camera {Camera} started again on request after {Failures} failures", id, camera.Failures);
        Timers.Cancel(id);
        camera.Failures = 0;
        Start(camera);
        return new CameraSupervisorProtocol.CameraRestartAnswer(id, true, "started again");
    }

    private void Start(Camera camera)
    {
        var context = new VanPipelineContext(camera.Spec.Id, _engine, _deployment, _pipeline, camera.Counters, _log, _time);
        camera.Child = Context.Watch(Context.ActorOf(
            CameraActor.Props(camera.Spec, context, _alertSink, _views?.Invoke(camera.Spec.Id), _time)
                .WithDispatcher(VanConfig.CameraDispatcher),
            $"camera-{Uri.EscapeDataString(camera.Spec.Id.Value)}-{camera.Restarts}"));
        camera.State = CameraState.Starting;
        camera.StartedAt = _time.GetUtcNow();
        camera.OpenedAt = null;
        camera.FramesAtStart = camera.Counters.Snapshot().FramesIn;
        camera.Ended = false;
        camera.Stalled = false;
    }

    private void Stopped(Camera camera)
    {
        camera.Child = null;
        if (camera.Ended && !camera.Spec.ReconnectOnEnd)
        {
            camera.State = CameraState.Ended;
            _log.Info("Camera {Camera} ended", camera.Spec.Id);
            Publish(camera);
            return;
        }
        // a camera that delivered frames before it stopped was working: back to the shortest backoff
        var delivered = camera.Counters.Snapshot().FramesIn > camera.FramesAtStart;
        camera.Failures = delivered && !camera.Stalled ? 1 : camera.Failures + 1;
        if (!camera.Ended && camera.LastError is null) camera.LastError = "stopped unexpectedly";
        if (camera.Failures > _settings.MaxConsecutiveFailures && _deployment.Current is null)
        {
            camera.State = CameraState.Failed;
            _log.Error("Camera {Camera} failed {Failures} times in a row; giving up: {Reason}", camera.Spec.Id, camera.Failures - 1, camera.LastError);
            Publish(camera);
            return;
        }
        var backoff = Backoff(camera.Failures);
        camera.State = CameraState.Reconnecting;
        camera.Restarts++;
        _log.Info("Camera {Camera} reconnects in {Backoff} (attempt {Attempt}): {Reason}", camera.Spec.Id, backoff, camera.Failures, camera.LastError);
        Timers.StartSingleTimer(camera.Spec.Id, new Restart(camera.Spec.Id), backoff);
        Publish(camera);
    }

    private TimeSpan Backoff(int failures)
    {
        var factor = Math.Pow(2, Math.Min(20, failures - 1));
        return TimeSpan.FromTicks((long)Math.Min(_settings.MaxBackoff.Ticks, _settings.MinBackoff.Ticks * factor));
    }

    private void Watch()
    {
        var now = _time.GetUtcNow();
        var elapsed = (now - _lastTick).TotalSeconds;
        _lastTick = now;
        foreach (var camera in _cameras.Values)
        {
            if (camera.Child is null || camera.Stalled) continue;
            // progress is a frame read or a frame processed: a lossless camera waiting for recognition is not stalled
            var counters = camera.Counters.Snapshot();
            var progress = counters.FramesIn + counters.FramesProcessed;
            if (progress != camera.Progress)
            {
                camera.Progress = progress;
                camera.ProgressAt = now;
            }
            var since = camera.OpenedAt ?? camera.StartedAt;
            var delivering = counters.LastFrameAt > since;
            var last = camera.ProgressAt > since ? camera.ProgressAt : since;
            if (now - last > (camera.OpenedAt is null ? _settings.OpenTimeout : _settings.StallTimeout))
            {
                // the reader thread may still be blocked inside the source; it exits when the read returns
                camera.Stalled = true;
                camera.LastError = camera.OpenedAt is null
                    ? $"no frame {(now - last).TotalSeconds:0} s after connecting: the camera is silent or unreachable"
                    : $"no frame for {(now - last).TotalSeconds:0} s";
                _log.Warning("Camera {Camera} stalled: {Reason}", camera.Spec.Id, camera.LastError);
                Drain(camera.Child);
            }
            else if (delivering)
            {
                camera.State = CameraState.Running;
            }
        }
        foreach (var health in Health(elapsed))
            Context.System.EventStream.Publish(health);
    }

    /// <summary>Stops a camera once its graph has sent the alerts it holds (or after the drain timeout): stopping it outright would lose them.</summary>
    private void Drain(IActorRef child)
    {
        child.Tell(CameraProtocol.Drain.Instance);
        Timers.StartSingleTimer(child, new DrainOver(child), _settings.DrainTimeout);
    }

    private List<CameraHealth> Health(double elapsedSeconds) => _cameras.Values.Select(c => c.Measure(elapsedSeconds)).ToList();

    private void Publish(Camera camera) => Context.System.EventStream.Publish(camera.Measure(0));

    private void ReplyDeployment()
    {
        var current = _deployment.Current;
        Sender.Tell(new CameraSupervisorProtocol.DeploymentApplied(current is not null, current?.Watchlist.Count ?? 0));
    }

    private sealed class Camera(CameraSpec spec, int detectorBudget)
    {
        private CameraCountersSnapshot _previous;
        private double _fpsIn;
        private double _fpsProcessed;
        private DetectorLoad? _detector;

        public CameraSpec Spec { get; } = spec;
        public CameraCounters Counters { get; } = new();
        /// <summary>Its latencies in <c>/metrics</c> while it belongs to this van.</summary>
        public IDisposable? Gauges { get; set; }
        public IActorRef? Child { get; set; }
        public CameraState State { get; set; } = CameraState.Starting;
        public int Failures { get; set; }
        public int Restarts { get; set; }
        public bool Ended { get; set; }
        public bool Stalled { get; set; }
        public string? LastError { get; set; }
        public DateTimeOffset StartedAt { get; set; }
        public DateTimeOffset? OpenedAt { get; set; }
        public long Progress { get; set; }
        public DateTimeOffset ProgressAt { get; set; }
        public long FramesAtStart { get; set; }

        /// <summary>Health now; rates are updated over <paramref name="elapsedSeconds"/> since the last update (0: the last rates).</summary>
        public CameraHealth Measure(double elapsedSeconds)
        {
            var now = Counters.Snapshot();
            if (elapsedSeconds > 0)
            {
                _fpsIn = (now.FramesIn - _previous.FramesIn) / elapsedSeconds;
                _fpsProcessed = (now.FramesProcessed - _previous.FramesProcessed) / elapsedSeconds;
                if (now.FramesProcessed > _previous.FramesProcessed)
                    _detector = new DetectorLoad(detectorBudget,
                        Math.Round((double)(now.DetectorRuns - _previous.DetectorRuns) / (now.FramesProcessed - _previous.FramesProcessed), 2),
                        now.TilesPlanned > _previous.TilesPlanned
                            ? Math.Round((double)(now.TilesRun - _previous.TilesRun) / (now.TilesPlanned - _previous.TilesPlanned), 3)
                            : 1);
                _previous = now;
            }
            // asked before its first rate window closed: its load so far, rather than none
            if (_detector is null && now.FramesProcessed > 0)
                _detector = new DetectorLoad(detectorBudget, Math.Round((double)now.DetectorRuns / now.FramesProcessed, 2),
                    now.TilesPlanned > 0 ? Math.Round((double)now.TilesRun / now.TilesPlanned, 3) : 1);
            return new CameraHealth(Spec.Id, State, _fpsIn, _fpsProcessed, now.FramesIn, now.FramesDropped, now.FramesProcessed,
                now.Faces, now.Tracks, now.Alerts, now.FramesAlive, Restarts, now.LastFrameAt, LastError, Counters.Latencies(), _detector);
        }
    }

    private sealed record Restart(CameraId Camera);

    private sealed record DrainOver(IActorRef Child);

    private sealed record Tick
    {
        public static Tick Instance { get; } = new();
    }
}

/// <summary>Registry key of the van's <see cref="CameraSupervisor"/>.</summary>
public sealed class VanCameras
{
    private VanCameras()
    {
    }
}

public static class CameraSupervisorHostingExtensions
{
    /// <summary>
    /// The van's cameras: the van HOCON (the vision and camera dispatchers) as a fallback, and the camera supervisor,
    /// registered as <see cref="VanCameras"/>. <paramref name="alertSink"/> picks the alerts' destination from the
    /// registry (the durable outbox once it exists); <paramref name="views"/>, where each camera's operator view goes.
    /// </summary>
    public static AkkaConfigurationBuilder WithVanCameras(this AkkaConfigurationBuilder builder, FaceEngine engine,
        VanPipelineSettings pipeline, Func<IActorRegistry, IActorRef> alertSink, CameraSupervisorSettings? settings = null,
        Func<IActorRegistry, Func<CameraId, Sink<OperatorViewFrame, NotUsed>>>? views = null)
    {
        builder.AddHocon(VanConfig.Default, HoconAddMode.Append);
        return builder.WithActors((system, registry) =>
            registry.Register<VanCameras>(system.ActorOf(
                CameraSupervisor.Props(engine, pipeline, alertSink(registry), views?.Invoke(registry), settings: settings), CameraSupervisor.Name)));
    }
}
