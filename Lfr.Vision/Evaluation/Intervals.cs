namespace Lfr.Vision.Evaluation;

/// <summary>A rate with the counts behind it and its 95% Wilson score interval.</summary>
public readonly record struct Proportion(int Count, int Of)
{
    public double Rate => Of == 0 ? 0 : Count / (double)Of;

    public (double Low, double High) Interval => Intervals.Wilson(Count, Of);
}

/// <summary>A ratio of two rates with its 95% interval (Katz log method).</summary>
public sealed record RateRatio(string Numerator, Proportion Top, string Denominator, Proportion Bottom, double Ratio, double Low, double High);

/// <summary>Confidence intervals for evaluation figures (95%, two-sided).</summary>
public static class Intervals
{
    /// <summary>z for a two-sided 95% interval.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>
    /// The Wilson score interval of <paramref name="k"/> successes in <paramref name="n"/> trials: unlike the normal
    /// approximation it stays inside 0..1 and is not zero-wide at k = 0, which matters for false alerts counted in ones.
    /// </summary>
    public static (double Low, double High) Wilson(int k, int n, double z = Z95)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, n);
        if (n == 0) return (0, 1);
        var p = k / (double)n;
        var z2 = z * z;
        var centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        var half = z / (1 + z2 / n) * Math.Sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        // exact at the ends (rounding would leave 1e-17 instead of 0)
        return (k == 0 ? 0 : Math.Max(0, centre - half), k == n ? 1 : Math.Min(1, centre + half));
    }

    /// <summary>
    /// The ratio of two independent rates a/b with the Katz log interval:
    /// exp(ln(r) ± z·sqrt(1/x1 − 1/n1 + 1/x2 − 1/n2)). When either count is 0 the ratio is undefined or infinite,
    /// so 0.5 is added to each count and 1 to each total (the usual continuity correction) before it is computed.
    /// </summary>
    public static (double Ratio, double Low, double High) KatzRatio(Proportion a, Proportion b, double z = Z95)
    {
        if (a.Of == 0 || b.Of == 0) return (double.NaN, double.NaN, double.NaN);
        double x1 = a.Count, n1 = a.Of, x2 = b.Count, n2 = b.Of;
        if (x1 == 0 || x2 == 0)
        {
            (x1, n1, x2, n2) = (x1 + 0.5, n1 + 1, x2 + 0.5, n2 + 1);
        }
        var ratio = x1 / n1 / (x2 / n2);
        var se = Math.Sqrt(1 / x1 - 1 / n1 + 1 / x2 - 1 / n2);
        return (ratio, ratio * Math.Exp(-z * se), ratio * Math.Exp(z * se));
    }

    /// <summary>The ratio <paramref name="aName"/>/<paramref name="bName"/> with its interval.</summary>
    public static RateRatio Ratio(string aName, Proportion a, string bName, Proportion b)
    {
        var (r, low, high) = KatzRatio(a, b);
        return new RateRatio(aName, a, bName, b, r, low, high);
    }
}
