using Lfr.Vision.Evaluation;
using Lfr.Vision.Matching;
using Lfr.Vision.Models;

namespace Lfr.Tests.Vision.Evaluation;

/// <summary>Per-group open-set figures from searches with known outcomes (no models: the counts are set by hand).</summary>
public sealed class GroupEvaluationSpecs
{
    private static readonly LikelihoodCalibration Calibration = CalibrationStore.ForModel(ModelFiles.Expected[ModelFiles.Embedder]);
    private static readonly float Hit = 0.9f, Below = 0.4f;

    [Fact]
    public void Group_evaluation_should_count_each_groups_hits_and_false_alerts_with_wilson_intervals()
    {
        var outcomes = new List<ProbeOutcome>();
        // women: 50 mated searches, 30 found above the threshold, 20 right person below it; 40 non-mated, 2 false alerts
        outcomes.AddRange(Searches("w", 30, mated: true, Hit));
        outcomes.AddRange(Searches("w", 20, mated: true, Below));
        outcomes.AddRange(Searches("w", 2, mated: false, Hit));
        outcomes.AddRange(Searches("w", 38, mated: false, Below));
        // men: 100 mated, 80 found; 200 non-mated, 1 false alert
        outcomes.AddRange(Searches("m", 80, mated: true, Hit));
        outcomes.AddRange(Searches("m", 20, mated: true, Below));
        outcomes.AddRange(Searches("m", 1, mated: false, Hit));
        outcomes.AddRange(Searches("m", 199, mated: false, Below));
        // a handful without a label, and a group too small to say anything about
        outcomes.AddRange(Searches("x", 3, mated: true, Hit));
        outcomes.AddRange(Searches("s", 5, mated: true, Hit));
        var groups = outcomes.Select(o => o.Identity).Distinct()
            .Where(i => !i.StartsWith('x'))
            .ToDictionary(i => i, i => i[0] switch { 'w' => "female", 'm' => "male", _ => "small" });

        var report = GroupEvaluation.Run(outcomes, ["w0", "m0", "m1", "x0", "s0"], groups, IdentityAliases.None, Calibration, 0.6f, minSearches: 30);

        var female = report.Groups.Single(g => g.Group == "female");
        Assert.Equal(new Proportion(30, 50), female.Tpir);
        Assert.Equal(new Proportion(2, 40), female.Fpir);
        Assert.Equal(1, female.GalleryEntries);
        var male = report.Groups.Single(g => g.Group == "male");
        Assert.Equal(new Proportion(80, 100), male.Tpir);
        Assert.Equal(new Proportion(1, 200), male.Fpir);
        Assert.Equal(Intervals.Wilson(30, 50), female.Tpir.Interval);
        Assert.Contains("too small", report.Groups.Single(g => g.Group == "small").TooSmall);
        var unlabelled = report.Groups.Single(g => g.Group == GroupEvaluation.Unlabelled);
        Assert.Equal(3, unlabelled.Tpir.Of + unlabelled.Fpir.Of);
        Assert.Equal(GroupEvaluation.Unlabelled, report.Groups[^1].Group);

        // TPIR: lowest over highest = 0.6 / 0.8; FPIR: highest over lowest = 0.05 / 0.005
        Assert.Equal(("female", "male"), (report.TpirRatio!.Numerator, report.TpirRatio.Denominator));
        Assert.Equal(0.75, report.TpirRatio.Ratio, 6);
        Assert.Equal(Intervals.KatzRatio(new(30, 50), new(80, 100)).Low, report.TpirRatio.Low, 9);
        Assert.Equal(10.0, report.FpirRatio!.Ratio, 6);
        // the sweep at 0 counts every top candidate; at 1 none
        Assert.Equal(new Proportion(50, 50), female.Sweep[0].Tpir);
        Assert.Equal(0, female.Sweep[^1].Tpir.Count);
    }

    [Fact]
    public void Group_evaluation_should_fit_each_groups_non_mated_tail()
    {
        // 1,000 non-mated top scores spread evenly over 0.1 .. 0.5
        var outcomes = Enumerable.Range(0, 1000)
            .Select(i => new ProbeOutcome($"p{i}", $"n{i}", false, "someone", 0.1f + 0.4f * i / 999f)).ToList();
        outcomes.AddRange(Searches("n", 40, mated: true, Hit));

        var group = GroupEvaluation.Run(outcomes, [], new Dictionary<string, string>(), IdentityAliases.None, Calibration, 0.6f).Groups.Single();

        var tail = group.Tail!;
        Assert.Equal(1000, tail.Scores);
        Assert.Equal(0.46, tail.Q90, 2);
        Assert.Equal(0.496, tail.Q99, 3);
        Assert.False(tail.Q999IsMaximum);
        // the highest tenth starts at 0.46 and has a mean excess of 0.02: above it FPIR falls by e every 0.02
        Assert.Equal(0.1, tail.TailShare, 3);
        Assert.InRange(tail.Scale, 0.019, 0.021);
        Assert.InRange(group.TailFpirAtThreshold!.Value, 1e-6, 1e-4);
        Assert.Equal(0, group.Fpir.Count);
    }

    [Fact]
    public void Aliases_should_make_two_names_of_one_person_a_hit_not_a_false_alert()
    {
        var aliases = IdentityAliases.Parse(["# LFW", "Hassan_Wirajuda,Hasan_Wirayuda", "", "Jon_Gruden,John_Gruden"]);
        float[] face = new float[512], other = new float[512];
        (face[0], other[1]) = (1, 1);
        var gallery = new List<(string, float[])> { ("Hasan_Wirayuda", face), ("Someone_Else", other) };
        var probes = new List<(string, string, float[]?)> { ("h1.jpg", "Hassan_Wirajuda", face) };

        var without = OpenSetIdentification.Search(gallery, probes, IdentityAliases.None).Single();
        var with = OpenSetIdentification.Search(gallery, probes, aliases).Single();

        Assert.True(without.FalseAlertAt(0.5f));
        Assert.True(with.Mated && with.HitAt(0.5f) && !with.FalseAlertAt(0.5f));
        Assert.Equal(aliases.Canonical("John_Gruden"), aliases.Canonical("Jon_Gruden"));
        Assert.Throws<FormatException>(() => IdentityAliases.Parse(["just-one-name"]));
    }

    private static IEnumerable<ProbeOutcome> Searches(string prefix, int count, bool mated, float cosine)
    {
        // mated searches find their own identity; non-mated ones a stranger's
        for (var i = 0; i < count; i++)
        {
            var identity = $"{prefix}{i}";
            yield return new ProbeOutcome($"{identity}.jpg", identity, mated, mated ? identity : "stranger", cosine);
        }
    }
}
