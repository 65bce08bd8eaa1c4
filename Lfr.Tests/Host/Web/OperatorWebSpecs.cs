using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Lfr.Actors.ControlRoom.Audit;

namespace Lfr.Tests.Host.Web;

/// <summary>The mission over HTTP: an alert from a van reaches the operator, is decided, tasks an officer, and the return counts it.</summary>
public sealed class OperatorWebSpecs(WebApp web) : IClassFixture<WebApp>
{
    [Fact]
    public async Task A_confirmed_alert_should_reach_the_officer_and_its_outcome_the_return()
    {
        await web.LiveDeploymentAsync("d-mission", "wl-mission", ("subject-a", FacePhotos.FileImage(0)));
        var capture = FacePhotos.Capture(0);
        var alert = await web.RaiseAlertAsync("d-mission", "subject-a", capture);

        using var officer = await web.ClientAsync("pc1");
        await PostOk(officer, "/api/me/duty", new { onDuty = true });
        using var op = await web.ClientAsync("op1");
        var queued = await AlertInQueueAsync(op, alert.Value);
        Assert.Equal("subject-a", queued.GetProperty("entry").GetString());
        Assert.Equal("Wanted for burglary", queued.GetProperty("record").GetProperty("reason").GetString());
        Assert.Equal(0.74, queued.GetProperty("likelihood").GetDouble(), 3);

        // the operator opens the capture: the bytes are the van's, and the view is in the audit log under the operator's id
        var captureUrl = queued.GetProperty("captures")[0].GetProperty("url").GetString()!;
        var image = await op.GetAsync(captureUrl);
        Assert.Equal("image/jpeg", image.Content.Headers.ContentType!.MediaType);
        Assert.Equal("no-store", image.Headers.CacheControl!.ToString());
        Assert.Equal(capture, await image.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, (await op.GetAsync(queued.GetProperty("record").GetProperty("fileImageUrl").GetString())).StatusCode);

        var confirmed = await PostOk(op, $"/api/alerts/d-mission/{alert.Value}/confirm", new { officers = new[] { "PC1" } });
        Assert.Equal("Confirmed", confirmed.GetProperty("status").GetString());
        Assert.DoesNotContain(alert.Value, (await op.GetStringAsync("/api/alerts")));

        var me = await TaskingAsync(officer);
        var tasking = me.GetProperty("tasking");
        Assert.Equal(alert.Value, tasking.GetProperty("alert").GetString());
        Assert.Equal("Wanted for burglary", tasking.GetProperty("record").GetProperty("reason").GetString());
        var officerCapture = tasking.GetProperty("captures")[0].GetString()!;
        Assert.Equal(capture, await officer.GetByteArrayAsync(officerCapture));
        using var otherOfficer = await web.ClientAsync("pc2");
        Assert.Equal(HttpStatusCode.NotFound, (await otherOfficer.GetAsync(officerCapture)).StatusCode);

        var taskingId = tasking.GetProperty("id").GetString();
        var acknowledged = await PostOk(officer, "/api/me/acknowledge", new { tasking = taskingId });
        Assert.Equal("Acknowledged", acknowledged.GetProperty("tasking").GetProperty("status").GetString());
        await PostOk(officer, "/api/me/outcome", new { tasking = taskingId, kind = "Arrested", offence = "burglary" });

        using var supt = await web.ClientAsync("supt");
        var ret = await AwaitAsync(async () => JsonDocument.Parse(await supt.GetStringAsync("/api/deployments/d-mission/return")).RootElement,
            r => r.GetProperty("arrests").GetInt32() == 1);
        Assert.Equal(1, ret.GetProperty("alerts").GetInt32());
        Assert.Equal(1, ret.GetProperty("confirmed").GetInt32());
        Assert.Equal(1, ret.GetProperty("taskings").GetInt32());

        var trail = await web.Gateway.Trail("d-mission");
        var views = trail.Entries.Where(e => e.Kind == AuditKind.ImageViewed && e.Subject == alert.Value).Select(e => e.Who).ToArray();
        Assert.Equal(["OP1", "OP1", "PC1"], views);
    }

    [Fact]
    public async Task The_auditor_should_see_the_queue_without_faces_and_be_refused_an_image_and_a_decision()
    {
        await web.LiveDeploymentAsync("d-audit", "wl-audit", ("subject-b", FacePhotos.FileImage(1)));
        var alert = await web.RaiseAlertAsync("d-audit", "subject-b", FacePhotos.Capture(1));
        using var op = await web.ClientAsync("op1");
        var url = (await AlertInQueueAsync(op, alert.Value)).GetProperty("captures")[0].GetProperty("url").GetString()!;

        using var auditor = await web.ClientAsync("audit");
        var seen = await AlertInQueueAsync(auditor, alert.Value);
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("captures")[0].GetProperty("url").ValueKind);
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("record").GetProperty("fileImageUrl").ValueKind);
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.PostAsJsonAsync($"/api/alerts/d-audit/{alert.Value}/dismiss", new { reason = "Other" })).StatusCode);
        var trail = await web.Gateway.Trail("d-audit");
        Assert.DoesNotContain(trail.Entries, e => e.Kind is AuditKind.ImageViewed or AuditKind.AlertDismissed);
    }

    [Fact]
    public async Task Dismissing_should_need_a_known_reason_and_then_record_it()
    {
        await web.LiveDeploymentAsync("d-dismiss", "wl-dismiss", ("subject-c", FacePhotos.FileImage(2)));
        var alert = await web.RaiseAlertAsync("d-dismiss", "subject-c", FacePhotos.Capture(2));
        using var op = await web.ClientAsync("op2");
        await AlertInQueueAsync(op, alert.Value);

        var bad = await op.PostAsJsonAsync($"/api/alerts/d-dismiss/{alert.Value}/dismiss", new { reason = "Bored" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("NotThePerson", await bad.Content.ReadAsStringAsync());
        var dismissed = await PostOk(op, $"/api/alerts/d-dismiss/{alert.Value}/dismiss", new { reason = "LookalikeOrRelative" });
        Assert.Equal("LookalikeOrRelative", dismissed.GetProperty("dismissalReason").GetString());
        var again = await op.PostAsJsonAsync($"/api/alerts/d-dismiss/{alert.Value}/dismiss", new { reason = "PoorImage" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("already been decided", await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Confirming_with_an_officer_who_is_off_duty_should_be_refused_and_leave_the_alert_waiting()
    {
        await web.LiveDeploymentAsync("d-off-duty", "wl-off-duty", ("subject-e", FacePhotos.FileImage(0)));
        var alert = await web.RaiseAlertAsync("d-off-duty", "subject-e", FacePhotos.Capture(0));
        using var op = await web.ClientAsync("op1");
        await AlertInQueueAsync(op, alert.Value);

        var response = await op.PostAsJsonAsync($"/api/alerts/d-off-duty/{alert.Value}/confirm", new { officers = new[] { "PC2" } });
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("officer PC2 cannot be tasked now (off duty); choose another", await response.Content.ReadAsStringAsync());
        Assert.Equal("AwaitingDecision", (await AlertInQueueAsync(op, alert.Value)).GetProperty("status").GetString());
    }

    internal static async Task<JsonElement> PostOk(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>The alert in the queue once the watchlist has described its entry (the desk asks for it after storing the alert).</summary>
    internal static Task<JsonElement> AlertInQueueAsync(HttpClient client, string alert) =>
        AwaitAsync(async () => JsonDocument.Parse(await client.GetStringAsync("/api/alerts")).RootElement.GetProperty("alerts").EnumerateArray()
                .FirstOrDefault(a => a.GetProperty("id").GetString() == alert),
            a => a.ValueKind == JsonValueKind.Object && a.GetProperty("record").ValueKind == JsonValueKind.Object);

    private static Task<JsonElement> TaskingAsync(HttpClient officer) =>
        AwaitAsync(async () => JsonDocument.Parse(await officer.GetStringAsync("/api/me")).RootElement,
            me => me.GetProperty("tasking").ValueKind == JsonValueKind.Object);

    internal static async Task<T> AwaitAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"not within 20 s; last: {value}");
            await Task.Delay(100);
        }
    }
}
