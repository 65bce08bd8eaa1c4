using System.Text.Json.Serialization;
using Lfr.Actors.ControlRoom;
using Lfr.Host.Web.Auth;
using Lfr.Host.Web.Console;
using Lfr.Host.Web.Deployments;
using Lfr.Host.Web.Live;
using Lfr.Host.Web.Officer;
using Lfr.Host.Web.Operator;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Lfr.Host.Web;

/// <summary>
/// The control room's web interface: the operator screen, the officer's handset, deployments and watchlists, the ops
/// console and the audit trail, behind cookie sign-in with users and roles from <c>Lfr:Web</c>. It talks to the
/// control room's actors through the <see cref="Akka.Hosting.ActorRegistry"/> only.
/// </summary>
public static class LfrWeb
{
    /// <summary>
    /// Every API POST and DELETE must carry this header. A cross-site form cannot set it, and a cross-site script
    /// cannot without a CORS preflight this app never grants; with the SameSite=Strict cookie that stops CSRF.
    /// </summary>
    public const string CsrfHeader = "X-Lfr-Csrf";

    public const string CookieName = "lfr.session";

    /// <summary>Reads and checks <c>Lfr:Web</c> now (a <see cref="WebSettingsException"/> lists every problem).</summary>
    public static IServiceCollection AddLfrWeb(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = WebSettings.FromConfiguration(configuration);
        // the users as configured now: a reload that removes one signs them out at once
        services.AddSingleton(s => new WebUserDirectory(configuration, settings, s.GetRequiredService<SessionStore>(), s.GetRequiredService<ILogger<WebUserDirectory>>()));
        services.AddTransient(s => s.GetRequiredService<WebUserDirectory>().Current);
        // the policies the pages show and sign with (ranks, default threshold, wipe schedule): the control room's own
        services.TryAddSingleton(_ => ControlRoomSettings.FromConfiguration(configuration));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton(s => new SignInCheck(() => s.GetRequiredService<WebUserDirectory>().Current));
        services.AddSingleton<SessionStore>();
        // antiforgery tokens and session cookies are protected by keys that live in memory only: nothing is written to
        // ~/.aspnet, and the sessions they point to are in memory too
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.AddSingleton<ControlRoomGateway>();
        services.AddSingleton<DeploymentDirectory>();
        // the cluster's live-view hub, which control rooms, consoles and lfr demo run
        services.TryAddSingleton<ILiveView, HubLiveView>();
        services.AddSingleton<CameraHistory>();
        services.AddHostedService(provider => provider.GetRequiredService<CameraHistory>());
        services.AddHealthChecks();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddAntiforgery(o =>
        {
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
        });
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(o =>
        {
            o.Cookie.Name = CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            // Secure even behind a TLS-terminating proxy (Lfr:Node:Https:PlainHttp): the browser's side is HTTPS there too
            o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            o.Events.OnValidatePrincipal = SessionValidation.ValidateAsync;
            o.ExpireTimeSpan = settings.Session;
            o.SlidingExpiration = true;
            o.LoginPath = "/signin";
            o.Events.OnRedirectToLogin = context => Deny(context.HttpContext, StatusCodes.Status401Unauthorized, context.RedirectUri);
            o.Events.OnRedirectToAccessDenied = context => Deny(context.HttpContext, StatusCodes.Status403Forbidden, null);
        });
        // sessions expire on the same clock as everything else (a test moves it)
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<TimeProvider, SessionStore>((o, time, sessions) =>
            {
                o.TimeProvider = time;
                o.SessionStore = sessions;
            });
        // closed by default: an endpoint that names no policy (and is not marked anonymous, as the probes and the
        // sign-in are) is refused to everyone, so a page added without one can never be public
        services.AddAuthorization(o =>
        {
            o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAssertion(_ => false).Build();
            foreach (var (policy, roles) in WebPolicies.Roles)
                o.AddPolicy(policy, p => p.RequireAuthenticatedUser().RequireRole(roles));
        });
        return services;
    }

    public static WebApplication MapLfrWeb(this WebApplication app)
    {
        app.UseLfrSecurityHeaders();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapGet("/web/{name}", (string name) => WebPage.Asset(name)).AllowAnonymous();
        app.MapGet("/", (HttpContext context) => Results.Redirect(WebPage.Home(context.User))).AllowAnonymous();

        var api = app.MapGroup("/api").AddEndpointFilter(RequireCsrfHeader).AddEndpointFilter(ControlRoomGateway.Errors);
        SignInEndpoints.Map(app, api);
        OperatorEndpoints.Map(app, api);
        OfficerEndpoints.Map(app, api);
        DeploymentEndpoints.Map(app, api);
        WatchlistEndpoints.Map(app, api);
        ConsoleEndpoints.Map(app, api);
        AuditEndpoints.Map(app, api);
        PublicNoticeEndpoints.Map(app, api);
        ReturnsEndpoints.Map(app, api);
        Oversight.SubjectAccessEndpoints.Map(app, api);
        Oversight.EvidenceEndpoints.Map(app, api);
        return app;
    }

    private static async ValueTask<object?> RequireCsrfHeader(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !request.Headers.ContainsKey(CsrfHeader))
            return Results.Json(new { error = $"a change needs the {CsrfHeader} header (send it from the page's scripts)" }, statusCode: StatusCodes.Status400BadRequest);
        return await next(context);
    }

    /// <summary>APIs answer 401/403; a page sends an unknown visitor to sign in and shows a signed-in one why not.</summary>
    private static Task Deny(HttpContext context, int status, string? signInUrl)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        if (signInUrl is not null)
        {
            context.Response.Redirect(signInUrl);
            return Task.CompletedTask;
        }

        return WebPage.Render(context, "Not allowed",
                "<section class=\"card\"><h1>Not allowed</h1><p id=\"denied\">Your role does not open this page.</p></section>",
                status: StatusCodes.Status403Forbidden)
            .ExecuteAsync(context);
    }
}
