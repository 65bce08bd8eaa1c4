using Lfr.Vision.Evaluation;
using Lfr.Vision.Matching;
using Lfr.Vision.Models;
using OpenQA.Selenium;

namespace Lfr.Tests.Host.Web;

/// <summary>
/// The per-group accuracy report that <c>lfr eval --report</c> writes, opened from disk in a real headless Chromium:
/// one self-contained page whose DET curves (overall and per group) and per-group table render.
/// </summary>
public sealed class EvalReportBrowserSpecs : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("lfr-report-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Report_should_show_det_curves_and_the_per_group_table_in_chromium()
    {
        var sha = ModelFiles.Expected[ModelFiles.Embedder];
        var calibration = CalibrationStore.ForModel(sha);
        // searches with known outcomes: group a finds 3 in 4, group b 1 in 4; one false alert in b
        var outcomes = new List<ProbeOutcome>();
        for (var i = 0; i < 40; i++)
        {
            var g = i < 20 ? "a" : "b";
            var found = g == "a" ? i % 4 != 0 : i % 4 == 0;
            outcomes.Add(new ProbeOutcome($"{g}{i}.jpg", $"{g}{i}", true, $"{g}{i}", found ? 0.8f : 0.5f));
            outcomes.Add(new ProbeOutcome($"{g}n{i}.jpg", $"{g}n{i}", false, "x", i == 39 ? 0.75f : 0.2f + i / 200f));
        }
        var groups = outcomes.Select(o => o.Identity).Distinct().ToDictionary(i => i, i => i[..1]);
        var byGroup = GroupEvaluation.Run(outcomes, ["a0", "b20"], groups, IdentityAliases.None, calibration, 0.6f, minSearches: 10);
        var overall = new OpenSetResult(0.6f, 0.5, 1 / 80.0, 40, 40, 2,
            OpenSetIdentification.SweepThresholds.Select(t => new OpenSetPoint(t, 1 - t, Math.Pow(10, -5 * t))).ToList(),
            [new FalseAlert("bn39.jpg", "bn39", "x", calibration.Likelihood(0.75f), 0.75f)], 0, 0);
        var path = Path.Combine(_folder, "report.html");
        File.WriteAllText(path, EvaluationReport.Html(new EvaluationReportInput("gallery.csv", "probes.csv", "groups.csv", null, 0,
            sha, calibration, overall, byGroup, DateTimeOffset.UtcNow)));

        using var browser = new Browser(new Uri("file:///"), Browser.Desktop);
        browser.Go(path);

        Assert.Equal(2, browser.Driver.FindElements(By.CssSelector("svg")).Count);
        Assert.Equal(3, browser.Driver.FindElements(By.CssSelector("polyline.det")).Count);
        var rows = browser.Driver.FindElements(By.CssSelector("#groups tr")).Select(r => r.Text).ToList();
        Assert.Contains(rows, r => r.StartsWith("a ", StringComparison.Ordinal) && r.Contains("15 / 20", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.StartsWith("b ", StringComparison.Ordinal) && r.Contains("5 / 20", StringComparison.Ordinal));
        Assert.Contains("TPIR ratio b/a 0.33", browser.Text("body"), StringComparison.Ordinal);
        // the curves have a size on the page: they rendered, not just parsed
        Assert.True(browser.Find("polyline.det").Size.Width > 100);
        browser.Screenshot("eval-report");
    }
}
