using Lfr.Vision.Matching;
using Lfr.Vision.Models;

namespace Lfr.Tests.Vision.Matching;

public sealed class ShippedCalibrationSpecs
{
    private static readonly string ModelSha = ModelFiles.Expected[ModelFiles.Embedder];

    [Fact]
    public void Shipped_calibration_should_be_monotone_from_zero_towards_one()
    {
        var calibration = CalibrationStore.ForModel(ModelSha);
        var previous = -1f;
        for (var c = -1f; c <= 1f; c += 0.001f)
        {
            var l = calibration.Likelihood(c);
            Assert.InRange(l, 0f, 1f);
            Assert.True(l >= previous, $"likelihood fell from {previous} to {l} at cosine {c}");
            previous = l;
        }
        Assert.Equal(0f, calibration.Likelihood(0f), 3);
        Assert.True(calibration.Likelihood(1f) > 0.8f);
    }

    [Fact]
    public void Shipped_calibration_should_put_the_alert_threshold_at_one_false_alert_in_6000_for_10000_entries()
    {
        var calibration = CalibrationStore.ForModel(ModelSha);
        Assert.Equal(1.0 / 6000, calibration.EstimateFpir(0.6f, 10_000), 1e-6);
        Assert.Equal(0.6f, calibration.Likelihood(calibration.CosineAt(0.6f)), 3);
        Assert.True(calibration.Comparisons.Impostor > 10_000_000, "fitted on every lfw-dev impostor pair");
    }

    [Fact]
    public void Shipped_calibration_should_refuse_another_embedding_model()
    {
        var other = new string('a', 64);
        var e = Assert.Throws<InvalidDataException>(() => CalibrationStore.ForModel(other));
        Assert.Contains("model", e.Message);
    }
}
