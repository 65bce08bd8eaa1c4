using Lfr.Actors.Van.Pipeline;
using Lfr.Vision.Matching;

namespace Lfr.Actors.Van.Cameras;

public enum CameraState
{
    Starting,
    Running,
    /// <summary>Waiting out its backoff before the next start.</summary>
    Reconnecting,
    /// <summary>Its source ended and it is not to be reopened.</summary>
    Ended,
    /// <summary>Kept failing while no deployment was live; restarted when one starts, or when it is started again.</summary>
    Failed,
}

/// <summary>One camera's health, published on the event stream every <see cref="CameraSupervisorSettings.HealthInterval"/>.</summary>
/// <param name="FramesAlive">Frames holding native memory right now (waiting or in a stage): stays small, whatever the load.</param>
/// <param name="Latencies">Recent stage and alert latencies (null from a van that does not measure them).</param>
/// <param name="Detector">Where the detector looked lately (null from a van of a version before the schedule).</param>
public sealed record CameraHealth(
    CameraId Camera, CameraState State, double FpsIn, double FpsProcessed, long FramesIn, long FramesDropped, long FramesProcessed,
    long Faces, long Tracks, long Alerts, long FramesAlive, int Restarts, DateTimeOffset? LastFrameAt, string? LastError,
    PipelineLatencies? Latencies = null, DetectorLoad? Detector = null);

/// <summary>
/// The detector's schedule on one camera over the last health interval: its budget (detector runs per frame aimed at,
/// 0 = every tile every frame), the runs per frame it made, and the share of the frame's tiles that ran (1 = all).
/// </summary>
public sealed record DetectorLoad(int Budget, double RunsPerFrame, double TileShare);

public static class CameraSupervisorProtocol
{
    public interface ICameraSupervisorMessage;

    public sealed record StartCamera(CameraSpec Spec) : ICameraSupervisorMessage;

    public sealed record StopCamera(CameraId Camera) : ICameraSupervisorMessage;

    public sealed record GetHealth : ICameraSupervisorMessage
    {
        public static GetHealth Instance { get; } = new();
        private GetHealth() { }
    }

    public sealed record VanHealth(IReadOnlyList<CameraHealth> Cameras) : ICameraSupervisorMessage;

    /// <summary>
    /// From ops (through the live-view hub and the van's link, or in the same process): start again a camera the
    /// supervisor gave up on (<see cref="CameraState.Failed"/>) or whose stream ended. Answered with <see cref="CameraRestartAnswer"/>.
    /// </summary>
    public sealed record RestartCamera(CameraId Camera) : ICameraSupervisorMessage, Cluster.ILfrWireMessage;

    /// <summary>Whether the camera was started again, and if not, why (it is running, or reconnecting by itself, or unknown).</summary>
    public sealed record CameraRestartAnswer(CameraId Camera, bool Restarted, string Detail) : ICameraSupervisorMessage, Cluster.ILfrWireMessage;

    /// <summary>The van may process frames: matching against <paramref name="Watchlist"/> at <paramref name="Threshold"/>.</summary>
    public sealed record DeploymentStarted(DeploymentId Deployment, float Threshold, WatchlistIndex Watchlist) : ICameraSupervisorMessage
    {
        public override string ToString() => $"DeploymentStarted({Deployment}, {Threshold}, {Watchlist.Count} entries)";
    }

    /// <summary>Frames are no longer processed (cameras stay connected so health keeps showing).</summary>
    public sealed record DeploymentEnded(DeploymentId Deployment) : ICameraSupervisorMessage;

    /// <summary>A new watchlist snapshot for the live deployment, swapped in without stopping any camera.</summary>
    public sealed record WatchlistUpdated(WatchlistIndex Watchlist) : ICameraSupervisorMessage
    {
        public override string ToString() => $"WatchlistUpdated({Watchlist.Count} entries)";
    }

    /// <summary>The watchlist is wiped: no face matches from the next frame on.</summary>
    public sealed record WatchlistWiped : ICameraSupervisorMessage
    {
        public static WatchlistWiped Instance { get; } = new();
        private WatchlistWiped() { }
    }

    /// <summary>Reply to the deployment messages once the change is in force.</summary>
    public sealed record DeploymentApplied(bool Live, int WatchlistEntries) : ICameraSupervisorMessage;
}
