namespace Lfr.Vision.Evaluation;

/// <summary>
/// The non-mated score tail of a set of searches: the top candidate's cosine of every non-mated probe, its empirical
/// quantiles, and an exponential tail fitted to its highest tenth (at least 10 scores) that estimates FPIR where false
/// alerts are too rare to count: FPIR(c) = share above u · exp(−(c − u) / scale), scale the mean excess over u.
/// </summary>
public sealed record ScoreTail(int Scores, double Q90, double Q99, double Q999, double TailFrom, double TailShare, double Scale)
{
    public const int MinScores = 20;

    /// <summary>The fitted tail's FPIR at <paramref name="cosine"/>; below the tail's start, the <paramref name="empirical"/> rate.</summary>
    public double FpirAt(double cosine, double empirical) =>
        cosine >= TailFrom ? TailShare * Math.Exp(-(cosine - TailFrom) / Scale) : empirical;

    /// <summary>True when the quantile needs more scores than there are (0.999 of fewer than 1,000 is the maximum).</summary>
    public bool Q999IsMaximum => Scores < 1000;

    /// <summary>The tail of <paramref name="scores"/> (any order), or null when there are fewer than <see cref="MinScores"/>.</summary>
    public static ScoreTail? Fit(IReadOnlyList<float> scores)
    {
        var sorted = scores.Where(float.IsFinite).Order().ToArray();
        if (sorted.Length < MinScores) return null;
        var k = Math.Max(10, sorted.Length / 10);
        var u = (double)sorted[^k];
        var scale = sorted[^k..].Average(s => s - u);
        if (!(scale > 0)) scale = 1e-4; // all equal: a step, not a tail
        return new ScoreTail(sorted.Length, Quantile(sorted, 0.9), Quantile(sorted, 0.99), Quantile(sorted, 0.999), u, k / (double)sorted.Length, scale);
    }

    /// <summary>Nearest-rank quantile of sorted scores.</summary>
    public static double Quantile(float[] sorted, double q) =>
        sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
}
