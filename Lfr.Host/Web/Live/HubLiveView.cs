using Akka.Actor;
using Akka.Hosting;
using Lfr.Actors.LiveView;
using Lfr.Actors.Van;
using Lfr.Actors.Van.Cameras;

namespace Lfr.Host.Web.Live;

/// <summary>
/// The live view of a control-room or console node: the cluster's <see cref="LiveViewHub"/>, asked at the edge. Its
/// cameras are named <c>VAN/CAMERA</c>; asking for a camera's frame is what keeps that camera's frames coming from its van.
/// </summary>
public sealed class HubLiveView(ActorRegistry registry) : ILiveView
{
    public async Task<IReadOnlyList<CameraHealth>> GetCamerasAsync(CancellationToken cancellation)
    {
        var cameras = await Hub.Ask<LiveViewProtocol.Cameras>(LiveViewProtocol.GetCameras.Instance, ControlRoomGateway.Timeout, cancellation);
        // the health of a van the failure detector has lost is old: say so, its last frame time ages into "failing"
        return cameras.All.Select(c => c.Health with
        {
            Camera = new CameraId(c.Key.ToString()),
            LastError = c.VanReachable ? c.Health.LastError : $"van {c.Key.Van} unreachable since {c.HealthAt:u}",
        }).ToArray();
    }

    public async Task<LiveFrame?> GetLatestFrameAsync(string camera, CancellationToken cancellation)
    {
        if (!LiveCameraKey.TryParse(camera, out var key)) return null;
        var latest = await Hub.Ask<LiveViewProtocol.LatestFrame>(new LiveViewProtocol.GetLatestFrame(key), ControlRoomGateway.Timeout, cancellation);
        return latest.Frame is { } frame ? new LiveFrame(camera, frame.CapturedAt, frame.Jpeg) : null;
    }

    private IActorRef Hub => registry.Get<LiveViewHub>();
}
