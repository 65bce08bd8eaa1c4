using System.Diagnostics;
using Lfr.Actors.Van.Pipeline;
using Lfr.Host.Bench;
using Lfr.Vision;
using Lfr.Vision.Evaluation;
using Lfr.Vision.Detection;
using Lfr.Vision.Imaging;
using Lfr.Vision.Matching;
using Lfr.Vision.Watchlists;
using OpenCvSharp;

namespace Lfr.Host.Cli;

/// <summary>
/// <c>lfr bench [--json] [--quick]</c>: per-stage costs, end-to-end faces per second on 1 and 2 threads,
/// watchlist search at 10k/100k/1M (float32 and int8) against a plain scalar loop in the same run, and
/// whether the detector finds 32-px faces in a 1080p frame. Photos: the sample group photos next to lfr.
/// <c>--van --gallery CSV --probes CSV [--passages N] [--soak-minutes N]</c> adds the van pipeline's figures
/// (pipeline vs plain loop, capture-to-alert latency, 1080p capacity, memory, TPIR per passage) with LFW-style
/// people walking across scenes.
/// </summary>
public static class BenchCommand
{
    public static int Run(CliArgs args)
    {
        var json = args.Flag("json");
        var quick = args.Flag("quick");
        var photosDir = args.Option("photos") ?? Path.Combine(AppContext.BaseDirectory, "samples");
        var van = args.Flag("van");
        var gallery = args.Option("gallery");
        var probes = args.Option("probes");
        var passages = args.Int("passages", 200);
        var soakMinutes = args.Float("soak-minutes", 0);
        args.RejectUnknown();
        if (van && (gallery is null || probes is null))
            throw new CliException("--van needs --gallery CSV and --probes CSV (people who walk: e.g. ../shared/data/lfw-dev)");

        var photos = Directory.Exists(photosDir)
            ? Directory.GetFiles(photosDir).Where(f => f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase)).Order().ToList()
            : [];
        if (photos.Count == 0) throw new CliException($"no photos in {photosDir}: build the project (it fetches the samples) or pass --photos DIR");
        void Say(string line) { if (!json) Console.Error.WriteLine(line); }

        using var engine = FaceEngine.Load(new FaceEngineOptions());
        var images = photos.Select(p => SafeImageDecoder.DecodeFile(p) is { IsSuccess: true } r ? r.TakeImage() : throw new CliException($"{p}: cannot decode")).ToList();
        var reps = quick ? 3 : 10;

        Say("decode ...");
        var decodeMs = Median(reps, () => { using var r = SafeImageDecoder.DecodeFile(photos[0]); });

        Say("detect ...");
        using var frame1080 = new Mat();
        Cv2.Resize(images[0], frame1080, new Size(1920, 1080));
        var detectMs = Median(reps, () => engine.DetectBoxes(frame1080));
        using var engine2 = FaceEngine.Load(new FaceEngineOptions { Parallelism = 2 });
        var detectMs2 = Median(reps, () => engine2.DetectBoxes(frame1080));

        var faces = engine.Detect(images[0]);
        var face = faces[0];
        Say("landmarks, align, embed ...");
        var landmarksMs = Median(reps * 5, () => engine.Locate(images[0], face), 10);
        var alignMs = Median(reps * 5, () => { using var a = FaceEngine.Align(images[0], face); }, 10);
        using var aligned = FaceEngine.Align(images[0], face);
        var embedMs = Median(reps * 5, () => engine.Embed(aligned), 10);

        Say("end to end ...");
        var (faces1, seconds1) = EndToEnd(engine, images, 1, quick ? 1 : 3);
        var (faces2, seconds2) = EndToEnd(engine, images, 2, quick ? 1 : 3);

        Say("watchlist search ...");
        var sizes = quick ? new[] { 10_000, 100_000 } : [10_000, 100_000, 1_000_000];
        var match = sizes.Select(n => MatchAtSize(n, quick)).ToList();

        Say("small faces in 1080p ...");
        var small = SmallFaces(engine2, images);

        var report = new Dictionary<string, object?>
        {
            ["machine"] = $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}",
            ["decodeMs"] = R(decodeMs),
            ["detectMs"] = R(detectMs),
            ["detectMs2Threads"] = R(detectMs2),
            ["landmarksMs"] = R(landmarksMs),
            ["alignMs"] = R(alignMs),
            ["embedMs"] = R(embedMs),
            ["facesPerSecond"] = R(faces1 / seconds1),
            ["facesPerSecond2Threads"] = R(faces2 / seconds2),
        };
        foreach (var m in match)
        {
            var k = m.Size >= 1_000_000 ? $"{m.Size / 1_000_000}M" : $"{m.Size / 1000}k";
            report[$"match{k}Ms"] = R(m.Float32Ms);
            report[$"match{k}Int8Ms"] = R(m.Int8Ms);
            report[$"match{k}ScalarMs"] = R(m.ScalarMs);
            report[$"match{k}Int8Top1Agreement"] = R(m.Int8Agreement);
        }
        report["smallFaces"] = small;
        report["notes"] = "medians per call on one thread unless named; detect* = one 1920x1080 frame with tiling (whole frame + tiles); " +
                          "facesPerSecond = detect+landmarks+align+embed over the sample group photos; match*ScalarMs = plain loop over float32";

        if (van)
        {
            var map = LikelihoodMap.From(CalibrationStore.ForModel(engine.EmbeddingModelSha256));
            var walkers = Manifest.Read(gallery!).Select(r => (r.Identity, r.Path)).ToList();
            var options = new PipelineBenchmarkOptions
            {
                Photos = walkers.Take(quick ? 10 : 40).Select(w => w.Path).ToList(),
                SoakRun = TimeSpan.FromMinutes(soakMinutes),
            };
            if (quick)
                options = options with
                {
                    ThroughputFrames = 40, LatencyRun = TimeSpan.FromSeconds(5), MaxCameras = 1, CapacityRun = TimeSpan.FromSeconds(3), DetectorScheduleRounds = 0,
                };
            report["van"] = PipelineBenchmark.RunAsync(engine, map, options, Say).GetAwaiter().GetResult();
            var probeRows = Manifest.Read(probes!).Select(r => (r.Identity, r.Path)).ToList();
            report["vanPassages"] = PipelineBenchmark.PassageAccuracyAsync(engine, map, 0.6f, walkers, probeRows, quick ? 8 : passages, Say)
                .GetAwaiter().GetResult();
            // the same passages with each face embedded once, without its mirror image (the watchlist enrolled as before)
            using var single = FaceEngine.Load(engine.Options with { FlipAverage = false });
            report["vanPassagesWithoutMirror"] = PipelineBenchmark.PassageAccuracyAsync(engine, map, 0.6f, walkers, probeRows, quick ? 8 : passages, Say,
                vanEngine: single).GetAwaiter().GetResult();
        }

        if (json) CliJson.Write(report);
        else foreach (var (k, v) in report) Console.WriteLine($"{k,-28} {(v is string or double or int ? v : System.Text.Json.JsonSerializer.Serialize(v, CliJson.Lines))}");
        foreach (var image in images) image.Dispose();
        return 0;
    }

    private static double R(double v) => Math.Round(v, 3);

    private static double Median(int reps, Action action, int warmup = 1)
    {
        // Tiered JIT: the first calls run unoptimised code (searches 5-10x slower), so warm up first.
        for (var i = 0; i < warmup; i++) action();
        var times = new double[reps];
        for (var i = 0; i < reps; i++)
        {
            var sw = Stopwatch.StartNew();
            action();
            times[i] = sw.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return times[reps / 2];
    }

    private static (int Faces, double Seconds) EndToEnd(FaceEngine engine, List<Mat> images, int threads, int rounds)
    {
        var work = Enumerable.Repeat(images, rounds).SelectMany(x => x).ToList();
        var count = 0;
        var sw = Stopwatch.StartNew();
        Parallel.ForEach(work, new ParallelOptions { MaxDegreeOfParallelism = threads }, image =>
        {
            var faces = engine.Detect(image);
            var (accepted, _) = engine.Embed(image, faces, applyQualityGate: false);
            Interlocked.Add(ref count, accepted.Count);
        });
        return (count, sw.Elapsed.TotalSeconds);
    }

    private sealed record MatchFigures(int Size, double Float32Ms, double Int8Ms, double ScalarMs, double Int8Agreement);

    private static MatchFigures MatchAtSize(int size, bool quick)
    {
        var random = new Random(size);
        var vectors = new float[(long)size * WatchlistEntry.DefaultEmbeddingLength];
        for (long i = 0; i < vectors.LongLength; i++) vectors[i] = (float)(random.NextDouble() * 2 - 1);
        for (var i = 0; i < size; i++) Normalise(vectors.AsSpan(i * WatchlistEntry.DefaultEmbeddingLength, WatchlistEntry.DefaultEmbeddingLength));

        var f32 = new WatchlistIndexBuilder(VectorStorage.Float32, size);
        var i8 = new WatchlistIndexBuilder(VectorStorage.Int8, size);
        for (var i = 0; i < size; i++)
        {
            var v = vectors.AsSpan(i * WatchlistEntry.DefaultEmbeddingLength, WatchlistEntry.DefaultEmbeddingLength);
            f32.Add(new WatchlistEntryId($"e{i}"), WatchlistCategory.CourtWarrant, v);
            i8.Add(new WatchlistEntryId($"e{i}"), WatchlistCategory.CourtWarrant, v);
        }
        var indexF = f32.Build();
        var indexI = i8.Build();

        // Probes near an entry (a true match exists), as in a real search.
        var probes = Enumerable.Range(0, quick ? 5 : 15).Select(p =>
        {
            var probe = vectors.AsSpan((p * 7919 % size) * WatchlistEntry.DefaultEmbeddingLength, WatchlistEntry.DefaultEmbeddingLength).ToArray();
            for (var d = 0; d < probe.Length; d++) probe[d] += (float)(random.NextDouble() - 0.5) * 0.05f;
            Normalise(probe);
            return probe;
        }).ToList();

        var agree = probes.Count(p => indexF.Search(p, 1)[0].EntryId == indexI.Search(p, 1)[0].EntryId) / (double)probes.Count;
        var pi = 0;
        var warmup = Math.Max(3, 300_000 / size * 10);
        var floatMs = Median(probes.Count, () => indexF.Search(probes[pi++ % probes.Count], 5), warmup);
        var int8Ms = Median(probes.Count, () => indexI.Search(probes[pi++ % probes.Count], 5), warmup);
        var scalarMs = Median(quick ? 3 : 5, () => ScalarTop1(vectors, size, probes[pi++ % probes.Count]));
        return new MatchFigures(size, floatMs, int8Ms, scalarMs, agree);
    }

    private static int ScalarTop1(float[] vectors, int size, float[] probe)
    {
        var best = -1;
        var bestScore = float.NegativeInfinity;
        for (var i = 0; i < size; i++)
        {
            float s = 0;
            var offset = (long)i * WatchlistEntry.DefaultEmbeddingLength;
            for (var d = 0; d < WatchlistEntry.DefaultEmbeddingLength; d++) s += vectors[offset + d] * probe[d];
            if (s > bestScore) { bestScore = s; best = i; }
        }
        return best;
    }

    private static void Normalise(Span<float> v)
    {
        var n = System.Numerics.Tensors.TensorPrimitives.Norm(v);
        System.Numerics.Tensors.TensorPrimitives.Divide(v, n, v);
    }

    /// <summary>
    /// Faces cut from the sample photos, shrunk to 32-40 px wide and pasted on a grey, noisy 1920x1080 background
    /// at known places: how many the detector finds, and how many detections are not one of them.
    /// </summary>
    private static object SmallFaces(FaceEngine engine, List<Mat> images)
    {
        var sources = images.SelectMany(img => engine.DetectBoxes(img).Select(f => (img, f))).ToList();
        var random = new Random(32);
        using var frame = new Mat(1080, 1920, MatType.CV_8UC3, new Scalar(110, 115, 120));
        using (var noise = new Mat(1080, 1920, MatType.CV_8UC3))
        {
            Cv2.Randn(noise, new Scalar(0, 0, 0), new Scalar(12, 12, 12));
            Cv2.Add(frame, noise, frame);
        }
        var placed = new List<FaceBox>();
        const int cols = 12, rows = 6;
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++)
            {
                var (img, f) = sources[(r * cols + c) % sources.Count];
                var width = 32 + random.Next(9);
                // Take the head with some margin so the pasted face has context, as in a real frame.
                var margin = f.Box.Width * 0.4f;
                var src = new FaceBox(f.Box.X - margin, f.Box.Y - margin, f.Box.Width + 2 * margin, f.Box.Height + 2 * margin)
                    .ToRect(img.Width, img.Height);
                var scale = width / f.Box.Width;
                var size = new Size(Math.Max(1, (int)(src.Width * scale)), Math.Max(1, (int)(src.Height * scale)));
                var x = 40 + c * 155 + random.Next(20);
                var y = 40 + r * 170 + random.Next(20);
                if (x + size.Width >= 1920 || y + size.Height >= 1080) continue;
                using var crop = new Mat(img, src);
                using var small = new Mat();
                Cv2.Resize(crop, small, size, 0, 0, InterpolationFlags.Area);
                small.CopyTo(new Mat(frame, new Rect(x, y, size.Width, size.Height)));
                var fx = x + (f.Box.X - src.X) * scale;
                var fy = y + (f.Box.Y - src.Y) * scale;
                placed.Add(new FaceBox(fx, fy, f.Box.Width * scale, f.Box.Height * scale));
            }
        var found = engine.DetectBoxes(frame);
        var hits = placed.Count(p => found.Any(d => d.Box.IoU(p) > 0.3f));
        var falseDetections = found.Count(d => !placed.Any(p => d.Box.IoU(p) > 0.3f));
        return new { placed = placed.Count, found = hits, falseDetections, widthPx = "32-40", frame = "1920x1080" };
    }
}
