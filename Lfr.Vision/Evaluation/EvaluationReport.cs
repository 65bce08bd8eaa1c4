using System.Globalization;
using System.Net;
using System.Text;
using Lfr.Vision.Matching;

namespace Lfr.Vision.Evaluation;

/// <summary>What an evaluation report is about: the files, the embedder and the results.</summary>
public sealed record EvaluationReportInput(
    string Gallery, string Probes, string? GroupsFile, string? AliasesFile, int Aliases, string EmbedderSha256,
    LikelihoodCalibration Calibration, OpenSetResult Overall, GroupReport? Groups, DateTimeOffset Created);

/// <summary>
/// One self-contained HTML page in the manner of the National Physical Laboratory's report on the Met's system:
/// method, data, DET curves (inline SVG) overall and per group, the tables with their intervals and counts, and the
/// caveats a reader needs (sample sizes, what is extrapolated).
/// </summary>
public static class EvaluationReport
{
    private static readonly float[] TableThresholds = [0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f];

    public static string Html(EvaluationReportInput r)
    {
        var inv = CultureInfo.InvariantCulture;
        var t = r.Overall.Threshold;
        var cosine = r.Calibration.CosineAt(t);
        var b = new StringBuilder();
        b.Append("""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Lfr accuracy report</title><style>
            body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
            h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:2px solid #1565c0;padding-bottom:.2em;margin-top:1.6em}
            table{border-collapse:collapse;margin:.6em 0;font-size:.92em}th,td{border:1px solid #ccc;padding:.3em .55em;text-align:right}
            th{background:#eef3fb}td:first-child,th:first-child{text-align:left}.small{color:#777}.key{font-weight:bold}
            .curves{display:flex;flex-wrap:wrap;gap:1em}.caveat{background:#fff8e1;border-left:4px solid #ffa000;padding:.5em 1em}
            code{background:#f4f4f4;padding:0 .25em}
            </style></head><body>
            """);
        b.Append(inv, $"<h1>Lfr: open-set identification accuracy{(r.Groups is null ? "" : " by group")}</h1>");
        b.Append(inv, $"<p class=\"small\">Made {r.Created:yyyy-MM-dd HH:mm} UTC by <code>lfr eval</code>. Embedding model SHA-256 <code>{r.EmbedderSha256}</code>; calibration <code>{LikelihoodCalibration.Method}</code> fitted on {r.Calibration.Comparisons.Impostor:N0} impostor comparisons.</p>");

        b.Append("<h2>Summary</h2>");
        b.Append(inv, $"<p>At the alert threshold <span class=\"key\">{t:0.00}</span> (cosine {cosine:0.000}), against a gallery of {r.Overall.GallerySize:N0} people: ");
        b.Append(inv, $"<span class=\"key\">TPIR {r.Overall.Tpir:0.000}</span> over {r.Overall.Mated:N0} mated searches and <span class=\"key\">FPIR {r.Overall.Fpir:0.0000}</span> ({r.Overall.FalseAlerts.Count} false alerts) over {r.Overall.NonMated:N0} non-mated searches.</p>");
        if (r.Groups is { } g)
        {
            b.Append(inv, $"<p>{Ratio(g.TpirRatio, "TPIR", "lowest over highest; 1 is parity")}</p><p>{Ratio(g.FpirRatio, "FPIR", "highest over lowest; 1 is parity")}</p>");
        }

        b.Append("<h2>Method</h2><ul>");
        b.Append("<li><b>Open-set identification</b> (ISO/IEC 19795-1, as NIST FRTE 1:N reports it). Each probe photo is searched against the gallery. TPIR: mated searches (the person is in the gallery) whose top candidate is that person at or above the threshold, over all mated searches. FPIR: non-mated searches whose top candidate reaches the threshold, over all non-mated searches. A probe in which no face is found is a miss or no alert.</li>");
        b.Append("<li><b>Likelihood</b>: the cosine of the face embeddings mapped by the calibration so that 0.6 means an FPIR of 1 in 6,000 for a 10,000-entry watchlist (NPL's figure for the Met's system at its 0.6).</li>");
        b.Append("<li><b>Intervals</b>: every rate has a 95% Wilson score interval and the counts behind it. Ratios of rates have 95% Katz log intervals (0.5 added to each count and 1 to each total when a count is 0).</li>");
        b.Append("<li><b>Non-mated score tail</b>: false alerts at 1 in 6,000 are too rare to count on a few thousand searches, so for each group the top candidate's cosine of every non-mated search is summarised by its 0.9, 0.99 and 0.999 quantiles, and an exponential tail fitted to its highest tenth estimates the FPIR at the threshold. That estimate is an extrapolation, not a count.</li>");
        b.Append(inv, $"<li><b>Groups</b> come from the evaluation's groups file only; operational data carries no demographics. A search whose person has no label is counted under <i>{GroupEvaluation.Unlabelled}</i>. A group with fewer than {r.Groups?.MinSearches ?? 30} mated or non-mated searches is reported as too small.</li>");
        b.Append("</ul>");

        b.Append("<h2>Data</h2><table><tr><th>file</th><th>what</th></tr>");
        b.Append(inv, $"<tr><td>{E(r.Gallery)}</td><td>gallery: {r.Overall.GallerySize:N0} people enrolled, {r.Overall.GalleryRejected} photos without a usable face</td></tr>");
        b.Append(inv, $"<tr><td>{E(r.Probes)}</td><td>probes: {r.Overall.Mated:N0} mated, {r.Overall.NonMated:N0} non-mated, {r.Overall.ProbesUnembedded} without a face</td></tr>");
        if (r.GroupsFile is not null) b.Append(inv, $"<tr><td>{E(r.GroupsFile)}</td><td>group of each identity</td></tr>");
        if (r.AliasesFile is not null) b.Append(inv, $"<tr><td>{E(r.AliasesFile)}</td><td>{r.Aliases} names, in pairs that are one person under two names (label errors, not false alerts)</td></tr>");
        b.Append("</table>");

        b.Append("<h2>DET curves</h2><div class=\"curves\">");
        b.Append(DetCurve.Svg(r.Overall.Sweep, t, $"All searches (gallery {r.Overall.GallerySize:N0})"));
        if (r.Groups is { } groups)
        {
            var series = groups.Groups.Where(x => x.Evaluated)
                .Select(x => (x.Group, (IReadOnlyList<OpenSetPoint>)x.Sweep.Select(p => new OpenSetPoint(p.Threshold, p.Tpir.Rate, p.Fpir.Rate)).ToList())).ToList();
            if (series.Count > 0) b.Append(DetCurve.Svg(series, t, "Per group"));
        }
        b.Append("</div><p class=\"small\">A dot marks the threshold. FPIR of 0 is drawn at 1e-5.</p>");

        if (r.Groups is { } gr)
        {
            b.Append(inv, $"<h2>Per group at threshold {t:0.00}</h2><table id=\"groups\"><tr><th>group</th><th>gallery entries</th><th>TPIR [95%]</th><th>hits / mated</th><th>FPIR [95%]</th><th>false alerts / non-mated</th><th>tail q0.9</th><th>q0.99</th><th>q0.999</th><th>tail FPIR at {t:0.00}</th></tr>");
            foreach (var x in gr.Groups)
            {
                if (!x.Evaluated)
                {
                    b.Append(inv, $"<tr><td>{E(x.Group)}</td><td>{x.GalleryEntries}</td><td colspan=\"8\" class=\"small\">{E(x.TooSmall!)}</td></tr>");
                    continue;
                }
                var tail = x.Tail;
                b.Append(inv, $"<tr><td>{E(x.Group)}</td><td>{x.GalleryEntries:N0}</td><td>{Rate(x.Tpir, "0.000")}</td><td>{x.Tpir.Count:N0} / {x.Tpir.Of:N0}</td><td>{Rate(x.Fpir, "0.0000")}</td><td>{x.Fpir.Count} / {x.Fpir.Of:N0}</td>");
                b.Append(tail is null ? "<td colspan=\"4\" class=\"small\">too few scores</td>"
                    : string.Create(inv, $"<td>{tail.Q90:0.000}</td><td>{tail.Q99:0.000}</td><td>{tail.Q999:0.000}{(tail.Q999IsMaximum ? "*" : "")}</td><td>{x.TailFpirAtThreshold:0.0e0}</td>"));
                b.Append("</tr>");
            }
            b.Append("</table><p class=\"small\">* fewer than 1,000 scores: the 0.999 quantile is the highest score.</p>");

            b.Append("<h2>Per group over the sweep</h2><table><tr><th>group</th>");
            foreach (var th in TableThresholds) b.Append(inv, $"<th>TPIR at {th:0.0}</th>");
            foreach (var th in TableThresholds) b.Append(inv, $"<th>FPIR at {th:0.0}</th>");
            b.Append("</tr>");
            foreach (var x in gr.Groups.Where(x => x.Evaluated))
            {
                b.Append(inv, $"<tr><td>{E(x.Group)}</td>");
                foreach (var th in TableThresholds) b.Append(inv, $"<td>{Rate(Point(x, th).Tpir, "0.000")}</td>");
                foreach (var th in TableThresholds) b.Append(inv, $"<td>{Point(x, th).Fpir.Count}/{Point(x, th).Fpir.Of}</td>");
                b.Append("</tr>");
            }
            b.Append("</table>");
        }

        b.Append(inv, $"<h2>False alerts at {t:0.00}</h2>");
        if (r.Overall.FalseAlerts.Count == 0) b.Append("<p>None.</p>");
        else
        {
            b.Append("<table><tr><th>probe</th><th>top candidate</th><th>likelihood</th><th>cosine</th></tr>");
            foreach (var f in r.Overall.FalseAlerts)
                b.Append(inv, $"<tr><td>{E(Path.GetFileName(f.Probe))}</td><td>{E(f.Candidate)}</td><td>{f.Likelihood:0.000}</td><td>{f.Cosine:0.000}</td></tr>");
            b.Append("</table>");
        }

        b.Append("<h2>Caveats</h2><div class=\"caveat\"><ul>");
        b.Append(inv, $"<li><b>Sample sizes.</b> {r.Overall.NonMated:N0} non-mated searches can count an FPIR no finer than 1 in {Math.Max(1, r.Overall.NonMated):N0}; the operational target (1 in 6,000) is below what these data can count, so the FPIR at the threshold rests on the calibration's fitted tail and on each group's fitted tail, both extrapolations. Read the Wilson intervals: where they overlap, the data do not show a difference.</li>");
        b.Append("<li><b>Photos, not passages.</b> These are still photos (LFW-style news photos); a person walking past a van is seen several times, and live TPIR per passage is higher.</li>");
        b.Append("<li><b>Labels.</b> Group labels are those of the groups file; groups that are not labelled cannot be reported, and a population this evaluation does not hold (e.g. by ethnicity) is not measured by it.</li>");
        b.Append("<li><b>Watchlist size.</b> FPIR grows with the number of entries; these figures hold for a gallery of this size.</li>");
        b.Append("</ul></div></body></html>");
        return b.ToString();
    }

    private static GroupPoint Point(GroupResult g, float threshold) => g.Sweep.MinBy(p => Math.Abs(p.Threshold - threshold))!;

    private static string Rate(Proportion p, string format)
    {
        var (low, high) = p.Interval;
        return string.Create(CultureInfo.InvariantCulture, $"{p.Rate.ToString(format, CultureInfo.InvariantCulture)} [{low.ToString(format, CultureInfo.InvariantCulture)}, {high.ToString(format, CultureInfo.InvariantCulture)}]");
    }

    private static string Ratio(RateRatio? ratio, string what, string reading) => ratio is null
        ? $"{what} ratio: fewer than two groups large enough to compare."
        : string.Create(CultureInfo.InvariantCulture,
            $"<span class=\"key\">{what} ratio {E(ratio.Numerator)}/{E(ratio.Denominator)} {ratio.Ratio:0.00} [{ratio.Low:0.00}, {ratio.High:0.00}]</span> ({reading}; {ratio.Top.Count}/{ratio.Top.Of} against {ratio.Bottom.Count}/{ratio.Bottom.Of}).");

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
