using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Lfr.Host.Web;

/// <summary>
/// The headers every answer carries: a Content-Security-Policy that runs only this app's own script files (no inline
/// script or style, no framing, no other origin), nosniff, no referrer, HSTS, and <c>no-store</c> on
/// everything but the static assets, so no face image, live frame or alert reaches a browser's or proxy's cache.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

    public static WebApplication UseLfrSecurityHeaders(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            // on plain HTTP too: that is only served behind a TLS-terminating proxy, which hands it to the browser over HTTPS
            headers.StrictTransportSecurity = "max-age=31536000";
            if (!context.Request.Path.StartsWithSegments("/web"))
            {
                headers.CacheControl = "no-store";
                headers.Pragma = "no-cache";
            }
            await next(context);
        });
        return app;
    }
}
