using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Lfr.Host.Web.Auth;

/// <summary>
/// Server-side sessions: the cookie carries only a random session id, the ticket stays here. Signing out removes it, so a
/// copied cookie is worthless from that moment; a node restart ends every session. Bounded: past
/// <see cref="MaxSessions"/> the sessions idle longest go first, so no flood of sign-ins can grow memory without end.
/// </summary>
public sealed class SessionStore(TimeProvider time) : ITicketStore
{
    public const int MaxSessions = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _sessions = new(StringComparer.Ordinal);

    public int Count => _sessions.Count;

    public Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        _sessions[key] = new Entry(ticket, time.GetUtcNow());
        if (_sessions.Count > MaxSessions)
            Evict();
        return Task.FromResult(key);
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        // only a session that still exists is renewed: a sign-out racing a request must not bring it back
        if (_sessions.ContainsKey(key))
            _sessions[key] = new Entry(ticket, time.GetUtcNow());
        return Task.CompletedTask;
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        if (!_sessions.TryGetValue(key, out var entry))
            return Task.FromResult<AuthenticationTicket?>(null);
        if (entry.Ticket.Properties.ExpiresUtc is { } expires && expires <= time.GetUtcNow())
        {
            _sessions.TryRemove(key, out _);
            return Task.FromResult<AuthenticationTicket?>(null);
        }
        return Task.FromResult<AuthenticationTicket?>(entry.Ticket);
    }

    public Task RemoveAsync(string key)
    {
        _sessions.TryRemove(key, out _);
        return Task.CompletedTask;
    }

    /// <summary>Ends every session of a user (removed from the configuration, or their roles changed).</summary>
    public int RemoveUser(string name)
    {
        var removed = 0;
        foreach (var (key, entry) in _sessions)
            if (entry.Ticket.Principal.Identity?.Name == name && _sessions.TryRemove(key, out _))
                removed++;
        return removed;
    }

    private void Evict()
    {
        var now = time.GetUtcNow();
        foreach (var (key, entry) in _sessions)
            if (entry.Ticket.Properties.ExpiresUtc is { } expires && expires <= now)
                _sessions.TryRemove(key, out _);
        var excess = _sessions.Count - MaxSessions;
        if (excess <= 0)
            return;
        foreach (var key in _sessions.OrderBy(s => s.Value.Touched).Take(excess + MaxSessions / 10).Select(s => s.Key).ToList())
            _sessions.TryRemove(key, out _);
    }

    private sealed record Entry(AuthenticationTicket Ticket, DateTimeOffset Touched);
}

/// <summary>
/// Checks each request's session against the users configured now: a removed user (or one whose staff id changed) is
/// refused at once; changed roles replace the session's roles from that request on.
/// </summary>
public static class SessionValidation
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var settings = (WebSettings)context.HttpContext.RequestServices.GetService(typeof(WebSettings))!;
        var principal = context.Principal;
        var name = principal?.Identity?.Name;
        if (name is not null && settings.Users.TryGetValue(name, out var user) && principal!.FindFirst(WebUserClaims.StaffIdClaim)?.Value == user.StaffId)
        {
            if (!Roles(principal).SetEquals(user.Roles))
            {
                context.ReplacePrincipal(WebUserClaims.Principal(user, context.Scheme.Name));
                context.ShouldRenew = true;
            }
            return;
        }
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    private static HashSet<string> Roles(System.Security.Claims.ClaimsPrincipal principal) =>
        principal.FindAll(System.Security.Claims.ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
}
