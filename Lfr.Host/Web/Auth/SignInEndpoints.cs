using System.Text.Json;
using Lfr.Host.Web.Auth;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Lfr.Host.Web.Auth;

/// <summary>
/// Signing in and out. The page's form carries an antiforgery token; <c>POST /api/session</c> takes JSON for
/// <c>lfr status</c> and, like every other API POST, needs the <see cref="LfrWeb.CsrfHeader"/>.
/// </summary>
public static class SignInEndpoints
{
    public static void Map(IEndpointRouteBuilder app, RouteGroupBuilder api)
    {
        app.MapGet("/signin", (HttpContext context, IAntiforgery antiforgery) => Form(context, antiforgery, null)).AllowAnonymous();
        app.MapPost("/signin", async (HttpContext context, IAntiforgery antiforgery, SignInCheck check, SignInThrottle throttle) =>
        {
            if (!CapBody(context))
                return Form(context, antiforgery, "The sign-in was too large.", StatusCodes.Status413PayloadTooLarge);
            IFormCollection form;
            try
            {
                await antiforgery.ValidateRequestAsync(context);
                form = await context.Request.ReadFormAsync();
            }
            catch (AntiforgeryValidationException)
            {
                return Form(context, antiforgery, "The form had expired; please sign in again.", StatusCodes.Status400BadRequest);
            }
            catch (Exception e) when (e is BadHttpRequestException or InvalidDataException)
            {
                return Form(context, antiforgery, "The sign-in was too large.", StatusCodes.Status413PayloadTooLarge);
            }

            var name = form["user"].ToString();
            if (throttle.Refusal(name, context.Connection.RemoteIpAddress) is { } refusal)
                return Form(context, antiforgery, refusal, StatusCodes.Status429TooManyRequests);
            if (Check(check, throttle, context, name, form["password"]) is not { } user)
                return Form(context, antiforgery, "Unknown user or wrong password.", StatusCodes.Status401Unauthorized);
            var principal = WebUserClaims.Principal(user, CookieAuthenticationDefaults.AuthenticationScheme);
            await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
            var returnUrl = form["returnUrl"].ToString();
            return Results.LocalRedirect(IsLocal(returnUrl) ? returnUrl : WebPage.Home(principal));
        }).AllowAnonymous();

        api.MapPost("/session", async (HttpContext context, SignInCheck check, SignInThrottle throttle) =>
        {
            if (!CapBody(context))
                return Results.Json(new { error = "the sign-in is too large" }, statusCode: StatusCodes.Status413PayloadTooLarge);
            SessionRequest? request;
            try
            {
                request = await context.Request.ReadFromJsonAsync<SessionRequest>();
            }
            catch (JsonException)
            {
                request = null;
            }
            catch (BadHttpRequestException)
            {
                return Results.Json(new { error = "the sign-in is too large" }, statusCode: StatusCodes.Status413PayloadTooLarge);
            }

            if (request?.User is { } name && throttle.Refusal(name, context.Connection.RemoteIpAddress) is { } refusal)
                return Results.Json(new { error = refusal }, statusCode: StatusCodes.Status429TooManyRequests);
            if (Check(check, throttle, context, request?.User, request?.Password) is not { } user)
                return Results.Json(new { error = "unknown user or wrong password" }, statusCode: StatusCodes.Status401Unauthorized);
            await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, WebUserClaims.Principal(user, CookieAuthenticationDefaults.AuthenticationScheme));
            return Results.Json(new { user = user.Name, roles = user.Roles.Order(StringComparer.Ordinal), staffId = user.StaffId });
        }).AllowAnonymous();
        api.MapDelete("/session", async (HttpContext context) =>
        {
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.NoContent();
        }).AllowAnonymous();
    }

    private sealed record SessionRequest(string? User, string? Password);

    /// <summary>A sign-in is a name and a password: anything over 16 KB is refused before it is read.</summary>
    private const long MaxSignInBytes = 16 * 1024;

    private static bool CapBody(HttpContext context)
    {
        if (context.Request.ContentLength > MaxSignInBytes)
            return false;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = MaxSignInBytes;
        return true;
    }

    private static WebUser? Check(SignInCheck check, SignInThrottle throttle, HttpContext context, string? name, string? password)
    {
        if (name is null || password is null) return null;
        if (check.Verify(name, password) is { } user) return user;
        throttle.Failed(name, context.Connection.RemoteIpAddress);
        return null;
    }

    private static bool IsLocal(string url) => url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);

    private static IResult Form(HttpContext context, IAntiforgery antiforgery, string? problem, int status = StatusCodes.Status200OK)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        // the form as already read, if it was: never read again here (it may be the one refused as too large)
        var returnUrl = context.Features.Get<IFormFeature>()?.Form?["returnUrl"].ToString() ?? context.Request.Query["ReturnUrl"].ToString();
        return WebPage.Render(context, "Sign in", $"""
            <form class="card signin" method="post" action="/signin">
              <h1>Sign in</h1>
              {(problem is null ? "" : $"<p class=\"error\" id=\"signin-error\">{WebPage.Encode(problem)}</p>")}
              <input type="hidden" name="{WebPage.Encode(tokens.FormFieldName)}" value="{WebPage.Encode(tokens.RequestToken)}">
              <input type="hidden" name="returnUrl" value="{WebPage.Encode(returnUrl)}">
              <label>User <input name="user" id="user" autocomplete="username" required autofocus></label>
              <label>Password <input name="password" id="password" type="password" autocomplete="current-password" required></label>
              <button type="submit" id="signin">Sign in</button>
              <p class="note">Sessions end after a period without use. Every view of a face image is recorded in the audit log.</p>
            </form>
            """, status: status);
    }
}
