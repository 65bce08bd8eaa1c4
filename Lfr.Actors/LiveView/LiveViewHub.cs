using Akka.Actor;
using Akka.Event;
using Akka.Cluster;
using Akka.Hosting;
using Lfr.Actors.Cluster;
using Lfr.Actors.Cluster.Credentials;
using Lfr.Actors.Van.Cameras;
using static Lfr.Actors.LiveView.LiveViewProtocol;

namespace Lfr.Actors.LiveView;

/// <summary>
/// On control-room and console nodes: the latest health of every van's cameras and the latest frame of each camera
/// someone is watching, for the web UI (<see cref="GetCameras"/>, <see cref="GetLatestFrame"/>). Vans are found through
/// cluster membership; the hub subscribes to each van's <see cref="LiveViewRelay"/> when it comes up and again every
/// third of a watch lease (a relay that restarted, a subscription lost on the way), and asks for a camera's frames only
/// while the UI keeps asking for them. A van that leaves the cluster takes its cameras out of the view.
/// </summary>
public sealed class LiveViewHub : ReceiveActor, IWithTimers
{
    public const string Name = "live-view";

    private readonly LiveViewSettings _settings;
    private readonly TimeProvider _time;
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly HashSet<Address> _vans = [];
    private readonly HashSet<Address> _unreachable = [];
    private readonly Dictionary<LiveCameraKey, Camera> _cameras = [];
    private readonly PeerIdentities _identities = PeerIdentities.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public LiveViewHub(LiveViewSettings settings, TimeProvider time)
    {
        _settings = settings;
        _time = time;

        Receive<ClusterEvent.MemberUp>(up =>
        {
            if (!up.Member.HasRole(LfrRoles.Van) || !_vans.Add(up.Member.Address)) return;
            Relay(up.Member.Address).Tell(SubscribeHealth.Instance);
        });
        Receive<ClusterEvent.MemberRemoved>(removed =>
        {
            _vans.Remove(removed.Member.Address);
            _unreachable.Remove(removed.Member.Address);
            foreach (var key in _cameras.Where(c => c.Value.Van == removed.Member.Address).Select(c => c.Key).ToList()) _cameras.Remove(key);
        });
        Receive<ClusterEvent.UnreachableMember>(unreachable => _unreachable.Add(unreachable.Member.Address));
        Receive<ClusterEvent.ReachableMember>(reachable => _unreachable.Remove(reachable.Member.Address));
        Receive<ClusterEvent.IMemberEvent>(_ => { });

        Receive<CameraHealthUpdate>(update =>
        {
            // a relay on this very member (lfr demo) answers with a local address: the member's own, as membership names it
            var van = Sender.Path.Address.HasLocalScope ? _cluster.SelfAddress : Sender.Path.Address;
            // a report still in flight from a van that has been removed would bring back a ghost
            if (!_vans.Contains(van)) return;
            // a van reports only its own cameras, as the van its certificate names
            if (!_identities.Allows(van, LfrRole.Van, update.Van))
            {
                _log.Warning("Refused camera health for {Van} from {Address} ({Identity})", update.Van, van, _identities.Of(van)?.ToString() ?? "identity not proven");
                return;
            }
            var key = new LiveCameraKey(update.Van, update.Health.Camera);
            if (!_cameras.TryGetValue(key, out var camera)) _cameras[key] = camera = new Camera(van);
            camera.Van = van;
            camera.Health = update.Health;
            camera.HealthAt = _time.GetUtcNow();
        });
        Receive<LiveFrame>(frame =>
        {
            if (!_identities.Allows(Sender.Path.Address, LfrRole.Van, frame.Van))
            {
                _log.Warning("Refused a live frame of {Van} from {Address}", frame.Van, Sender.Path.Address);
                return;
            }
            if (_cameras.TryGetValue(frame.Key, out var camera) && camera.Watched(_time.GetUtcNow())) camera.Frame = frame;
        });

        Receive<GetCameras>(_ => Sender.Tell(new Cameras(_cameras
            .Where(c => c.Value.Health is not null)
            .OrderBy(c => c.Key.ToString(), StringComparer.Ordinal)
            .Select(c => new LiveCamera(c.Key, c.Value.Health!, c.Value.HealthAt, !_unreachable.Contains(c.Value.Van), c.Value.Frame?.CapturedAt))
            .ToList())));
        Receive<GetLatestFrame>(get =>
        {
            if (!_cameras.TryGetValue(get.Camera, out var camera))
            {
                Sender.Tell(new LatestFrame(get.Camera, null));
                return;
            }
            var now = _time.GetUtcNow();
            camera.WantedUntil = now + _settings.WatchLease;
            Watch(get.Camera, camera, now);
            Sender.Tell(new LatestFrame(get.Camera, camera.Frame));
        });
        Receive<RestartVanCamera>(restart =>
        {
            if (!_cameras.TryGetValue(restart.Camera, out var camera))
                Sender.Tell(new CameraSupervisorProtocol.CameraRestartAnswer(restart.Camera.Camera, false, $"no camera {restart.Camera} reports to this node"));
            else
                Context.ActorSelection(new RootActorPath(camera.Van) / "user" / $"{CameraSupervisor.Name}-link")
                    .Tell(new CameraSupervisorProtocol.RestartCamera(restart.Camera.Camera), Sender);
        });
        Receive<Renew>(_ => RenewAll());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(LiveViewSettings settings, TimeProvider time) => Akka.Actor.Props.Create(() => new LiveViewHub(settings, time));

    protected override void PreStart()
    {
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));
        Timers.StartPeriodicTimer(nameof(Renew), Renew.Instance, _settings.WatchLease / 3);
    }

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private void RenewAll()
    {
        var now = _time.GetUtcNow();
        foreach (var van in _vans) Relay(van).Tell(SubscribeHealth.Instance);
        foreach (var (key, camera) in _cameras)
        {
            if (camera.Watched(now)) Watch(key, camera, now);
            // nobody looks any more: a frame kept now would be stale by the time someone does
            else camera.Frame = null;
        }
    }

    /// <summary>Asks the van for the camera's frames for one more lease, renewed before it runs out while someone looks.</summary>
    private void Watch(LiveCameraKey key, Camera camera, DateTimeOffset now)
    {
        if (now - camera.WatchSentAt < _settings.WatchLease / 3) return;
        camera.WatchSentAt = now;
        Relay(camera.Van).Tell(new WatchCamera(key.Camera));
    }

    private ActorSelection Relay(Address van) => Context.ActorSelection(new RootActorPath(van) / "user" / LiveViewRelay.Name);

    private sealed class Camera(Address van)
    {
        public Address Van { get; set; } = van;
        public CameraHealth? Health { get; set; }
        public DateTimeOffset HealthAt { get; set; }
        public LiveFrame? Frame { get; set; }
        public DateTimeOffset WantedUntil { get; set; } = DateTimeOffset.MinValue;
        public DateTimeOffset WatchSentAt { get; set; } = DateTimeOffset.MinValue;

        public bool Watched(DateTimeOffset now) => WantedUntil > now;
    }

    private sealed class Renew
    {
        public static Renew Instance { get; } = new();

        private Renew()
        {
        }
    }
}

public static class LiveViewHubHostingExtensions
{
    /// <summary>The <see cref="LiveViewHub"/> at <c>/user/live-view</c>, registered as <see cref="LiveViewHub"/> for the web UI.</summary>
    /// <remarks>A member that holds both roles that run one (control room and console, as <c>lfr demo</c>'s does) runs one.</remarks>
    public static AkkaConfigurationBuilder WithLiveViewHub(this AkkaConfigurationBuilder builder, LiveViewSettings settings, TimeProvider time) =>
        builder.WithActors((system, registry) =>
        {
            if (registry.TryGet<LiveViewHub>(out _)) return;
            registry.Register<LiveViewHub>(system.ActorOf(LiveViewHub.Props(settings, time), LiveViewHub.Name));
        });
}
