namespace Lfr.Vision.Detection;

/// <summary>How the detector covers an image. Defaults find faces from ~32 px wide in a 1080p frame.</summary>
public sealed record DetectorOptions
{
    /// <summary>Detections below this confidence are dropped.</summary>
    public float ScoreThreshold { get; init; } = 0.7f;

    /// <summary>Boxes overlapping a stronger one by more than this IoU are the same face.</summary>
    public float NmsIoU { get; init; } = 0.4f;

    /// <summary>
    /// The smallest face width (source pixels) the detector must find. The network's input is 320x240, so an
    /// image much larger than that is also searched in overlapping 320x240 tiles of a shrunk copy, at the
    /// scale where a face of this width is <see cref="MinFaceInTile"/> pixels wide.
    /// </summary>
    public float MinFaceSize { get; init; } = 32f;

    /// <summary>Face width (network pixels) that fr_detect still finds reliably (its smallest anchors are 10-24 px).</summary>
    public float MinFaceInTile { get; init; } = 16f;

    /// <summary>Tile overlap in network pixels: a face up to this wide is whole in at least one tile.</summary>
    public int TileOverlap { get; init; } = 64;

    /// <summary>Detector runs in flight at once for one image (tiles run in parallel).</summary>
    public int Parallelism { get; init; } = 1;

    /// <summary>Faces narrower than this (source pixels) are not reported.</summary>
    public float MinReportedFaceSize { get; init; } = 12f;
}
