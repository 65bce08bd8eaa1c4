using System.Diagnostics;
using Lfr.Actors.Van;
using Lfr.Actors.Van.Cameras;
using Lfr.Actors.Van.Pipeline;
using Lfr.Host.Standalone;
using Lfr.Vision;
using Lfr.Vision.Matching;
using Lfr.Vision.Watchlists;
using OpenCvSharp;
using static Lfr.Actors.Van.Cameras.CameraSupervisorProtocol;

namespace Lfr.Host.Bench;

/// <summary>
/// The van's figures: actor pipeline vs plain loop on the same frames in the same run, capture-to-alert latency, how many
/// 1080p cameras one node sustains, and working set over a run. Everything runs in this process on real models.
/// </summary>
public static class PipelineBenchmark
{
    private const float Threshold = 0.6f;

    public static async Task<PipelineBenchmarkResult> RunAsync(FaceEngine engine, LikelihoodMap likelihood, PipelineBenchmarkOptions options,
        Action<string>? progress = null)
    {
        var say = progress ?? (_ => { });
        var people = options.Photos.Select((photo, i) => Enrol(engine, photo, i)).OfType<WatchlistEntry>().ToList();
        if (people.Count == 0) throw new ArgumentException("none of the photos shows a face", nameof(options));
        var watchlist = Watchlist(people, options.WatchlistSize);
        var settings = new VanPipelineSettings { Likelihood = likelihood, View = null, PassageGap = TimeSpan.Zero };

        say("van: plain loop vs pipeline ...");
        var script = Scene(options, options.Width, options.Height, 10, TimeSpan.FromSeconds(options.ThroughputFrames / 10.0 + 1));
        var frames = Render(script, options.ThroughputFrames);
        double loop1, loop2, pipelineSameWork, pipeline;
        int faces;
        // the pipeline runs on the engine the faster loop has, as a van node does: a frame's tiles and faces two at a time
        using var vanEngine = FaceEngine.Load(engine.Options with { Parallelism = 2 });
        try
        {
            (loop1, faces) = PlainLoop(engine, frames, watchlist, likelihood);
            (loop2, _) = PlainLoop(vanEngine, frames, watchlist, likelihood);
            // the same work as the loop: every face embedded, and every tile of every frame detected
            var sameWork = settings with { MaxEmbedsPerTrack = int.MaxValue, BetterFaceFactor = 0, ReEmbedInterval = TimeSpan.Zero, DetectorBudget = 0 };
            pipelineSameWork = await PipelineFps(vanEngine, sameWork, watchlist, frames);
            pipeline = await PipelineFps(vanEngine, settings, watchlist, frames);
        }
        finally
        {
            foreach (var frame in frames) frame.Dispose();
        }

        say("van: capture to alert latency ...");
        var (latencies, improvements) = await AlertLatencies(vanEngine, settings, watchlist, options);

        say("van: capacity ...");
        var capacity = new List<CapacityPoint>();
        for (var cameras = 1; cameras <= options.MaxCameras; cameras++)
            foreach (var budget in options.DetectorBudgets)
                capacity.Add(await Capacity(vanEngine, settings with { DetectorBudget = budget }, watchlist, options, cameras));

        var schedule = options.DetectorScheduleRounds > 0
            ? DetectorScheduleBenchmark.Run(engine, options.Photos, options.DetectorBudgets, options.DetectorScheduleRounds, options.PeopleInView, say)
            : [];

        var soak = new List<SoakSample>();
        if (options.SoakRun > TimeSpan.Zero)
        {
            say($"van: soak for {options.SoakRun} ...");
            await RunCameras(vanEngine, settings, watchlist, options, 1, 1920, 1080, options.SoakRun, (at, health) =>
            {
                // the first sample once the scene is open and frames flow, so that the level includes the source's photos
                if (health.Sum(h => h.FramesIn) == 0) return;
                if (soak.Count > 0 && at - soak[^1].At < options.SoakSampleEvery && health.Any(h => h.State != CameraState.Ended)) return;
                var (workingSet, gc) = Memory();
                soak.Add(new SoakSample(at, workingSet, gc.HeapSizeBytes, gc.TotalCommittedBytes, health.Sum(h => h.FramesIn),
                    health.Sum(h => h.FramesDropped), health.Sum(h => h.FramesAlive)));
            });
        }

        latencies.Sort();
        improvements.Sort();
        return new PipelineBenchmarkResult(options.Width, options.Height, options.PeopleInView, faces,
            loop1, loop2, pipelineSameWork, pipeline, pipelineSameWork / Math.Max(loop1, loop2),
            latencies.Count, Percentile(latencies, 0.5), Percentile(latencies, 0.99), latencies.Count > 0 ? latencies[^1] : double.NaN,
            improvements.Count, Percentile(improvements, 0.5), improvements.Count > 0 ? improvements[^1] : double.NaN,
            capacity, soak, schedule);
    }

    /// <summary>
    /// Accuracy per passage: people from an open-set protocol (a gallery CSV enrolled, a probes CSV walking) cross a
    /// 640x360 scene two at a time, each showing up to three of their probe photos as a real passage shows several
    /// views. A mated passage is found when an alert names the walker during the passage; any other alert is false.
    /// Every frame is processed (lossless hand-off), so the figure does not depend on the machine's load.
    /// </summary>
    /// <param name="vanEngine">The engine the van runs, when it differs from the enrolment's <paramref name="engine"/> (e.g. embeddings
    /// without the mirror image: the watchlist is still enrolled as the control room does).</param>
    public static async Task<PassageAccuracy> PassageAccuracyAsync(FaceEngine engine, LikelihoodMap likelihood, float threshold,
        IReadOnlyList<(string Identity, string Photo)> gallery, IReadOnlyList<(string Identity, string Photo)> probes, int passages,
        Action<string>? progress = null, FaceEngine? vanEngine = null)
    {
        var say = progress ?? (_ => { });
        say($"van: enrolling {gallery.Count} gallery photos ...");
        var entries = gallery.Select((g, i) => (g.Identity, Entry: Enrol(engine, g.Photo, i))).Where(e => e.Entry is not null)
            .Select(e => new WatchlistEntry(new WatchlistEntryId(e.Identity), e.Entry!.Category, e.Entry.Embedding.Span)).ToList();
        var enrolled = entries.Select(e => e.Id.Value).ToHashSet();
        var people = probes.GroupBy(p => p.Identity).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Identity: g.Key, Photos: g.Take(3).Select(p => p.Photo).ToArray(), Mated: enrolled.Contains(g.Key))).ToList();
        var cast = people.Where(p => p.Mated).Take(passages / 2).Concat(people.Where(p => !p.Mated).Take(passages - passages / 2)).ToList();

        var crossing = TimeSpan.FromSeconds(3);
        var walkers = cast.Select((p, i) => new SceneWalker(p.Identity, p.Photos, (crossing + TimeSpan.FromSeconds(0.3)) * (i / 2) + crossing / 2 * (i % 2),
            crossing, i % 2 == 0 ? 0.32f : 0.7f, 160, LeftToRight: i % 2 == 0)).ToList();
        var script = new SceneScript(640, 360, 15, walkers.Max(w => w.Exit) + TimeSpan.FromSeconds(0.5), walkers);

        say($"van: {cast.Count} passages against a watchlist of {entries.Count} ...");
        var alerts = new List<AlertProtocol.AlertCandidate>();
        var settings = new VanPipelineSettings { Likelihood = likelihood, View = null };
        using (var van = await StandaloneVan.StartAsync("van-bench", vanEngine ?? engine, settings, WatchlistIndex.Build(entries, VectorStorage.Float32),
                   threshold, alert => { lock (alerts) alerts.Add(alert); }))
        {
            van.Start(new CameraSpec(new CameraId("bench"), () => new SceneSource(script), HandOffPolicy.Lossless, ReconnectOnEnd: false));
            await van.AwaitAsync(CameraState.Ended, script.Length * 30);
        }

        var found = new HashSet<string>();
        var falseAlerts = new List<string>();
        lock (alerts)
        {
            var passagesAlerted = new HashSet<(CameraId, TrackId, WatchlistEntryId)>();
            foreach (var alert in alerts)
            {
                // a passage's improved capture adds to its alert: not a second alert
                if (!passagesAlerted.Add(alert.Passage)) continue;
                var inView = walkers.Where(w => alert.SourcePosition >= w.Enter && alert.SourcePosition <= w.Exit).ToList();
                var walker = inView.FirstOrDefault(w => w.Label == alert.EntryId.Value);
                if (walker is not null && found.Add(walker.Label)) continue;
                // evaluation identities (public test photos), so naming them here is fine
                falseAlerts.Add($"{alert.EntryId} at {alert.SourcePosition.TotalSeconds:0.0} s (likelihood {alert.Likelihood:0.000}), " +
                                $"{(walker is not null ? "a second alert in one passage" : "in view: " + string.Join(", ", inView.Select(w => w.Label)))}");
            }
        }
        var mated = cast.Count(p => p.Mated);
        return new PassageAccuracy(threshold, entries.Count, mated, cast.Count - mated, found.Count,
            mated == 0 ? double.NaN : (double)found.Count / mated, falseAlerts.Count, 1000.0 * falseAlerts.Count / cast.Count, falseAlerts);
    }

    private static (double Fps, int FacesPerFrame) PlainLoop(FaceEngine engine, List<Mat> frames, WatchlistIndex watchlist, LikelihoodMap likelihood)
    {
        var faces = 0;
        var alerts = 0;
        var clock = new Stopwatch();
        foreach (var frame in frames)
        {
            // timed from the end of the first frame, as the pipeline is (no warm-up in either figure)
            if (faces > 0) clock.Start();
            var (accepted, _) = engine.Embed(frame, engine.Detect(frame));
            foreach (var face in accepted)
            {
                faces++;
                if (likelihood[watchlist.Search(face.Embedding, 1)[0].Cosine] >= Threshold) alerts++;
            }
        }
        GC.KeepAlive(alerts);
        return ((frames.Count - 1) / clock.Elapsed.TotalSeconds, faces / Math.Max(1, frames.Count));
    }

    /// <summary>The same frames through a camera actor and its graph, every frame processed (lossless hand-off).</summary>
    private static async Task<double> PipelineFps(FaceEngine engine, VanPipelineSettings settings, WatchlistIndex watchlist, List<Mat> frames)
    {
        using var van = await StandaloneVan.StartAsync("van-bench", engine, settings, watchlist, Threshold);
        van.Start(new CameraSpec(new CameraId("bench"), () => new ReplaySource(frames), HandOffPolicy.Lossless, ReconnectOnEnd: false));
        // timed from the first frame through, so starting the actor system and the graph does not count
        var clock = new Stopwatch();
        var ended = await van.WatchAsync(TimeSpan.FromMilliseconds(10), cameras =>
        {
            if (!clock.IsRunning && cameras.Single().FramesProcessed > 0) clock.Start();
            return StandaloneVan.Reached(cameras.Single(), CameraState.Ended);
        }, TimeSpan.FromMinutes(10));
        return (ended.Single().FramesProcessed - 1) / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Per passage: from the alert's capture to the sink; and, for a passage whose capture improved, from the alert to its improvement.</summary>
    private static async Task<(List<double> Alerts, List<double> Improvements)> AlertLatencies(FaceEngine engine, VanPipelineSettings settings,
        WatchlistIndex watchlist, PipelineBenchmarkOptions options)
    {
        var latencies = new List<double>();
        var improvements = new List<double>();
        var alerted = new Dictionary<(CameraId, TrackId, WatchlistEntryId), DateTimeOffset>();
        using var van = await StandaloneVan.StartAsync("van-bench", engine, settings, watchlist, Threshold, alert =>
        {
            var now = DateTimeOffset.UtcNow;
            lock (latencies)
            {
                if (alerted.TryGetValue(alert.Passage, out var first)) improvements.Add((now - first).TotalMilliseconds);
                else
                {
                    alerted[alert.Passage] = now;
                    latencies.Add((now - alert.CapturedAt).TotalMilliseconds);
                }
            }
        });
        var script = Scene(options, options.Width, options.Height, options.LatencyFramesPerSecond, options.LatencyRun);
        van.Start(new CameraSpec(new CameraId("bench"), () => new SceneSource(script), ReconnectOnEnd: false));
        await van.AwaitAsync(CameraState.Ended, options.LatencyRun * 3);
        lock (latencies) return ([.. latencies], [.. improvements]);
    }

    private static async Task<CapacityPoint> Capacity(FaceEngine engine, VanPipelineSettings settings, WatchlistIndex watchlist,
        PipelineBenchmarkOptions options, int cameras)
    {
        // the scene as IP cameras deliver it: H.264 over RTSP, each camera decoded by its own ffmpeg
        using var rtsp = RtspBenchCameras.Start(Scene(options, 1920, 1080, 10, options.CapacityRun));
        var latencies = new List<double>();
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        // the steady state: from a second after every camera's first processed frame (the networks' first runs and ffmpeg's
        // connecting are behind it)
        TimeSpan? flowing = null;
        (long In, long Dropped)? steadyFrom = null;
        var health = await RunCameras(engine, settings, watchlist, options, cameras, 1920, 1080, options.CapacityRun,
            (at, now) =>
            {
                rtsp.Sample();
                if (flowing is null && now.Count == cameras && now.All(h => h.FramesProcessed > 0)) flowing = at;
                if (steadyFrom is null && at - flowing >= TimeSpan.FromSeconds(1))
                    steadyFrom = (now.Sum(h => h.FramesIn), now.Sum(h => h.FramesDropped));
            },
            i => rtsp.Camera($"bench-{i}"),
            alert => { lock (latencies) latencies.Add((DateTimeOffset.UtcNow - alert.CapturedAt).TotalMilliseconds); });
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        var seconds = options.CapacityRun.TotalSeconds;
        long framesIn = health.Sum(h => h.FramesIn), dropped = health.Sum(h => h.FramesDropped), processed = health.Sum(h => h.FramesProcessed);
        lock (latencies) latencies.Sort();
        return new CapacityPoint(cameras, framesIn / seconds / cameras, processed / seconds / cameras, framesIn == 0 ? 0 : (double)dropped / framesIn,
            framesIn == 0 ? 0 : rtsp.CpuMs / framesIn,
            settings.DetectorBudget, health.Where(h => h.Detector is not null).Select(h => h.Detector!.RunsPerFrame).DefaultIfEmpty(double.NaN).Average(),
            processed == 0 ? double.NaN : Math.Round(cpu.TotalMilliseconds / processed, 1),
            latencies.Count, Percentile(latencies, 0.5), Percentile(latencies, 0.99),
            steadyFrom is { } from && framesIn > from.In ? (double)(dropped - from.Dropped) / (framesIn - from.In) : double.NaN);
    }

    private static async Task<List<CameraHealth>> RunCameras(FaceEngine engine, VanPipelineSettings settings, WatchlistIndex watchlist,
        PipelineBenchmarkOptions options, int cameras, int width, int height, TimeSpan run,
        Action<TimeSpan, IReadOnlyList<CameraHealth>>? sample = null, Func<int, CameraSpec>? camera = null,
        Action<AlertProtocol.AlertCandidate>? alert = null)
    {
        using var van = await StandaloneVan.StartAsync("van-bench", engine, settings, watchlist, Threshold, alert);
        var script = Scene(options, width, height, 10, run);
        for (var i = 0; i < cameras; i++)
            van.Start(camera?.Invoke(i) ?? new CameraSpec(new CameraId($"bench-{i}"), () => new SceneSource(script), ReconnectOnEnd: false));
        var deadline = Stopwatch.StartNew();
        // a run that overstays is cut at three times its length, with the figures so far
        var last = await van.WatchAsync(TimeSpan.FromMilliseconds(200), health =>
        {
            sample?.Invoke(deadline.Elapsed, health);
            return (health.Count == cameras && health.All(c => c.State == CameraState.Ended)) || deadline.Elapsed > run * 3;
        }, TimeSpan.MaxValue);
        return [.. last];
    }

    private static SceneScript Scene(PipelineBenchmarkOptions options, int width, int height, double fps, TimeSpan length) =>
        DetectorScheduleBenchmark.CrowdScene(options.Photos, options.PeopleInView, width, height, fps, length);

    private static List<Mat> Render(SceneScript script, int count)
    {
        using var source = new SceneSource(script);
        var frames = new List<Mat>(count);
        while (frames.Count < count)
        {
            var frame = new Mat();
            if (!source.Read(frame, out _))
            {
                frame.Dispose();
                break;
            }
            frames.Add(frame);
        }
        return frames;
    }

    private static WatchlistEntry? Enrol(FaceEngine engine, string photo, int i)
    {
        using var image = Cv2.ImRead(photo, ImreadModes.Color);
        if (image.Empty()) return null;
        var faces = engine.Detect(image);
        if (faces.Count == 0) return null;
        var (accepted, _) = engine.Embed(image, [faces.MaxBy(f => f.Box.Width)], applyQualityGate: false);
        return new WatchlistEntry(new WatchlistEntryId($"bench-{i}"), WatchlistCategory.CourtWarrant, accepted[0].Embedding);
    }

    /// <summary>The walkers plus random unit vectors (near-orthogonal to any face) up to the deployment's size.</summary>
    private static WatchlistIndex Watchlist(List<WatchlistEntry> people, int size)
    {
        var random = new Random(7);
        var builder = new WatchlistIndexBuilder(VectorStorage.Float32, Math.Max(size, people.Count));
        foreach (var person in people) builder.Add(person.Id, person.Category, person.Embedding.Span);
        var filler = new float[WatchlistEntry.DefaultEmbeddingLength];
        for (var i = people.Count; i < size; i++)
        {
            for (var d = 0; d < filler.Length; d++) filler[d] = (float)(random.NextDouble() * 2 - 1);
            var norm = MathF.Sqrt(System.Numerics.Tensors.TensorPrimitives.Dot(filler, filler));
            System.Numerics.Tensors.TensorPrimitives.Divide(filler, norm, filler);
            builder.Add(new WatchlistEntryId($"filler-{i}"), WatchlistCategory.CourtWarrant, filler);
        }
        return builder.Build();
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static (long WorkingSet, GCMemoryInfo Gc) Memory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        // a second collection frees what the finalisers released (OpenCvSharp and ONNX wrappers not disposed)
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        return (process.WorkingSet64, GC.GetGCMemoryInfo(GCKind.FullBlocking));
    }

    /// <summary>Pre-rendered frames, copied out one by one (the copy stands in for the decoder's work).</summary>
    private sealed class ReplaySource(List<Mat> frames) : IFrameSource
    {
        private int _next;
        public double FramesPerSecond => 10;
        public bool IsLive => false;

        public bool Read(Mat into, out TimeSpan position)
        {
            position = TimeSpan.FromSeconds(_next / FramesPerSecond);
            if (_next >= frames.Count) return false;
            frames[_next++].CopyTo(into);
            return true;
        }

        public void Dispose()
        {
        }
    }
}
