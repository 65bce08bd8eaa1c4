using Lfr.Vision.Matching;

namespace Lfr.Tests.Vision.Matching;

public class LikelihoodCalibrationSpecs : IDisposable
{
    private const string Model = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private const double AnchorFpir = 1.0 / 6000;

    /// <summary>Impostors ~ N(0, 0.1), genuine pairs ~ N(0.7, 0.1): roughly what a face model gives.</summary>
    private static readonly Lazy<LikelihoodCalibration> Gaussian = new(() => LikelihoodCalibration.Fit(
        Scores(4_000_000, 0, 0.1, 1), Scores(20_000, 0.7, 0.1, 2), Model, new CalibrationOptions()));

    private readonly string _folder = Directory.CreateTempSubdirectory("lfr-calibration-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Likelihood_should_rise_monotonically_from_0_towards_1()
    {
        var calibration = Gaussian.Value;
        var previous = -1f;
        for (var cosine = -1.0; cosine <= 1.0; cosine += 1e-4)
        {
            var likelihood = calibration.Likelihood((float)cosine);
            Assert.True(likelihood >= previous, $"likelihood falls at cosine {cosine}");
            previous = likelihood;
        }
        Assert.Equal(0f, calibration.Likelihood(-1f));
        Assert.Equal(0f, calibration.Likelihood(0.2f));
        Assert.True(calibration.Likelihood(1f) > 0.85f);
    }

    [Fact]
    public void Anchor_should_be_0_6_exactly_where_FPIR_for_10k_entries_is_1_in_6000()
    {
        var calibration = Gaussian.Value;
        var cosine = calibration.CosineAt(0.6f);

        Assert.Equal(calibration.Anchor.Cosine, cosine, 1e-6);
        Assert.Equal(0.6f, calibration.Likelihood((float)calibration.Anchor.Cosine));
        Assert.Equal(AnchorFpir, calibration.EstimateFpir(0.6f, 10_000), AnchorFpir * 1e-3);
        // a larger watchlist gives every passer-by more chances to match someone
        Assert.Equal(1.7 * AnchorFpir, calibration.EstimateFpir(0.6f, 17_000), AnchorFpir * 0.01);
    }

    [Fact]
    public void Anchor_should_err_towards_fewer_false_alerts_for_Gaussian_impostors()
    {
        // N(0, 0.1) reaches FMR 1.6668e-8, so FPIR(10k) = 1/6000, at 0.1 * 5.5229 standard deviations
        const double trueCosine = 0.55229;
        var cosine = Gaussian.Value.CosineAt(0.6f);
        Assert.InRange(cosine, trueCosine, trueCosine + 0.07);
    }

    [Fact]
    public void Anchor_should_land_on_the_true_threshold_for_exponential_tailed_impostors()
    {
        // Laplace(0, 0.03): P(score >= c) = exp(-c / 0.03) / 2, which is 1.6668e-8 at c = 0.5165
        const double b = 0.03, trueCosine = 0.5165;
        var random = new Random(3);
        var impostors = new float[4_000_000];
        for (var i = 0; i < impostors.Length; i++)
        {
            var u = random.NextDouble() - 0.5;
            impostors[i] = (float)(-b * Math.Sign(u) * Math.Log(1 - 2 * Math.Abs(u)));
        }
        var calibration = LikelihoodCalibration.Fit(impostors, Scores(1000, 0.7, 0.1, 4), Model, new CalibrationOptions());
        Assert.Equal(trueCosine, calibration.CosineAt(0.6f), 0.03);
    }

    [Fact]
    public void Saved_calibration_should_load_with_the_same_map()
    {
        var calibration = Gaussian.Value;
        var path = Path.Combine(_folder, "calibration.json");
        calibration.Save(path);
        var loaded = LikelihoodCalibration.Load(path, Model.ToUpperInvariant());

        Assert.Equal(calibration.Anchor, loaded.Anchor);
        Assert.Equal(calibration.Tail, loaded.Tail);
        Assert.Equal(calibration.Comparisons, loaded.Comparisons);
        Assert.Equal(calibration.CreatedUtc, loaded.CreatedUtc);
        Assert.Equal(calibration.Points, loaded.Points);
        for (var cosine = -1f; cosine <= 1f; cosine += 0.01f)
            Assert.Equal(calibration.Likelihood(cosine), loaded.Likelihood(cosine));
    }

    [Fact]
    public void Load_should_refuse_a_calibration_made_for_another_model()
    {
        var path = Path.Combine(_folder, "calibration.json");
        Gaussian.Value.Save(path);
        var other = new string('f', 64);

        var error = Assert.Throws<InvalidDataException>(() => LikelihoodCalibration.Load(path, other));
        Assert.Contains(Model, error.Message);
        Assert.Contains(other, error.Message);
    }

    private static float[] Scores(int count, double mean, double sd, int seed)
    {
        var random = new Random(seed);
        var scores = new float[count];
        for (var i = 0; i < count; i++)
            scores[i] = (float)(mean + sd * RandomEmbeddings.Gaussian(random));
        return scores;
    }
}
