using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using Lfr.Host.Web;

namespace Lfr.Host.Cli;

/// <summary>
/// How the command-line tools that read a node's web (<c>lfr status</c>, <c>lfr subject-access</c>) sign in and ask:
/// the password from <c>LFR_PASSWORD</c> or the terminal, HTTPS trusting the system's CAs or <c>--certificate</c>, and
/// one line on stderr for a node that cannot be reached, trusted or does not answer in time.
/// </summary>
public static class SignedInCall
{
    /// <summary>The body <paramref name="request"/> returns once signed in as <paramref name="user"/>; null, the reason printed, when the node failed us.</summary>
    public static string? Run(Uri site, string user, X509Certificate2? certificate, TimeSpan timeout, Func<HttpClient, string> request)
    {
        var url = site.ToString().TrimEnd('/');
        var password = Environment.GetEnvironmentVariable("LFR_PASSWORD") ?? Password.Read($"password for {user}: ");
        using var http = new HttpClient(TrustedCertificate.Handler(certificate, new CookieContainer())) { BaseAddress = site, Timeout = timeout };
        http.DefaultRequestHeaders.Add(LfrWeb.CsrfHeader, "1");
        try
        {
            var signIn = http.PostAsJsonAsync("/api/session", new { user, password }).GetAwaiter().GetResult();
            if (signIn.StatusCode == HttpStatusCode.Unauthorized) throw new CliException($"{url}: unknown user or wrong password");
            signIn.EnsureSuccessStatusCode();
            return request(http);
        }
        catch (HttpRequestException e) when (e.InnerException is System.Security.Authentication.AuthenticationException)
        {
            Console.Error.WriteLine($"lfr: {url}: the node's certificate is not trusted here ({e.InnerException.Message}); name it, or the CA that issued it, with --certificate FILE");
        }
        catch (HttpRequestException e)
        {
            Console.Error.WriteLine($"lfr: {url}: {e.Message}");
        }
        catch (TaskCanceledException)
        {
            Console.Error.WriteLine($"lfr: {url} did not answer in time");
        }
        return null;
    }
}
