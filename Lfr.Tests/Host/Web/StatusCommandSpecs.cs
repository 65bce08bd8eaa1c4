using System.Text.Json;
using Lfr.Host.Web.Auth;
using Lfr.Tests.Fixtures;
using Lfr.Tests.Host.Cli;

namespace Lfr.Tests.Host.Web;

/// <summary><c>lfr status</c> signs in to a control room's web app and prints what the ops console shows; <c>lfr user hash</c> makes the hashes users sign in with.</summary>
public sealed class StatusCommandSpecs(WebApp web) : IClassFixture<WebApp>, IDisposable
{
    private readonly LfrProcess _lfr = new();

    [Fact]
    public async Task Status_should_print_the_live_deployments_and_the_journal_from_the_web_app()
    {
        await web.LiveDeploymentAsync("d-status", "wl-status", ("subject-a", FacePhotos.FileImage(0)));
        var env = new Dictionary<string, string> { ["LFR_PASSWORD"] = WebApp.Password };

        var text = _lfr.Run(env, "status", "--url", web.BaseAddress.ToString(), "--certificate", TestHttps.PfxPath, "--user", "ops");
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("Live deployments", text.StdOut);
        Assert.Matches(@"d-status\s+watchlist wl-status \(1 entries\)", text.StdOut);
        Assert.Contains("Journal   healthy", text.StdOut);
        Assert.Contains("(none report to this node)", text.StdOut);

        var json = _lfr.Run(env, "status", "--url", web.BaseAddress.ToString(), "--certificate", TestHttps.PfxPath, "--user", "ops", "--json");
        Assert.True(json.ExitCode == 0, json.ToString());
        var deployment = json.Json.GetProperty("deployments").EnumerateArray().Single(d => d.GetProperty("id").GetString() == "d-status");
        Assert.Equal(1, deployment.GetProperty("watchlistEntries").GetInt32());
    }

    [Fact]
    public void Status_should_say_why_when_the_password_is_wrong_or_the_role_may_not_read_it()
    {
        var wrong = _lfr.Run(new Dictionary<string, string> { ["LFR_PASSWORD"] = "nope" }, "status", "--url", web.BaseAddress.ToString(), "--certificate", TestHttps.PfxPath, "--user", "ops");
        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains("unknown user or wrong password", wrong.StdErr);

        var officer = _lfr.Run(new Dictionary<string, string> { ["LFR_PASSWORD"] = WebApp.Password }, "status", "--url", web.BaseAddress.ToString(), "--certificate", TestHttps.PfxPath, "--user", "pc1");
        Assert.Equal(2, officer.ExitCode);
        Assert.Contains("pc1 may not read the status", officer.StdErr);
    }

    [Fact]
    public void Status_should_refuse_a_self_signed_certificate_it_was_not_told_to_trust()
    {
        var untrusted = _lfr.Run(new Dictionary<string, string> { ["LFR_PASSWORD"] = WebApp.Password }, "status", "--url", web.BaseAddress.ToString(), "--user", "ops");
        Assert.Equal(1, untrusted.ExitCode);
        Assert.Contains("--certificate", untrusted.StdErr);
    }

    [Fact]
    public void User_hash_should_print_a_hash_that_signs_in_with_the_password_read_from_standard_input()
    {
        var result = _lfr.RunWithInput("a long passphrase\n", null, "user", "hash");
        Assert.True(result.ExitCode == 0, result.ToString());
        var hash = result.StdOut.Trim();
        Assert.StartsWith($"pbkdf2-sha256${PasswordHash.DefaultIterations}$", hash);
        Assert.True(PasswordHash.Verify("a long passphrase", hash));
        Assert.DoesNotContain("a long passphrase", result.StdOut + result.StdErr);
    }

    public void Dispose() => _lfr.Dispose();
}
