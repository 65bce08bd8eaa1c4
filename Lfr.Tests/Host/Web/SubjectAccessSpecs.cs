using System.Net;
using System.Net.Http.Json;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Tests.Fixtures;
using Lfr.Tests.Host.Cli;

namespace Lfr.Tests.Host.Web;

/// <summary>
/// Subject access as the auditor, in Chromium and with <c>lfr subject-access</c>: which deployment's watchlist held the
/// reference, when, in which category, and the alert and capture it raised; each search audited by request number,
/// never by the reference; other roles refused.
/// </summary>
public sealed class SubjectAccessSpecs(WebApp web) : IClassFixture<WebApp>, IDisposable
{
    private readonly LfrProcess _lfr = new();

    [BrowserFact]
    public void The_auditor_should_find_the_deployments_a_reference_was_held_for_with_its_alerts_and_captures()
    {
        // the web fixture's watchlists give entry "sar-subject" the reference "PNC/sar-subject"
        web.LiveDeploymentAsync("d-sar", "wl-sar", ("sar-subject", FacePhotos.FileImage(0)), ("sar-other", FacePhotos.FileImage(1))).GetAwaiter().GetResult();
        web.RaiseAlertAsync("d-sar", "sar-subject", FacePhotos.Capture(0)).GetAwaiter().GetResult();

        using var desk = new Browser(web.BaseAddress, Browser.Desktop);
        desk.SignIn("audit");
        desk.Go("/subject-access");
        desk.Fill("#sar input[name=reference]", " pnc/SAR-SUBJECT ");
        desk.Fill("#sar input[name=request]", "SAR-2026-0142");
        desk.Click("#sar button[type=submit]");
        desk.WaitForText("#sar-summary", "Request SAR-2026-0142: on 1 watchlist entry");
        var row = desk.Text("#sar-records tbody tr");
        Assert.Contains("d-sar", row);
        Assert.Contains("wl-sar", row);
        Assert.Contains("WantedWithPowerOfArrest", row);
        Assert.Contains("AwaitingDecision", desk.Text("#sar-records .sar-alerts"));
        Assert.Equal("1 (1 stored)", desk.Text("#sar-records .sar-captures"));
        desk.Screenshot("subject-access");
        desk.Fill("#sar input[name=reference]", "PNC/NEVER-LISTED");
        desk.Fill("#sar input[name=request]", "SAR-2026-0143");
        desk.Click("#sar button[type=submit]");
        desk.WaitForText("#sar-summary", "Request SAR-2026-0143: on no watchlist held by this control room");

        var cli = _lfr.Run(new Dictionary<string, string> { ["LFR_PASSWORD"] = WebApp.Password },
            "subject-access", "PNC/sar-subject", "--request", "SAR-CLI-1", "--url", web.BaseAddress.ToString(), "--user", "audit", "--certificate", TestHttps.PfxPath);
        Assert.True(cli.ExitCode == 0, cli.ToString());
        Assert.Contains("Request SAR-CLI-1: on 1 watchlist entry", cli.StdOut);
        Assert.Contains("deployment d-sar  watchlist wl-sar", cli.StdOut);
        Assert.Contains("captures 1 (1 still stored)", cli.StdOut);

        var searches = web.Gateway.Trail().GetAwaiter().GetResult().Entries.Where(e => e.Kind == AuditKind.SubjectAccessQueried).ToList();
        Assert.Equal(["SAR-2026-0142", "SAR-2026-0143", "SAR-CLI-1"], searches.Select(e => e.Detail.Split(';')[0]["request=".Length..]));
        Assert.All(searches, e => Assert.Equal("AUD1", e.Who));
        Assert.DoesNotContain(searches, e => e.Detail.Contains("PNC/", StringComparison.OrdinalIgnoreCase));
    }

    [BrowserFact]
    public void Roles_other_than_the_auditor_should_be_refused_subject_access()
    {
        foreach (var user in new[] { "op1", "wm", "supt" })
        {
            using var client = web.ClientAsync(user).GetAwaiter().GetResult();
            var response = client.PostAsJsonAsync("/api/subject-access", new { reference = "PNC/1", request = "SAR-1" }).GetAwaiter().GetResult();
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        using var browser = new Browser(web.BaseAddress, Browser.Desktop);
        browser.SignIn("wm");
        browser.Go("/subject-access");
        browser.WaitForText("#denied", "Your role does not open this page.");
        var refused = _lfr.Run(new Dictionary<string, string> { ["LFR_PASSWORD"] = WebApp.Password },
            "subject-access", "PNC/1", "--request", "SAR-1", "--url", web.BaseAddress.ToString(), "--user", "op1", "--certificate", TestHttps.PfxPath);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("op1 may not make subject-access searches", refused.StdErr);
    }

    public void Dispose() => _lfr.Dispose();
}
