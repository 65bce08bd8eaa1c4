namespace Lfr.Host.Bench;

/// <summary>What the van figures of <c>lfr bench</c> run on. Scenes are made of <see cref="Photos"/> (one person each) walking.</summary>
public sealed record PipelineBenchmarkOptions
{
    /// <summary>Face photos, one person each; walkers cycle through them.</summary>
    public required IReadOnlyList<string> Photos { get; init; }

    public int Width { get; init; } = 1280;
    public int Height { get; init; } = 720;

    /// <summary>People in view at once.</summary>
    public int PeopleInView { get; init; } = 5;

    /// <summary>Watchlist size: the walkers plus random fillers (a deployment's list is 10k-17k).</summary>
    public int WatchlistSize { get; init; } = 10_000;

    /// <summary>Frames rendered once and pushed through both the plain loop and the pipeline.</summary>
    public int ThroughputFrames { get; init; } = 150;

    public double LatencyFramesPerSecond { get; init; } = 10;
    public TimeSpan LatencyRun { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Capacity: 1080p H.264 cameras at 10 fps over RTSP on loopback (decoding included), from 1 up to this many at once,
    /// each count with every budget of <see cref="DetectorBudgets"/> in turn.
    /// </summary>
    public int MaxCameras { get; init; } = 4;

    /// <summary>Detector budgets compared in the same run (0: every tile every frame, the schedule before issue 16).</summary>
    public IReadOnlyList<int> DetectorBudgets { get; init; } = [0, Lfr.Vision.Detection.DetectionSchedule.DefaultBudget];

    /// <summary>Rounds of the detector schedule comparison (<see cref="DetectorScheduleBenchmark"/>); 0 skips it.</summary>
    public int DetectorScheduleRounds { get; init; } = 2;
    public TimeSpan CapacityRun { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>One 1080p camera run for this long to see whether memory stays flat (the issue asks for 10 minutes); zero skips it.</summary>
    public TimeSpan SoakRun { get; init; } = TimeSpan.Zero;

    /// <summary>Ten samples over the run, whatever its length.</summary>
    public TimeSpan SoakSampleEvery => SoakRun / 10;
}

/// <param name="LoopFps">Plain loop (detect, quality gate, align, embed, search for every face of every frame) on 1 and 2 threads.</param>
/// <param name="PipelineSameWorkFps">The actor pipeline doing the same work (every face embedded every frame).</param>
/// <param name="PipelineFps">The actor pipeline as deployed (only the best few faces of each track embedded).</param>
/// <param name="Ratio">Pipeline doing the same work over the better plain loop.</param>
/// <param name="LatencySamples">Passages alerted; the latency is from the capture an alert carries to the alert sink.</param>
/// <param name="ImprovedCaptures">Passages whose alert was followed by a clearly better capture; the delay is from the alert reaching
/// the sink to the improvement reaching it.</param>
public sealed record PipelineBenchmarkResult(
    int Width, int Height, int PeopleInView, int FacesPerFrame,
    double LoopFps1, double LoopFps2, double PipelineSameWorkFps, double PipelineFps, double Ratio,
    int LatencySamples, double LatencyP50Ms, double LatencyP99Ms, double LatencyMaxMs,
    int ImprovedCaptures, double ImprovementAfterAlertP50Ms, double ImprovementAfterAlertMaxMs,
    IReadOnlyList<CapacityPoint> Capacity, IReadOnlyList<SoakSample> Soak, IReadOnlyList<DetectorSchedulePoint> DetectorSchedule);

/// <summary>Memory after a full GC, at a time into the soak run, and frames so far.</summary>
/// <param name="ManagedBytes">What the GC heap holds: live objects after the collection.</param>
/// <param name="ManagedCommittedBytes">What the GC heap has committed; the rest of the working set is native (OpenCV and ONNX
/// Runtime buffers, the native allocator's arenas) plus the runtime's own code and data.</param>
/// <param name="FramesAlive">Frames whose native image is allocated (queued or in a stage).</param>
public sealed record SoakSample(TimeSpan At, long WorkingSetBytes, long ManagedBytes, long ManagedCommittedBytes, long FramesIn, long FramesDropped,
    long FramesAlive)
{
    public long NativeBytes => WorkingSetBytes - ManagedCommittedBytes;
}

/// <param name="TpirPerPassage">Mated passages with an alert naming the walker, over mated passages.</param>
/// <param name="FalseAlerts">Alerts naming someone not in view, and second alerts in one passage.</param>
public sealed record PassageAccuracy(float Threshold, int WatchlistSize, int MatedPassages, int NonMatedPassages, int MatedFound,
    double TpirPerPassage, int FalseAlerts, double FalseAlertsPer1000Passages, IReadOnlyList<string> FalseAlertDetails);

/// <param name="DropRate">Frames dropped over frames read, all cameras together.</param>
/// <param name="DecodeCpuMsPerFrame">CPU time of the cameras' ffmpeg processes (receive, decode, convert to BGR) per frame read.</param>
/// <param name="DetectorBudget">The cameras' detector budget (0: every tile every frame).</param>
/// <param name="CpuMsPerFrame">This process's CPU time over the run per frame processed: detection, embedding, matching, everything but
/// the ffmpeg decoders.</param>
/// <param name="AlertP50Ms">Capture to alert over the run's passages (<paramref name="Alerts"/>), all cameras together.</param>
/// <param name="SteadyDropRate">The same as <paramref name="DropRate"/> from a second after every camera's first processed frame: the
/// start of a run (the networks' first runs, ffmpeg connecting) left out. NaN when the run was too short to tell.</param>
public sealed record CapacityPoint(int Cameras, double FpsInPerCamera, double FpsProcessedPerCamera, double DropRate, double DecodeCpuMsPerFrame,
    int DetectorBudget = 0, double RunsPerFrame = 0, double CpuMsPerFrame = 0, int Alerts = 0, double AlertP50Ms = double.NaN, double AlertP99Ms = double.NaN,
    double SteadyDropRate = double.NaN);
