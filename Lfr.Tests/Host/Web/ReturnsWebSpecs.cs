using System.Net;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Alerts;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Officers;

namespace Lfr.Tests.Host.Web;

/// <summary>
/// The returns across deployments in Chromium as the auditor: a period and an area give totals, inline SVG charts
/// (per deployment, outcomes, arrests by offence) and CSV/JSON exports; roles without returns are refused.
/// </summary>
public sealed class ReturnsWebSpecs(WebApp web) : IClassFixture<WebApp>
{
    [BrowserFact]
    public void The_auditor_should_see_a_periods_returns_with_charts_and_export_them()
    {
        web.LiveDeploymentAsync("d-ret-1", "wl-ret-1", ("subject-r", FacePhotos.FileImage(0)), ("subject-s", FacePhotos.FileImage(1))).GetAwaiter().GetResult();
        web.LiveDeploymentAsync("d-ret-2", "wl-ret-2", ("subject-t", FacePhotos.FileImage(2))).GetAwaiter().GetResult();
        var deployment = new DeploymentId("d-ret-1");
        web.Gateway.Officer(new OfficerProtocol.GoOnDuty(new OfficerId("PC1"))).GetAwaiter().GetResult();
        var arrest = web.RaiseAlertAsync("d-ret-1", "subject-r", FacePhotos.Capture(0)).GetAwaiter().GetResult();
        var wrong = web.RaiseAlertAsync("d-ret-1", "subject-s", FacePhotos.Capture(1)).GetAwaiter().GetResult();
        web.Until(() => web.Gateway.Alert(new AlertProtocol.GetAlert(deployment, arrest)).GetAwaiter().GetResult().Record);
        web.Gateway.Alert(new AlertProtocol.Confirm(deployment, arrest, new StaffId("OP1"), [new OfficerId("PC1")])).GetAwaiter().GetResult();
        web.Gateway.Alert(new AlertProtocol.Dismiss(deployment, wrong, new StaffId("OP1"), DismissalReason.NotThePerson)).GetAwaiter().GetResult();
        var tasking = web.Until(() => web.Gateway.Officer(new OfficerProtocol.GetOfficer(new OfficerId("PC1"))).GetAwaiter().GetResult().Current?.Tasking.Id);
        web.Gateway.Officer(new OfficerProtocol.RecordOutcome(new OfficerId("PC1"), tasking!.Value, new Outcome(OutcomeKind.Arrested, "Burglary"))).GetAwaiter().GetResult();
        web.Until(() => web.Gateway.Alert(new AlertProtocol.GetAlert(deployment, arrest)).GetAwaiter().GetResult().Lines?.Single().Outcome);

        using var desk = new Browser(web.BaseAddress, Browser.Desktop);
        desk.SignIn("audit");
        desk.Go("/deployments");
        desk.Click("header nav a[href='/returns']");
        desk.Fill("#period input[name=area]", "lewisham");
        desk.Click("#period button[type=submit]");
        desk.Until(() => desk.Exists("table#per-deployment") && desk.Text("#per-deployment").Contains("d-ret-2", StringComparison.Ordinal), "both deployments in the returns");
        Assert.Equal("2 1 1 1", desk.Text("#totals tr.total").Replace("\n", " ", StringComparison.Ordinal).Trim());
        Assert.Equal("1", Bar(desk, "#chart-offences", "arrests"));
        Assert.Contains("burglary", desk.Text("#chart-offences"));
        Assert.Equal("1", Bar(desk, "#chart-outcomes rect.bar[data-value='1']", "taskings"));
        Assert.Equal(2, desk.Driver.FindElements(OpenQA.Selenium.By.CssSelector("#chart-deployments rect.bar[data-series='true alerts']")).Count);
        desk.Screenshot("returns");

        using var auditor = web.ClientAsync("audit").GetAwaiter().GetResult();
        var csvUrl = desk.Find("#export-csv").GetAttribute("href");
        var csv = auditor.GetAsync(csvUrl).GetAwaiter().GetResult();
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var rows = csv.Content.ReadAsStringAsync().GetAwaiter().GetResult().Trim().Split('\n');
        Assert.Equal(4, rows.Length);
        Assert.StartsWith("TOTAL,lewisham,", rows[3]);
        Assert.Contains("burglary:1", rows[3]);
        var json = auditor.GetStringAsync(desk.Find("#export-json").GetAttribute("href")).GetAwaiter().GetResult();
        Assert.Contains("\"trueAlerts\": 1", json);

        desk.Go("/returns?area=nowhere");
        desk.WaitForText("#totals h2", "0 deployments");
        desk.Go("/returns?from=2026-13-01");
        desk.WaitForText("#period-error", "YYYY-MM-DD");
    }

    [BrowserFact]
    public void An_officer_and_a_watchlist_manager_should_be_refused_the_returns()
    {
        foreach (var (user, size) in new[] { ("pc2", Browser.Phone), ("wm", Browser.Desktop) })
        {
            using var browser = new Browser(web.BaseAddress, size);
            browser.SignIn(user);
            Assert.DoesNotContain("Returns", browser.Text("header nav"));
            browser.Go("/returns");
            browser.WaitForText("#denied", "Your role does not open this page.");
            using var client = web.ClientAsync(user).GetAwaiter().GetResult();
            Assert.Equal(HttpStatusCode.Forbidden, client.GetAsync("/api/returns?format=csv").GetAwaiter().GetResult().StatusCode);
        }
    }

    private static string? Bar(Browser browser, string css, string series) =>
        browser.Find(css.Contains("rect", StringComparison.Ordinal) ? css : css + $" rect.bar[data-series='{series}']").GetAttribute("data-value");
}
