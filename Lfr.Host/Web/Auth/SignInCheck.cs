using System.Security.Cryptography;

namespace Lfr.Host.Web.Auth;

/// <summary>
/// Checks a name and password in the same time whether the name is a configured user or not: an unknown (or over-long)
/// name is checked against a dummy hash made with as many PBKDF2 iterations as the configured users' hashes, so response
/// times do not tell which names exist.
/// </summary>
public sealed class SignInCheck
{
    private readonly Func<WebSettings> _settings;
    private readonly string _dummyHash;

    public SignInCheck(WebSettings settings) : this(() => settings) { }

    /// <param name="settings">The users as configured now (they may be reloaded).</param>
    public SignInCheck(Func<WebSettings> settings)
    {
        _settings = settings;
        var iterations = settings().Users.Values.Select(u => PasswordHash.Iterations(u.PasswordHash)).DefaultIfEmpty(PasswordHash.DefaultIterations).Max();
        _dummyHash = PasswordHash.Create(Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)), iterations);
    }

    public WebUser? Verify(string? name, string? password)
    {
        if (name is null || password is null)
            return null;
        var known = name.Length <= SignInThrottle.MaxNameLength && _settings().Users.TryGetValue(name, out var user) ? user : null;
        var matches = PasswordHash.Verify(password, known?.PasswordHash ?? _dummyHash);
        return matches ? known : null;
    }
}
