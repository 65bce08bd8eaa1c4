using System.Net.Http.Json;
using System.Text.Json;
using Lfr.Actors.ControlRoom.Alerts;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Officers;

namespace Lfr.Tests.Host.Web;

/// <summary>
/// What an operator does after the confirm, in Chromium as the operator: an escalated tasking is re-tasked from the
/// banner, the same person seen again joins the alert being dealt with, an officer is added and one cancelled with a
/// reason, everyone is stood down, and the deployment's decided alerts are listed and filtered.
/// </summary>
public sealed class OperatorTaskingSpecs : IAsyncLifetime
{
    // officers who do not acknowledge within 2 s are escalated to the operators
    private readonly WebApp _web = new("Lfr:ControlRoom:Officers:AcknowledgeWithin=2s");

    public Task InitializeAsync() => _web.InitializeAsync();

    public Task DisposeAsync() => _web.DisposeAsync();

    [BrowserFact]
    public void An_operator_should_retask_add_cancel_and_stand_down_and_see_the_decided_alerts()
    {
        _web.LiveDeploymentAsync("d-after", "wl-after", ("subject-a", FacePhotos.FileImage(0)), ("subject-b", FacePhotos.FileImage(1))).GetAwaiter().GetResult();
        using var pc1 = OnDuty("pc1");
        using var pc2 = OnDuty("pc2");
        var alert = _web.RaiseAlertAsync("d-after", "subject-a", FacePhotos.Capture(0)).GetAwaiter().GetResult();
        var other = _web.RaiseAlertAsync("d-after", "subject-b", FacePhotos.Capture(1)).GetAwaiter().GetResult();
        using var desk = new Browser(_web.BaseAddress, Browser.Desktop);
        desk.SignIn("op1");
        var card = $"article.alert[data-alert='{alert.Value}']";
        desk.WaitForText(card + " .officers", "pc1");
        desk.Click(card + " input[value=PC1]");
        desk.Fill(card + " input[name=note]", "grey hoodie");
        desk.Click(card + " .confirm-button");
        var otherCard = $"article.alert[data-alert='{other.Value}']";
        desk.Select(otherCard + " select[name=reason]", "NotThePerson");
        desk.Click(otherCard + " .dismiss-button");

        // PC1 does not acknowledge: the banner offers the re-task, to PC2
        desk.WaitForText(".escalation", "has not acknowledged");
        desk.WaitForText(".escalation form.retask select", "pc2");
        desk.Select(".escalation form.retask select", "PC2");
        desk.Click(".escalation form.retask button");
        desk.WaitForText(".escalation", "Re-tasked to PC2");
        Assert.Equal("re-tasked to PC2: not acknowledged", StandDownOf(pc1));
        Assert.Equal($"{alert.Value}/PC2", Me(pc2).GetProperty("tasking").GetProperty("id").GetString());

        // seen again on another camera two minutes on: it joins the alert PC2 is dealing with, not the queue
        var again = _web.RaiseAlertAsync("d-after", "subject-a", FacePhotos.Capture(0), "van-1/cam-b", 0.81f).GetAwaiter().GetResult();
        var decided = $"article.decided-alert[data-alert='{alert.Value}']";
        desk.WaitForText(decided + " .sightings", "Captures (2)");
        desk.WaitForText(decided + " .sightings", "van-1/cam-b");
        Assert.DoesNotContain(_web.Gateway.Queue(new DeploymentId("d-after")).GetAwaiter().GetResult(), a => a.Id.Value == again.Value);
        Assert.Equal(2, Me(pc2).GetProperty("tasking").GetProperty("sightings").GetArrayLength());

        // PC1 (free again) is added, then cancelled with a reason; then everyone is stood down
        Post(pc1, "/api/me/stand-down-received");
        desk.WaitForText(decided + " select.free-officers", "pc1");
        desk.Select(decided + " select.free-officers", "PC1");
        desk.Click(decided + " form.add button");
        var second = $"{alert.Value}/PC1/2";
        desk.WaitForText($"{decided} tr[data-tasking='{second}'] .line-state", "open");
        desk.Fill($"{decided} tr[data-tasking='{second}'] input[name=reason]", "needed at the station");
        desk.Click($"{decided} tr[data-tasking='{second}'] button");
        desk.WaitForText($"{decided} tr[data-tasking='{second}'] .line-state", "cancelled: needed at the station");
        Assert.Equal("needed at the station", StandDownOf(pc1));
        desk.Screenshot("operator-decided");
        desk.Fill(decided + " form.stand-down input[name=reason]", "subject boarded a bus");
        desk.Click(decided + " form.stand-down button");
        desk.WaitForText(decided + " .decided-status", "Confirmed");
        Assert.Equal("subject boarded a bus", StandDownOf(pc2));

        // the list filters by status and by text
        desk.Select("#decided-filter select[name=status]", "Dismissed");
        desk.Script("document.getElementById('decided-filter').dispatchEvent(new Event('input'));");
        desk.Until(() => !desk.Exists(decided) && desk.Exists($"article.decided-alert[data-alert='{other.Value}']"), "only the dismissed alert");
        desk.Select("#decided-filter select[name=status]", "");
        desk.Script("document.getElementById('decided-filter').dispatchEvent(new Event('input'));");
        desk.Fill("#decided-filter input[name=text]", "boarded");
        desk.Until(() => desk.Exists(decided) && !desk.Exists($"article.decided-alert[data-alert='{other.Value}']"), "only the stood-down alert");

        var trail = _web.Gateway.Trail("d-after").GetAwaiter().GetResult().Entries;
        Assert.Equal(3, trail.Count(e => e.Kind == AuditKind.TaskingCancelled && e.Who == "OP1"));
        Assert.Equal(2, trail.Count(e => e.Kind == AuditKind.TaskingAdded && e.Who == "OP1"));
        Assert.Single(trail, e => e.Kind == AuditKind.AlertStoodDown && e.Detail.Contains("boarded", StringComparison.Ordinal));
    }

    [BrowserFact]
    public void An_officer_and_an_auditor_should_not_change_a_tasking()
    {
        _web.LiveDeploymentAsync("d-refuse", "wl-refuse", ("subject-c", FacePhotos.FileImage(2))).GetAwaiter().GetResult();
        using var pc1 = OnDuty("pc1");
        var alert = _web.RaiseAlertAsync("d-refuse", "subject-c", FacePhotos.Capture(2)).GetAwaiter().GetResult();
        _web.Gateway.Alert(new AlertProtocol.Confirm(new DeploymentId("d-refuse"), alert, new("OP1"), [new OfficerId("PC1")])).GetAwaiter().GetResult();
        var tasking = $"{alert.Value}/PC1";

        using var auditor = new Browser(_web.BaseAddress, Browser.Desktop);
        auditor.SignIn("audit");
        auditor.Go("/operator");
        var decided = $"article.decided-alert[data-alert='{alert.Value}']";
        auditor.WaitForText(decided + " .decided-status", "being dealt with");
        Assert.False(auditor.Exists(decided + " form"));
        Assert.Equal(403, auditor.Post($"/api/alerts/d-refuse/{alert.Value}/stand-down", """{"reason":"x"}"""));
        Assert.Equal(403, auditor.Post($"/api/alerts/d-refuse/{alert.Value}/cancel", $$"""{"tasking":"{{tasking}}","reason":"x"}"""));

        using var phone = new Browser(_web.BaseAddress, Browser.Phone);
        phone.SignIn("pc2");
        Assert.Equal(403, phone.Post($"/api/alerts/d-refuse/{alert.Value}/retask", $$"""{"tasking":"{{tasking}}","officer":"PC2","reason":"x"}"""));
        Assert.Equal(403, phone.Post($"/api/alerts/d-refuse/{alert.Value}/officers", """{"officers":["PC2"]}"""));
        Assert.Equal(403, phone.Post($"/api/alerts/d-refuse/{alert.Value}/cancel", $$"""{"tasking":"{{tasking}}","reason":"x"}"""));
        Assert.Equal(tasking, Me(pc1).GetProperty("tasking").GetProperty("id").GetString());
    }

    private HttpClient OnDuty(string user)
    {
        var client = _web.ClientAsync(user).GetAwaiter().GetResult();
        Post(client, "/api/me/duty", new { onDuty = true });
        return client;
    }

    private static void Post(HttpClient client, string path, object? body = null)
    {
        var response = client.PostAsJsonAsync(path, body ?? new { }).GetAwaiter().GetResult();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {response.Content.ReadAsStringAsync().GetAwaiter().GetResult()}");
    }

    private static JsonElement Me(HttpClient client) => JsonDocument.Parse(client.GetStringAsync("/api/me").GetAwaiter().GetResult()).RootElement;

    /// <summary>The stand-down the officer's handset shows, once it arrives.</summary>
    private static string? StandDownOf(HttpClient officer)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var standDown = Me(officer).GetProperty("standDown");
            if (standDown.ValueKind == JsonValueKind.Object || DateTime.UtcNow > deadline)
                return standDown.ValueKind == JsonValueKind.Object ? standDown.GetProperty("reason").GetString() : null;
            Thread.Sleep(100);
        }
    }
}
