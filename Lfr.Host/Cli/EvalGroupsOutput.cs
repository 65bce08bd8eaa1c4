using Lfr.Vision.Evaluation;

namespace Lfr.Host.Cli;

/// <summary>The per-group part of <c>lfr eval --groups</c>: as JSON and as text.</summary>
internal static class EvalGroupsOutput
{
    public static object Json(GroupReport report) => new
    {
        minSearches = report.MinSearches,
        cosineAtThreshold = CliJson.R(report.CosineAtThreshold),
        tpirRatio = Ratio(report.TpirRatio, "lowest over highest TPIR (1 is parity)"),
        fpirRatio = Ratio(report.FpirRatio, "highest over lowest FPIR (1 is parity)"),
        ratioInterval = "95% Katz log interval",
        groups = report.Groups.Select(g => new
        {
            group = g.Group,
            galleryEntries = g.GalleryEntries,
            evaluated = g.Evaluated,
            tooSmall = g.TooSmall,
            tpir = g.Evaluated ? Rate(g.Tpir) : null,
            fpir = g.Evaluated ? Rate(g.Fpir) : null,
            nonMatedTail = g.Tail is { } t ? new
            {
                scores = t.Scores,
                q90 = CliJson.R(t.Q90),
                q99 = CliJson.R(t.Q99),
                q999 = CliJson.R(t.Q999),
                q999IsMaximum = t.Q999IsMaximum,
                tailFrom = CliJson.R(t.TailFrom),
                tailShare = t.TailShare,
                scale = CliJson.R(t.Scale, 5),
                fittedFpirAtThreshold = g.TailFpirAtThreshold,
            } : null,
            sweep = g.Evaluated ? g.Sweep.Select(p => new { threshold = p.Threshold, tpir = Rate(p.Tpir), fpir = Rate(p.Fpir) }) : null,
        }),
    };

    public static void Print(GroupReport report)
    {
        Console.WriteLine($"  per group (95% Wilson intervals; groups under {report.MinSearches} mated or non-mated searches are too small):");
        foreach (var g in report.Groups)
        {
            if (!g.Evaluated)
            {
                Console.WriteLine($"    {g.Group}: {g.TooSmall}");
                continue;
            }
            Console.WriteLine($"    {g.Group,-12} TPIR {Text(g.Tpir, "0.000")} ({g.Tpir.Count}/{g.Tpir.Of})  FPIR {Text(g.Fpir, "0.0000")} ({g.Fpir.Count}/{g.Fpir.Of})  gallery {g.GalleryEntries}");
            if (g.Tail is { } t)
                Console.WriteLine($"    {"",-12} non-mated top scores: q0.9 {t.Q90:0.000} q0.99 {t.Q99:0.000} q0.999 {t.Q999:0.000}{(t.Q999IsMaximum ? " (max)" : "")}; fitted tail FPIR at threshold {g.TailFpirAtThreshold:0.0e0}");
        }
        if (report.TpirRatio is { } tr) Console.WriteLine($"  TPIR ratio {tr.Numerator}/{tr.Denominator} {tr.Ratio:0.00} [{tr.Low:0.00}, {tr.High:0.00}] (Katz)");
        if (report.FpirRatio is { } fr) Console.WriteLine($"  FPIR ratio {fr.Numerator}/{fr.Denominator} {fr.Ratio:0.00} [{fr.Low:0.00}, {fr.High:0.00}] (Katz)");
    }

    private static object Rate(Proportion p) => new
    {
        rate = CliJson.R(p.Rate, 5),
        low = CliJson.R(p.Interval.Low, 5),
        high = CliJson.R(p.Interval.High, 5),
        count = p.Count,
        of = p.Of,
    };

    private static object? Ratio(RateRatio? r, string meaning) => r is null ? null : new
    {
        numerator = r.Numerator,
        denominator = r.Denominator,
        ratio = CliJson.R(r.Ratio, 4),
        low = CliJson.R(r.Low, 4),
        high = CliJson.R(r.High, 4),
        meaning,
    };

    private static string Text(Proportion p, string format) => $"{p.Rate.ToString(format)} [{p.Interval.Low.ToString(format)}, {p.Interval.High.ToString(format)}]";
}
