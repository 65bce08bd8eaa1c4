using Lfr.Actors.ControlRoom;
using Lfr.Tests.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Alerts;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Officers;
using Lfr.Actors.ControlRoom.Watchlists;

namespace Lfr.Tests.Host.Web;

/// <summary>
/// The public notice in Chromium with no sign-in: reached from the sign-in page, it lists the deployment in use now,
/// the planned (authorised) one and a past one's published results, and says nothing about any person; a draft
/// is not announced, and the public opens nothing else.
/// </summary>
public sealed class PublicNoticeSpecs(WebApp web) : IClassFixture<WebApp>
{
    [BrowserFact]
    public void The_public_should_see_where_and_when_and_the_past_results_without_signing_in()
    {
        var gateway = web.Gateway;
        // past: two alerts, one an arrest, one dismissed as not the person; then ended
        web.LiveDeploymentAsync("d-past", "wl-past", ("subject-x", FacePhotos.FileImage(0)), ("subject-y", FacePhotos.FileImage(1))).GetAwaiter().GetResult();
        gateway.Officer(new OfficerProtocol.GoOnDuty(new OfficerId("PC1"))).GetAwaiter().GetResult();
        var arrest = web.RaiseAlertAsync("d-past", "subject-x", FacePhotos.Capture(0)).GetAwaiter().GetResult();
        var wrong = web.RaiseAlertAsync("d-past", "subject-y", FacePhotos.Capture(1)).GetAwaiter().GetResult();
        var past = new DeploymentId("d-past");
        AwaitRecord(past, arrest);
        gateway.Alert(new AlertProtocol.Confirm(past, arrest, new StaffId("OP1"), [new OfficerId("PC1")])).GetAwaiter().GetResult();
        gateway.Alert(new AlertProtocol.Dismiss(past, wrong, new StaffId("OP1"), DismissalReason.NotThePerson)).GetAwaiter().GetResult();
        var tasking = web.Until(() => gateway.Officer(new OfficerProtocol.GetOfficer(new OfficerId("PC1"))).GetAwaiter().GetResult().Current?.Tasking.Id);
        gateway.Officer(new OfficerProtocol.RecordOutcome(new OfficerId("PC1"), tasking!.Value, new Outcome(OutcomeKind.Arrested, "burglary"))).GetAwaiter().GetResult();
        web.Until(() => gateway.Alert(new AlertProtocol.GetAlert(past, arrest)).GetAwaiter().GetResult().Lines?.Single().Outcome);
        gateway.Deployment(new DeploymentProtocol.EndDeployment(past, new StaffId("OP1"), "operation complete")).GetAwaiter().GetResult();

        web.LiveDeploymentAsync("d-now", "wl-now", ("subject-z", FacePhotos.FileImage(2))).GetAwaiter().GetResult();
        var start = DateTimeOffset.UtcNow.AddDays(3);
        Plan("d-next", "Croydon North End", start, "Find people wanted on court warrants", authorise: true);
        Plan("d-draft", "Secret Street", start, "Not yet authorised", authorise: false);

        using var visitor = new Browser(web.BaseAddress, Browser.Phone);
        visitor.Go("/signin");
        visitor.Click("#public-notice-link");
        visitor.Until(() =>
        {
            if (visitor.Text("main").Contains("Croydon North End", StringComparison.Ordinal) && visitor.Exists("table#past")) return true;
            visitor.Go("/public");
            return false;
        }, "the three deployments on the notice");
        Assert.Contains("Lewisham High Street", visitor.Text("#current"));
        Assert.Contains("Croydon North End", visitor.Text("#upcoming"));
        Assert.Contains("Find people wanted on court warrants", visitor.Text("#upcoming"));
        Assert.Contains("Data Protection Officer", visitor.Text("#public-contact"));
        // alerts, true, false, arrests
        Assert.Contains("2 1 1 1", visitor.Text("#past"));
        var page = visitor.Driver.PageSource;
        foreach (var secret in new[] { "Secret Street", "subject-", "PC1", "OP1", "wl-", "d-past", "burglary", arrest.Value })
            Assert.DoesNotContain(secret, page, StringComparison.Ordinal);
        Assert.False(visitor.Exists("#signout"));
        visitor.Screenshot("public-notice");
    }

    [BrowserFact]
    public void The_public_should_open_nothing_but_the_notice()
    {
        using var visitor = new Browser(web.BaseAddress, Browser.Desktop);
        foreach (var path in new[] { "/deployments", "/operator", "/audit", "/deployments/d-past/return" })
        {
            visitor.Go(path);
            visitor.Until(() => visitor.Driver.Url.Contains("/signin", StringComparison.Ordinal), $"{path} to send the visitor to sign in");
        }

        Assert.Equal(401, visitor.Post("/api/deployments", "{}"));
        visitor.Go("/public");
        visitor.Find("#public-contact");
    }

    private void Plan(string id, string place, DateTimeOffset start, string purpose, bool authorise)
    {
        var deployment = new DeploymentId(id);
        var plan = new DeploymentPlan(new Place(place, 51.37, -0.1), new TimeWindow(start, start.AddHours(6)), ["van-1/cam-a"], purpose, new WatchlistId("wl-" + id), Case: Readiness.Case);
        web.Gateway.Deployment(new DeploymentProtocol.PlanDeployment(deployment, plan, new StaffId("OP1"))).GetAwaiter().GetResult();
        if (authorise)
            web.Gateway.Deployment(new DeploymentProtocol.Authorise(deployment, new Signatory(new StaffId("S100"), "Superintendent"))).GetAwaiter().GetResult();
    }

    private void AwaitRecord(DeploymentId deployment, AlertId alert) =>
        web.Until(() => web.Gateway.Alert(new AlertProtocol.GetAlert(deployment, alert)).GetAwaiter().GetResult().Record);
}
