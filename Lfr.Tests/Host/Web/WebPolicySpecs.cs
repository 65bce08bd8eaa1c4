using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Lfr.Tests.Host.Web.OperatorWebSpecs;

namespace Lfr.Tests.Host.Web;

/// <summary>
/// The control room's policies as configuration sets them (appsettings.json, LFR__CONTROLROOM__...) reach the pages too: a new
/// plan's threshold, the rank a signature is taken under, and the wipe schedule shown to the watchlist manager.
/// </summary>
public sealed class WebPolicySpecs : IAsyncLifetime
{
    private readonly WebApp _web = new(
        "Lfr:ControlRoom:Deployments:Threshold=0.7",
        "Lfr:ControlRoom:Deployments:AuthoriserRank=Chief Inspector",
        "Lfr:ControlRoom:Watchlists:DailyWipeAt=21:30",
        "Lfr:ControlRoom:Watchlists:TimeZone=Europe/London");

    public Task InitializeAsync() => _web.InitializeAsync();

    public Task DisposeAsync() => _web.DisposeAsync();

    [Fact]
    public async Task Pages_should_plan_sign_and_show_the_wipe_by_the_configured_policies()
    {
        using var op = await _web.ClientAsync("op1");
        using var supt = await _web.ClientAsync("supt");
        using var wm = await _web.ClientAsync("wm");
        var now = DateTimeOffset.UtcNow;
        var planned = await PostOk(op, "/api/deployments", new
        {
            id = "d-policy", place = "Catford Broadway", latitude = 51.4452, longitude = -0.0209, windowStart = now.AddMinutes(-5), windowEnd = now.AddHours(6),
            cameras = "van-2/cam-a", purpose = "Locate people wanted on warrant", watchlist = "wl-policy",
            legalBasis = "Common law policing powers", necessity = "Warrant backlog", alternatives = "Patrols", area = "South East BCU",
        });
        Assert.Equal(0.7, planned.GetProperty("threshold").GetDouble());
        Assert.Contains("value=\"0.7\"", await op.GetStringAsync("/deployments"));

        // the superintendent role signs under the configured rank, which this force's rule asks for
        var authorised = await PostOk(supt, "/api/deployments/d-policy/authorise", new { });
        Assert.Equal("Chief Inspector", authorised.GetProperty("authorisations")[0].GetProperty("rank").GetString());

        var schedule = JsonDocument.Parse(await wm.GetStringAsync("/api/watchlists")).RootElement.GetProperty("schedule");
        Assert.Equal("21:30", schedule.GetProperty("dailyAt").GetString());
        Assert.Equal("Europe/London", schedule.GetProperty("timeZone").GetString());
        var next = schedule.GetProperty("next").GetDateTimeOffset();
        var local = TimeZoneInfo.ConvertTime(next, TimeZoneInfo.FindSystemTimeZoneById("Europe/London"));
        Assert.Equal(new TimeOnly(21, 30), TimeOnly.FromDateTime(local.DateTime));
        Assert.Equal(HttpStatusCode.OK, (await wm.GetAsync("/watchlists")).StatusCode);
    }
}
