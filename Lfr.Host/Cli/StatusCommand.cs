using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Lfr.Actors.Van.Outbox;
using Lfr.Host.Web;

namespace Lfr.Host.Cli;

/// <summary>
/// <c>lfr status [--url URL] [--user NAME] [--certificate FILE] [--json]</c>: what the ops console shows, in the terminal.
/// It signs in to the control room's web app over HTTPS (a certificate the system trusts, or the one <c>--certificate</c>
/// names: the node's own, e.g. a self-signed DIR/https.pfx, or the CA that issued it) (user from <c>--user</c> or <c>LFR_USER</c>, password from <c>LFR_PASSWORD</c>, the
/// terminal or standard input) and reads <c>GET /api/status</c>. Exit code 1 when something is failing.
/// </summary>
public static class StatusCommand
{
    public const string DefaultUrl = "https://127.0.0.1:8080";

    public static int Run(CliArgs args)
    {
        var url = (args.Option("url") ?? DefaultUrl).TrimEnd('/');
        var user = args.Option("user") ?? Environment.GetEnvironmentVariable("LFR_USER")
            ?? throw new CliException("say who signs in: --user NAME (or LFR_USER)");
        var json = args.Flag("json");
        var certificate = args.Option("certificate") is { } file ? TrustedCertificate.Load(file) : null;
        args.RejectUnknown();
        if (args.Positional.Count > 0) throw new CliException($"unexpected argument '{args.Positional[0]}'");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
            throw new CliException($"--url must be an http(s) address, not '{url}'");
        var body = SignedInCall.Run(baseUri, user, certificate, TimeSpan.FromSeconds(20), http =>
        {
            var status = http.GetAsync("/api/status").GetAwaiter().GetResult();
            if (status.StatusCode == HttpStatusCode.Forbidden) throw new CliException($"{user} may not read the status (roles: ops, operator, superintendents, auditor)");
            status.EnsureSuccessStatusCode();
            return status.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        });
        if (body is null) return 1;

        using var document = JsonDocument.Parse(body);
        if (json)
            Console.Out.WriteLine(body);
        else
            Print(document.RootElement, url, Console.Out);
        return Failing(document.RootElement) ? 1 : 0;
    }

    public static bool Failing(JsonElement s) =>
        s.GetProperty("cameras").EnumerateArray().Any(c => c.GetProperty("failing").GetBoolean())
        || !s.GetProperty("journal").GetProperty("healthy").GetBoolean()
        || s.GetProperty("members") is { ValueKind: JsonValueKind.Array } members
           && members.EnumerateArray().Any(m => m.GetProperty("status").GetString() != "Up" || !m.GetProperty("reachable").GetBoolean())
        || s.GetProperty("reports").EnumerateArray().Any(r => r.TryGetProperty("outboxLate", out var late) && late.GetBoolean());

    public static void Print(JsonElement s, string url, TextWriter o)
    {
        string Time(JsonElement e) => e.ValueKind == JsonValueKind.Null ? "-" : e.GetDateTimeOffset().ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        o.WriteLine($"Lfr status at {Time(s.GetProperty("at"))} from {url}");
        o.WriteLine();
        o.WriteLine("Cluster");
        if (s.GetProperty("members") is { ValueKind: JsonValueKind.Array } members)
            foreach (var m in members.EnumerateArray())
                o.WriteLine($"  {m.GetProperty("address").GetString(),-40} {string.Join(",", m.GetProperty("roles").EnumerateArray().Select(r => r.GetString())),-16} {m.GetProperty("status").GetString()}{(m.GetProperty("reachable").GetBoolean() ? "" : " UNREACHABLE")}");
        else
            o.WriteLine("  (not a cluster member)");
        o.WriteLine();
        o.WriteLine("Cameras");
        var cameras = s.GetProperty("cameras").EnumerateArray().ToList();
        if (cameras.Count == 0) o.WriteLine("  (none report to this node)");
        foreach (var c in cameras)
        {
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {c.GetProperty("camera").GetString(),-20} {(c.GetProperty("failing").GetBoolean() ? "FAILING " : "")}{c.GetProperty("state").GetString(),-12} in {c.GetProperty("fpsIn").GetDouble(),5:0.0} fps  processed {c.GetProperty("fpsProcessed").GetDouble(),5:0.0} fps  dropped {c.GetProperty("framesDropped").GetInt64()}  restarts {c.GetProperty("restarts").GetInt32()}  last frame {Time(c.GetProperty("lastFrameAt"))}"));
            // why a camera is reconnecting (refused credentials, nothing answers...), already without its address's credentials
            if (c.GetProperty("failing").GetBoolean() && c.TryGetProperty("lastError", out var error) && error.ValueKind == JsonValueKind.String)
                o.WriteLine($"  {"",-20} last error: {error.GetString()}");
            if (c.TryGetProperty("latencies", out var l) && l.ValueKind == JsonValueKind.Object)
                o.WriteLine($"  {"",-20} ms p50/p99: detect {Latency(l.GetProperty("detect"))}  track-embed {Latency(l.GetProperty("trackEmbed"))}  match {Latency(l.GetProperty("match"))}  capture to alert {Latency(l.GetProperty("alert"))}");
            if (c.TryGetProperty("detector", out var d) && d.ValueKind == JsonValueKind.Object)
                o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {"",-20} detector: {d.GetProperty("runsPerFrame").GetDouble():0.0} runs/frame, {d.GetProperty("tileShare").GetDouble():P0} of tiles (budget {(d.GetProperty("budget").GetInt32() is var b and > 0 ? b.ToString(CultureInfo.InvariantCulture) : "0: every tile")})"));
        }
        o.WriteLine();
        o.WriteLine("Live deployments");
        var deployments = s.GetProperty("deployments").EnumerateArray().ToList();
        if (deployments.Count == 0) o.WriteLine("  (none)");
        foreach (var d in deployments)
        {
            var entries = d.GetProperty("watchlistEntries");
            o.WriteLine($"  {d.GetProperty("id").GetString(),-24} watchlist {d.GetProperty("watchlist").GetString()} ({(entries.ValueKind == JsonValueKind.Null ? "not built" : entries.GetInt32() + " entries")})  window ends {Time(d.GetProperty("windowEnd"))}");
        }
        o.WriteLine($"  next daily wipe {Time(s.GetProperty("nextWipe"))}");
        o.WriteLine();
        var journal = s.GetProperty("journal");
        o.WriteLine(journal.GetProperty("healthy").GetBoolean()
            ? $"Journal   healthy, read {Time(journal.GetProperty("lastReadAt"))} in {journal.GetProperty("lastReadMs").GetDouble().ToString("0.0", CultureInfo.InvariantCulture)} ms"
            : $"Journal   FAILING: {journal.GetProperty("error").GetString()}");
        foreach (var c in s.GetProperty("checks").EnumerateArray())
            o.WriteLine($"Check     {c.GetProperty("name").GetString()}: {c.GetProperty("status").GetString()}");
        var reports = s.GetProperty("reports").EnumerateArray().ToList();
        if (reports.Count > 0)
        {
            o.WriteLine();
            o.WriteLine("Node reports");
            foreach (var r in reports)
            {
                o.WriteLine($"  {r.GetProperty("address").GetString(),-40} {r.GetProperty("role").GetString(),-12} {r.GetProperty("status").GetString()}{(r.GetProperty("silent").GetBoolean() ? " SILENT" : "")}  " +
                            string.Join(", ", r.GetProperty("counters").EnumerateObject().Select(p => $"{p.Name} {p.Value}")));
                var counters = r.GetProperty("counters");
                if (counters.TryGetProperty(AlertOutbox.PendingCounter, out var pending))
                    o.WriteLine($"  {"",-40} outbox {pending.GetInt64()} waiting" +
                                (pending.GetInt64() > 0 ? $", oldest {counters.GetProperty(AlertOutbox.OldestAgeCounter).GetInt64() / 1000} s" : "") +
                                (r.TryGetProperty("outboxLate", out var late) && late.GetBoolean() ? "  LATE" : ""));
            }
        }
    }

    private static string Latency(JsonElement l) => l.ValueKind == JsonValueKind.Null ? "-"
        : string.Create(CultureInfo.InvariantCulture, $"{l.GetProperty("p50Ms").GetDouble():0.#}/{l.GetProperty("p99Ms").GetDouble():0.#}");
}
