using System.Reflection;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Lfr.Host.Web.Auth;
using Microsoft.AspNetCore.Http;

namespace Lfr.Host.Web;

/// <summary>
/// The HTML shell every page shares: a header with the pages the user's roles open, and the page's own body and
/// script. Styles and scripts are embedded in the program and served from <c>/web/</c>: nothing comes from elsewhere.
/// </summary>
public static class WebPage
{
    private static readonly (string Path, string Title, string Policy)[] Nav =
    [
        ("/operator", "Operator", WebPolicies.ViewAlerts),
        ("/officer", "Handset", WebPolicies.Handset),
        ("/deployments", "Deployments", WebPolicies.ViewDeployments),
        ("/watchlists", "Watchlists", WebPolicies.ViewWatchlists),
        ("/console", "Console", WebPolicies.ViewConsole),
        ("/returns", "Returns", WebPolicies.ViewReturns),
        ("/audit", "Audit", WebPolicies.ViewAudit),
        ("/evidence", "Evidence", WebPolicies.ViewEvidence),
        ("/subject-access", "Subject access", WebPolicies.SubjectAccess),
    ];

    public static string Encode(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    /// <summary>Where each role's work is, in this order when a user holds several roles.</summary>
    private static readonly (string Role, string Path)[] Homes =
    [
        (WebRoles.Operator, "/operator"), (WebRoles.Officer, "/officer"), (WebRoles.Ops, "/console"), (WebRoles.WatchlistManager, "/watchlists"),
        (WebRoles.Superintendent, "/deployments"), (WebRoles.ChiefSuperintendent, "/deployments"), (WebRoles.Auditor, "/audit"),
    ];

    /// <summary>Where signing in lands.</summary>
    public static string Home(ClaimsPrincipal user) => Homes.FirstOrDefault(h => user.IsInRole(h.Role)).Path ?? "/signin";

    public static IResult Render(HttpContext context, string title, string body, string? script = null, int status = StatusCodes.Status200OK)
    {
        var user = context.User;
        var html = new StringBuilder();
        html.Append($"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{Encode(title)} · Lfr</title>
            <link rel="stylesheet" href="/web/app.css">
            </head><body>
            <header class="top"><span class="brand">Lfr</span><nav>
            """);
        if (user.Identity?.IsAuthenticated == true)
        {
            foreach (var (path, navTitle, policy) in Nav.Where(n => user.Can(n.Policy)))
                html.Append($"""<a href="{path}"{(context.Request.Path.StartsWithSegments(path) ? " class=\"here\"" : "")}>{navTitle}</a>""");
            html.Append($"""</nav><span class="who" id="who" data-staff="{Encode(user.StaffId().Value)}">{Encode(user.Identity.Name)} ({Encode(string.Join(", ", user.FindAll(ClaimTypes.Role).Select(c => c.Value)))})</span><button id="signout" type="button">Sign out</button>""");
        }
        else
        {
            html.Append("</nav>");
        }

        html.Append($"""
            </header>
            <main id="main" data-page="{Encode(title)}">
            {body}
            </main>
            <script src="/web/common.js"></script>
            """);
        if (script is not null)
            html.Append($"""<script src="/web/{script}"></script>""");
        html.Append("</body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    /// <summary>The embedded stylesheets and scripts under <c>Web/Assets</c>.</summary>
    public static IResult Asset(string name)
    {
        var type = Path.GetExtension(name) switch
        {
            ".css" => "text/css; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            _ => null,
        };
        var stream = type is null || name.Contains('/') ? null : Assembly.GetExecutingAssembly().GetManifestResourceStream("Lfr.Web.Assets." + name);
        return stream is null ? Results.NotFound() : Results.Stream(stream, type);
    }
}
