using System.Security.Claims;
using Lfr.Actors.ControlRoom;

namespace Lfr.Host.Web.Auth;

public static class WebUserClaims
{
    /// <summary>The claim that carries the control room's id of the signed-in person.</summary>
    public const string StaffIdClaim = "lfr:staff";

    public static ClaimsPrincipal Principal(WebUser user, string scheme)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, user.Name), new(StaffIdClaim, user.StaffId) };
        claims.AddRange(user.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    public static StaffId StaffId(this ClaimsPrincipal user) =>
        new(user.FindFirstValue(StaffIdClaim) ?? throw new InvalidOperationException("a signed-in user always carries a staff id"));

    public static bool Can(this ClaimsPrincipal user, string policy) => WebPolicies.Roles[policy].Any(user.IsInRole);
}
