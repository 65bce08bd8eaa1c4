using System.Numerics.Tensors;
using Lfr.Vision.Matching;
using Lfr.Vision.Watchlists;

namespace Lfr.Vision.Evaluation;

public sealed record OpenSetPoint(float Threshold, double Tpir, double Fpir);

/// <summary>A non-mated search whose top candidate reached the threshold: the evidence behind FPIR.</summary>
public sealed record FalseAlert(string Probe, string ProbeIdentity, string Candidate, float Likelihood, float Cosine);

public sealed record OpenSetResult(
    float Threshold, double Tpir, double Fpir, int Mated, int NonMated, int GallerySize,
    IReadOnlyList<OpenSetPoint> Sweep, IReadOnlyList<FalseAlert> FalseAlerts, int GalleryRejected, int ProbesUnembedded)
{
    /// <summary>Every search and its top candidate, for breakdowns (per group, score tails).</summary>
    public IReadOnlyList<ProbeOutcome> Outcomes { get; init; } = [];
}

/// <summary>One search: the probe, whether its person is enrolled, and its top candidate (null without an embedding).</summary>
public sealed record ProbeOutcome(string Probe, string Identity, bool Mated, string? TopIdentity, float TopCosine)
{
    /// <summary>A hit at <paramref name="cosine"/>: mated, the right person first, at or above it.</summary>
    public bool HitAt(float cosine) => Mated && TopIdentity == Identity && TopCosine >= cosine;

    /// <summary>A false alert at <paramref name="cosine"/>: not enrolled, and someone scored at or above it.</summary>
    public bool FalseAlertAt(float cosine) => !Mated && TopIdentity is not null && TopCosine >= cosine;
}

/// <summary>
/// Open-set identification (ISO/IEC 19795-1, as NIST FRTE 1:N reports it): TPIR = mated searches whose top
/// candidate is the right identity with likelihood &gt;= t, over all mated searches; FPIR = non-mated searches
/// with any candidate &gt;= t (the top one decides), over all non-mated searches. A probe with no embedding
/// counts as a miss (mated) or no alert (non-mated). Identities are compared after <see cref="IdentityAliases"/>.
/// </summary>
public static class OpenSetIdentification
{
    /// <summary>The sweep's likelihood thresholds: 0, 0.01 ... 1.</summary>
    public static IReadOnlyList<float> SweepThresholds { get; } = Enumerable.Range(0, 101).Select(i => i / 100f).ToArray();

    public static OpenSetResult Run(
        IReadOnlyList<(string Identity, float[] Embedding)> gallery,
        IReadOnlyList<(string Path, string Identity, float[]? Embedding)> probes,
        LikelihoodCalibration calibration, float threshold, int galleryRejected = 0, IdentityAliases? aliases = null,
        CohortNormalisation? normalisation = null)
    {
        var outcomes = Search(gallery, probes, aliases ?? IdentityAliases.None, normalisation);
        var matedCount = outcomes.Count(o => o.Mated);
        var nonMatedCount = outcomes.Count - matedCount;

        (double Tpir, double Fpir) At(float t)
        {
            var cosine = calibration.CosineAt(t);
            var hits = outcomes.Count(o => o.HitAt(cosine));
            var falseAlerts = outcomes.Count(o => o.FalseAlertAt(cosine));
            return (matedCount == 0 ? 0 : hits / (double)matedCount, nonMatedCount == 0 ? 0 : falseAlerts / (double)nonMatedCount);
        }

        var sweep = SweepThresholds.Select(t => At(t) is var r ? new OpenSetPoint(t, r.Tpir, r.Fpir) : null!).ToList();
        var (tpir, fpir) = At(threshold);
        var at = calibration.CosineAt(threshold);
        var falseAlertList = outcomes.Where(o => o.FalseAlertAt(at))
            .Select(o => new FalseAlert(o.Probe, o.Identity, o.TopIdentity!, calibration.Likelihood(o.TopCosine), o.TopCosine))
            .OrderByDescending(f => f.Likelihood).ToList();
        return new OpenSetResult(threshold, tpir, fpir, matedCount, nonMatedCount, gallery.Select(g => g.Identity).Distinct().Count(), sweep, falseAlertList,
            galleryRejected, probes.Count(p => p.Embedding is null)) { Outcomes = outcomes };
    }

    /// <summary>
    /// The top candidate of every probe. Gallery identities may repeat (several photos of a person: best of n).
    /// With <paramref name="normalisation"/> (fitted on this gallery, in its order) the 20 nearest entries are
    /// re-ranked by their normalised scores.
    /// </summary>
    public static IReadOnlyList<ProbeOutcome> Search(
        IReadOnlyList<(string Identity, float[] Embedding)> gallery,
        IReadOnlyList<(string Path, string Identity, float[]? Embedding)> probes, IdentityAliases aliases,
        CohortNormalisation? normalisation = null)
    {
        var builder = new WatchlistIndexBuilder(VectorStorage.Float32, gallery.Count,
            gallery.Count > 0 ? gallery[0].Embedding.Length : WatchlistEntry.DefaultEmbeddingLength);
        for (var i = 0; i < gallery.Count; i++)
            builder.Add(new WatchlistEntryId(CohortNormalisation.Key(aliases.Canonical(gallery[i].Identity), i)), WatchlistCategory.CourtWarrant, gallery[i].Embedding);
        var index = builder.Build();
        var enrolled = gallery.Select(g => aliases.Canonical(g.Identity)).ToHashSet(StringComparer.Ordinal);
        return probes.Select(p =>
        {
            var identity = aliases.Canonical(p.Identity);
            if (p.Embedding is null || index.Search(p.Embedding, normalisation is null ? 1 : 20) is not { Count: > 0 } top)
                return new ProbeOutcome(p.Path, identity, enrolled.Contains(identity), null, float.NegativeInfinity);
            var best = top.Select(c => (c.EntryId.Value, Score: normalisation?.Map(c.EntryId.Value, c.Cosine) ?? c.Cosine)).MaxBy(c => c.Score);
            return new ProbeOutcome(p.Path, identity, enrolled.Contains(identity), CohortNormalisation.IdentityOf(best.Value), best.Score);
        }).ToList();
    }

    /// <summary>
    /// Several photos of one person fused into one template: the mean of their embeddings, normalised again
    /// (<see cref="GalleryFusion.Mean"/>), or kept apart so that the best-scoring photo answers (<see cref="GalleryFusion.Best"/>).
    /// </summary>
    public static IReadOnlyList<(string Identity, float[] Embedding)> Fuse(IReadOnlyList<(string Identity, float[] Embedding)> gallery, GalleryFusion fusion)
    {
        if (fusion == GalleryFusion.Best) return gallery;
        return gallery.GroupBy(g => g.Identity, StringComparer.Ordinal).Select(g =>
        {
            var mean = new float[g.First().Embedding.Length];
            foreach (var (_, e) in g) TensorPrimitives.Add(mean, e, mean);
            var norm = TensorPrimitives.Norm(mean);
            if (norm > 0) TensorPrimitives.Divide(mean, norm, mean);
            return (g.Key, mean);
        }).ToList();
    }
}

/// <summary>How several photos of one person make their template.</summary>
public enum GalleryFusion
{
    /// <summary>The mean of the photos' embeddings (one template per person).</summary>
    Mean,

    /// <summary>Each photo its own template: the best-scoring one answers (best of n).</summary>
    Best,
}
