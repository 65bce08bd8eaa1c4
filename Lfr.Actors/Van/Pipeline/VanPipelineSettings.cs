using Lfr.Actors.Van.Tracking;
using Lfr.Vision.Matching;

namespace Lfr.Actors.Van.Pipeline;

/// <summary>
/// Turns a raw cosine into the calibrated likelihood (0..1) that the deployment's threshold applies to. The
/// calibration belongs to the matching module (<c>Lfr.Vision.Matching.LikelihoodCalibration</c>); the pipeline
/// only applies it and records <see cref="Version"/> in each alert.
/// </summary>
public sealed record LikelihoodMap(string Version, Func<float, float> Map)
{
    public float this[float cosine] => Math.Clamp(Map(cosine), 0f, 1f);

    /// <summary>A fitted calibration, recorded in alerts by its method and fitting time.</summary>
    public static LikelihoodMap From(LikelihoodCalibration calibration) =>
        new($"{LikelihoodCalibration.Method}@{calibration.CreatedUtc:yyyy-MM-ddTHH:mm:ssZ}", calibration.Likelihood);
    public override string ToString() => $"LikelihoodMap({Version})";
}

/// <summary>How one camera's recognition graph behaves. Defaults suit a 2-core van node.</summary>
public sealed record VanPipelineSettings
{
    public required LikelihoodMap Likelihood { get; init; }

    public TrackerSettings Tracker { get; init; } = new();

    /// <summary>
    /// Detector runs per frame each camera aims at, the whole frame included (<see cref="Lfr.Vision.Detection.DetectionSchedule"/>):
    /// the whole frame every frame, windows around small faces, tiles on a rotation led by motion. 0: every tile every
    /// frame (13 runs for 1080p). Measured in docs/benchmarks.md.
    /// </summary>
    public int DetectorBudget { get; init; } = Lfr.Vision.Detection.DetectionSchedule.DefaultBudget;

    /// <summary>Embeddings per track at most: the best few faces of a passage, not every frame.</summary>
    public int MaxEmbedsPerTrack { get; init; } = 10;

    /// <summary>A track is embedded again when its face is this much better than the best embedded so far...</summary>
    public float BetterFaceFactor { get; init; } = 1.15f;

    /// <summary>...or when this long has passed since its last embedding (a head turns towards the camera).</summary>
    public TimeSpan ReEmbedInterval { get; init; } = TimeSpan.FromSeconds(0.4);

    /// <summary>
    /// After an alert for an entry, another track of the same entry on the same camera within this time is the same
    /// passage (the tracker lost and re-found the person), not a new alert.
    /// </summary>
    public TimeSpan PassageGap { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A passage's alert goes out with its first capture that reaches the threshold; for this long after it, a clearly
    /// better capture of the same passage is kept and then sent as an improved capture of that alert (one at most).
    /// As long as the alert hold it replaced: the best capture reaches the operator when the held alert used to, and the
    /// alert itself no longer waits (docs/benchmarks.md, latency). Zero: the first capture only.
    /// </summary>
    public TimeSpan ImprovementWindow { get; init; } = TimeSpan.FromSeconds(0.5);

    /// <summary>How much higher a capture's likelihood must be than every earlier one of the passage to improve its alert.</summary>
    public float ImprovementMargin { get; init; } = 0.03f;

    /// <summary>Alert crops cross nodes as JPEG; Akka.Remote drops messages over 128 KB.</summary>
    public int MaxCropBytes { get; init; } = 64 * 1024;

    /// <summary>
    /// The operator view's rate, width and size (<c>Lfr:LiveView</c>): the relay sends what is made here as it is, so both
    /// read this one setting. Null: no view (<c>lfr watch</c>, the benchmarks).
    /// </summary>
    public LiveView.LiveViewSettings? View { get; init; } = new();

    /// <summary>
    /// Blocks across the operator view outside alert faces (<see cref="Lfr.Vision.Imaging.Pixelation.PixelateAllBut"/>),
    /// so that a face the detector missed is pixelated too; 0 leaves the scene clear and pixelates detected faces only.
    /// </summary>
    public int ViewSceneBlocks { get; init; } = Lfr.Vision.Imaging.Pixelation.DefaultSceneBlocks;

    /// <summary>How long the alert sink may take to accept an alert before the graph fails (and the camera restarts).</summary>
    public TimeSpan AlertSinkTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
