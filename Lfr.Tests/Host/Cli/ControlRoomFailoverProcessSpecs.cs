using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Lfr.Host.Demo;
using Lfr.Tests.Actors.ControlRoom;
using Lfr.Tests.Fixtures;
using Lfr.Vision;
using Lfr.Vision.Matching;
using Xunit.Abstractions;

namespace Lfr.Tests.Host.Cli;

/// <summary>
/// Two control rooms on one PostgreSQL are one control room: two control-room <c>lfr node</c> processes on one journal,
/// a van whose camera shows someone on the watchlist every ~10 s, and a console. During a live deployment the oldest
/// control room is killed with SIGKILL: within 30 s the other serves the operator's API (the deployment and its alerts)
/// and stores the van's alerts; the killed one, restarted, rejoins; then it, now the youngest, is killed too and the
/// oldest serves on. Every alert the van's outbox took reaches the control room once, and the audit chain verifies.
/// The times go to the test output (docs/benchmarks.md).
/// </summary>
public sealed class ControlRoomFailoverProcessSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Takeover = TimeSpan.FromSeconds(30);
    private readonly ITestOutputHelper _output = output;

    [PostgresFact]
    public async Task Killing_either_control_room_should_leave_the_other_serving_operators_and_vans_within_30_s_with_nothing_lost()
    {
        using var postgres = ThrowAwayPostgres.Start();
        using var data = new TempFolder();
        var fileImage = MissionScene.Write(data, 3);
        var password = $"pw-{Guid.NewGuid():N}";
        // one audit key for the control room, whichever node writes its log (each test node has a home of its own)
        var users = new Dictionary<string, string>(WebDeployment.Environment(password))
        {
            ["LFR_AUDIT_KEY"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        };
        var (firstPort, secondPort) = (NodeProcess.FreePort(), NodeProcess.FreePort());
        var (firstHttp, secondHttp, vanHttp, consoleHttp) = (NodeProcess.FreePort(), NodeProcess.FreePort(), NodeProcess.FreePort(), NodeProcess.FreePort());
        string Address(int port) => $"akka.tcp://lfr@127.0.0.1:{port}";
        string[] ControlRoomArgs(int port, int http, string folder, string? seed) =>
        [
            "--role", "control-room", "--port", $"{port}", "--http-port", $"{http}", "--data", data.File(folder), "--postgres", postgres.Connection,
            .. seed is null ? Array.Empty<string>() : ["--seed", seed],
        ];
        var bothSeeds = $"{Address(firstPort)},{Address(secondPort)}";

        using var http = TestHttps.Client();
        http.Timeout = TimeSpan.FromSeconds(5);
        var first = NodeProcess.Node(users, ControlRoomArgs(firstPort, firstHttp, "first", null));
        NodeProcess? second = null, van = null, console = null, restarted = null;
        try
        {
            await ReadyAsync(http, firstHttp);
            // the vans verify what any control room signs: one assignment key for every control room (the vans hold its
            // public half), and one watchlist key for the signed watchlist files they import
            foreach (var folder in new[] { "second", "van" })
                Directory.CreateDirectory(data.File(folder));
            foreach (var file in new[] { "assignment.key", "assignment.pub", "watchlist.key" })
                File.Copy(data.File($"first/{file}"), data.File($"second/{file}"));
            File.Copy(data.File("first/assignment.pub"), data.File("van/assignment.pub"));
            second = NodeProcess.Node(users, ControlRoomArgs(secondPort, secondHttp, "second", Address(firstPort)));
            await ReadyAsync(http, secondHttp);
            van = new NodeProcess("--role", "van", "--seed", bothSeeds, "--http-port", $"{vanHttp}", "--node-name", "van-1", "--data", data.File("van"),
                "--camera", $"front=scene:{data.File("scene")}@5fps");
            console = NodeProcess.Node(users, "--role", "console", "--seed", bothSeeds, "--http-port", $"{consoleHttp}");
            await ReadyAsync(http, vanHttp);

            var deployment = await WebDeployment.GoLiveAsync($"https://127.0.0.1:{firstHttp}", password, "van-1/front", fileImage);
            using (var operatorFirst = await WebDeployment.SignInAsync($"https://127.0.0.1:{firstHttp}", "operator", password))
                await AwaitAssertAsync(async () => Assert.True(await CapturesAsync(operatorFirst) > 0), Generous, Poll);

            // the web on every control room: the second's operator API answers from the singletons on the first
            using (var operatorSecond = await WebDeployment.SignInAsync($"https://127.0.0.1:{secondHttp}", "operator", password))
                await AwaitAssertAsync(async () => Assert.True(await CapturesAsync(operatorSecond) > 0), Generous, Poll);

            // the oldest control room, which runs the singletons, crashes
            var (took, captures) = await FailOverAsync(http, first, secondHttp, vanHttp, deployment, password, "oldest");

            // restarted, it rejoins through the survivor, now as the youngest control room
            restarted = NodeProcess.Node(users, ControlRoomArgs(firstPort, firstHttp, "first", Address(secondPort)));
            var rejoining = Stopwatch.StartNew();
            await ReadyAsync(http, firstHttp);
            _output.WriteLine($"the killed control room restarted -> ready (a member again) {rejoining.Elapsed.TotalSeconds:0.0} s");
            await AwaitAssertAsync(async () => Assert.Equal(2.0, await MembersAsync(http, secondHttp, "control-room")), Generous, Poll);

            // the youngest crashes: the oldest serves on
            var (tookAgain, _) = await FailOverAsync(http, restarted, secondHttp, vanHttp, deployment, password, "youngest");

            Assert.True(took < Takeover, $"the survivor took over {took.TotalSeconds:0.0} s after the oldest was killed");
            Assert.True(tookAgain < Takeover, $"the oldest served again {tookAgain.TotalSeconds:0.0} s after the youngest was killed");
            Assert.True(captures > 0);
            Assert.False(second.HasExited || van.HasExited || console.HasExited, "a node that was not killed exited");
        }
        catch
        {
            _output.WriteLine($"--- first ---\n{first.Output}\n--- second ---\n{second?.Output}\n--- van ---\n{van?.Output}\n" +
                $"--- restarted first ---\n{restarted?.Output}\n--- console ---\n{console?.Output}");
            throw;
        }
        finally
        {
            restarted?.Dispose();
            console?.Dispose();
            van?.Dispose();
            second?.Dispose();
            first.Dispose();
        }
    }

    /// <summary>
    /// SIGKILL to <paramref name="victim"/>; then, on the survivor: the operator's API lists the deployment and its alerts,
    /// an alert captured after the kill is stored, every alert the van's outbox took is there once, and the audit chain
    /// verifies. Returns the time from the kill to the survivor's answer, and the captures it holds.
    /// </summary>
    private async Task<(TimeSpan Took, long Captures)> FailOverAsync(HttpClient http, NodeProcess victim, int survivorHttp, int vanHttp,
        string deployment, string password, string which)
    {
        var site = $"https://127.0.0.1:{survivorHttp}";
        using var operatorUser = await WebDeployment.SignInAsync(site, "operator", password);
        victim.Crash();
        var killed = Stopwatch.StartNew();

        long before = 0;
        await AwaitAssertAsync(async () =>
        {
            using var queue = JsonDocument.Parse(await operatorUser.GetStringAsync("/api/alerts"));
            Assert.Contains(deployment, queue.RootElement.GetProperty("deployments").EnumerateArray().Select(d => d.GetString()));
            before = Captures(queue);
            Assert.True(before > 0);
        }, Generous, Poll);
        var took = killed.Elapsed;
        // the van's outbox delivers to the survivor what it captures after the kill
        await AwaitAssertAsync(async () => Assert.True(await CapturesAsync(operatorUser) > before), Generous, Poll);
        var delivered = killed.Elapsed;

        // exactly once: every alert the outbox took is one capture, none missing, none twice
        long captures = 0;
        await AwaitAssertAsync(async () =>
        {
            Assert.Equal(0, await MissionScene.MetricAsync(http, vanHttp, "lfr_alert_outbox_pending"));
            captures = await CapturesAsync(operatorUser);
            Assert.Equal((long)await MissionScene.MetricAsync(http, vanHttp, "lfr_alert_outbox_accepted_total"), captures);
        }, Generous, Poll);

        using var auditor = await WebDeployment.SignInAsync(site, "auditor", password);
        using (var audit = JsonDocument.Parse(await auditor.GetStringAsync("/api/audit")))
            Assert.True(audit.RootElement.GetProperty("intact").GetBoolean(), audit.RootElement.GetProperty("problem").ToString());
        _output.WriteLine($"SIGKILL to the {which} control room -> the other lists the deployment and its alerts {took.TotalSeconds:0.0} s, " +
            $"-> stores an alert captured after the kill {delivered.TotalSeconds:0.0} s; {captures} captures, each of the van's alerts once; audit chain intact");
        return (took, captures);
    }

    private static long Captures(JsonDocument queue) =>
        queue.RootElement.GetProperty("alerts").EnumerateArray().Sum(a => a.GetProperty("captures").GetArrayLength());

    private static async Task<long> CapturesAsync(HttpClient operatorUser)
    {
        using var queue = JsonDocument.Parse(await operatorUser.GetStringAsync("/api/alerts"));
        return Captures(queue);
    }

    /// <summary>The Up members of a role on a node's /metrics.</summary>
    private static async Task<double> MembersAsync(HttpClient http, int port, string role) =>
        (await http.GetStringAsync($"https://127.0.0.1:{port}/metrics")).Split('\n')
        .Where(l => l.StartsWith("lfr_cluster_members{", StringComparison.Ordinal) && l.Contains($"role=\"{role}\"") && l.Contains("status=\"Up\""))
        .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));



    private async Task ReadyAsync(HttpClient http, int port) =>
        await AwaitAssertAsync(async () =>
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"https://127.0.0.1:{port}/readyz")).StatusCode), Generous, Poll);
}
