using System.Security.Cryptography;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Officers;

namespace Lfr.Host.Demo;

/// <summary>A demo user: one per web role (two engagement officers), with a password made for this run.</summary>
/// <param name="Role">The web role the user signs in with.</param>
/// <param name="Rank">What the control room checks a signature against (authorising officers only).</param>
public sealed record DemoUser(string Name, string Role, StaffId Staff, string Password, string? Rank = null);

/// <summary>The people of the demo: who signs, who builds the watchlist, who operates, who is tasked.</summary>
public sealed record DemoStaff(IReadOnlyList<DemoUser> Users)
{
    public DemoUser Operator => ByRole("operator");
    public DemoUser Superintendent => ByRole("superintendent");
    public DemoUser ChiefSuperintendent => ByRole("chief-superintendent");
    public DemoUser WatchlistManager => ByRole("watchlist-manager");

    /// <summary>The engagement officers on duty; each signs in to the handset page as themselves.</summary>
    public IEnumerable<OfficerId> Officers => Users.Where(u => u.Role == "officer").Select(u => new OfficerId(u.Staff.Value));

    /// <summary>Fresh passwords on every run: they are printed, never stored.</summary>
    public static DemoStaff Create() => new(
    [
        new("operator", "operator", new StaffId("OP-4107"), Password()),
        new("officer", "officer", new StaffId("PC-2231"), Password()),
        new("officer2", "officer", new StaffId("PC-5580"), Password()),
        new("superintendent", "superintendent", new StaffId("SUPT-118"), Password(), "Superintendent"),
        new("chief", "chief-superintendent", new StaffId("CSUPT-042"), Password(), "Chief Superintendent"),
        new("watchlists", "watchlist-manager", new StaffId("WM-310"), Password()),
        new("ops", "ops", new StaffId("OPS-077"), Password()),
        new("auditor", "auditor", new StaffId("AUD-009"), Password()),
    ]);

    private DemoUser ByRole(string role) => Users.First(u => u.Role == role);

    // 10 characters from an alphabet without look-alikes (0/O, 1/l/I): easy to type from the terminal
    private static string Password() => RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyz23456789", 10);
}
