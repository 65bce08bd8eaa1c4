using Lfr.Actors.Cluster;
using Lfr.Actors.Van;
using Lfr.Actors.Van.Cameras;

namespace Lfr.Actors.LiveView;

/// <summary>A camera of the cluster: the van's name (<c>Lfr:Node:NodeName</c>) and the camera's name on that van.</summary>
public readonly record struct LiveCameraKey(string Van, CameraId Camera)
{
    /// <summary><c>VAN/CAMERA</c>: neither a node name nor a camera name may hold a slash.</summary>
    public override string ToString() => $"{Van}/{Camera.Value}";

    public static bool TryParse(string text, out LiveCameraKey key)
    {
        var slash = text.LastIndexOf('/');
        key = slash > 0 && slash < text.Length - 1 ? new LiveCameraKey(text[..slash], new CameraId(text[(slash + 1)..])) : default;
        return slash > 0 && slash < text.Length - 1;
    }
}

/// <summary>
/// Operator view frames and camera health from the vans' <see cref="LiveViewRelay"/>s to the <see cref="LiveViewHub"/> on
/// control-room and console nodes, and the hub's answers to the web UI. Frames are the pipeline's operator view: every
/// face that is not an alert is pixelated before a frame leaves the recognition graph.
/// </summary>
public static class LiveViewProtocol
{
    public interface ILiveViewMessage;

    /// <summary>To a van's relay: send the sender every camera's health, for as long as the sender lives.</summary>
    public sealed record SubscribeHealth : ILiveViewMessage, ILfrWireMessage
    {
        public static SubscribeHealth Instance { get; } = new();
        private SubscribeHealth() { }
    }

    /// <summary>
    /// To a van's relay: send the sender this camera's view frames for the next <c>lfr.live-view.watch-lease</c>; sent
    /// again while someone looks. When nobody does, the lease runs out and no frame leaves the van.
    /// </summary>
    public sealed record WatchCamera(CameraId Camera) : ILiveViewMessage, ILfrWireMessage;

    /// <summary>From a van's relay: one camera's health, as its supervisor measured it.</summary>
    public sealed record CameraHealthUpdate(string Van, CameraHealth Health) : ILiveViewMessage, ILfrWireMessage;

    /// <summary>
    /// From a van's relay: the latest operator view frame of a watched camera (JPEG, non-alert faces pixelated, under the
    /// frame limit). <paramref name="Dropped"/>: frames of this camera the relay has let go so far to keep to its rate.
    /// </summary>
    public sealed record LiveFrame(string Van, CameraId Camera, long Sequence, DateTimeOffset CapturedAt, byte[] Jpeg, int Faces, int AlertFaces,
        long Dropped) : ILiveViewMessage, ILfrWireMessage
    {
        public LiveCameraKey Key => new(Van, Camera);

        public override string ToString() => $"LiveFrame({Key}, #{Sequence}, {Jpeg.Length} B, {Faces} faces, {AlertFaces} alerts, {Dropped} dropped)";
    }

    /// <summary>To the hub (local, Ask from the web UI): every camera it has heard of.</summary>
    public sealed record GetCameras : ILiveViewMessage
    {
        public static GetCameras Instance { get; } = new();
        private GetCameras() { }
    }

    /// <summary>The hub's cameras, ordered by key.</summary>
    public sealed record Cameras(IReadOnlyList<LiveCamera> All) : ILiveViewMessage;

    /// <param name="HealthAt">When the hub received <paramref name="Health"/>.</param>
    /// <param name="VanReachable">False while the cluster's failure detector marks the van unreachable: the health is old.</param>
    /// <param name="LastFrameAt">Capture time of the latest frame held; null while nobody watches the camera.</param>
    public sealed record LiveCamera(LiveCameraKey Key, CameraHealth Health, DateTimeOffset HealthAt, bool VanReachable, DateTimeOffset? LastFrameAt);

    /// <summary>
    /// To the hub (local, Ask from the web UI): the latest frame of a camera. Asking is watching: the hub keeps the
    /// camera's frames coming while it is asked at least once per watch lease.
    /// </summary>
    public sealed record GetLatestFrame(LiveCameraKey Camera) : ILiveViewMessage;

    /// <summary>
    /// To the hub (local, Ask from the web UI): ask the camera's van to start it again; the van's
    /// <see cref="CameraSupervisorProtocol.CameraRestartAnswer"/> comes back to the asker.
    /// </summary>
    public sealed record RestartVanCamera(LiveCameraKey Camera) : ILiveViewMessage;

    /// <summary>The answer to <see cref="GetLatestFrame"/>; <paramref name="Frame"/> is null until the first frame arrives.</summary>
    public sealed record LatestFrame(LiveCameraKey Camera, LiveFrame? Frame) : ILiveViewMessage;
}
