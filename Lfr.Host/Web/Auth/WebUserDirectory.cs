using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Lfr.Host.Web.Auth;

/// <summary>
/// The users as configured now. When the configuration is reloaded (appsettings.json edited, e.g. by
/// <c>lfr user remove</c>), a user who is gone, or whose staff id or password changed, is signed out of every session at
/// once; a changed role takes effect at the user's next request (<see cref="SessionValidation"/>). A reload with a
/// mistake in it keeps the users as they were, but still signs out those no longer listed.
/// </summary>
public sealed class WebUserDirectory : IDisposable
{
    private readonly IConfiguration _configuration;
    private readonly SessionStore _sessions;
    private readonly ILogger<WebUserDirectory> _log;
    private readonly IDisposable _watch;
    private WebSettings _current;

    public WebUserDirectory(IConfiguration configuration, WebSettings initial, SessionStore sessions, ILogger<WebUserDirectory> log)
    {
        _configuration = configuration;
        _current = initial;
        _sessions = sessions;
        _log = log;
        _watch = ChangeToken.OnChange(configuration.GetReloadToken, Reload);
    }

    public WebSettings Current => Volatile.Read(ref _current);

    private void Reload()
    {
        var before = Current;
        var listed = _configuration.GetSection($"{WebSettings.Section}:Users").GetChildren().Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        WebSettings? after = null;
        try
        {
            after = WebSettings.FromConfiguration(_configuration);
            Volatile.Write(ref _current, after);
        }
        catch (WebSettingsException e)
        {
            _log.LogError("The reloaded web users have mistakes; the users stay as they were (those no longer listed are signed out): {Problems}", e.Message);
        }

        foreach (var user in before.Users.Values)
        {
            var now = after is null ? null : after.Users.GetValueOrDefault(user.Name);
            var gone = !listed.Contains(user.Name) || after is not null && now is null;
            if (!gone && (now is null || now.StaffId == user.StaffId && now.PasswordHash == user.PasswordHash))
                continue;
            var ended = _sessions.RemoveUser(user.Name);
            _log.LogInformation("Web user {User} {Change}: {Sessions} sessions ended", user.Name, gone ? "removed" : "changed staff id or password", ended);
        }
    }

    public void Dispose() => _watch.Dispose();
}
