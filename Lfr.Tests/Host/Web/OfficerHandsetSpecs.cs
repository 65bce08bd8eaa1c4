using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Alerts;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Officers;
using Lfr.Actors.ControlRoom.Watchlists;
using Lfr.Vision.Watchlists;

namespace Lfr.Tests.Host.Web;

/// <summary>
/// The engagement officer's handset on a phone-sized Chromium: a confirmed alert that merged many captures shows the
/// tasking card first (category, warning markers, record, file image beside the best capture, the rest behind "more",
/// camera, place, time, likelihood, the operator's note), with acknowledge and the outcome on screen without scrolling;
/// a stand-down reaches the handset and is marked received.
/// </summary>
public sealed class OfficerHandsetSpecs(WebApp web) : IClassFixture<WebApp>
{
    [BrowserFact]
    public void The_handset_should_show_the_tasking_card_first_with_the_actions_on_screen_and_receive_a_stand_down()
    {
        LiveWithMarkersAsync("d-handset", "wl-handset", "subject-m", ["weapons", "violent"]).GetAwaiter().GetResult();
        using var phone = new Browser(web.BaseAddress, Browser.Phone);
        phone.SignIn("pc1");
        phone.WaitForText("#duty-toggle", "Go on duty"); // the page has its state: a click before it would be lost
        phone.Click("#duty-toggle");
        phone.WaitForText("#duty-state", "On duty · available");

        // the same face seen 27 times in a minute: one alert of 27 captures, the best in the middle
        var alert = web.RaiseAlertAsync("d-handset", "subject-m", FacePhotos.Capture(0), "van-1/cam-a", 0.70f).GetAwaiter().GetResult();
        for (var i = 1; i < 27; i++)
            web.RaiseAlertAsync("d-handset", "subject-m", FacePhotos.Capture(0), i == 13 ? "van-1/cam-b" : "van-1/cam-a", i == 13 ? 0.91f : 0.70f).GetAwaiter().GetResult();
        var deployment = new DeploymentId("d-handset");
        var queued = Assert.Single(web.Gateway.Queue(deployment).GetAwaiter().GetResult());
        Assert.Equal(27, queued.Captures.Count);
        web.Gateway.Alert(new AlertProtocol.Confirm(deployment, alert, new StaffId("OP1"), [new OfficerId("PC1")], "red jacket, heading north")).GetAwaiter().GetResult();

        phone.WaitForText("article.tasking .reason", "Wanted for burglary");
        phone.ImagesLoaded("article.tasking .faces img");
        Assert.Equal(2, phone.Driver.FindElements(OpenQA.Selenium.By.CssSelector("article.tasking .faces img")).Count);
        Assert.Equal("WEAPONS VIOLENT", phone.Text("ul.markers").Replace("\n", " ", StringComparison.Ordinal));
        Assert.Equal("van-1/cam-b", phone.Text("dd.camera"));
        Assert.Equal("Lewisham High Street", phone.Text("dd.place"));
        Assert.Equal("0.910", phone.Text("dd.likelihood"));
        Assert.Contains("red jacket, heading north", phone.Text(".operator-note"));
        phone.WaitForText("summary", "More captures (26)");
        // the other captures are not fetched (nor their views audited) until "more" is opened
        Assert.Empty(phone.Driver.FindElements(OpenQA.Selenium.By.CssSelector(".more-captures img[src]")));
        // the tasking card comes before duty, and both actions sit inside the phone's screen without scrolling
        Assert.True(Bottom(phone, "#outcome button[type=submit]") <= Viewport(phone), "the outcome button needs scrolling");
        Assert.True(Bottom(phone, "#acknowledge") <= Viewport(phone), "acknowledge needs scrolling");
        Assert.True(Bottom(phone, "article.tasking h2") < Bottom(phone, "#duty-state"));
        phone.Screenshot("officer-tasking");

        phone.Click("details.more summary");
        phone.ImagesLoaded(".more-captures img");
        Assert.Equal(26, phone.Driver.FindElements(OpenQA.Selenium.By.CssSelector(".more-captures img")).Count);
        phone.Click("details.more summary");

        phone.Click("#acknowledge");
        phone.WaitForText(".tasking-status", "Acknowledged");
        web.Gateway.Alert(new AlertProtocol.StandDown(deployment, alert, new StaffId("OP1"), "subject left the area")).GetAwaiter().GetResult();
        phone.WaitForText("#stand-down", "subject left the area");
        phone.Find("#no-tasking");
        phone.Screenshot("officer-stand-down");
        phone.Click("#stand-down-received");
        phone.Until(() => !phone.Find("#tasking").Displayed || !phone.Driver.FindElement(OpenQA.Selenium.By.Id("stand-down")).Displayed, "the stand-down to be put away");
        var trail = web.Gateway.Trail("d-handset").GetAwaiter().GetResult();
        Assert.Contains(trail.Entries, e => e.Kind == AuditKind.AlertStoodDown && e.Who == "OP1");
        Assert.Contains(trail.Entries, e => e.Kind == AuditKind.StandDownReceived && e.Who == "PC1");
    }

    [BrowserFact]
    public void The_handset_should_show_no_warning_markers_for_an_entry_without_any_and_refuse_other_roles()
    {
        web.LiveDeploymentAsync("d-plain", "wl-plain", ("subject-p", FacePhotos.FileImage(1))).GetAwaiter().GetResult();
        using var phone = new Browser(web.BaseAddress, Browser.Phone);
        phone.SignIn("pc2");
        phone.WaitForText("#duty-toggle", "Go on duty"); // the page has its state: a click before it would be lost
        phone.Click("#duty-toggle");
        phone.WaitForText("#duty-state", "On duty · available");
        var alert = web.RaiseAlertAsync("d-plain", "subject-p", FacePhotos.Capture(1)).GetAwaiter().GetResult();
        web.Gateway.Alert(new AlertProtocol.Confirm(new DeploymentId("d-plain"), alert, new StaffId("OP1"), [new OfficerId("PC2")])).GetAwaiter().GetResult();
        phone.WaitForText("article.tasking .reason", "Wanted for burglary");
        Assert.False(phone.Exists("ul.markers"));
        Assert.False(phone.Exists(".operator-note"));
        Assert.False(phone.Driver.FindElement(OpenQA.Selenium.By.CssSelector("details.more")).Displayed);

        // an operator has no handset, and an officer cannot stand anyone down
        using var desk = new Browser(web.BaseAddress, Browser.Desktop);
        desk.SignIn("op1");
        desk.Go("/officer");
        desk.WaitForText("#denied", "Your role does not open this page.");
        Assert.Equal(403, desk.Post("/api/me/stand-down-received", "{}"));
        Assert.Equal(403, phone.Post($"/api/alerts/d-plain/{alert.Value}/stand-down", """{"reason":"officer"}"""));
        var state = web.Gateway.Officer(new OfficerProtocol.GetOfficer(new OfficerId("PC2"))).GetAwaiter().GetResult();
        Assert.NotNull(state.Current);
    }

    private async Task LiveWithMarkersAsync(string deployment, string watchlist, string entry, string[] markers)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await web.Gateway.Watchlists<WatchlistProtocol.WatchlistBuilt>(new WatchlistProtocol.BuildWatchlist(new WatchlistId(watchlist), today,
            new DeploymentId(deployment), new StaffId("WM1"), [new WatchlistEntryDraft(new WatchlistEntryId(entry), WatchlistCategory.WantedWithPowerOfArrest,
                "Wanted for burglary", "Met wanted list", today, new StaffId("WM1"), "PNC/" + entry, FacePhotos.FileImage(0), markers)]));
        await web.LiveDeploymentAsync(deployment, watchlist);
    }

    private static double Bottom(Browser browser, string css) =>
        Convert.ToDouble(browser.Script("return document.querySelector(arguments[0]).getBoundingClientRect().bottom;", css), System.Globalization.CultureInfo.InvariantCulture);

    private static double Viewport(Browser browser) =>
        Convert.ToDouble(browser.Script("return window.innerHeight;"), System.Globalization.CultureInfo.InvariantCulture);
}
