using Akka.Actor;
using Akka.Hosting;
using Lfr.Actors.LiveView;
using Lfr.Actors.Van;
using Lfr.Actors.Van.Cameras;
using static Lfr.Actors.LiveView.LiveViewProtocol;

namespace Lfr.Host.Web.Live;

/// <summary>
/// The live view on a control-room or console node: every van's cameras from this node's <see cref="LiveViewHub"/>,
/// named <c>VAN/CAMERA</c> as deployments name them. Asking for a camera's frame is what keeps its frames coming from
/// the van. Where no hub runs (no cluster roles composed) there are no cameras to show.
/// </summary>
public sealed class HubLiveView(ActorRegistry registry) : ILiveView
{
    public async Task<IReadOnlyList<CameraHealth>> GetCamerasAsync(CancellationToken cancellation)
    {
        if (!registry.TryGet<LiveViewHub>(out var hub)) return [];
        var cameras = await hub.Ask<Cameras>(GetCameras.Instance, ControlRoomGateway.Timeout, cancellation);
        // an unreachable van's last health is old news: say so, and its last frame time turns the camera red
        return cameras.All.Select(c => c.Health with
        {
            Camera = new CameraId(c.Key.ToString()),
            LastError = c.VanReachable ? c.Health.LastError : "van unreachable: " + (c.Health.LastError ?? "last health shown"),
        }).ToArray();
    }

    public async Task<LiveFrame?> GetLatestFrameAsync(string camera, CancellationToken cancellation)
    {
        if (!registry.TryGet<LiveViewHub>(out var hub)) return null;
        if (!LiveCameraKey.TryParse(camera, out var key)) return null;
        var latest = await hub.Ask<LatestFrame>(new GetLatestFrame(key), ControlRoomGateway.Timeout, cancellation);
        return latest.Frame is { } frame ? new LiveFrame(camera, frame.CapturedAt, frame.Jpeg) : null;
    }

    public async Task<CameraSupervisorProtocol.CameraRestartAnswer> RestartCameraAsync(string camera, CancellationToken cancellation)
    {
        if (!registry.TryGet<LiveViewHub>(out var hub))
            return new CameraSupervisorProtocol.CameraRestartAnswer(new CameraId(camera), false, "no live-view hub on this node: no van's cameras report here");
        if (!LiveCameraKey.TryParse(camera, out var key))
            return new CameraSupervisorProtocol.CameraRestartAnswer(new CameraId(camera), false, "a camera is named VAN/CAMERA");
        return await hub.Ask<CameraSupervisorProtocol.CameraRestartAnswer>(new RestartVanCamera(key), ControlRoomGateway.Timeout, cancellation);
    }
}
