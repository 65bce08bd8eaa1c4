using Lfr.Actors.Van.Cameras;
using Lfr.Vision.Detection;
using Lfr.Vision.Imaging;
using static Lfr.Actors.Van.Pipeline.AlertProtocol;

namespace Lfr.Actors.Van.Pipeline.Stages;

/// <summary>What passes between the stages: a frame and what the stages so far found in it.</summary>
internal sealed record DetectedFrame(CameraFrame Frame, IReadOnlyList<DetectedFace> Faces);

/// <param name="Embedding">Null when the face was not worth one; zeroed once matched.</param>
internal sealed record FaceObservation(TrackId Track, DetectedFace Face, float[]? Embedding);

/// <param name="Frame">Null only in <see cref="End"/>.</param>
internal sealed record TrackedFrame(CameraFrame? Frame, FaceObservation[] Faces, IReadOnlyList<TrackId> Ended, IReadOnlyList<(TrackId From, TrackId Into)> Merged)
{
    /// <summary>After the last frame: no picture, only the cue to release what is held.</summary>
    public static readonly TrackedFrame End = new(null, [], [], []);
}

/// <param name="Frame">Null after the last frame, when only the alerts still held come out.</param>
internal sealed record MatchedFrame(CameraFrame? Frame, IReadOnlyList<ViewFace> Faces, IReadOnlyList<AlertCandidate> Alerts);
