using System.Net;
using System.Text.Json;
using Lfr.Actors.ControlRoom.Alerts;
using Lfr.Actors.ControlRoom.Officers;
using Lfr.Host.Web.Auth;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using static Lfr.Tests.Host.Web.OperatorWebSpecs;

namespace Lfr.Tests.Host.Web;

/// <summary>Sessions expire after 30 minutes without use (sliding), and guessing is throttled, on the clock the web is given.</summary>
public sealed class WebSessionSpecs : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly WebApp _web;

    public WebSessionSpecs() => _web = new WebApp(_clock);

    public Task InitializeAsync() => _web.InitializeAsync();

    public Task DisposeAsync() => _web.DisposeAsync();

    [Fact]
    public async Task Five_wrong_passwords_should_lock_that_user_name_for_five_minutes_and_no_other()
    {
        using var client = await _web.ClientAsync(null);
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await SignIn(client, "wm", "guess " + i)).StatusCode);
        var locked = await SignIn(client, "wm", WebApp.Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.Contains("Too many failed sign-ins", await locked.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await SignIn(client, "audit", WebApp.Password)).StatusCode);

        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(HttpStatusCode.OK, (await SignIn(client, "wm", WebApp.Password)).StatusCode);
    }

    private static Task<HttpResponseMessage> SignIn(HttpClient client, string user, string password) =>
        client.PostAsync("/api/session", System.Net.Http.Json.JsonContent.Create(new { user, password }));

    [Fact]
    public async Task A_session_should_end_after_thirty_idle_minutes_and_slide_while_used()
    {
        using var used = await _web.ClientAsync("ops");
        using var idle = await _web.ClientAsync("ops");
        _clock.Advance(TimeSpan.FromMinutes(20));
        Assert.Equal(HttpStatusCode.OK, (await used.GetAsync("/api/deployments")).StatusCode);
        _clock.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(HttpStatusCode.OK, (await used.GetAsync("/api/deployments")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await idle.GetAsync("/api/deployments")).StatusCode);
    }
}

/// <summary>Two-person mode: an alert is confirmed, and officers tasked, only once a second, different operator confirms.</summary>
public sealed class TwoPersonWebSpecs : IAsyncLifetime
{
    private readonly WebApp _web = new("Lfr:ControlRoom:Alerts:TwoPersonConfirmation=true");

    public Task InitializeAsync() => _web.InitializeAsync();

    public Task DisposeAsync() => _web.DisposeAsync();

    [Fact]
    public async Task A_second_different_operator_should_be_needed_to_confirm()
    {
        await _web.LiveDeploymentAsync("d-two", "wl-two", ("subject-a", FacePhotos.FileImage(0)));
        var alert = await _web.RaiseAlertAsync("d-two", "subject-a", FacePhotos.Capture(0));
        using var officer = await _web.ClientAsync("pc1");
        await PostOk(officer, "/api/me/duty", new { onDuty = true });
        using var op1 = await _web.ClientAsync("op1");
        using var op2 = await _web.ClientAsync("op2");
        await AlertInQueueAsync(op1, alert.Value);

        var first = await PostOk(op1, $"/api/alerts/d-two/{alert.Value}/confirm", new { officers = new[] { "PC1" } });
        Assert.Equal("AwaitingSecondConfirmation", first.GetProperty("status").GetString());
        var queued = await AlertInQueueAsync(op2, alert.Value);
        Assert.Equal(["OP1"], queued.GetProperty("confirmedBy").EnumerateArray().Select(e => e.GetString()));
        var again = await op1.PostAsync($"/api/alerts/d-two/{alert.Value}/confirm", System.Net.Http.Json.JsonContent.Create(new { officers = new[] { "PC1" } }));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var second = await PostOk(op2, $"/api/alerts/d-two/{alert.Value}/confirm", new { officers = new[] { "PC1" } });
        Assert.Equal("Confirmed", second.GetProperty("status").GetString());
    }
}

/// <summary>A tasking not acknowledged in time is shown to the operators until the officer acknowledges it.</summary>
public sealed class EscalationWebSpecs : IAsyncLifetime
{
    private readonly WebApp _web = new("Lfr:ControlRoom:Officers:AcknowledgeWithin=1s");

    public Task InitializeAsync() => _web.InitializeAsync();

    public Task DisposeAsync() => _web.DisposeAsync();

    [Fact]
    public async Task An_unacknowledged_tasking_should_reach_the_operators_screen_until_acknowledged()
    {
        await _web.LiveDeploymentAsync("d-escalate", "wl-escalate", ("subject-a", FacePhotos.FileImage(0)));
        var alert = await _web.RaiseAlertAsync("d-escalate", "subject-a", FacePhotos.Capture(0));
        using var officer = await _web.ClientAsync("pc1");
        await PostOk(officer, "/api/me/duty", new { onDuty = true });
        using var op = await _web.ClientAsync("op1");
        await AlertInQueueAsync(op, alert.Value);
        await PostOk(op, $"/api/alerts/d-escalate/{alert.Value}/confirm", new { officers = new[] { "PC1" } });

        var escalation = await AwaitAsync(async () => JsonDocument.Parse(await op.GetStringAsync("/api/alerts")).RootElement.GetProperty("escalations"),
            e => e.GetArrayLength() == 1);
        Assert.Equal("PC1", escalation[0].GetProperty("officer").GetString());
        Assert.Equal(alert.Value, escalation[0].GetProperty("alert").GetString());

        await PostOk(officer, "/api/me/acknowledge", new { tasking = escalation[0].GetProperty("tasking").GetString() });
        await AwaitAsync(async () => JsonDocument.Parse(await op.GetStringAsync("/api/alerts")).RootElement.GetProperty("escalations"),
            e => e.GetArrayLength() == 0);
    }
}

public sealed class WebSettingsSpecs
{
    [Fact]
    public void Settings_should_list_every_problem_at_once()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Lfr:Web:Users:ann:PasswordHash"] = "plain-text-password",
            ["Lfr:Web:Users:ann:Roles"] = "operator, janitor",
            ["Lfr:Web:Users:ann:StaffId"] = "A1",
            ["Lfr:Web:Users:bob:PasswordHash"] = PasswordHash.Create("long enough", 1000),
            ["Lfr:Web:Users:bob:Roles:0"] = "officer",
            ["Lfr:Web:SessionMinutes"] = "-5",
        }).Build();
        var problems = Assert.Throws<WebSettingsException>(() => WebSettings.FromConfiguration(configuration)).Message.Split(Environment.NewLine);
        Assert.Equal(
        [
            "Lfr:Web:Users:ann:PasswordHash is not a pbkdf2-sha256$ITERATIONS$SALT$HASH value (make one with `lfr user hash`)",
            "Lfr:Web:Users:ann:Roles has unknown role 'janitor'; known: operator, officer, superintendent, chief-superintendent, watchlist-manager, ops, auditor",
            "Lfr:Web:Users:bob:StaffId is missing (the warrant or collar number the audit log records)",
            "Lfr:Web:SessionMinutes must be a positive number of minutes, not '-5'",
        ], problems);
    }

    [Fact]
    public void A_password_hash_should_accept_its_password_only()
    {
        var hash = PasswordHash.Create("correct horse battery", 1000);
        Assert.StartsWith("pbkdf2-sha256$1000$", hash);
        Assert.True(PasswordHash.Verify("correct horse battery", hash));
        Assert.False(PasswordHash.Verify("correct horse batterY", hash));
        Assert.NotEqual(hash, PasswordHash.Create("correct horse battery", 1000));
        var tampered = hash[..^4] + (hash[^4] == 'A' ? "B" : "A") + hash[^3..];
        Assert.False(PasswordHash.Verify("correct horse battery", tampered));
    }
}
