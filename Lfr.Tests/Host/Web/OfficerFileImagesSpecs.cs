using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Alerts;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Officers;
using Lfr.Actors.ControlRoom.Watchlists;
using Lfr.Vision.Watchlists;
using OpenQA.Selenium;

namespace Lfr.Tests.Host.Web;

/// <summary>
/// An entry enrolled from three file images (custody images of different dates): its template is their mean, and the
/// officer's handset shows every one, the most typical beside the best capture and the other two behind "More file
/// images", fetched (and audited) only when opened; an image of another entry is refused.
/// </summary>
public sealed class OfficerFileImagesSpecs(WebApp web) : IClassFixture<WebApp>
{
    [BrowserFact]
    public void The_handset_should_show_every_file_image_of_the_entry_the_most_typical_first_and_the_others_behind_more()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var images = Enumerable.Range(0, 3).Select(v => FacePhotos.FileImage(2, v)).ToArray();
        web.Gateway.Watchlists<WatchlistProtocol.WatchlistBuilt>(new WatchlistProtocol.BuildWatchlist(new WatchlistId("wl-files"), today,
            new DeploymentId("d-files"), new StaffId("WM1"),
            [
                new WatchlistEntryDraft(new WatchlistEntryId("subject-f"), WatchlistCategory.WantedWithPowerOfArrest, "Wanted for burglary",
                    "Met custody images", today, new StaffId("WM1"), "PNC/subject-f", images[0], MoreFileImages: images[1..]),
                new WatchlistEntryDraft(new WatchlistEntryId("subject-g"), WatchlistCategory.CourtWarrant, "Failed to appear",
                    "Met custody images", today, new StaffId("WM1"), "PNC/subject-g", FacePhotos.FileImage(0)),
            ])).GetAwaiter().GetResult();
        web.LiveDeploymentAsync("d-files", "wl-files").GetAwaiter().GetResult();
        var deployment = new DeploymentId("d-files");

        using var phone = new Browser(web.BaseAddress, Browser.Phone);
        phone.SignIn("pc1");
        phone.WaitForText("#duty-toggle", "Go on duty"); // the page has its state: a click before it would be lost
        phone.Click("#duty-toggle");
        phone.WaitForText("#duty-state", "On duty · available");
        var alert = web.RaiseAlertAsync("d-files", "subject-f", FacePhotos.Capture(2)).GetAwaiter().GetResult();
        web.Gateway.Alert(new AlertProtocol.Confirm(deployment, alert, new StaffId("OP1"), [new OfficerId("PC1")])).GetAwaiter().GetResult();

        phone.WaitForText("article.tasking .reason", "Wanted for burglary");
        phone.ImagesLoaded("article.tasking .faces img");
        phone.WaitForText("details.more-files summary", "More file images (2)");
        // not fetched, nor their views audited, until opened
        Assert.Empty(phone.Driver.FindElements(By.CssSelector("details.more-files img[src]")));
        phone.Click("details.more-files summary");
        phone.ImagesLoaded("details.more-files img");
        Assert.Equal(2, phone.Driver.FindElements(By.CssSelector("details.more-files img")).Count);
        phone.Screenshot("officer-file-images");

        // three different file images, each handed out once the audit stored its view
        var urls = ((IEnumerable<object>)phone.Script("""
            return [...document.querySelectorAll("article.tasking .faces img, details.more-files img")].map(i => i.getAttribute("src"))
              .filter(u => u.includes("/file-"));
            """)!).Cast<string>().ToArray();
        Assert.Equal(3, urls.Distinct().Count());
        var trail = web.Gateway.Trail("d-files").GetAwaiter().GetResult();
        var viewed = trail.Entries.Where(e => e.Kind == AuditKind.ImageViewed && e.Who == "PC1").Select(e => e.Detail).ToList();
        Assert.All(urls, url => Assert.Contains(viewed, d => d.Contains(url[(url.LastIndexOf('/') + 1)..], StringComparison.Ordinal)));

        // the template of three images still finds the person, and the file images of another entry stay out of reach
        var other = web.Gateway.Watchlists<WatchlistProtocol.EntryDescription>(new WatchlistProtocol.DescribeEntry(new WatchlistId("wl-files"),
            new WatchlistEntryId("subject-g"))).GetAwaiter().GetResult().Record!;
        const string status = "const done = arguments[arguments.length - 1]; fetch(arguments[0]).then(r => done(r.status), () => done(-1));";
        Assert.Equal(404L, ((IJavaScriptExecutor)phone.Driver).ExecuteAsyncScript(status, $"/api/me/images/d-files/{alert.Value}/{other.FileImage.Value}"));
        var own = web.Gateway.Watchlists<WatchlistProtocol.EntryDescription>(new WatchlistProtocol.DescribeEntry(new WatchlistId("wl-files"),
            new WatchlistEntryId("subject-f"))).GetAwaiter().GetResult().Record!;
        Assert.Equal(3, own.AllFileImages().Count);
    }
}
