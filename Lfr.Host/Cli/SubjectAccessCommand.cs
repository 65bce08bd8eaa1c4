using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Lfr.Host.Web;

namespace Lfr.Host.Cli;

/// <summary>
/// <c>lfr subject-access REFERENCE --request NUMBER [--url URL] [--user NAME] [--json]</c>: the auditor's subject-access
/// search from the terminal. It signs in to the control room's web app as <c>lfr status</c> does (password from
/// <c>LFR_PASSWORD</c>, the terminal or standard input) and posts the reference to <c>/api/subject-access</c>, which audits
/// the query under the user and the request number. Exit code 0 whether or not the reference was found.
/// </summary>
public static class SubjectAccessCommand
{
    public static int Run(CliArgs args)
    {
        var url = (args.Option("url") ?? StatusCommand.DefaultUrl).TrimEnd('/');
        var user = args.Option("user") ?? Environment.GetEnvironmentVariable("LFR_USER")
            ?? throw new CliException("say who signs in: --user NAME (or LFR_USER); subject access is the auditor's");
        var request = args.Option("request") ?? throw new CliException("--request is required: the subject-access request's own number, which the audit trail records");
        var json = args.Flag("json");
        var certificate = args.Option("certificate") is { } file ? TrustedCertificate.Load(file) : null;
        args.RejectUnknown();
        if (args.Positional.Count != 1)
            throw new CliException("usage: lfr subject-access REFERENCE --request NUMBER [--url URL] [--user NAME] [--certificate FILE] [--json]");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
            throw new CliException($"--url must be an http(s) address, not '{url}'");
        var body = SignedInCall.Run(baseUri, user, certificate, TimeSpan.FromSeconds(30), http =>
        {
            var answer = http.PostAsJsonAsync("/api/subject-access", new { reference = args.Positional[0], request }).GetAwaiter().GetResult();
            if (answer.StatusCode == HttpStatusCode.Forbidden) throw new CliException($"{user} may not make subject-access searches (role: auditor)");
            var text = answer.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            return answer.IsSuccessStatusCode ? text : throw new CliException($"{url}: {(int)answer.StatusCode} {TryError(text)}");
        });
        if (body is null) return 1;

        if (json)
            Console.Out.WriteLine(body);
        else
            Print(JsonDocument.Parse(body).RootElement, Console.Out);
        return 0;
    }

    public static void Print(JsonElement answer, TextWriter o)
    {
        static string Time(JsonElement e) => e.ValueKind == JsonValueKind.Null ? "-" : e.GetDateTimeOffset().ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        var found = answer.GetProperty("found").GetInt32();
        o.WriteLine($"Request {answer.GetProperty("request").GetString()}: {(found == 0 ? "on no watchlist held by this control room" : $"on {found} watchlist entr{(found == 1 ? "y" : "ies")}")}");
        foreach (var r in answer.GetProperty("records").EnumerateArray())
        {
            var alerts = r.GetProperty("alerts").EnumerateArray().Select(a => $"{a.GetProperty("status").GetString()} {Time(a.GetProperty("raisedAt"))}").ToList();
            o.WriteLine($"  deployment {r.GetProperty("deployment").GetString() ?? "-"}  watchlist {r.GetProperty("watchlist").GetString()} for {r.GetProperty("forDate").GetString()}  " +
                        $"category {r.GetProperty("category").GetString()}  entry {r.GetProperty("entry").GetString()}");
            o.WriteLine($"    added {Time(r.GetProperty("addedAt"))}  removed {Time(r.GetProperty("removedAt"))}  wiped {Time(r.GetProperty("wipedAt"))}");
            o.WriteLine($"    alerts {(alerts.Count == 0 ? "none" : string.Join(", ", alerts))}  captures {r.GetProperty("captures").GetInt32()} ({r.GetProperty("capturesStored").GetInt32()} still stored)");
        }
    }

    private static string TryError(string body)
    {
        try { return JsonDocument.Parse(body).RootElement.GetProperty("error").GetString() ?? body; }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException) { return body; }
    }
}
