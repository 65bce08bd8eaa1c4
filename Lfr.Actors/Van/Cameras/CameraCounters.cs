namespace Lfr.Actors.Van.Cameras;

/// <summary>
/// Live counters of one camera and its pipeline, written by the reader thread and the stream stages and read
/// by health reports. Counts only: no face data ever lands here (rule 6: no scan records).
/// </summary>
public sealed class CameraCounters
{
    private long _framesIn;
    private long _framesDropped;
    private long _framesProcessed;
    private long _faces;
    private long _tracks;
    private long _alerts;
    private long _framesAlive;
    private long _lastFrameTicks;
    private long _detectorRuns;
    private long _tilesRun;
    private long _tilesPlanned;

    /// <summary>Time in the detect stage per frame.</summary>
    public LatencyWindow Detect { get; } = new();

    /// <summary>Time in the track-embed stage per frame.</summary>
    public LatencyWindow TrackEmbed { get; } = new();

    /// <summary>Time in the match stage per frame.</summary>
    public LatencyWindow Match { get; } = new();

    /// <summary>From a frame's capture to the alert candidate it raised, per alert.</summary>
    public LatencyWindow Alert { get; } = new();

    public PipelineLatencies Latencies() => new(Detect.Summary(), TrackEmbed.Summary(), Match.Summary(), Alert.Summary());

    public void FrameRead(DateTimeOffset at)
    {
        Interlocked.Increment(ref _framesIn);
        Interlocked.Exchange(ref _lastFrameTicks, at.UtcTicks);
    }

    public void FrameDropped() => Interlocked.Increment(ref _framesDropped);
    public void FrameProcessed(int faces)
    {
        Interlocked.Increment(ref _framesProcessed);
        Interlocked.Add(ref _faces, faces);
    }

    /// <summary>One frame's detection: its detector runs and the share of its tiles that ran.</summary>
    public void Detected(Lfr.Vision.Detection.DetectionCost cost)
    {
        Interlocked.Add(ref _detectorRuns, cost.Runs);
        Interlocked.Add(ref _tilesRun, cost.TilesRun);
        Interlocked.Add(ref _tilesPlanned, cost.Tiles);
    }

    public void TracksStarted(int count) => Interlocked.Add(ref _tracks, count);
    public void AlertRaised() => Interlocked.Increment(ref _alerts);
    internal void FrameCreated() => Interlocked.Increment(ref _framesAlive);
    internal void FrameReleased() => Interlocked.Decrement(ref _framesAlive);

    public CameraCountersSnapshot Snapshot()
    {
        var ticks = Interlocked.Read(ref _lastFrameTicks);
        return new CameraCountersSnapshot(
            Interlocked.Read(ref _framesIn), Interlocked.Read(ref _framesDropped), Interlocked.Read(ref _framesProcessed),
            Interlocked.Read(ref _faces), Interlocked.Read(ref _tracks), Interlocked.Read(ref _alerts),
            Interlocked.Read(ref _framesAlive), ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero),
            Interlocked.Read(ref _detectorRuns), Interlocked.Read(ref _tilesRun), Interlocked.Read(ref _tilesPlanned));
    }
}

/// <param name="FramesAlive">Frames whose native image is still allocated (queued or in a stage): bounded by the graph, never by the input rate.</param>
/// <param name="DetectorRuns">Detector runs over all frames processed (the whole frame, tiles and windows).</param>
public readonly record struct CameraCountersSnapshot(
    long FramesIn, long FramesDropped, long FramesProcessed, long Faces, long Tracks, long Alerts, long FramesAlive, DateTimeOffset? LastFrameAt,
    long DetectorRuns = 0, long TilesRun = 0, long TilesPlanned = 0);
