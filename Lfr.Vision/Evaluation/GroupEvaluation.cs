using Lfr.Vision.Matching;

namespace Lfr.Vision.Evaluation;

/// <summary>One threshold of a group's sweep: TPIR and FPIR with their counts.</summary>
public sealed record GroupPoint(float Threshold, Proportion Tpir, Proportion Fpir);

/// <summary>
/// One group's figures: TPIR and FPIR at the threshold and over the sweep, the non-mated score tail, and the gallery
/// entries labelled with the group. <see cref="TooSmall"/> says why a group is not evaluated (too few searches).
/// </summary>
public sealed record GroupResult(
    string Group, int GalleryEntries, Proportion Tpir, Proportion Fpir, IReadOnlyList<GroupPoint> Sweep,
    ScoreTail? Tail, double? TailFpirAtThreshold, string? TooSmall)
{
    public bool Evaluated => TooSmall is null;
}

public sealed record GroupReport(
    float Threshold, float CosineAtThreshold, IReadOnlyList<GroupResult> Groups, RateRatio? TpirRatio, RateRatio? FpirRatio, int MinSearches);

/// <summary>
/// Open-set identification broken down by a group label of each probe's identity (evaluation files only: operational
/// data carries no demographics). Identities without a label are counted under <see cref="Unlabelled"/>. A group with
/// fewer than <c>minSearches</c> mated or non-mated searches is reported as too small and left out of the ratios.
/// TPIR ratio: lowest over highest (1 is parity; the "four-fifths" reading asks for 0.8 or more); FPIR ratio:
/// highest over lowest (1 is parity); both with Katz log intervals.
/// </summary>
public static class GroupEvaluation
{
    public const string Unlabelled = "unlabelled";

    /// <summary>Reads <c>identity,group</c> (with a header).</summary>
    public static IReadOnlyDictionary<string, string> ReadGroups(string csvPath)
    {
        var lines = File.ReadAllLines(csvPath);
        if (lines.Length == 0 || !lines[0].StartsWith("identity", StringComparison.OrdinalIgnoreCase))
            throw new FormatException($"{csvPath}: expected a header 'identity,group'");
        var groups = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            var parts = lines[i].Split(',', StringSplitOptions.TrimEntries);
            if (parts.Length < 2) throw new FormatException($"{csvPath}:{i + 1}: expected 'identity,group'");
            if (parts[1].Length > 0) groups[parts[0]] = parts[1];
        }
        return groups;
    }

    public static GroupReport Run(IReadOnlyList<ProbeOutcome> outcomes, IEnumerable<string> galleryIdentities,
        IReadOnlyDictionary<string, string> groups, IdentityAliases aliases, LikelihoodCalibration calibration,
        float threshold, int minSearches = 30)
    {
        // a label given under either name of an aliased person counts for both
        var canonicalGroups = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (identity, group) in groups) canonicalGroups.TryAdd(aliases.Canonical(identity), group);
        string GroupOf(string identity) => canonicalGroups.GetValueOrDefault(aliases.Canonical(identity), Unlabelled);

        var entriesPerGroup = galleryIdentities.Select(aliases.Canonical).Distinct(StringComparer.Ordinal)
            .GroupBy(GroupOf).ToDictionary(g => g.Key, g => g.Count());
        var cosine = calibration.CosineAt(threshold);
        var results = outcomes.GroupBy(o => GroupOf(o.Identity)).OrderBy(g => g.Key == Unlabelled).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Group(g.Key, g.ToList(), entriesPerGroup.GetValueOrDefault(g.Key), calibration, threshold, cosine, minSearches))
            .ToList();
        foreach (var (group, entries) in entriesPerGroup.Where(e => results.All(r => r.Group != e.Key)))
            results.Add(new GroupResult(group, entries, default, default, [], null, null, "no searches"));

        var evaluated = results.Where(r => r.Evaluated && r.Group != Unlabelled).ToList();
        RateRatio? tpirRatio = null, fpirRatio = null;
        if (evaluated.Count >= 2)
        {
            var low = evaluated.MinBy(r => r.Tpir.Rate)!;
            var high = evaluated.MaxBy(r => r.Tpir.Rate)!;
            tpirRatio = Intervals.Ratio(low.Group, low.Tpir, high.Group, high.Tpir);
            var fHigh = evaluated.MaxBy(r => r.Fpir.Rate)!;
            var fLow = evaluated.Where(r => r != fHigh).MinBy(r => r.Fpir.Rate)!;
            fpirRatio = Intervals.Ratio(fHigh.Group, fHigh.Fpir, fLow.Group, fLow.Fpir);
        }
        return new GroupReport(threshold, cosine, results, tpirRatio, fpirRatio, minSearches);
    }

    private static GroupResult Group(string name, List<ProbeOutcome> outcomes, int entries, LikelihoodCalibration calibration,
        float threshold, float cosine, int minSearches)
    {
        var mated = outcomes.Count(o => o.Mated);
        var nonMated = outcomes.Count - mated;
        Proportion Tpir(float c) => new(outcomes.Count(o => o.HitAt(c)), mated);
        Proportion Fpir(float c) => new(outcomes.Count(o => o.FalseAlertAt(c)), nonMated);
        var sweep = OpenSetIdentification.SweepThresholds
            .Select(t => calibration.CosineAt(t) is var c ? new GroupPoint(t, Tpir(c), Fpir(c)) : null!).ToList();
        var tail = ScoreTail.Fit(outcomes.Where(o => !o.Mated && o.TopIdentity is not null).Select(o => o.TopCosine).ToList());
        var fpir = Fpir(cosine);
        var tooSmall = mated < minSearches || nonMated < minSearches
            ? $"too small to evaluate: {mated} mated and {nonMated} non-mated searches (at least {minSearches} of each needed)"
            : null;
        return new GroupResult(name, entries, Tpir(cosine), fpir, sweep, tail, tail?.FpirAt(cosine, fpir.Rate), tooSmall);
    }
}
