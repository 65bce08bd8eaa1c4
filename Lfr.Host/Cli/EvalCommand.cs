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
        var groupsPath = args.Option("groups");
        var aliasesPath = args.Option("aliases");
        var reportPath = args.Option("report");
        var cachePath = args.Option("embeddings");
        var minGroup = args.Int("min-group", 30);
        var tailExceedances = args.Int("tail-exceedances", new CalibrationOptions().TailExceedances);
        var fuse = args.Option("fuse") switch
        {
            null or "mean" => GalleryFusion.Mean,
            "best" => GalleryFusion.Best,
            var other => throw new CliException($"--fuse {other}: use mean or best"),
        };
        var cohortPath = args.Option("cohort");
        var cohortQuantile = args.Float("cohort-quantile", 0.99f);
        var cohortMethod = args.Option("cohort-method") switch
        {
            null or "znorm" => CohortMethod.ZNorm,
            "tail" => CohortMethod.TailShift,
            var other => throw new CliException($"--cohort-method {other}: use znorm or tail"),
        };
        args.RejectUnknown();

        var aliases = aliasesPath is null ? IdentityAliases.None : Read(aliasesPath, IdentityAliases.Read);
        var groups = groupsPath is null ? null : Read(groupsPath, GroupEvaluation.ReadGroups);
        using var engine = FaceEngine.Load(new FaceEngineOptions());
        var cache = cachePath is null ? null : EmbeddingCache.Open(cachePath, engine.EmbeddingModelSha256);
        try
        {
            return Evaluate();
        }
        finally
        {
            if (cachePath is not null) cache!.Save(cachePath);
        }

        int Evaluate()
        {
            var sw = Stopwatch.StartNew();
            if (calibrate)
            {
                if (manifest is null || output is null) throw new CliException("usage: lfr eval --calibrate --manifest CSV --out FILE [--aliases FILE] [--embeddings FILE]");
                return Calibrate(engine, manifest, output, json, cache, aliases, new CalibrationOptions { TailExceedances = tailExceedances });
            }
            var calibration = calibrationPath is null
                ? CalibrationStore.ForModel(engine.EmbeddingModelSha256)
                : LikelihoodCalibration.Load(calibrationPath, engine.EmbeddingModelSha256);

            if (gallery is not null && probes is not null)
            {
                var g = Embed(engine, Manifest.Read(gallery), json, cache);
                var p = Embed(engine, Manifest.Read(probes), json, cache);
                var galleryOk = OpenSetIdentification.Fuse(g.Where(x => x.Face.Ok).Select(x => (x.Row.Identity, x.Face.Embedding!)).ToList(), fuse);
                CohortNormalisation? normalisation = null;
                if (cohortPath is not null)
                {
                    // the cohort's people are left out of the searches: a cohort must be held out
                    var cohort = Embed(engine, Manifest.Read(cohortPath), json, cache).Where(x => x.Face.Ok).ToList();
                    var cohortPeople = cohort.Select(x => aliases.Canonical(x.Row.Identity)).ToHashSet(StringComparer.Ordinal);
                    p = p.Where(x => !cohortPeople.Contains(aliases.Canonical(x.Row.Identity))).ToList();
                    normalisation = CohortNormalisation.Fit(galleryOk, cohort.Select(x => x.Face.Embedding!).ToList(), cohortMethod, cohortQuantile);
                }
                var result = OpenSetIdentification.Run(galleryOk,
                    p.Select(x => (x.Row.Path, x.Row.Identity, x.Face.Embedding)).ToList(),
                    calibration, threshold, g.Count(x => !x.Face.Ok), aliases, normalisation);
                var byGroup = groups is null ? null
                    : GroupEvaluation.Run(result.Outcomes, galleryOk.Select(x => x.Identity), groups, aliases, calibration, threshold, minGroup);
                var svgPath = det ?? Path.Combine(Path.GetTempPath(), "lfr-det.svg");
                File.WriteAllText(svgPath, DetCurve.Svg(result.Sweep, threshold, $"Open-set identification, gallery {result.GallerySize}"));
                if (reportPath is not null)
                    File.WriteAllText(reportPath, EvaluationReport.Html(new EvaluationReportInput(gallery, probes, groupsPath, aliasesPath,
                        aliases.Count, engine.EmbeddingModelSha256, calibration, result, byGroup, DateTimeOffset.UtcNow)));
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
                    report = reportPath,
                    seconds = CliJson.R(sw.Elapsed.TotalSeconds, 1),
                    falseAlerts = result.FalseAlerts.Select(f => new { probe = f.Probe, identity = f.ProbeIdentity, candidate = f.Candidate, likelihood = CliJson.R(f.Likelihood), cosine = CliJson.R(f.Cosine) }),
                    sweep = result.Sweep.Select(s => new { threshold = s.Threshold, tpir = CliJson.R(s.Tpir), fpir = CliJson.R(s.Fpir) }),
                    groups = byGroup is null ? null : EvalGroupsOutput.Json(byGroup),
                };
                if (json) CliJson.Write(report);
                else
                {
                    Console.WriteLine($"open-set identification at likelihood {threshold:0.00} (cosine {calibration.CosineAt(threshold):0.000}), gallery {result.GallerySize}:");
                    Console.WriteLine($"  TPIR {result.Tpir:0.0000} over {result.Mated} mated searches");
                    Console.WriteLine($"  FPIR {result.Fpir:0.000000} over {result.NonMated} non-mated searches ({result.FalseAlerts.Count} false alerts)");
                    foreach (var f in result.FalseAlerts)
                        Console.WriteLine($"    {f.Probe} ({f.ProbeIdentity}) -> {f.Candidate} likelihood {f.Likelihood:0.000}");
                    if (byGroup is not null) EvalGroupsOutput.Print(byGroup);
                    Console.WriteLine($"  DET curve: {svgPath}");
                    if (reportPath is not null) Console.WriteLine($"  report: {reportPath}");
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
                var faces = EmbedPaths(engine, paths, json, cache);
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
    }

    private static int Calibrate(FaceEngine engine, string manifest, string output, bool json, EmbeddingCache? cache, IdentityAliases aliases, CalibrationOptions options)
    {
        var rows = Manifest.Read(manifest).Where(r => r.Identity.Length > 0 && !r.Derived).ToList();
        var faces = Embed(engine, rows, json, cache).Where(x => x.Face.Ok).ToList();
        var scores = CalibrationScores.AllPairs(faces.Select(x => (x.Row.Identity, x.Face.Embedding!)).ToList(), aliases);
        LikelihoodCalibration calibration;
        try
        {
            calibration = LikelihoodCalibration.Fit(scores.Impostor, scores.Genuine, engine.EmbeddingModelSha256, options);
        }
        catch (ArgumentException e)
        {
            throw new CliException($"{manifest}: {e.Message} ({faces.Count} photos gave {scores.Impostor.Length} impostor comparisons; a smaller --tail-exceedances needs fewer)");
        }
        calibration.Save(output);
        var cosine = calibration.CosineAt(0.6f);
        var (above, aboveClean) = scores.ImpostorsAtOrAbove(cosine);
        var report = new
        {
            output,
            embedderSha256 = engine.EmbeddingModelSha256,
            photos = faces.Count,
            impostorComparisons = scores.Impostor.Length,
            genuineComparisons = scores.Genuine.Length,
            labelErrorComparisons = scores.LabelErrors.Length,
            cosineAt0_6 = CliJson.R(cosine),
            fpir10kAt0_6 = calibration.EstimateFpir(0.6f, 10_000),
            // how much of the threshold rests on the fitted tail rather than on counted pairs
            fittedFmrAt0_6 = calibration.Anchor.Fmr,
            impostorsAtOrAbove0_6 = above,
            empiricalFmrAt0_6 = above / (double)scores.Impostor.Length,
            impostorsAtOrAbove0_6WithoutLabelErrors = aboveClean,
            empiricalFmrAt0_6WithoutLabelErrors = aboveClean / (double)(scores.Impostor.Length - scores.LabelErrors.Length),
            tailFrom = new { cosine = CliJson.R(calibration.Tail.Cosine), fmr = calibration.Tail.Fmr, scale = CliJson.R(calibration.Tail.Scale) },
        };
        if (json) CliJson.Write(report);
        else
        {
            Console.WriteLine($"wrote {output}: {scores.Impostor.Length} impostor and {scores.Genuine.Length} genuine comparisons; likelihood 0.6 = cosine {cosine:0.0000}");
            Console.WriteLine($"  at cosine {cosine:0.0000}: fitted FMR {calibration.Anchor.Fmr:0.00e0} (exponential tail from cosine {calibration.Tail.Cosine:0.000}, FMR {calibration.Tail.Fmr:0.0e0});");
            Console.WriteLine($"  counted: {above} impostor pairs at or above it (empirical FMR {report.empiricalFmrAt0_6:0.00e0}), {aboveClean} once the {scores.LabelErrors.Length} pairs between names of one person are excluded");
        }
        return 0;
    }

    private static T Read<T>(string path, Func<string, T> read)
    {
        try
        {
            return read(path);
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            throw new CliException($"{path}: {e.Message}");
        }
    }

    private static List<(ManifestRow Row, SubjectFace Face)> Embed(FaceEngine engine, IReadOnlyList<ManifestRow> rows, bool quiet, EmbeddingCache? cache)
    {
        var faces = EmbedPaths(engine, rows.Select(r => r.Path).ToList(), quiet, cache);
        return rows.Select((r, i) => (r, faces[i])).ToList();
    }

    /// <summary>Embeds the photos (those in the cache are read from it), with a progress bar on a terminal.</summary>
    private static SubjectFace[] EmbedPaths(FaceEngine engine, IReadOnlyList<string> paths, bool quiet, EmbeddingCache? cache = null)
    {
        var results = new SubjectFace[paths.Count];
        var missing = new List<int>();
        for (var i = 0; i < paths.Count; i++)
        {
            if (cache is not null && cache.TryGet(paths[i], out var cached))
                results[i] = new SubjectFace(paths[i], null, null, cached, cached is null ? "no face (cached)" : null);
            else missing.Add(i);
        }
        if (missing.Count == 0) return results;
        using (var progress = new ProgressBar("embedding", missing.Count, enabled: !quiet))
        {
            var fresh = SubjectFace.FromMany(engine, missing.Select(i => paths[i]).ToList(), SubjectRule.CentreMost, Environment.ProcessorCount, progress);
            for (var k = 0; k < missing.Count; k++)
            {
                results[missing[k]] = fresh[k];
                cache?.Set(paths[missing[k]], fresh[k].Embedding);
            }
        }
        return results;
    }
}
