using System.Net.Http.Json;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Watchlists;
using Lfr.Tests.Actors.ControlRoom;
using Lfr.Vision.Watchlists;
using Microsoft.Extensions.DependencyInjection;

namespace Lfr.Tests.Host.Web;

/// <summary>
/// The authorisers in headless Chromium: the Superintendent and the BCU Chief Superintendent read the case and the
/// watchlist's composition on the deployment's page before signing; a change to what they signed sends it back to
/// Draft, visibly and in the audit trail; and going live is refused on the page, with every reason, until the
/// watchlist is built, an operator and two officers are on duty and each approach's sign is listed and confirmed.
/// </summary>
public sealed class AuthoriserBrowserSpecs(WebApp web) : IClassFixture<WebApp>
{
    private static readonly DeploymentId Id = new("d-authority");

    [BrowserFact]
    public void Authorisers_should_sign_what_they_see_and_a_change_should_void_it_until_they_sign_again()
    {
        Plan(Id, "wl-authority");
        Build("wl-authority", Id, (WatchlistCategory.CourtWarrant, 0), (WatchlistCategory.CourtWarrant, 1), (WatchlistCategory.SexOffenderWithConditions, 2));

        using var desk = new Browser(web.BaseAddress, Browser.Desktop);
        desk.SignIn("supt");
        desk.Go("/deployments");
        desk.Click($"tr[data-deployment='{Id.Value}'] a");
        desk.WaitForText("#watchlist-total", "3");
        Assert.Contains("Sex offender with conditions 1 33%", desk.Text("#composition"));
        Assert.Contains("Common law policing powers", desk.Text("#legal-basis"));
        Assert.Contains("South East BCU", desk.Text("#area"));
        Assert.False(desk.Exists("button[data-action=approve]"));
        desk.Screenshot("authoriser-review");
        desk.Click("button[data-action=authorise]");
        desk.WaitForText("#status", "Authorised");
        desk.SignOut();

        desk.SignIn("chief");
        desk.Go($"/deployments/{Id.Value}");
        desk.WaitForText("#watchlist-total", "3");
        desk.Click("button[data-action=approve]");
        desk.WaitForText("#status", "Approved");
        desk.SignOut();

        // the operator moves it after approval: back to Draft, the signatures gone, and why shown to everyone
        desk.SignIn("op1");
        desk.Go($"/deployments/{Id.Value}");
        desk.Fill("#amend input[name=place]", "Catford Broadway");
        desk.Click("#amend button[type=submit]");
        desk.WaitForText("#status", "Draft");
        Assert.Contains("place Lewisham High Street -> Catford Broadway", desk.Text("#voided"));
        Assert.Contains("was Approved", desk.Text("#voided"));
        desk.Screenshot("authoriser-voided");

        var trail = web.Gateway.Trail(Id.Value).GetAwaiter().GetResult();
        var voided = Assert.Single(trail.Entries, e => e.Kind == AuditKind.ApprovalVoided);
        Assert.Equal("OP1", voided.Who);
        Assert.Contains("Catford Broadway", voided.Detail);
        // the authorisation's entry names the composition that was signed
        Assert.Contains("total=3", trail.Entries.First(e => e.Kind == AuditKind.DeploymentAuthorised).Detail);
    }

    [BrowserFact]
    public void Going_live_should_be_refused_on_the_page_with_its_reasons_until_the_crew_watchlist_and_signage_are_ready()
    {
        var id = new DeploymentId("d-golive");
        Plan(id, "wl-golive");
        web.Gateway.Deployment(new DeploymentProtocol.Authorise(id, new Signatory(new StaffId("S100"), "Superintendent"))).GetAwaiter().GetResult();
        web.Gateway.Deployment(new DeploymentProtocol.Approve(id, new Signatory(new StaffId("C200"), "Chief Superintendent"))).GetAwaiter().GetResult();

        using var desk = new Browser(web.BaseAddress, Browser.Desktop);
        desk.SignIn("op1");
        desk.Go($"/deployments/{id.Value}");
        Assert.Contains("watchlist wl-golive has not been built for this deployment", desk.Text("#not-ready"));
        desk.Click("button[data-action=start]");
        desk.WaitForText("#deployment-error", "1 operator(s) must be on duty; 0 is");
        Assert.Contains("at least 2 engagement officers must be on duty; 0 are", desk.Text("#deployment-error"));
        Assert.Contains("the signage checklist lists no approach", desk.Text("#deployment-error"));
        desk.Screenshot("deployment-not-ready");

        // one click on "confirm" with nothing listed is refused too: each approach, with a photo or a reference
        desk.Click("button[data-action=signage]");
        desk.WaitForText("#deployment-error", "list each approach");

        desk.Fill("#sign-form input[name=approach]", "Rushey Green, from the north");
        desk.Fill("#sign-form input[name=evidence]", "photo IMG_2041");
        desk.Click("#sign-form button[type=submit]");
        desk.WaitForText("#signs", "photo IMG_2041");
        desk.Fill("#sign-form input[name=approach]", "Catford Broadway, from the east");
        desk.Fill("#sign-form input[name=evidence]", "sign LFR-02");
        desk.Click("#sign-form button[type=submit]");
        desk.WaitForText("#signs", "sign LFR-02");
        desk.Click("button[data-action=signage]");
        desk.Find("#signage-confirmed");
        desk.Click("button[data-action=crew]");
        desk.WaitForText("#crew-list", "operator OP1");
        foreach (var officer in new[] { "pc1", "pc2" })
        {
            using var handset = web.ClientAsync(officer).GetAwaiter().GetResult();
            Assert.True(handset.PostAsJsonAsync("/api/me/duty", new { onDuty = true }).GetAwaiter().GetResult().IsSuccessStatusCode);
        }
        desk.Go($"/deployments/{id.Value}");
        desk.WaitForText("#crew-list", "officer PC2");
        desk.Click("button[data-action=start]");
        desk.WaitForText("#deployment-error", "watchlist wl-golive has not been built");
        Assert.DoesNotContain("on duty", desk.Text("#deployment-error"));

        // the watchlist built after approval changes what was signed: back to the authorisers
        Build("wl-golive", id, (WatchlistCategory.WantedWithPowerOfArrest, 0));
        desk.Go($"/deployments/{id.Value}");
        desk.WaitForText("#status", "Draft");
        Assert.Contains("watchlist wl-golive now 1 entries", desk.Text("#voided"));
        web.Gateway.Deployment(new DeploymentProtocol.Authorise(id, new Signatory(new StaffId("S100"), "Superintendent"))).GetAwaiter().GetResult();
        web.Gateway.Deployment(new DeploymentProtocol.Approve(id, new Signatory(new StaffId("C200"), "Chief Superintendent"))).GetAwaiter().GetResult();
        desk.Go($"/deployments/{id.Value}");
        desk.WaitForText("#ready", "Ready to go live");
        desk.Screenshot("deployment-ready");
        desk.Click("button[data-action=start]");
        desk.WaitForText("#status", "Live");
    }

    [BrowserFact]
    public void Only_the_superintendent_should_authorise_and_only_the_chief_superintendent_approve()
    {
        var id = new DeploymentId("d-refusals");
        Plan(id, "wl-refusals");
        using var desk = new Browser(web.BaseAddress, Browser.Desktop);
        foreach (var user in new[] { "op1", "chief", "ops", "wm" })
        {
            desk.SignIn(user);
            desk.Go($"/deployments/{id.Value}");
            desk.Find("#case");
            Assert.False(desk.Exists("button[data-action=authorise]"));
            Assert.Equal(403, desk.Post($"/api/deployments/{id.Value}/authorise", "{}"));
            desk.SignOut();
        }
        foreach (var user in new[] { "op1", "supt", "ops", "wm" })
        {
            desk.SignIn(user);
            Assert.Equal(403, desk.Post($"/api/deployments/{id.Value}/approve", "{}"));
            desk.SignOut();
        }
        // who may read deployments but not run them changes nothing on it
        foreach (var user in new[] { "ops", "wm", "audit" })
        {
            desk.SignIn(user);
            foreach (var (path, body) in new[] { ("amend", """{"place":"Elsewhere"}"""), ("signs", """{"approach":"a","evidence":"b"}"""), ("signage", "{}"), ("crew", """{"onDuty":true}"""), ("start", "{}") })
                Assert.Equal(403, desk.Post($"/api/deployments/{id.Value}/{path}", body));
            desk.SignOut();
        }
        desk.SignIn("pc1");
        desk.Go($"/deployments/{id.Value}");
        desk.WaitForText("#denied", "Your role does not open this page.");

        var state = web.Gateway.Deployment(new DeploymentProtocol.GetDeployment(id)).GetAwaiter().GetResult();
        Assert.Equal(DeploymentStatus.Draft, state.Status);
        Assert.Equal("Lewisham High Street", state.Plan!.Place.Name);
        Assert.Empty(state.Signs);
    }

    private void Plan(DeploymentId id, string watchlist)
    {
        var now = DateTimeOffset.UtcNow;
        var plan = new DeploymentPlan(new Place("Lewisham High Street", 51.4613, -0.0106), new TimeWindow(now.AddHours(-1), now.AddHours(8)),
            ["van-1/cam-a"], "Locate people wanted by police", new WatchlistId(watchlist), Case: Readiness.Case with { LegalBasis = "Common law policing powers" });
        web.Gateway.Deployment(new DeploymentProtocol.PlanDeployment(id, plan, new StaffId("OP1"))).GetAwaiter().GetResult();
        web.Services.GetRequiredService<Lfr.Host.Web.Deployments.DeploymentDirectory>().Planned(id);
    }

    private void Build(string watchlist, DeploymentId id, params (WatchlistCategory Category, int Face)[] entries) =>
        web.Gateway.Watchlists<WatchlistProtocol.WatchlistBuilt>(new WatchlistProtocol.BuildWatchlist(new WatchlistId(watchlist),
            DateOnly.FromDateTime(DateTime.UtcNow), id, new StaffId("WM1"), entries.Select((e, i) => new WatchlistEntryDraft(
                new WatchlistEntryId($"{watchlist}-e{i}"), e.Category, "Wanted", "Met wanted list", DateOnly.FromDateTime(DateTime.UtcNow),
                new StaffId("WM1"), $"PNC/{watchlist}/{i}", FacePhotos.FileImage(e.Face))).ToArray())).GetAwaiter().GetResult();
}
