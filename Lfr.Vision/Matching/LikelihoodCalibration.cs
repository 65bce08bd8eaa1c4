using System.Text.Json;
using Lfr.Vision.Files;

namespace Lfr.Vision.Matching;

/// <summary>How <see cref="LikelihoodCalibration.Fit"/> anchors the likelihood scale.</summary>
public sealed record CalibrationOptions
{
    /// <summary>The alert threshold whose meaning the calibration fixes (the Met's 0.6).</summary>
    public double AnchorLikelihood { get; init; } = 0.6;

    /// <summary>The false-positive identification rate at the anchor: NPL measured 1 in 6,000 for the Met at 0.6.</summary>
    public double AnchorFpir { get; init; } = 1.0 / 6000;

    /// <summary>The watchlist size the FPIR refers to.</summary>
    public int ReferenceWatchlistSize { get; init; } = 10_000;

    /// <summary>How many of the highest impostor scores the tail model is fitted to.</summary>
    public int TailExceedances { get; init; } = 1000;

    /// <summary>Spacing of the cosine knots.</summary>
    public double KnotSpacing { get; init; } = 0.005;
}

/// <summary>A knot of the calibration: a cosine, its likelihood, and the false match rate of one comparison there.</summary>
public readonly record struct CalibrationPoint(double Cosine, double Likelihood, double Fmr);

/// <summary>What the anchor likelihood means, measured and extrapolated when the calibration was fitted.</summary>
/// <param name="Likelihood">The anchor, e.g. 0.6.</param>
/// <param name="Cosine">The cosine where the likelihood equals the anchor.</param>
/// <param name="WatchlistSize">The watchlist size <paramref name="Fpir"/> refers to.</param>
/// <param name="Fpir">The chance that a passer-by who is not on such a watchlist raises an alert.</param>
/// <param name="Fmr">The false match rate of a single comparison at <paramref name="Cosine"/>.</param>
/// <param name="Fnmr">The share of genuine comparisons below <paramref name="Cosine"/>: how often a listed person would be missed.</param>
public sealed record CalibrationAnchor(double Likelihood, double Cosine, int WatchlistSize, double Fpir, double Fmr, double Fnmr);

/// <summary>The exponential tail fitted to the highest impostor scores: FMR(c) = <paramref name="Fmr"/> * exp(-(c - <paramref name="Cosine"/>) / <paramref name="Scale"/>) for c at or above <paramref name="Cosine"/>.</summary>
public sealed record CalibrationTail(double Cosine, int Exceedances, double Fmr, double Scale);

/// <summary>The numbers of comparisons the calibration was fitted on.</summary>
public sealed record CalibrationComparisons(long Impostor, long Genuine);

/// <summary>
/// Maps a raw cosine to a likelihood in 0..1 whose meaning is fixed by the false alarms it causes.
/// <para>
/// Method (<c>fpir-power-v1</c>): from the impostor scores (comparisons of different people), the
/// false match rate FMR(c) is the share of impostor scores at or above c. Above the highest
/// <see cref="CalibrationOptions.TailExceedances"/> scores, where samples run out, FMR is
/// extrapolated with an exponential tail (a generalised Pareto tail of shape 0; its scale is the
/// mean excess). That tail is exact for exponential tails and errs on the safe side, towards more
/// false matches, for lighter ones such as a Gaussian; a tail heavier than exponential would be
/// under-estimated, so check the recorded tail against the data. For a watchlist of N entries,
/// FPIR_N(c) = 1 - (1 - FMR(c))^N. The likelihood is
/// <c>L(c) = 1 - FPIR_N(c)^g</c>, with N the reference watchlist size and g chosen so that L is
/// exactly the anchor (0.6) where FPIR_N equals the anchor FPIR (1/6000): g = ln(1 - 0.6) / ln(1/6000).
/// L is non-decreasing in the cosine, 0 where every passer-by would match someone, and tends to 1
/// as false alarms become impossible. With the defaults, L = 0.5 means FPIR 1.4e-3, 0.6 means
/// 1.7e-4, 0.7 means 1.1e-5, 0.8 means 2.3e-7, 0.9 means 3.2e-10.
/// </para>
/// <para>
/// L is not the probability that a face is the listed person (that would need the share of listed
/// people in the crowd); it is a score on which one threshold means one false alarm rate. The
/// genuine scores only report the anchor's miss rate. The map is stored as knots, interpolated
/// linearly, in a versioned JSON file tied to the SHA-256 of the embedding model.
/// </para>
/// </summary>
public sealed class LikelihoodCalibration
{
    public const int FormatVersion = 1;
    public const string Method = "fpir-power-v1";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly CalibrationPoint[] _points;

    private LikelihoodCalibration(string modelSha256, DateTimeOffset createdUtc, CalibrationComparisons comparisons,
        CalibrationAnchor anchor, CalibrationTail tail, double exponent, CalibrationPoint[] points)
    {
        ModelSha256 = modelSha256;
        CreatedUtc = createdUtc;
        Comparisons = comparisons;
        Anchor = anchor;
        Tail = tail;
        Exponent = exponent;
        _points = points;
    }

    public string ModelSha256 { get; }
    public DateTimeOffset CreatedUtc { get; }
    public CalibrationComparisons Comparisons { get; }
    public CalibrationAnchor Anchor { get; }
    public CalibrationTail Tail { get; }

    /// <summary>g in L = 1 - FPIR^g.</summary>
    public double Exponent { get; }

    public IReadOnlyList<CalibrationPoint> Points => _points;

    /// <summary>Fits the calibration; see the class summary for the method.</summary>
    /// <param name="impostorScores">Cosines of pairs of different people; all that are available (millions).</param>
    /// <param name="genuineScores">Cosines of pairs of the same person.</param>
    public static LikelihoodCalibration Fit(ReadOnlySpan<float> impostorScores, ReadOnlySpan<float> genuineScores,
        string modelSha256, CalibrationOptions options, TimeProvider? time = null)
    {
        ValidateSha256(modelSha256);
        ValidateOptions(options);
        if (genuineScores.IsEmpty)
            throw new ArgumentException("Calibration needs genuine scores to report the miss rate.", nameof(genuineScores));
        var impostors = SortedFinite(impostorScores, nameof(impostorScores));
        var size = options.ReferenceWatchlistSize;
        // the FMR at which FPIR_N reaches the anchor FPIR
        var anchorFmr = -ExpMinusOne(LogOnePlus(-options.AnchorFpir) / size);
        // keep the anchor in the smooth tail even when the data reach below it
        var exceedances = Math.Max(options.TailExceedances, (int)Math.Ceiling(anchorFmr * impostors.Length) + 1);
        if (impostors.Length < 10L * exceedances)
            throw new ArgumentException($"Calibration needs at least {10L * exceedances} impostor scores to fit the tail.", nameof(impostorScores));

        var tail = FitTail(impostors, exceedances);
        // rounded to float, the type cosines arrive in, so that Likelihood(anchor cosine) is the anchor exactly
        double anchorCosine = (float)(tail.Cosine + tail.Scale * Math.Log(tail.Fmr / anchorFmr));
        var exponent = Math.Log(1 - options.AnchorLikelihood) / Math.Log(options.AnchorFpir);

        var knots = (int)Math.Round(2 / options.KnotSpacing);
        var points = new List<CalibrationPoint>(knots + 2);
        for (var i = 0; i <= knots; i++)
        {
            var cosine = -1 + i * options.KnotSpacing;
            if (Math.Abs(cosine - anchorCosine) > options.KnotSpacing / 100)
            {
                var fmr = Fmr(impostors, tail, cosine);
                points.Add(new CalibrationPoint(cosine, 1 - Math.Pow(Fpir(fmr, size), exponent), fmr));
            }
        }
        // the anchor is a knot itself, so the stored map passes through it exactly
        points.Add(new CalibrationPoint(anchorCosine, options.AnchorLikelihood, anchorFmr));
        points.Sort((a, b) => a.Cosine.CompareTo(b.Cosine));

        var missed = 0L;
        foreach (var score in genuineScores)
            if (score < anchorCosine)
                missed++;
        var anchor = new CalibrationAnchor(options.AnchorLikelihood, anchorCosine, size, options.AnchorFpir, anchorFmr,
            (double)missed / genuineScores.Length);
        return new LikelihoodCalibration(modelSha256.ToLowerInvariant(), (time ?? TimeProvider.System).GetUtcNow(),
            new CalibrationComparisons(impostors.Length, genuineScores.Length), anchor, tail, exponent, points.ToArray());
    }

    /// <summary>The likelihood of a cosine, interpolated between the knots.</summary>
    public float Likelihood(float cosine)
    {
        if (float.IsNaN(cosine))
            return 0f;
        var i = UpperKnot(cosine);
        if (i == 0)
            return (float)_points[0].Likelihood;
        if (i == _points.Length)
            return (float)_points[^1].Likelihood;
        var (a, b) = (_points[i - 1], _points[i]);
        return (float)(a.Likelihood + (b.Likelihood - a.Likelihood) * (cosine - a.Cosine) / (b.Cosine - a.Cosine));
    }

    /// <summary>
    /// The lowest cosine whose likelihood reaches <paramref name="likelihood"/>, i.e. the cosine
    /// threshold equivalent to a likelihood threshold; +infinity when no cosine reaches it.
    /// </summary>
    public float CosineAt(float likelihood)
    {
        // compared as floats, so that CosineAt(0.6f) is the knot stored as 0.6
        var i = Array.FindIndex(_points, p => (float)p.Likelihood >= likelihood);
        if (i < 0)
            return float.PositiveInfinity;
        if (i == 0)
            return (float)_points[0].Cosine;
        var (a, b) = (_points[i - 1], _points[i]);
        var t = Math.Clamp((likelihood - a.Likelihood) / (b.Likelihood - a.Likelihood), 0, 1);
        return (float)(a.Cosine + (b.Cosine - a.Cosine) * t);
    }

    /// <summary>
    /// The estimated chance that a passer-by who is on none of the lists raises an alert at
    /// <paramref name="likelihoodThreshold"/> against a watchlist of <paramref name="watchlistSize"/> entries.
    /// </summary>
    public double EstimateFpir(float likelihoodThreshold, int watchlistSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(watchlistSize, 1);
        var cosine = CosineAt(likelihoodThreshold);
        return float.IsPositiveInfinity(cosine) ? 0 : Fpir(FmrAt(cosine), watchlistSize);
    }

    public void Save(string path)
    {
        var document = new Document(FormatVersion, ModelSha256, Method, CreatedUtc, Comparisons, Anchor, Tail, Exponent, _points);
        AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, document, Json));
    }

    /// <summary>Loads a calibration and refuses it unless it was fitted for <paramref name="modelSha256"/>, the model in use.</summary>
    /// <exception cref="InvalidDataException">Another model, another format, or knots that are not a monotone map.</exception>
    public static LikelihoodCalibration Load(string path, string modelSha256)
    {
        using var stream = File.OpenRead(path);
        return Load(stream, path, modelSha256);
    }

    /// <summary>As <see cref="Load(string, string)"/>, from a stream; <paramref name="path"/> names it in errors.</summary>
    public static LikelihoodCalibration Load(Stream stream, string path, string modelSha256)
    {
        ValidateSha256(modelSha256);
        Document? document;
        try
        {
            document = JsonSerializer.Deserialize<Document>(stream, Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a calibration file: {e.Message}", e);
        }
        if (document is null || document.Version != FormatVersion || document.Method != Method)
            throw new InvalidDataException($"{path} is not a version {FormatVersion} '{Method}' calibration file.");
        if (!string.Equals(document.ModelSha256, modelSha256, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException(
                $"{path} calibrates embedding model {document.ModelSha256}, but the model in use is {modelSha256.ToLowerInvariant()}; fit one for this model with lfr eval --calibrate and name it in the model set (calibration) or LFR_CALIBRATION.");
        var points = document.Points;
        for (var i = 0; i < points.Length; i++)
        {
            var p = points[i];
            if (!(p.Likelihood is >= 0 and <= 1) || !(p.Fmr is > 0 and <= 1)
                || (i > 0 && !(p.Cosine > points[i - 1].Cosine && p.Likelihood >= points[i - 1].Likelihood && p.Fmr <= points[i - 1].Fmr)))
                throw new InvalidDataException($"{path}: knot {i} breaks the monotone map.");
        }
        if (points.Length < 2 || document.Anchor is null || document.Tail is null || document.Comparisons is null)
            throw new InvalidDataException($"{path} is incomplete.");
        return new LikelihoodCalibration(document.ModelSha256.ToLowerInvariant(), document.CreatedUtc, document.Comparisons,
            document.Anchor, document.Tail, document.Exponent, points);
    }

    public override string ToString() =>
        $"LikelihoodCalibration({Method}, model {ModelSha256[..12]}, {Anchor.Likelihood} at cosine {Anchor.Cosine:F3}, FPIR {Anchor.Fpir:G3} for {Anchor.WatchlistSize} entries)";

    /// <summary>FPIR_N = 1 - (1 - FMR)^N, computed without losing tiny rates to rounding.</summary>
    private static double Fpir(double fmr, int watchlistSize) =>
        fmr >= 1 ? 1 : -ExpMinusOne(watchlistSize * LogOnePlus(-fmr));

    // Rates near 1e-8 lose most of their digits in log(1 + x) and exp(x) - 1; Kahan's corrections keep them.
    private static double LogOnePlus(double x)
    {
        var u = 1 + x;
        return u == 1 ? x : Math.Log(u) * x / (u - 1);
    }

    private static double ExpMinusOne(double x)
    {
        var u = Math.Exp(x);
        if (u == 1)
            return x;
        var um1 = u - 1;
        return um1 == -1 ? -1 : um1 * x / Math.Log(u);
    }

    /// <summary>Log-linear between knots, which is exact on the exponential tail.</summary>
    private double FmrAt(float cosine)
    {
        var i = UpperKnot(cosine);
        if (i == 0)
            return _points[0].Fmr;
        if (i == _points.Length)
            return _points[^1].Fmr;
        var (a, b) = (_points[i - 1], _points[i]);
        var t = (cosine - a.Cosine) / (b.Cosine - a.Cosine);
        return Math.Exp(Math.Log(a.Fmr) + (Math.Log(b.Fmr) - Math.Log(a.Fmr)) * t);
    }

    /// <summary>The index of the first knot above <paramref name="cosine"/>.</summary>
    private int UpperKnot(double cosine)
    {
        int low = 0, high = _points.Length;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (_points[mid].Cosine <= cosine)
                low = mid + 1;
            else
                high = mid;
        }
        return low;
    }

    private static CalibrationTail FitTail(float[] sorted, int exceedances)
    {
        var threshold = (double)sorted[^exceedances];
        var excess = 0.0;
        for (var i = sorted.Length - exceedances; i < sorted.Length; i++)
            excess += sorted[i] - threshold;
        var scale = excess / exceedances;
        if (!(scale > 0))
            throw new ArgumentException("The highest impostor scores are all equal; there is no tail to fit.");
        return new CalibrationTail(threshold, exceedances, (double)exceedances / sorted.Length, scale);
    }

    private static double Fmr(float[] sorted, CalibrationTail tail, double cosine)
    {
        if (cosine >= tail.Cosine)
            return tail.Fmr * Math.Exp(-(cosine - tail.Cosine) / tail.Scale);
        // share of impostor scores >= cosine: everything from the first such score on
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (sorted[mid] < cosine)
                low = mid + 1;
            else
                high = mid;
        }
        return (double)(sorted.Length - low) / sorted.Length;
    }

    private static float[] SortedFinite(ReadOnlySpan<float> scores, string name)
    {
        var sorted = scores.ToArray();
        foreach (var score in sorted)
            if (!float.IsFinite(score))
                throw new ArgumentException("Scores must be finite.", name);
        Array.Sort(sorted);
        return sorted;
    }

    private static void ValidateSha256(string sha256)
    {
        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigit))
            throw new ArgumentException("A model SHA-256 is 64 hex digits.", nameof(sha256));
    }

    private static void ValidateOptions(CalibrationOptions options)
    {
        if (!(options.AnchorLikelihood is > 0 and < 1) || !(options.AnchorFpir is > 0 and < 1)
            || options.ReferenceWatchlistSize < 1 || options.TailExceedances < 10 || !(options.KnotSpacing is > 0 and <= 0.1))
            throw new ArgumentException($"Invalid calibration options: {options}.", nameof(options));
    }

    /// <summary>The file layout.</summary>
    private sealed record Document(int Version, string ModelSha256, string Method, DateTimeOffset CreatedUtc,
        CalibrationComparisons Comparisons, CalibrationAnchor Anchor, CalibrationTail Tail, double Exponent, CalibrationPoint[] Points);
}
