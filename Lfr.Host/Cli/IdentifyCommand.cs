using Lfr.Vision;
using Lfr.Vision.Imaging;
using Lfr.Vision.Matching;
using Lfr.Vision.Watchlists;

namespace Lfr.Host.Cli;

/// <summary>
/// <c>lfr identify --watchlist FILE IMAGE... [--threshold 0.6] [--json]</c>: per face, the best watchlist
/// candidate and its calibrated likelihood, and whether that would raise an alert.
/// </summary>
public static class IdentifyCommand
{
    public static int Run(CliArgs args)
    {
        var watchlistPath = args.Required("watchlist");
        var threshold = args.Float("threshold", 0.6f);
        var json = args.Flag("json");
        args.RejectUnknown();
        if (args.Positional.Count == 0) throw new CliException("usage: lfr identify --watchlist FILE IMAGE... [--threshold 0.6] [--json]");
        if (threshold is < 0 or > 1) throw new CliException("--threshold is a likelihood between 0 and 1");

        using var engine = FaceEngine.Load(new FaceEngineOptions { Parallelism = Environment.ProcessorCount });
        var key = CliSigningKey.ForReading();
        WatchlistIndex index;
        try
        {
            index = WatchlistIndex.FromFile(watchlistPath, engine.EmbeddingModelSha256, key, VectorStorage.Float32);
        }
        catch (WatchlistFileException e)
        {
            throw new CliException($"{watchlistPath}: {e.Message}");
        }
        var calibration = CalibrationStore.ForModel(engine.EmbeddingModelSha256);

        var results = new List<object>();
        var failed = 0;
        foreach (var path in args.Positional)
        {
            using var decoded = SafeImageDecoder.DecodeFile(path);
            if (!decoded.IsSuccess)
            {
                failed++;
                results.Add(new { image = path, error = decoded.Error!.Reason });
                if (!json) Console.WriteLine($"{path}: error: {decoded.Error.Reason}");
                continue;
            }
            var faces = engine.Detect(decoded.Image!);
            var (embedded, _) = engine.Embed(decoded.Image!, faces, applyQualityGate: false);
            var identified = embedded.Select(face =>
            {
                var best = index.Search(face.Embedding, 1);
                var candidate = best.Count > 0 ? best[0] : (WatchlistCandidate?)null;
                var likelihood = candidate is { } c ? calibration.Likelihood(c.Cosine) : 0f;
                return new
                {
                    box = new[] { CliJson.R(face.Face.Box.X, 1), CliJson.R(face.Face.Box.Y, 1), CliJson.R(face.Face.Box.Width, 1), CliJson.R(face.Face.Box.Height, 1) },
                    candidate = candidate?.EntryId.Value,
                    category = candidate?.Category.ToString(),
                    likelihood = CliJson.R(likelihood),
                    cosine = CliJson.R(candidate?.Cosine ?? 0f),
                    alert = candidate is not null && likelihood >= threshold,
                };
            }).ToList();
            results.Add(new { image = path, faces = identified });
            if (!json)
            {
                Console.WriteLine($"{path}: {identified.Count} face{(identified.Count == 1 ? "" : "s")}");
                foreach (var f in identified)
                    Console.WriteLine($"  box {f.box[0]:0},{f.box[1]:0} {f.box[2]:0}x{f.box[3]:0}  best {f.candidate ?? "-"}  likelihood {f.likelihood:0.000}{(f.alert ? "  ALERT" : "")}");
            }
        }
        if (json) CliJson.Write(results);
        return failed == 0 ? 0 : 1;
    }
}
