using Lfr.Vision.Evaluation;

namespace Lfr.Tests.Vision.Evaluation;

/// <summary>The intervals behind every per-group figure, against published values.</summary>
public sealed class IntervalsSpecs
{
    // Newcombe (1998), "Two-sided confidence intervals for the single proportion", Statistics in Medicine 17, Table I
    // (method 3, Wilson score without continuity correction).
    [Theory]
    [InlineData(81, 263, 0.2553, 0.3662)]
    [InlineData(15, 148, 0.0624, 0.1605)]
    [InlineData(0, 20, 0.0000, 0.1611)]
    [InlineData(1, 29, 0.0061, 0.1718)]
    public void Wilson_should_match_Newcombes_published_intervals(int k, int n, double low, double high)
    {
        var (l, h) = Intervals.Wilson(k, n);
        Assert.Equal(low, l, 4);
        Assert.Equal(high, h, 4);
    }

    [Fact]
    public void Wilson_should_stay_inside_zero_and_one_and_be_exact_at_the_ends()
    {
        Assert.Equal((0.0, 1.0), Intervals.Wilson(0, 0));
        var (low, high) = Intervals.Wilson(10, 10);
        Assert.Equal(1.0, high);
        Assert.Equal(0.7225, low, 4);
        Assert.Equal(0.0, Intervals.Wilson(0, 1629).Low);
        // one false alert in 1,629 searches cannot rule out a rate ten times the point estimate
        Assert.InRange(Intervals.Wilson(1, 1629).High, 0.0034, 0.0035);
    }

    [Fact]
    public void Katz_ratio_should_give_the_log_interval_of_two_rates()
    {
        // 20/100 against 10/100: ratio 2, se of ln = sqrt(1/20 - 1/100 + 1/10 - 1/100) = 0.3606
        var (ratio, low, high) = Intervals.KatzRatio(new Proportion(20, 100), new Proportion(10, 100));
        Assert.Equal(2.0, ratio, 10);
        Assert.Equal(0.9866, low, 4);
        Assert.Equal(4.0545, high, 4);
    }

    [Fact]
    public void Katz_ratio_should_stay_finite_when_a_group_has_no_false_alert()
    {
        // 2 false alerts in 500 against none in 1,000: 0.5 added to each count, 1 to each total
        var (ratio, low, high) = Intervals.KatzRatio(new Proportion(2, 500), new Proportion(0, 1000));
        Assert.Equal(2.5 / 501 / (0.5 / 1001), ratio, 6);
        Assert.True(double.IsFinite(high) && low < 1 && high > ratio);
    }

    [Fact]
    public void Ratio_of_the_issues_female_and_male_tpir_should_be_0_68()
    {
        // issue 15's held-out measurement: women 48% [42, 54], men 70% [67, 73]
        var women = new Proportion(139, 288);
        var men = new Proportion(640, 912);
        var ratio = Intervals.Ratio("female", women, "male", men);
        Assert.Equal(0.688, ratio.Ratio, 3);
        Assert.True(ratio.Low < ratio.Ratio && ratio.Ratio < ratio.High && ratio.High < 0.8, "the interval does not reach parity's four-fifths");
        var (low, high) = women.Interval;
        Assert.InRange(low, 0.42, 0.43);
        Assert.InRange(high, 0.53, 0.55);
    }
}
