using System.Numerics.Tensors;

namespace Lfr.Vision.Evaluation;

/// <summary>How a gallery entry's scores are normalised against a cohort.</summary>
public enum CohortMethod
{
    /// <summary>Each entry's cohort scores' mean and spread mapped onto the whole cohort's: c' = μ + σ·(c − μₑ)/σₑ.</summary>
    ZNorm,

    /// <summary>Each entry's upper cohort tail (its 99th percentile) moved onto the whole cohort's: c' = c − (q₉₉ₑ − q₉₉).</summary>
    TailShift,
}

/// <summary>
/// Per-entry cohort score normalisation, with no group labels at run time (after "fair score normalisation" work,
/// e.g. Terhörst et al. 2020): at enrolment each entry is compared with a fixed cohort of other people's faces, which
/// estimates that entry's impostor score distribution; a search's cosine against the entry is then mapped so that
/// every entry has the same impostor distribution (and so the same false-match rate at one threshold) as the cohort
/// as a whole, and the calibrated likelihood applies to the mapped score.
/// </summary>
public sealed class CohortNormalisation
{
    private readonly Dictionary<string, (double Shift, double Scale)> _maps;

    private CohortNormalisation(Dictionary<string, (double, double)> maps) => _maps = maps;

    /// <param name="quantile">The cohort quantile <see cref="CohortMethod.TailShift"/> aligns (0.99 by default).</param>
    public static CohortNormalisation Fit(IReadOnlyList<(string Identity, float[] Embedding)> gallery,
        IReadOnlyList<float[]> cohort, CohortMethod method, double quantile = 0.99)
    {
        if (cohort.Count < 100) throw new ArgumentException("a cohort needs at least 100 faces", nameof(cohort));
        var perEntry = gallery.Select(g => cohort.Select(c => TensorPrimitives.Dot(g.Embedding, c)).Order().ToArray()).ToArray();
        var all = perEntry.SelectMany(s => s).Order().ToArray();
        var maps = new Dictionary<string, (double, double)>(StringComparer.Ordinal);
        var (mu, sigma) = MeanStd(all);
        var q = Quantile(all, quantile);
        for (var i = 0; i < gallery.Count; i++)
        {
            var key = Key(gallery[i].Identity, i);
            var (m, s) = MeanStd(perEntry[i]);
            // c' = shift + scale * c
            maps[key] = method switch
            {
                CohortMethod.ZNorm => (mu - sigma * m / s, sigma / s),
                _ => (-(Quantile(perEntry[i], quantile) - q), 1.0),
            };
        }
        return new CohortNormalisation(maps);
    }

    /// <summary>The gallery with each entry tagged by its index, so that entries of one identity keep their own maps.</summary>
    public static string Key(string identity, int index) => $"{identity}\u0001{index}";

    public static string IdentityOf(string key) => key.Split('\u0001')[0];

    public float Map(string key, float cosine) => _maps.TryGetValue(key, out var m) ? (float)(m.Shift + m.Scale * cosine) : cosine;

    private static (double Mean, double Std) MeanStd(float[] s)
    {
        var mean = s.Average(v => (double)v);
        var std = Math.Sqrt(s.Average(v => (v - mean) * (v - mean)));
        return (mean, Math.Max(std, 1e-6));
    }

    private static double Quantile(float[] sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
}
