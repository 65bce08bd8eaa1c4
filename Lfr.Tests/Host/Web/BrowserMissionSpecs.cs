using System.Diagnostics;
using System.Net.Http.Json;
using Xunit.Abstractions;

namespace Lfr.Tests.Host.Web;

/// <summary>
/// The mission in real headless Chromium, each step signed in as the role that takes it: the watchlist built from
/// uploaded images, the deployment planned, authorised, approved, signed and started; a van's alert appears for the
/// operator, is confirmed, reaches the officer's phone, the outcome is recorded, and the return counts it. Screenshots
/// of each page are saved under the test output's <c>screenshots/</c>.
/// </summary>
public sealed class BrowserMissionSpecs(WebApp web, ITestOutputHelper output) : IClassFixture<WebApp>
{
    [BrowserFact]
    public void The_mission_should_run_in_the_browser_from_watchlist_to_return()
    {
        var photos = Path.Combine(Path.GetTempPath(), "lfr-web-photos-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(photos);
        File.WriteAllBytes(Path.Combine(photos, "subject-a.jpg"), FacePhotos.FileImage(0));
        File.WriteAllBytes(Path.Combine(photos, "subject-b.jpg"), FacePhotos.FileImage(1));
        using var desk = new Browser(web.BaseAddress, Browser.Desktop);
        using var phone = new Browser(web.BaseAddress, Browser.Phone);
        var today = DateTime.Now;

        desk.SignIn("wm");
        desk.Go("/watchlists");
        desk.Fill("#build input[name=id]", "wl-browser");
        desk.Fill("#build input[name=deployment]", "d-browser");
        desk.Fill("#build input[name=reason]", "Wanted for burglary");
        desk.Fill("#build input[name=source]", "Met wanted list");
        desk.Find("#build input[name=images]").SendKeys(Path.Combine(photos, "subject-a.jpg") + "\n" + Path.Combine(photos, "subject-b.jpg"));
        desk.Click("#build button[type=submit]");
        desk.WaitForText("#build-error", "Built wl-browser: 2 entries.");
        desk.WaitForText("#watchlists", "wl-browser");
        desk.Screenshot("watchlists");
        desk.SignOut();

        desk.SignIn("op1");
        desk.Go("/deployments");
        desk.Fill("#plan input[name=id]", "d-browser");
        desk.Fill("#plan input[name=place]", "Lewisham High Street");
        desk.Set("#plan input[name=windowStart]", today.AddHours(-1).ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture));
        desk.Fill("#plan input[name=cameras]", "van-1/cam-a, van-1/cam-b");
        desk.Fill("#plan input[name=purpose]", "Locate people wanted by police");
        desk.Fill("#plan input[name=watchlist]", "wl-browser");
        desk.Fill("#plan input[name=area]", "South East BCU");
        desk.Fill("#plan textarea[name=legalBasis]", "Common law policing powers; DPA 2018 s.35");
        desk.Fill("#plan textarea[name=necessity]", "Burglaries on the high street; two people wanted");
        desk.Fill("#plan textarea[name=alternatives]", "Patrols and enquiries have not found them");
        desk.Click("#plan button[type=submit]");
        desk.WaitForText("tr[data-deployment='d-browser'] .status", "Draft");
        desk.SignOut();

        desk.SignIn("supt");
        desk.Go("/deployments/d-browser");
        desk.WaitForText("#watchlist-total", "2");
        desk.Click("button[data-action=authorise]");
        desk.WaitForText("#status", "Authorised");
        desk.SignOut();

        desk.SignIn("chief");
        desk.Go("/deployments/d-browser");
        desk.Click("button[data-action=approve]");
        desk.WaitForText("#status", "Approved");
        desk.SignOut();

        phone.SignIn("pc1");
        Assert.EndsWith("/officer", phone.Driver.Url);
        phone.WaitForText("#duty-toggle", "Go on duty");
        phone.Click("#duty-toggle");
        phone.WaitForText("#duty-state", "On duty · available");
        using (var pc2 = web.ClientAsync("pc2").GetAwaiter().GetResult())
            Assert.True(pc2.PostAsJsonAsync("/api/me/duty", new { onDuty = true }).GetAwaiter().GetResult().IsSuccessStatusCode);

        desk.SignIn("op1");
        desk.Go("/deployments/d-browser");
        desk.Fill("#sign-form input[name=approach]", "High Street, from the north");
        desk.Fill("#sign-form input[name=evidence]", "photo IMG_2041");
        desk.Click("#sign-form button[type=submit]");
        desk.WaitForText("#signs", "High Street, from the north");
        desk.Click("button[data-action=signage]");
        desk.Find("#signage-confirmed");
        desk.Click("button[data-action=crew]");
        desk.WaitForText("#crew-list", "operator OP1");
        desk.Click("button[data-action=start]");
        desk.WaitForText("#status", "Live");
        desk.Screenshot("deployments");

        phone.Find("#no-tasking");
        phone.Screenshot("officer-waiting");

        desk.Go("/operator");
        desk.Find("#queue");
        var raised = Stopwatch.StartNew();
        // the page gave each entry an opaque id: subject access finds subject-a's by the reference its file name became
        var entry = web.Gateway.Watchlists<Lfr.Actors.ControlRoom.Watchlists.WatchlistProtocol.SubjectAccessAnswer>(
            new Lfr.Actors.ControlRoom.Watchlists.WatchlistProtocol.FindSubject("subject-a", new("AUD1"), "spec")).GetAwaiter().GetResult().Records.Single().Entry.Value;
        var described = web.Gateway.Watchlists<Lfr.Actors.ControlRoom.Watchlists.WatchlistProtocol.EntryDescription>(
            new Lfr.Actors.ControlRoom.Watchlists.WatchlistProtocol.DescribeEntry(new("wl-browser"), new(entry))).GetAwaiter().GetResult();
        Assert.True(described.Record is not null, $"entry {entry} of wl-browser not described");
        var alert = web.RaiseAlertAsync("d-browser", entry, FacePhotos.Capture(0)).GetAwaiter().GetResult();
        var card = $"article.alert[data-alert='{alert.Value}']";
        desk.WaitForText(card + " .reason", "Wanted for burglary");
        desk.ImagesLoaded(card + " .faces img");
        output.WriteLine($"alert into the intake -> on the operator's screen with both images: {raised.ElapsedMilliseconds} ms");
        desk.WaitForText(card + " .officers", "pc1");
        desk.Screenshot("operator");
        desk.Click(card + " input[value=PC1]");
        var confirmed = Stopwatch.StartNew();
        desk.Click(card + " .confirm-button");
        // a decided alert leaves the queue
        desk.Until(() => !desk.Exists(card), "the confirmed alert to leave the queue");

        phone.WaitForText("article.tasking .reason", "Wanted for burglary");
        phone.ImagesLoaded("article.tasking .faces img");
        output.WriteLine($"operator's confirm click -> tasking on the officer's phone with its images: {confirmed.ElapsedMilliseconds} ms");
        phone.WaitForText(".tasking-status", "Sent");
        phone.Screenshot("officer");
        phone.Click("#acknowledge");
        phone.WaitForText(".tasking-status", "Acknowledged");
        phone.Select("#outcome select[name=kind]", "Arrested");
        phone.Fill("#outcome input[name=offence]", "burglary");
        phone.Click("#outcome button[type=submit]");
        phone.WaitForText("#no-tasking", "1 completed");

        desk.SignOut();
        desk.SignIn("supt");
        desk.Go("/deployments/d-browser/return");
        var ret = desk.Text("#return");
        Assert.Contains("| Alerts | 1 |", ret);
        Assert.Contains("| Confirmed by an operator | 1 |", ret);
        Assert.Contains("| &nbsp;&nbsp;arrested | 1 |", ret);
        Assert.Contains("| &nbsp;&nbsp;for burglary | 1 |", ret);
        desk.Screenshot("return");
        desk.SignOut();

        desk.SignIn("ops");
        Assert.EndsWith("/console", desk.Driver.Url);
        desk.WaitForText("#journal", "Journal: read");
        desk.WaitForText("#control", "d-browser");
        desk.Screenshot("console-mission");
        Directory.Delete(photos, recursive: true);
    }

    [BrowserFact]
    public void An_officer_should_not_be_able_to_adjudicate()
    {
        web.LiveDeploymentAsync("d-officer", "wl-officer", ("subject-c", FacePhotos.FileImage(2))).GetAwaiter().GetResult();
        var alert = web.RaiseAlertAsync("d-officer", "subject-c", FacePhotos.Capture(2)).GetAwaiter().GetResult();
        using var phone = new Browser(web.BaseAddress, Browser.Phone);
        phone.SignIn("pc2");
        Assert.DoesNotContain("Operator", phone.Text("header nav"));
        phone.Go("/operator");
        phone.WaitForText("#denied", "Your role does not open this page.");
        phone.Screenshot("officer-denied");
        Assert.Equal(403, phone.Post($"/api/alerts/d-officer/{alert.Value}/confirm", """{"officers":["PC2"]}"""));
        Assert.Equal(403, phone.Post($"/api/alerts/d-officer/{alert.Value}/dismiss", """{"reason":"Other"}"""));
        var queue = web.Gateway.Queue(new Lfr.Actors.ControlRoom.Deployments.DeploymentId("d-officer")).GetAwaiter().GetResult();
        Assert.Equal(Lfr.Actors.ControlRoom.Alerts.AlertStatus.AwaitingDecision, Assert.Single(queue).Status);
    }

    [BrowserFact]
    public void An_auditor_should_read_everything_and_change_nothing()
    {
        web.LiveDeploymentAsync("d-auditor", "wl-auditor", ("subject-d", FacePhotos.FileImage(1))).GetAwaiter().GetResult();
        var alert = web.RaiseAlertAsync("d-auditor", "subject-d", FacePhotos.Capture(1)).GetAwaiter().GetResult();
        using var desk = new Browser(web.BaseAddress, Browser.Desktop);
        desk.SignIn("audit");

        desk.Go("/deployments");
        desk.WaitForText("tr[data-deployment='d-auditor'] .status", "Live");
        Assert.False(desk.Exists("#plan"));
        Assert.False(desk.Exists("#deployments button"));
        Assert.True(desk.Exists("tr[data-deployment='d-auditor'] a[href='/deployments/d-auditor/return']"));

        desk.Go("/watchlists");
        desk.WaitForText("#watchlists", "wl-auditor");
        Assert.False(desk.Exists("#build"));

        desk.Go("/operator");
        var card = $"article.alert[data-alert='{alert.Value}']";
        desk.WaitForText(card + " .reason", "Wanted for burglary");
        Assert.False(desk.Exists(card + " form"));
        Assert.False(desk.Exists(card + " img"));

        desk.Go("/audit");
        desk.WaitForText("#verification", "Hash chain intact");
        desk.Screenshot("audit");

        Assert.Equal(403, desk.Post("/api/deployments/d-auditor/end", """{"reason":"auditor"}"""));
        Assert.Equal(403, desk.Post($"/api/alerts/d-auditor/{alert.Value}/dismiss", """{"reason":"Other"}"""));
        Assert.Equal(403, desk.Post("/api/deployments", "{}"));
        var state = web.Gateway.Deployment(new Lfr.Actors.ControlRoom.Deployments.DeploymentProtocol.GetDeployment(new("d-auditor"))).GetAwaiter().GetResult();
        Assert.Equal(Lfr.Actors.ControlRoom.Deployments.DeploymentStatus.Live, state.Status);
    }
}
