using System.Diagnostics;
using Lfr.Vision;
using Lfr.Vision.Evaluation;
using Lfr.Vision.Matching;
using Lfr.Vision.Photos;

namespace Lfr.Host.Cli;

/// <summary>
/// <c>lfr eval</c>: accuracy on labelled photos.
/// <list type="bullet">
/// <item><c>--gallery CSV --probes CSV [--threshold 0.6] [--det FILE.svg]</c>: open-set identification (TPIR, FPIR, sweep, DET curve).</item>
/// <item><c>--pairs pairs.txt --root DIR</c>: LFW verification (10-fold style, threshold chosen on the other folds).</item>
/// <item><c>--calibrate --manifest CSV --out FILE</c>: refits the likelihood calibration from every impostor pair the manifest offers.</item>
/// </list>
/// </summary>
public static class EvalCommand
{
    public static int Run(CliArgs args)
    {
        var json = args.Flag("json");
        var calibrate = args.Flag("calibrate");
        var gallery = args.Option("gallery");
        var probes = args.Option("probes");
        var pairs = args.Option("pairs");
        var manifest = args.Option("manifest");
        var root = args.Option("root");
        var threshold = args.Float("threshold", 0.6f);
        var det = args.Option("det");
        var output = args.Option("out");
        var calibrationPath = args.Option("calibration");
        args.RejectUnknown();

        using var engine = FaceEngine.Load(new FaceEngineOptions());
        var sw = Stopwatch.StartNew();
        if (calibrate)
        {
            if (manifest is null || output is null) throw new CliException("usage: lfr eval --calibrate --manifest CSV --out FILE");
            return Calibrate(engine, manifest, output, json);
        }
        var calibration = calibrationPath is null
            ? CalibrationStore.ForModel(engine.EmbeddingModelSha256)
            : LikelihoodCalibration.Load(calibrationPath, engine.EmbeddingModelSha256);

        if (gallery is not null && probes is not null)
        {
            var g = Embed(engine, Manifest.Read(gallery), json);
            var p = Embed(engine, Manifest.Read(probes), json);
            var galleryOk = g.Where(x => x.Face.Ok).Select(x => (x.Row.Identity, x.Face.Embedding!)).ToList();
            var result = OpenSetIdentification.Run(galleryOk,
                p.Select(x => (x.Row.Path, x.Row.Identity, x.Face.Embedding)).ToList(),
                calibration, threshold, g.Count(x => !x.Face.Ok));
            var svgPath = det ?? Path.Combine(Path.GetTempPath(), "lfr-det.svg");
            File.WriteAllText(svgPath, DetCurve.Svg(result.Sweep, threshold, $"Open-set identification, gallery {result.GallerySize}"));
            var report = new
            {
                threshold = result.Threshold,
                tpir = CliJson.R(result.Tpir),
                fpir = CliJson.R(result.Fpir),
                mated = result.Mated,
                nonMated = result.NonMated,
                gallerySize = result.GallerySize,
                galleryRejected = result.GalleryRejected,
                probesWithoutFace = result.ProbesUnembedded,
                calibration = new { method = LikelihoodCalibration.Method, calibration.ModelSha256, cosineAtThreshold = CliJson.R(calibration.CosineAt(threshold)) },
                detCurve = svgPath,
                seconds = CliJson.R(sw.Elapsed.TotalSeconds, 1),
                falseAlerts = result.FalseAlerts.Select(f => new { probe = f.Probe, identity = f.ProbeIdentity, candidate = f.Candidate, likelihood = CliJson.R(f.Likelihood), cosine = CliJson.R(f.Cosine) }),
                sweep = result.Sweep.Select(s => new { threshold = s.Threshold, tpir = CliJson.R(s.Tpir), fpir = CliJson.R(s.Fpir) }),
            };
            if (json) CliJson.Write(report);
            else
            {
                Console.WriteLine($"open-set identification at likelihood {threshold:0.00} (cosine {calibration.CosineAt(threshold):0.000}), gallery {result.GallerySize}:");
                Console.WriteLine($"  TPIR {result.Tpir:0.0000} over {result.Mated} mated searches");
                Console.WriteLine($"  FPIR {result.Fpir:0.000000} over {result.NonMated} non-mated searches ({result.FalseAlerts.Count} false alerts)");
                foreach (var f in result.FalseAlerts)
                    Console.WriteLine($"    {f.Probe} ({f.ProbeIdentity}) -> {f.Candidate} likelihood {f.Likelihood:0.000}");
                Console.WriteLine($"  DET curve: {svgPath}");
            }
            return 0;
        }

        if (pairs is not null)
        {
            var rootDir = root ?? Path.GetDirectoryName(Path.GetFullPath(pairs))!;
            var list = LfwPairs.Read(pairs, rootDir);
            // each fold's threshold is chosen on the other folds, so a single fold has nothing to choose it on
            if (list.Select(p => p.Fold).Distinct().Count() < 2)
                throw new CliException($"{pairs}: verification needs at least 2 folds (each fold's threshold is chosen on the others)");
            var paths = list.SelectMany(x => new[] { x.PathA, x.PathB }).Distinct().ToList();
            var faces = EmbedPaths(engine, paths, json);
            var embeddings = faces.Where(f => f.Ok).ToDictionary(f => f.Path, f => f.Embedding!);
            var result = Verification.Run(list, embeddings);
            var report = new
            {
                accuracy = CliJson.R(result.Accuracy),
                accuracyStd = CliJson.R(result.AccuracyStd),
                tarAtFar1e3 = CliJson.R(result.TarAtFar1e3),
                pairs = result.Pairs,
                pairsWithoutFace = result.Unembedded,
                folds = result.FoldAccuracies.Select((a, i) => new { accuracy = CliJson.R(a), cosineThreshold = CliJson.R(result.FoldThresholds[i]) }),
                seconds = CliJson.R(sw.Elapsed.TotalSeconds, 1),
            };
            if (json) CliJson.Write(report);
            else Console.WriteLine($"LFW verification: accuracy {result.Accuracy:0.0000} ± {result.AccuracyStd:0.0000}, TAR@FAR=1e-3 {result.TarAtFar1e3:0.0000} ({result.Pairs} pairs)");
            return 0;
        }
        throw new CliException("usage: lfr eval --gallery CSV --probes CSV | --pairs FILE --root DIR | --calibrate --manifest CSV --out FILE  [--json]");
    }

    private static int Calibrate(FaceEngine engine, string manifest, string output, bool json)
    {
        var rows = Manifest.Read(manifest).Where(r => r.Identity.Length > 0 && !r.Derived).ToList();
        var faces = Embed(engine, rows, json).Where(x => x.Face.Ok).ToList();
        var (impostor, genuine) = CalibrationScores.AllPairs(faces.Select(x => (x.Row.Identity, x.Face.Embedding!)).ToList());
        var calibration = LikelihoodCalibration.Fit(impostor, genuine, engine.EmbeddingModelSha256, new CalibrationOptions());
        calibration.Save(output);
        var report = new
        {
            output,
            photos = faces.Count,
            impostorComparisons = impostor.Length,
            genuineComparisons = genuine.Length,
            cosineAt0_6 = CliJson.R(calibration.CosineAt(0.6f)),
            fpir10kAt0_6 = calibration.EstimateFpir(0.6f, 10_000),
        };
        if (json) CliJson.Write(report);
        else Console.WriteLine($"wrote {output}: {impostor.Length} impostor and {genuine.Length} genuine comparisons; likelihood 0.6 = cosine {report.cosineAt0_6:0.0000}");
        return 0;
    }

    private static List<(ManifestRow Row, SubjectFace Face)> Embed(FaceEngine engine, IReadOnlyList<ManifestRow> rows, bool quiet)
    {
        var faces = EmbedPaths(engine, rows.Select(r => r.Path).ToList(), quiet);
        return rows.Select((r, i) => (r, faces[i])).ToList();
    }

    private static SubjectFace[] EmbedPaths(FaceEngine engine, IReadOnlyList<string> paths, bool quiet)
    {
        using var progress = new ProgressBar("embedding", paths.Count, enabled: !quiet);
        return SubjectFace.FromMany(engine, paths, SubjectRule.CentreMost, Environment.ProcessorCount, progress);
    }
}
