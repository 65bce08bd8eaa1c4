using Lfr.Vision;
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

        return ImageBatch.Run(args.Positional, json, (path, image) =>
        {
            var (embedded, _) = engine.Embed(image, engine.Detect(image), applyQualityGate: false);
            var identified = embedded.Select(face =>
            {
                var best = index.Search(face.Embedding, 1);
                var candidate = best.Count > 0 ? best[0] : (WatchlistCandidate?)null;
                var likelihood = candidate is { } c ? calibration.Likelihood(c.Cosine) : 0f;
                return new
                {
                    box = ImageBatch.Box(face.Face.Box),
                    candidate = candidate?.EntryId.Value,
                    category = candidate?.Category.ToString(),
                    likelihood = CliJson.R(likelihood),
                    cosine = CliJson.R(candidate?.Cosine ?? 0f),
                    alert = candidate is not null && likelihood >= threshold,
                };
            }).ToList();
            var lines = identified
                .Select(f => $"  box {f.box[0]:0},{f.box[1]:0} {f.box[2]:0}x{f.box[3]:0}  best {f.candidate ?? "-"}  likelihood {f.likelihood:0.000}{(f.alert ? "  ALERT" : "")}")
                .Prepend(ImageBatch.Faces(path, identified.Count));
            return ((object)new { image = path, faces = identified }, lines);
        });
    }
}
