using System.Diagnostics;
using System.Net;
using System.Text;
using Lfr.Host.Web;
using Lfr.Host.Web.Auth;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Lfr.Tests.Fixtures;

namespace Lfr.Tests.Host.Web;

/// <summary>What an anonymous client can make the sign-in cost: bounded memory, no lock-out beyond a short back-off, no user enumeration by time.</summary>
public sealed class SignInThrottleSpecs(WebApp web) : IClassFixture<WebApp>
{
    [Fact]
    public async Task A_thousand_anonymous_one_megabyte_sign_ins_should_leave_memory_within_50_MB_of_where_it_started()
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var name = new string('x', 1024 * 1024);
        var body = Encoding.UTF8.GetBytes($$"""{"user":"{{name}}","password":"guess"}""");
        using var client = TestHttps.Client(web.BaseAddress, allowAutoRedirect: false);
        client.DefaultRequestHeaders.Add(LfrWeb.CsrfHeader, "1");
        var refused = 0;
        for (var i = 0; i < 1000; i++)
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            try
            {
                using var response = await client.PostAsync("/api/session", content);
                if (response.StatusCode is HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.TooManyRequests or HttpStatusCode.Unauthorized) refused++;
            }
            catch (HttpRequestException)
            {
                // the server may close the connection on an oversized body before the client has sent it all
                refused++;
            }
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        Assert.Equal(1000, refused);
        Assert.True(after - before < 50L * 1024 * 1024, $"managed memory grew {(after - before) / (1024 * 1024)} MB");
        Assert.True(web.Services.GetRequiredService<SignInThrottle>().Tracked <= 2 * SignInThrottle.MaxTracked);
    }

    [Fact]
    public void Throttle_should_keep_a_bounded_table_however_many_names_fail()
    {
        var throttle = new SignInThrottle(new FakeTimeProvider());
        for (var i = 0; i < 50_000; i++)
            throttle.Failed($"made-up-{i}-{new string('y', 200)}", new IPAddress(i + 1));
        Assert.True(throttle.Tracked <= 2 * SignInThrottle.MaxTracked, $"{throttle.Tracked} tracked");
    }

    [Fact]
    public void Anonymous_failures_from_many_addresses_should_lock_a_real_user_out_only_for_a_short_back_off()
    {
        var clock = new FakeTimeProvider();
        var throttle = new SignInThrottle(clock);
        for (var i = 0; i < 50; i++)
            throttle.Failed("op1", new IPAddress(1000 + i));
        Assert.NotNull(throttle.Refusal("op1", IPAddress.Loopback));
        clock.Advance(SignInThrottle.UserBackOff + TimeSpan.FromSeconds(1));
        Assert.Null(throttle.Refusal("op1", IPAddress.Loopback));
        // one address that keeps failing is refused for the whole window, whatever name it tries
        for (var i = 0; i < SignInThrottle.MaxFailuresPerAddress; i++)
            throttle.Failed($"guess-{i}", IPAddress.Parse("10.0.0.9"));
        Assert.NotNull(throttle.Refusal("op2", IPAddress.Parse("10.0.0.9")));
        Assert.Null(throttle.Refusal("op2", IPAddress.Loopback));
    }

    [Fact]
    public void An_unknown_user_should_cost_the_same_time_as_a_known_one_with_a_wrong_password()
    {
        // the production iteration count would make this spec slow; the dummy hash follows whatever the users' hashes use
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Lfr:Web:Users:op1:PasswordHash"] = PasswordHash.Create("right", iterations: 60_000),
            ["Lfr:Web:Users:op1:Roles"] = WebRoles.Operator,
            ["Lfr:Web:Users:op1:StaffId"] = "OP1",
        }).Build();
        var check = new SignInCheck(WebSettings.FromConfiguration(configuration));
        Assert.NotNull(check.Verify("op1", "right"));
        var known = new List<double>();
        var unknown = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            known.Add(Time(() => check.Verify("op1", "wrong")));
            unknown.Add(Time(() => check.Verify($"nobody-{i}", "wrong")));
            unknown.Add(Time(() => check.Verify(new string('z', 100_000), "wrong")));
            known.Add(Time(() => check.Verify("op1", "also wrong")));
        }
        // the fastest of many runs is each path's own cost; a loaded machine only ever adds to it
        var ratio = unknown.Min() / known.Min();
        Assert.InRange(ratio, 0.8, 1.2);
    }

    private static double Time(Func<WebUser?> verify)
    {
        var watch = Stopwatch.StartNew();
        Assert.Null(verify());
        return watch.Elapsed.TotalMilliseconds;
    }
}
