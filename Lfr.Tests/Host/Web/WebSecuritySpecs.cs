using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Lfr.Host.Web;
using Lfr.Host.Web.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Lfr.Tests.Fixtures;

namespace Lfr.Tests.Host.Web;

/// <summary>
/// Closed by default: every endpoint the app serves, as its endpoint data source lists them, either names a policy or is
/// one of the few deliberately open ones; the fallback refuses everyone; every answer carries the headers that keep a
/// page from being framed, sniffed, cached or fed an inline script; a session ends on the server at sign-out.
/// </summary>
public sealed class WebSecuritySpecs(WebApp web) : IClassFixture<WebApp>
{
    /// <summary>What anyone may reach: the probes and scrapers, the sign-in, the static assets, and "/" (a redirect).</summary>
    private static readonly string[] Anonymous =
        ["GET /", "GET /signin", "POST /signin", "POST /api/session", "DELETE /api/session", "GET /web/{name}", "ANY /healthz", "ANY /readyz", "GET /metrics", "GET /cameras",
            "GET /public", "GET /api/public/deployments"];

    [Fact]
    public void Every_endpoint_should_name_a_known_policy_or_be_one_of_the_deliberately_open_ones()
    {
        var endpoints = web.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.True(endpoints.Count > 40, $"only {endpoints.Count} endpoints found");
        var wrong = new List<string>();
        var open = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var methods = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["ANY"];
            var name = $"{string.Join(",", methods)} {endpoint.RoutePattern.RawText}";
            if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            {
                open.Add(name);
                continue;
            }
            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).ToList();
            if (policies.Count == 0 || policies.Any(p => p is null || !WebPolicies.Roles.ContainsKey(p)))
                wrong.Add($"{name}: policies [{string.Join(", ", policies)}]");
        }
        Assert.Empty(wrong);
        Assert.Equal(Anonymous.Order(StringComparer.Ordinal), open.Select(o => o.Replace("//", "/", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_fallback_policy_should_refuse_even_a_user_who_holds_every_role()
    {
        var provider = web.Services.GetRequiredService<IAuthorizationPolicyProvider>();
        var fallback = await provider.GetFallbackPolicyAsync();
        Assert.NotNull(fallback);
        var everyone = WebUserClaims.Principal(new WebUser("all", "", WebRoles.All.ToHashSet(), "ALL1"), "spec");
        var result = await web.Services.GetRequiredService<IAuthorizationService>().AuthorizeAsync(everyone, fallback);
        Assert.False(result.Succeeded);
    }

    [Theory]
    [InlineData("/signin", null)]
    [InlineData("/operator", "op1")]
    [InlineData("/officer", "pc1")]
    [InlineData("/deployments", "supt")]
    [InlineData("/watchlists", "wm")]
    [InlineData("/console", "ops")]
    [InlineData("/audit", "audit")]
    public async Task A_page_should_carry_the_security_headers_and_no_inline_script_or_style(string path, string? user)
    {
        using var client = await web.ClientAsync(user);
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.True(response.Headers.CacheControl?.NoStore, "a page is never stored");
        Assert.StartsWith("max-age=", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")));

        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotMatch(new Regex(@"<script(?![^>]*\bsrc=)", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex(@"<style|\sstyle\s*=|\son[a-z]+\s*=", RegexOptions.IgnoreCase), html);
    }

    [Fact]
    public async Task A_face_image_and_a_live_frame_should_never_be_stored_by_a_browser_or_proxy()
    {
        using var op = await web.ClientAsync("op1");
        foreach (var path in new[] { "/api/alerts/never-planned/no-alert/images/capture-x", "/api/cameras/frame?camera=van-1/cam-a", "/api/alerts" })
        {
            var response = await op.GetAsync(path);
            Assert.True(response.Headers.CacheControl?.NoStore, $"{path}: no-store");
        }
    }

    [Fact]
    public async Task The_web_should_be_served_over_https_only_with_secure_http_only_strict_cookies()
    {
        Assert.Equal("https", web.BaseAddress.Scheme);
        using var client = TestHttps.Client(web.BaseAddress, new CookieContainer(), allowAutoRedirect: false);
        client.DefaultRequestHeaders.Add(LfrWeb.CsrfHeader, "1");
        using var form = await client.GetAsync("/signin");
        using var signIn = await client.PostAsync("/api/session", JsonContent.Create(new { user = "op1", password = WebApp.Password }));
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var cookies = form.Headers.GetValues("Set-Cookie").Concat(signIn.Headers.GetValues("Set-Cookie")).ToList();
        Assert.Contains(cookies, c => c.StartsWith(LfrWeb.CookieName + "=", StringComparison.Ordinal));
        Assert.Equal(2, cookies.Count);
        Assert.All(cookies, c =>
        {
            var attributes = c.Split(';').Select(a => a.Trim().ToLowerInvariant()).ToList();
            Assert.Contains("secure", attributes);
            Assert.Contains("httponly", attributes);
            Assert.Contains("samesite=strict", attributes);
        });

        // the same port speaks no plain HTTP, and a client that does not trust the node's certificate gets nothing
        using var plain = new HttpClient();
        try
        {
            using var answer = await plain.GetAsync(new UriBuilder(web.BaseAddress) { Scheme = "http", Path = "/healthz" }.Uri);
            Assert.NotEqual(HttpStatusCode.OK, answer.StatusCode);
        }
        catch (HttpRequestException)
        {
            // the TLS endpoint hangs up on plain HTTP
        }
        using var untrusting = new HttpClient();
        var refused = await Assert.ThrowsAnyAsync<HttpRequestException>(() => untrusting.GetAsync(new Uri(web.BaseAddress, "/healthz")));
        Assert.IsAssignableFrom<System.Security.Authentication.AuthenticationException>(refused.InnerException);
    }

    [Fact]
    public async Task A_cookie_copied_before_sign_out_should_get_401_after_it()
    {
        var cookies = new CookieContainer();
        using var client = TestHttps.Client(web.BaseAddress, cookies, allowAutoRedirect: false);
        client.DefaultRequestHeaders.Add(LfrWeb.CsrfHeader, "1");
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/session", JsonContent.Create(new { user = "op2", password = WebApp.Password }))).StatusCode);
        var copied = cookies.GetCookieHeader(web.BaseAddress);
        Assert.Contains(LfrWeb.CookieName, copied);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/alerts")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/session")).StatusCode);

        using var thief = TestHttps.Client(web.BaseAddress, allowAutoRedirect: false, useCookies: false);
        using var replay = new HttpRequestMessage(HttpMethod.Get, "/api/alerts");
        replay.Headers.Add("Cookie", copied);
        Assert.Equal(HttpStatusCode.Unauthorized, (await thief.SendAsync(replay)).StatusCode);
    }
}
