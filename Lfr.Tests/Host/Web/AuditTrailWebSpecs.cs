using System.Net;

namespace Lfr.Tests.Host.Web;

/// <summary>
/// The audit trail in Chromium as the auditor: filtered by who, what, deployment and period, a page of 100 at a
/// time, exported with the filter as CSV; roles without the trail are refused.
/// </summary>
public sealed class AuditTrailWebSpecs(WebApp web) : IClassFixture<WebApp>
{
    [BrowserFact]
    public void The_auditor_should_filter_page_and_export_the_trail()
    {
        web.LiveDeploymentAsync("d-trail", "wl-trail", ("subject-q", FacePhotos.FileImage(0))).GetAwaiter().GetResult();
        web.LiveDeploymentAsync("d-other", "wl-other", ("subject-o", FacePhotos.FileImage(1))).GetAwaiter().GetResult();
        // 120 sightings of one person within a minute: one alert raised and 119 captures added, each audited
        for (var i = 0; i < 120; i++)
            web.RaiseAlertAsync("d-trail", "subject-q", FacePhotos.Capture(0)).GetAwaiter().GetResult();

        using var desk = new Browser(web.BaseAddress, Browser.Desktop);
        desk.SignIn("audit");
        desk.Go("/audit");
        desk.WaitForText("#verification", "Hash chain intact");
        desk.Fill("#audit-filter input[name=deployment]", "d-trail");
        desk.Select("#audit-filter select[name=kind]", "AlertCaptureAdded");
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        desk.Set("#audit-filter input[name=from]", today);
        desk.Set("#audit-filter input[name=to]", today);
        desk.Click("#audit-filter button[type=submit]");
        desk.WaitForText("#audit-count", "Entries 1–100 of 119 matching.");
        Assert.All(desk.Driver.FindElements(OpenQA.Selenium.By.CssSelector("#trail tbody tr")), row => Assert.Contains("AlertCaptureAdded", row.Text));
        desk.Screenshot("audit-filtered");
        desk.Click("#older");
        desk.WaitForText("#audit-count", "Entries 101–119 of 119 matching.");
        Assert.False(desk.Find("#newer").GetAttribute("hidden") is not null);

        desk.Go("/audit?who=OP1&deployment=d-other");
        desk.WaitForText("#audit-count", "matching");
        Assert.All(desk.Driver.FindElements(OpenQA.Selenium.By.CssSelector("#trail tbody tr")), row => Assert.Contains("d-other", row.Text));
        desk.Go("/audit?from=yesterday");
        desk.WaitForText("#verification", "a day must read YYYY-MM-DD");

        desk.Go("/audit?deployment=d-trail&kind=AlertCaptureAdded");
        var csvUrl = desk.Until(() => desk.Find("#audit-csv").GetAttribute("href") is { } href && href.Contains("kind=", StringComparison.Ordinal) ? href : null, "the export link");
        using var auditor = web.ClientAsync("audit").GetAwaiter().GetResult();
        var rows = auditor.GetStringAsync(csvUrl).GetAwaiter().GetResult().Trim().Split('\n');
        Assert.Equal("sequence,at,kind,who,deployment,subject,detail,hash", rows[0]);
        Assert.Equal(120, rows.Length);
    }

    [BrowserFact]
    public void An_officer_and_ops_should_be_refused_the_trail()
    {
        foreach (var user in new[] { "pc1", "ops" })
        {
            using var browser = new Browser(web.BaseAddress, Browser.Desktop);
            browser.SignIn(user);
            browser.Go("/audit");
            browser.WaitForText("#denied", "Your role does not open this page.");
            using var client = web.ClientAsync(user).GetAwaiter().GetResult();
            Assert.Equal(HttpStatusCode.Forbidden, client.GetAsync("/api/audit?format=csv").GetAwaiter().GetResult().StatusCode);
        }
    }
}
