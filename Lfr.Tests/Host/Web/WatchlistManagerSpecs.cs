using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Tests.Actors.ControlRoom;
using Lfr.Tests.Fixtures;

namespace Lfr.Tests.Host.Web;

/// <summary>
/// The watchlist manager's page in Chromium: a list of a couple of hundred entries built from a zip (manifest and
/// images) with the upload's and the enrolment's progress shown; a build with unusable images refused with each one
/// listed; entries added and removed until the deployment goes live, then no more; other roles refused.
/// </summary>
public sealed class WatchlistManagerSpecs(WebApp web) : IClassFixture<WebApp>
{
    private const int Entries = 200;
    private static readonly string[] Categories = ["wanted", "court-warrant", "sex-offender"];

    [BrowserFact]
    public void The_watchlist_manager_should_build_from_a_zip_with_progress_and_change_the_list_until_it_goes_live()
    {
        using var folder = new TempFolder();
        var zip = folder.File("wl-large.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            var manifest = new StringBuilder("file,reference,category,reason,source,markers\n");
            for (var i = 0; i < Entries; i++)
            {
                var name = $"images/person-{i:000}.jpg";
                manifest.Append(CultureInfo.InvariantCulture,
                    $"{name},PNC/26/{200000 + i},{Categories[i % 3]},\"Failed to appear, theft\",Bromley Magistrates,{(i == 0 ? "weapons;violent" : "")}\n");
                using var image = archive.CreateEntry(name).Open();
                image.Write(FileImages.Face(i));
            }
            using var writer = new StreamWriter(archive.CreateEntry("manifest.csv").Open());
            writer.Write(manifest.ToString());
        }

        using var desk = new Browser(web.BaseAddress, Browser.Desktop);
        desk.SignIn("wm");
        desk.Go("/watchlists");
        desk.Fill("#build input[name=id]", "wl-large");
        desk.Fill("#build input[name=deployment]", "d-large");
        desk.Find("#build input[name=archive]").SendKeys(zip);
        desk.Click("#build button[type=submit]");
        desk.Until(() => desk.Text("#build-status").Contains($"Enrolled {Entries} of {Entries}.", StringComparison.Ordinal), "the enrolment", seconds: 180);
        Assert.Equal("100", desk.Find("#upload-progress").GetAttribute("value"));
        // the page showed the enrolment part-way, not only its end
        var seen = (desk.Find("#enrol-progress").GetAttribute("data-seen") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        Assert.Contains(seen, done => done is > 0 and < Entries);
        desk.WaitForText("#watchlists", "wl-large");
        desk.Screenshot("watchlist-build");

        // a build with a photo of nobody and a photo of three people: refused, each named with why, nothing stored
        var bad = folder.File("bad.csv");
        File.WriteAllText(bad, "file,reference,category,reason,source\ngood.jpg,PNC/1,wanted,Robbery,Met\nnobody.jpg,PNC/2,wanted,Robbery,Met\ngroup.jpg,PNC/3,wanted,Robbery,Met\n");
        File.WriteAllBytes(folder.File("good.jpg"), FileImages.Face(0));
        File.WriteAllBytes(folder.File("nobody.jpg"), FileImages.NoFace());
        File.WriteAllBytes(folder.File("group.jpg"), FileImages.GroupPhoto());
        desk.Go("/watchlists");
        desk.Fill("#build input[name=id]", "wl-refused");
        desk.Find("#build input[name=manifest]").SendKeys(bad);
        desk.Find("#build input[name=images]").SendKeys(string.Join("\n", folder.File("good.jpg"), folder.File("nobody.jpg"), folder.File("group.jpg")));
        desk.Click("#build button[type=submit]");
        desk.WaitForText("#build-error", "2 refused; nothing was stored");
        desk.WaitForText("#rejected li[data-file='nobody.jpg']", "row 3");
        desk.WaitForText("#rejected li[data-file='group.jpg']", "row 4");
        Assert.False(desk.Exists("#rejected li[data-file='good.jpg']"));
        desk.Screenshot("watchlist-rejected");
        Assert.DoesNotContain("wl-refused", desk.Text("#watchlists"));

        // two more entries, then one off, before the deployment goes live
        var more = folder.File("more.csv");
        File.WriteAllText(more, "file,reference,category,reason,source,markers\nlate-1.jpg,PNC/26/300001,wanted,Burglary,Met wanted list,weapons\nlate-2.jpg,PNC/26/300002,court-warrant,Failed to appear,Camberwell Green,\n");
        File.WriteAllBytes(folder.File("late-1.jpg"), FileImages.Face(1));
        File.WriteAllBytes(folder.File("late-2.jpg"), FileImages.Face(2));
        desk.Select("#entries-watchlist", "wl-large");
        desk.Script("document.getElementById('entries-watchlist').dispatchEvent(new Event('change'));");
        desk.WaitForText("#entry-count", $"{Entries} entries");
        desk.Find("#add-entries input[name=manifest]").SendKeys(more);
        desk.Find("#add-entries input[name=images]").SendKeys(folder.File("late-1.jpg") + "\n" + folder.File("late-2.jpg"));
        desk.Click("#add-entries button[type=submit]");
        desk.Until(() => desk.Text("#add-error").Contains($"Added 2: {Entries + 2} entries now.", StringComparison.Ordinal), "the addition", seconds: 60);
        desk.WaitForText("#entry-count", $"{Entries + 2} entries");
        desk.Click("#entry-list button.remove");
        desk.AcceptPrompt("arrested yesterday");
        desk.WaitForText("#entry-count", $"{Entries + 1} entries");
        desk.Screenshot("watchlist-entries");

        web.LiveDeploymentAsync("d-large", "wl-large").GetAwaiter().GetResult();
        using var wm = web.ClientAsync("wm").GetAwaiter().GetResult();
        var entry = desk.Find("#entry-list button.remove").GetAttribute("data-entry");
        var refused = wm.PostAsJsonAsync($"/api/watchlists/wl-large/entries/{entry}/remove", new { reason = "too late" }).GetAwaiter().GetResult();
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("has gone live", refused.Content.ReadAsStringAsync().GetAwaiter().GetResult());

        var trail = web.Gateway.Trail().GetAwaiter().GetResult().Entries.Where(e => e.Subject == "wl-large").ToList();
        Assert.Contains(trail, e => e is { Kind: AuditKind.WatchlistBuilt, Who: "WM1" } && e.Detail.StartsWith($"entries={Entries};", StringComparison.Ordinal));
        Assert.Contains(trail, e => e is { Kind: AuditKind.WatchlistEntriesAdded, Who: "WM1" } && e.Detail.StartsWith("added=2;", StringComparison.Ordinal));
        Assert.Contains(trail, e => e is { Kind: AuditKind.WatchlistEntryRemoved, Who: "WM1" } && e.Detail.EndsWith("reason=arrested yesterday", StringComparison.Ordinal));
    }

    [BrowserFact]
    public void Other_roles_should_be_refused_building_and_changing_a_watchlist()
    {
        foreach (var user in new[] { "op1", "audit", "supt" })
        {
            using var client = web.ClientAsync(user).GetAwaiter().GetResult();
            using var form = new MultipartFormDataContent { { new StringContent("wl-not-mine"), "id" } };
            Assert.Equal(HttpStatusCode.Forbidden, client.PostAsync("/api/watchlists", form).GetAwaiter().GetResult().StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, client.PostAsJsonAsync("/api/watchlists/wl-x/entries/e-x/remove", new { reason = "x" }).GetAwaiter().GetResult().StatusCode);
        }

        // the auditor reads the lists, with no build form and no entries to change
        using var auditor = new Browser(web.BaseAddress, Browser.Desktop);
        auditor.SignIn("audit");
        auditor.Go("/watchlists");
        auditor.Find("#watchlists");
        Assert.False(auditor.Exists("#build"));
        Assert.False(auditor.Exists("#entries"));
        using var officer = new Browser(web.BaseAddress, Browser.Phone);
        officer.SignIn("pc1");
        officer.Go("/watchlists");
        officer.WaitForText("#denied", "Your role does not open this page.");
    }
}
