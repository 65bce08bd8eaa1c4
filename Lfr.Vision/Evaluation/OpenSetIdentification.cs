using Lfr.Vision.Matching;
using Lfr.Vision.Watchlists;

namespace Lfr.Vision.Evaluation;

public sealed record OpenSetPoint(float Threshold, double Tpir, double Fpir);

/// <summary>A non-mated search whose top candidate reached the threshold: the evidence behind FPIR.</summary>
public sealed record FalseAlert(string Probe, string ProbeIdentity, string Candidate, float Likelihood, float Cosine);

public sealed record OpenSetResult(
    float Threshold, double Tpir, double Fpir, int Mated, int NonMated, int GallerySize,
    IReadOnlyList<OpenSetPoint> Sweep, IReadOnlyList<FalseAlert> FalseAlerts, int GalleryRejected, int ProbesUnembedded);

/// <summary>
/// Open-set identification (ISO/IEC 19795-1, as NIST FRTE 1:N reports it): TPIR = mated searches whose top
/// candidate is the right identity with likelihood &gt;= t, over all mated searches; FPIR = non-mated searches
/// with any candidate &gt;= t (the top one decides), over all non-mated searches. A probe with no embedding
/// counts as a miss (mated) or no alert (non-mated).
/// </summary>
public static class OpenSetIdentification
{
    public static OpenSetResult Run(
        IReadOnlyList<(string Identity, float[] Embedding)> gallery,
        IReadOnlyList<(string Path, string Identity, float[]? Embedding)> probes,
        LikelihoodCalibration calibration, float threshold, int galleryRejected = 0)
    {
        var builder = new WatchlistIndexBuilder(VectorStorage.Float32, gallery.Count);
        for (var i = 0; i < gallery.Count; i++)
            builder.Add(new WatchlistEntryId(gallery[i].Identity), WatchlistCategory.CourtWarrant, gallery[i].Embedding);
        var index = builder.Build();
        var enrolled = gallery.Select(g => g.Identity).ToHashSet(StringComparer.Ordinal);

        // Top candidate per probe: (identity, cosine); null when the probe has no embedding.
        var top = probes.Select(p => p.Embedding is null ? ((string, float)?)null
            : index.Search(p.Embedding, 1) is { Count: > 0 } c ? (c[0].EntryId.Value, c[0].Cosine) : null).ToArray();
        var mated = probes.Select(p => enrolled.Contains(p.Identity)).ToArray();
        var matedCount = mated.Count(m => m);
        var nonMatedCount = mated.Length - matedCount;

        (double Tpir, double Fpir) At(float t)
        {
            int hits = 0, falseAlerts = 0;
            for (var i = 0; i < probes.Count; i++)
            {
                if (top[i] is not { } c || calibration.Likelihood(c.Item2) < t) continue;
                if (mated[i] && c.Item1 == probes[i].Identity) hits++;
                else if (!mated[i]) falseAlerts++;
            }
            return (matedCount == 0 ? 0 : hits / (double)matedCount, nonMatedCount == 0 ? 0 : falseAlerts / (double)nonMatedCount);
        }

        var sweep = Enumerable.Range(0, 101).Select(i => i / 100f)
            .Select(t => At(t) is var r ? new OpenSetPoint(t, r.Tpir, r.Fpir) : null!).ToList();
        var (tpir, fpir) = At(threshold);
        var falseAlertList = Enumerable.Range(0, probes.Count)
            .Where(i => !mated[i] && top[i] is { } c && calibration.Likelihood(c.Item2) >= threshold)
            .Select(i => new FalseAlert(probes[i].Path, probes[i].Identity, top[i]!.Value.Item1,
                calibration.Likelihood(top[i]!.Value.Item2), top[i]!.Value.Item2))
            .OrderByDescending(f => f.Likelihood).ToList();
        return new OpenSetResult(threshold, tpir, fpir, matedCount, nonMatedCount, gallery.Count, sweep, falseAlertList,
            galleryRejected, probes.Count(p => p.Embedding is null));
    }
}
