using Lfr.Actors.Van.Cameras;

namespace Lfr.Host.Web.Live;

/// <summary>The latest operator-view frame of a camera: every face that is not an alert already pixelated by the van.</summary>
public sealed record LiveFrame(string Camera, DateTimeOffset CapturedAt, byte[] Jpeg);

/// <summary>
/// What the operator screen and the ops console read of the vans' cameras: each camera's health and its latest
/// pixelated operator-view JPEG, from the cluster's live-view hub (<see cref="HubLiveView"/>).
/// </summary>
public interface ILiveView
{
    Task<IReadOnlyList<CameraHealth>> GetCamerasAsync(CancellationToken cancellation);

    /// <summary>Null when the camera is unknown or has sent no frame yet.</summary>
    Task<LiveFrame?> GetLatestFrameAsync(string camera, CancellationToken cancellation);

    /// <summary>Asks the camera's van to start it again; the answer says whether it did, and if not, why.</summary>
    Task<CameraSupervisorProtocol.CameraRestartAnswer> RestartCameraAsync(string camera, CancellationToken cancellation);
}
