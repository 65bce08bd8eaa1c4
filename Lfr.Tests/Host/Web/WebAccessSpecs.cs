using System.Net;
using System.Net.Http.Json;
using System.Text;
using Lfr.Host.Web.Auth;

namespace Lfr.Tests.Host.Web;

/// <summary>
/// Every page and API of the web app, asked by one user of each role and by nobody: the roles its policy names get
/// through (whatever the control room then answers), every other role gets 403, and nobody gets 401 (API) or the
/// sign-in page (page). Changes are asked with inputs the control room refuses, so the table changes nothing.
/// </summary>
public sealed class WebAccessSpecs(WebApp web) : IClassFixture<WebApp>
{
    public sealed record Endpoint(string Method, string Path, string Policy, string? Json = null, bool Multipart = false, bool Stream = false)
    {
        public override string ToString() => $"{Method} {Path}";
    }

    public static readonly Endpoint[] Endpoints =
    [
        new("GET", "/operator", WebPolicies.ViewAlerts),
        new("GET", "/officer", WebPolicies.Handset),
        new("GET", "/deployments", WebPolicies.ViewDeployments),
        new("GET", "/watchlists", WebPolicies.ViewWatchlists),
        new("GET", "/console", WebPolicies.ViewConsole),
        new("GET", "/audit", WebPolicies.ViewAudit),
        new("GET", "/deployments/never-planned/return", WebPolicies.ViewReturns),
        new("GET", "/deployments/never-planned", WebPolicies.ViewDeployments),
        new("GET", "/api/alerts", WebPolicies.ViewAlerts),
        new("GET", "/api/alerts/stream", WebPolicies.ViewAlerts, Stream: true),
        new("POST", "/api/alerts/never-planned/no-alert/confirm", WebPolicies.Adjudicate, """{"officers":["PC1"]}"""),
        new("POST", "/api/alerts/never-planned/no-alert/dismiss", WebPolicies.Adjudicate, """{"reason":"Other"}"""),
        new("GET", "/api/alerts/never-planned/no-alert/images/capture-x", WebPolicies.Adjudicate),
        new("GET", "/api/officers", WebPolicies.Adjudicate),
        new("GET", "/api/me", WebPolicies.Handset),
        new("GET", "/api/me/stream", WebPolicies.Handset, Stream: true),
        new("POST", "/api/me/duty", WebPolicies.Handset, """{"onDuty":false}"""),
        new("POST", "/api/me/available", WebPolicies.Handset, """{"available":true}"""),
        new("POST", "/api/me/acknowledge", WebPolicies.Handset, """{"tasking":"no-tasking"}"""),
        new("POST", "/api/me/outcome", WebPolicies.Handset, """{"tasking":"no-tasking","kind":"NotLocated"}"""),
        new("GET", "/api/me/images/never-planned/no-alert/capture-x", WebPolicies.Handset),
        new("GET", "/api/deployments", WebPolicies.ViewDeployments),
        new("POST", "/api/deployments", WebPolicies.RunDeployments, "{}"),
        new("POST", "/api/deployments/never-planned/authorise", WebPolicies.Authorise, "{}"),
        new("POST", "/api/deployments/never-planned/approve", WebPolicies.Approve, "{}"),
        new("POST", "/api/deployments/never-planned/signage", WebPolicies.RunDeployments, "{}"),
        new("POST", "/api/deployments/never-planned/start", WebPolicies.RunDeployments, "{}"),
        new("POST", "/api/deployments/never-planned/amend", WebPolicies.RunDeployments, """{"place":"Elsewhere"}"""),
        new("POST", "/api/deployments/never-planned/signs", WebPolicies.RunDeployments, """{"approach":"North","evidence":"photo 1"}"""),
        new("POST", "/api/deployments/never-planned/signs/remove", WebPolicies.RunDeployments, """{"approach":"North"}"""),
        new("POST", "/api/deployments/never-planned/crew", WebPolicies.RunDeployments, """{"onDuty":false}"""),
        new("POST", "/api/deployments/never-planned/crew/officers", WebPolicies.RunDeployments, "{}"),
        new("POST", "/api/deployments/never-planned/end", WebPolicies.RunDeployments, """{"reason":"spec"}"""),
        new("GET", "/api/deployments/never-planned/return", WebPolicies.ViewReturns),
        new("GET", "/api/watchlists", WebPolicies.ViewWatchlists),
        new("POST", "/api/watchlists", WebPolicies.BuildWatchlists, Multipart: true),
        new("POST", "/api/watchlists/import", WebPolicies.BuildWatchlists, Multipart: true),
        new("GET", "/api/status", WebPolicies.ViewConsole),
        new("GET", "/api/console/history", WebPolicies.ViewConsole),
        new("GET", "/api/console/vans", WebPolicies.ViewConsole),
        new("POST", "/api/cameras/restart", WebPolicies.RestartCameras, """{"camera":""}"""),
        new("GET", "/api/cameras/frame?camera=van-1/cam-a", WebPolicies.ViewLive),
        new("GET", "/api/audit", WebPolicies.ViewAudit),
        new("GET", "/api/watchlists/never-built/progress", WebPolicies.BuildWatchlists),
        new("GET", "/api/watchlists/never-built/entries", WebPolicies.BuildWatchlists),
        new("POST", "/api/watchlists/never-built/entries", WebPolicies.BuildWatchlists, Multipart: true),
        new("POST", "/api/watchlists/never-built/entries/no-entry/remove", WebPolicies.BuildWatchlists, """{"reason":"spec"}"""),
        new("GET", "/subject-access", WebPolicies.SubjectAccess),
        new("POST", "/api/subject-access", WebPolicies.SubjectAccess, """{"reference":"","request":"SAR-0"}"""),
        new("GET", "/evidence", WebPolicies.ViewEvidence),
        new("GET", "/api/evidence", WebPolicies.ViewEvidence),
        new("POST", "/api/alerts/never-planned/no-alert/captures/capture-x/hold", WebPolicies.HoldEvidence, """{"caseReference":"CASE-0"}"""),
        new("POST", "/api/alerts/never-planned/no-alert/captures/capture-x/release", WebPolicies.HoldEvidence, """{"reason":"spec"}"""),
    ];

    /// <summary>Queries sent as POSTs to keep a person's reference out of URLs; they change nothing (each is audited).</summary>
    private static readonly string[] QueriesByPost = [WebPolicies.SubjectAccess];

    public static TheoryData<Endpoint> All => new(Endpoints);

    [Fact]
    public void The_table_should_cover_every_policy()
    {
        Assert.Equal(WebPolicies.Roles.Keys.Order(), Endpoints.Select(e => e.Policy).Distinct().Order());
    }

    [Fact]
    public void The_auditor_should_hold_no_policy_that_changes_anything_and_the_officer_none_that_decides_an_alert()
    {
        var changing = Endpoints.Where(e => e.Method != "GET").Select(e => e.Policy).Except(QueriesByPost).Distinct().ToArray();
        Assert.All(changing, policy => Assert.DoesNotContain(WebRoles.Auditor, WebPolicies.Roles[policy]));
        Assert.DoesNotContain(WebRoles.Officer, WebPolicies.Roles[WebPolicies.Adjudicate]);
    }

    [Theory]
    [MemberData(nameof(All))]
    public async Task Endpoint_should_let_in_only_the_roles_its_policy_names(Endpoint endpoint)
    {
        var wrong = new List<string>();
        foreach (var role in WebRoles.All)
        {
            using var client = await web.ClientAsync(WebApp.UserFor(role));
            var status = await SendAsync(client, endpoint);
            var allowed = WebPolicies.Roles[endpoint.Policy].Contains(role);
            if (allowed ? status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.Redirect : status != HttpStatusCode.Forbidden)
                wrong.Add($"{role}: {(int)status} ({(allowed ? "should be let in" : "should get 403")})");
        }

        using var nobody = await web.ClientAsync(null);
        var anonymous = await SendAsync(nobody, endpoint);
        var expected = endpoint.Path.StartsWith("/api/", StringComparison.Ordinal) ? HttpStatusCode.Unauthorized : HttpStatusCode.Redirect;
        if (anonymous != expected) wrong.Add($"nobody signed in: {(int)anonymous}, expected {(int)expected}");
        Assert.True(wrong.Count == 0, $"{endpoint}: {string.Join("; ", wrong)}");
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/metrics")]
    public async Task The_nodes_probe_and_metrics_endpoints_should_stay_open_beside_the_web_app(string path)
    {
        using var nobody = await web.ClientAsync(null);
        Assert.Equal(HttpStatusCode.OK, (await nobody.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task A_page_should_send_someone_not_signed_in_to_sign_in_and_back()
    {
        using var nobody = await web.ClientAsync(null);
        var response = await nobody.GetAsync("/operator");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/signin?ReturnUrl=%2Foperator", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task A_change_without_the_csrf_header_should_be_refused_even_for_an_allowed_role()
    {
        using var client = await web.ClientAsync("supt", csrfHeader: false);
        var response = await client.PostAsync("/api/deployments", JsonContent.Create(new { id = "csrf-check" }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("X-Lfr-Csrf", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_session_cookie_should_be_http_only_and_same_site_strict()
    {
        using var client = await web.ClientAsync(null);
        var response = await client.PostAsync("/api/session", JsonContent.Create(new { user = "op1", password = WebApp.Password }));
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("lfr.session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Sign_in_should_refuse_a_wrong_password_and_an_unknown_user()
    {
        using var client = await web.ClientAsync(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/api/session", JsonContent.Create(new { user = "op1", password = "wrong" }))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/api/session", JsonContent.Create(new { user = "mallory", password = WebApp.Password }))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/status")).StatusCode);
    }

    [Fact]
    public async Task The_sign_in_form_should_refuse_a_post_without_its_antiforgery_token()
    {
        using var client = await web.ClientAsync(null);
        var response = await client.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["user"] = "op1", ["password"] = WebApp.Password }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(response.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("lfr.session=", StringComparison.Ordinal)));
    }

    private static async Task<HttpStatusCode> SendAsync(HttpClient client, Endpoint endpoint)
    {
        using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), endpoint.Path);
        if (endpoint.Json is not null) request.Content = new StringContent(endpoint.Json, Encoding.UTF8, "application/json");
        if (endpoint.Multipart) request.Content = new MultipartFormDataContent { { new StringContent(""), "id" } };
        using var response = await client.SendAsync(request, endpoint.Stream ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead);
        return response.StatusCode;
    }
}
