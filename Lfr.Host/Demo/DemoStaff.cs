using System.Security.Cryptography;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Officers;
using Lfr.Host.Web.Auth;

namespace Lfr.Host.Demo;

/// <summary>A demo user: one per web role (two engagement officers), with a password made for this run.</summary>
/// <param name="Role">The web role the user signs in with.</param>
/// <param name="Rank">What the control room checks a signature against (authorising officers only).</param>
public sealed record DemoUser(string Name, string Role, StaffId Staff, string Password, string? Rank = null);

/// <summary>The people of the demo: who signs, who builds the watchlist, who operates, who is tasked.</summary>
public sealed record DemoStaff(IReadOnlyList<DemoUser> Users)
{
    public DemoUser Operator => ByRole(WebRoles.Operator);
    public DemoUser Superintendent => ByRole(WebRoles.Superintendent);
    public DemoUser ChiefSuperintendent => ByRole(WebRoles.ChiefSuperintendent);
    public DemoUser WatchlistManager => ByRole(WebRoles.WatchlistManager);

    /// <summary>The engagement officers on duty; each signs in to the handset page as themselves.</summary>
    public IEnumerable<OfficerId> Officers => Users.Where(u => u.Role == WebRoles.Officer).Select(u => new OfficerId(u.Staff.Value));

    /// <summary>The users as the web app reads them (<c>Lfr:Web:Users:NAME:...</c>), each password hashed.</summary>
    public IEnumerable<KeyValuePair<string, string?>> WebConfiguration() =>
        Users.SelectMany(u => new[]
        {
            KeyValuePair.Create<string, string?>($"{WebSettings.Section}:Users:{u.Name}:PasswordHash", PasswordHash.Create(u.Password)),
            KeyValuePair.Create<string, string?>($"{WebSettings.Section}:Users:{u.Name}:Roles", u.Role),
            KeyValuePair.Create<string, string?>($"{WebSettings.Section}:Users:{u.Name}:StaffId", u.Staff.Value),
        });

    /// <summary>Fresh passwords on every run: they are printed, never stored.</summary>
    public static DemoStaff Create() => new(
    [
        new("operator", WebRoles.Operator, new StaffId("OP-4107"), Password()),
        new("officer", WebRoles.Officer, new StaffId("PC-2231"), Password()),
        new("officer2", WebRoles.Officer, new StaffId("PC-5580"), Password()),
        new("superintendent", WebRoles.Superintendent, new StaffId("SUPT-118"), Password(), "Superintendent"),
        new("chief", WebRoles.ChiefSuperintendent, new StaffId("CSUPT-042"), Password(), "Chief Superintendent"),
        new("watchlists", WebRoles.WatchlistManager, new StaffId("WM-310"), Password()),
        new("ops", WebRoles.Ops, new StaffId("OPS-077"), Password()),
        new("auditor", WebRoles.Auditor, new StaffId("AUD-009"), Password()),
    ]);

    private DemoUser ByRole(string role) => Users.First(u => u.Role == role);

    // 10 characters from an alphabet without look-alikes (0/O, 1/l/I): easy to type from the terminal
    private static string Password() => RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyz23456789", 10);
}
