using System.Collections.Concurrent;
using Akka;
using Akka.Actor;
using Akka.Hosting;
using Akka.Streams.Dsl;
using Lfr.Actors.Van;
using Lfr.Actors.Van.Cameras;
using Lfr.Actors.Van.Pipeline;

namespace Lfr.Host.Web.Live;

/// <summary>
/// The live view of a process that runs the van role itself (<c>lfr demo</c>): camera health from the
/// <see cref="VanCameras"/> in this process's registry, and the latest operator-view frame of each camera from the
/// sinks it hands the camera supervisor (<see cref="Sink"/>, as its <c>views</c>). Without a van here it shows no
/// cameras; <see cref="HubLiveView"/> uses it where this node runs no live-view hub.
/// </summary>
public sealed class VanCamerasLiveView(ActorRegistry registry)
{
    private readonly ConcurrentDictionary<string, OperatorViewFrame> _latest = new(StringComparer.Ordinal);

    /// <summary>One camera's operator view; each frame replaces the last, so only one per camera is ever held.</summary>
    public Sink<OperatorViewFrame, NotUsed> Sink(CameraId camera) =>
        Akka.Streams.Dsl.Sink.ForEach<OperatorViewFrame>(frame => _latest[camera.Value] = frame).MapMaterializedValue(_ => NotUsed.Instance);

    public async Task<IReadOnlyList<CameraHealth>> GetCamerasAsync(CancellationToken cancellation)
    {
        if (!registry.TryGet<VanCameras>(out var cameras)) return [];
        var health = await cameras.Ask<CameraSupervisorProtocol.VanHealth>(CameraSupervisorProtocol.GetHealth.Instance, ControlRoomGateway.Timeout, cancellation);
        return health.Cameras;
    }

    public async Task<CameraSupervisorProtocol.CameraRestartAnswer> RestartCameraAsync(string camera, CancellationToken cancellation) =>
        registry.TryGet<VanCameras>(out var cameras)
            ? await cameras.Ask<CameraSupervisorProtocol.CameraRestartAnswer>(new CameraSupervisorProtocol.RestartCamera(new CameraId(camera)),
                ControlRoomGateway.Timeout, cancellation)
            : new CameraSupervisorProtocol.CameraRestartAnswer(new CameraId(camera), false, "no van's cameras report to this node");

    public Task<LiveFrame?> GetLatestFrameAsync(string camera, CancellationToken cancellation) =>
        Task.FromResult(_latest.TryGetValue(camera, out var frame) ? new LiveFrame(camera, frame.CapturedAt, frame.Jpeg) : null);
}
