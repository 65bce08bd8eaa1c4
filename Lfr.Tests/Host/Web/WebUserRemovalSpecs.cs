using System.Net;
using System.Text.Json.Nodes;
using Lfr.Tests.Host.Cli;

namespace Lfr.Tests.Host.Web;

/// <summary>
/// Users come from the node's appsettings.json, which it reloads: a user removed there (by <c>lfr user remove</c>) is
/// signed out of every open session at once, and a role taken away is refused from the user's next request.
/// </summary>
public sealed class WebUserRemovalSpecs : IAsyncLifetime
{
    private static readonly TimeSpan Reload = TimeSpan.FromSeconds(15);

    private readonly WebApp _web = new() { UsersInFile = true };
    private readonly LfrProcess _lfr = new();

    public Task InitializeAsync() => _web.InitializeAsync();

    [Fact]
    public async Task A_removed_users_open_session_should_get_401_at_once()
    {
        using var removed = await _web.ClientAsync("op2");
        using var colleague = await _web.ClientAsync("op1");
        Assert.Equal(HttpStatusCode.OK, (await removed.GetAsync("/api/alerts")).StatusCode);

        var result = _lfr.Run("user", "remove", "op2", "--config", _web.UsersFile);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("\"op2\"", await File.ReadAllTextAsync(_web.UsersFile));

        await Until(async () => (await removed.GetAsync("/api/alerts")).StatusCode == HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await colleague.GetAsync("/api/alerts")).StatusCode);
        // and signing in again is refused
        using var anonymous = await _web.ClientAsync(null);
        using var signIn = await anonymous.PostAsync("/api/session", System.Net.Http.Json.JsonContent.Create(new { user = "op2", password = WebApp.Password }));
        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);

        var again = _lfr.Run("user", "remove", "op2", "--config", _web.UsersFile);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("no user 'op2'", again.StdErr);
    }

    [Fact]
    public async Task A_role_taken_from_a_user_should_be_refused_at_their_next_request()
    {
        using var op = await _web.ClientAsync("op1");
        Assert.Equal(HttpStatusCode.OK, (await op.GetAsync("/api/alerts")).StatusCode);

        // the operator is made an officer in the configuration, as an administrator edits it
        var settings = JsonNode.Parse(await File.ReadAllTextAsync(_web.UsersFile))!;
        settings["Lfr"]!["Web"]!["Users"]!["op1"]!["Roles"] = "officer";
        await File.WriteAllTextAsync(_web.UsersFile, settings.ToJsonString());

        await Until(async () => (await op.GetAsync("/api/alerts")).StatusCode == HttpStatusCode.Forbidden);
        // still signed in, as what they are now
        Assert.Equal(HttpStatusCode.OK, (await op.GetAsync("/api/me")).StatusCode);
    }

    private static async Task Until(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Reload;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the node did not apply the changed users within {Reload.TotalSeconds} s");
            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        _lfr.Dispose();
        await _web.DisposeAsync();
    }
}
