using System.Net;
using System.Net.Http.Json;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Alerts;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Actors.ControlRoom.Deployments;

namespace Lfr.Tests.Host.Web;

/// <summary>
/// Evidential holds in Chromium: the operator holds a capture from the decided alerts under a case reference, the
/// holds page lists it, a superintendent releases it with a reason; the auditor reads the list only; an officer is refused.
/// </summary>
public sealed class EvidenceWebSpecs(WebApp web) : IClassFixture<WebApp>
{
    [BrowserFact]
    public void An_operator_should_hold_a_capture_for_evidence_and_a_superintendent_release_it()
    {
        web.LiveDeploymentAsync("d-ev", "wl-ev", ("ev-subject", FacePhotos.FileImage(0))).GetAwaiter().GetResult();
        var alert = web.RaiseAlertAsync("d-ev", "ev-subject", FacePhotos.Capture(0)).GetAwaiter().GetResult();
        web.Gateway.Alert(new AlertProtocol.Dismiss(new DeploymentId("d-ev"), alert, new StaffId("OP2"), DismissalReason.LookalikeOrRelative)).GetAwaiter().GetResult();

        using var desk = new Browser(web.BaseAddress, Browser.Desktop);
        desk.SignIn("op1");
        var decided = $"article.decided-alert[data-alert='{alert.Value}']";
        desk.Fill(decided + " form.hold input[name=caseReference]", "CAD-2026-0415");
        desk.Click(decided + " form.hold button");
        desk.WaitForText(decided + " .hold-state", "Held under CAD-2026-0415");
        desk.Go("/evidence");
        desk.WaitForText("#holds tbody tr .case", "CAD-2026-0415");
        Assert.Contains("OP1", desk.Text("#holds tbody tr"));
        desk.Screenshot("evidence-holds");

        // one browser, signed in in turn (a Chromium start is the slow part on a loaded machine)
        desk.SignOut();
        desk.SignIn("audit");
        desk.Go("/evidence");
        desk.WaitForText("#holds tbody tr .case", "CAD-2026-0415");
        Assert.False(desk.Exists("#holds form.release"));
        desk.SignOut();

        desk.SignIn("supt");
        desk.Go("/evidence");
        desk.Fill("#holds form.release input[name=reason]", "complaint withdrawn");
        desk.Click("#holds form.release button");
        desk.WaitForText("#holds", "No capture is held.");

        var trail = web.Gateway.Trail("d-ev").GetAwaiter().GetResult().Entries;
        Assert.Contains(trail, e => e is { Kind: AuditKind.EvidenceHeld, Who: "OP1" } && e.Detail.EndsWith("case=CAD-2026-0415", StringComparison.Ordinal));
        Assert.Contains(trail, e => e is { Kind: AuditKind.EvidenceReleased, Who: "S100" } && e.Detail.EndsWith("reason=complaint withdrawn", StringComparison.Ordinal));
    }

    [BrowserFact]
    public void An_officer_and_the_auditor_should_be_refused_holding_or_releasing_a_capture()
    {
        web.LiveDeploymentAsync("d-ev2", "wl-ev2", ("ev2-subject", FacePhotos.FileImage(1))).GetAwaiter().GetResult();
        var alert = web.RaiseAlertAsync("d-ev2", "ev2-subject", FacePhotos.Capture(1)).GetAwaiter().GetResult();
        var capture = web.Gateway.Alert(new AlertProtocol.GetAlert(new DeploymentId("d-ev2"), alert)).GetAwaiter().GetResult().Captures.Single().Image;
        var path = $"/api/alerts/d-ev2/{alert.Value}/captures/{capture.Value}";
        foreach (var user in new[] { "pc1", "audit", "wm" })
        {
            using var client = web.ClientAsync(user).GetAwaiter().GetResult();
            Assert.Equal(HttpStatusCode.Forbidden, client.PostAsJsonAsync(path + "/hold", new { caseReference = "CAD-1" }).GetAwaiter().GetResult().StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, client.PostAsJsonAsync(path + "/release", new { reason = "x" }).GetAwaiter().GetResult().StatusCode);
        }

        using var officer = new Browser(web.BaseAddress, Browser.Phone);
        officer.SignIn("pc1");
        officer.Go("/evidence");
        officer.WaitForText("#denied", "Your role does not open this page.");
    }
}
