using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Lfr.Host.Demo;
using Lfr.Tests.Actors.ControlRoom;
using Lfr.Vision;
using Lfr.Vision.Matching;
using Xunit.Abstractions;
using Lfr.Tests.Fixtures;

namespace Lfr.Tests.Host.Cli;

/// <summary>
/// A van whose link to the control room is really cut: a control room and a van, each an <c>lfr node</c> process, that
/// reach each other only through a <see cref="LinkProxy"/> each (Akka.Remote dials both ways, so each node gives its
/// relay's port as its public port). During a live deployment the link is cut for 10 s, then for 60 s (six times the
/// split-brain resolver's stable-after: the cluster downs the van), and with <c>LFR_BENCH=1</c> also for 10 minutes. The
/// van carries on alone: it keeps recognising, its alerts wait in its outbox, its probes answer. Once the link is back it
/// rejoins by itself, with no restart, every alert raised meanwhile reaches the control room once, and it alerts again on
/// the same watchlist. Then the van process is killed and restarted during the deployment: it gets its assignment back
/// and alerts again within seconds. The times are written to the test output (docs/benchmarks.md).
/// </summary>
public sealed class VanCutOffProcessSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);
    private readonly ITestOutputHelper _output = output;

    /// <summary>Since a new capture last reached the control room's operator queue.</summary>
    private readonly Stopwatch _sinceCapture = new();

    [Fact]
    public async Task A_van_cut_off_should_carry_on_alone_and_rejoin_by_itself_with_every_alert_delivered_once()
    {
        using var data = new TempFolder();
        var fileImage = MissionScene.Write(data, 6);
        var password = $"pw-{Guid.NewGuid():N}";
        var (controlRoomPort, vanPort, controlRoomHttp, vanHttp) = (NodeProcess.FreePort(), NodeProcess.FreePort(), NodeProcess.FreePort(), NodeProcess.FreePort());
        // every connection to a node goes through its relay: the van's link is both relays
        await using var toControlRoom = new LinkProxy(controlRoomPort);
        await using var toVan = new LinkProxy(vanPort);
        string[] vanArgs =
        [
            "--role", "van", "--seed", $"akka.tcp://lfr@127.0.0.1:{toControlRoom.Port}", "--port", $"{vanPort}", "--public-port", $"{toVan.Port}",
            "--http-port", $"{vanHttp}", "--node-name", "van-1", "--data", data.File("van"), "--camera", $"front=scene:{data.File("scene")}@5fps",
        ];
        using var http = TestHttps.Client();
        http.Timeout = TimeSpan.FromSeconds(5);
        using var controlRoom = NodeProcess.Node(WebDeployment.Environment(password), "--role", "control-room", "--port", $"{controlRoomPort}",
            "--public-port", $"{toControlRoom.Port}", "--http-port", $"{controlRoomHttp}", "--data", data.File("control-room"));
        NodeProcess? van = null, restarted = null;
        try
        {
            await ReadyAsync(http, controlRoomHttp);
            Directory.CreateDirectory(data.File("van"));
            File.Copy(data.File("control-room/assignment.pub"), data.File("van/assignment.pub"));
            van = new NodeProcess(vanArgs);
            await ReadyAsync(http, vanHttp);

            var site = $"{TestHttps.Url(controlRoomHttp)}";
            await WebDeployment.GoLiveAsync(site, password, "van-1/front", fileImage);
            using var operatorUser = await WebDeployment.SignInAsync(site, "operator", password);
            await NewCaptureAsync(operatorUser, than: 0);

            var cuts = Environment.GetEnvironmentVariable("LFR_BENCH") == "1" ? new[] { 10, 60, 600 } : [10, 60];
            foreach (var seconds in cuts)
                await CutAsync(http, operatorUser, van, [toControlRoom, toVan], vanHttp, TimeSpan.FromSeconds(seconds));

            // a van process restarted during the live deployment asks for its assignment again and alerts again
            var before = await CapturesAsync(operatorUser);
            van.Kill();
            var started = Stopwatch.StartNew();
            restarted = new NodeProcess(vanArgs);
            await ReadyAsync(http, vanHttp);
            var ready = started.Elapsed;
            await AwaitAssertAsync(() => Assert.Contains("assigned with watchlist", restarted.Output), Generous, Poll);
            var assigned = started.Elapsed;
            await AwaitAssertAsync(async () => Assert.True(await CapturesAsync(operatorUser) > before), Generous, Poll);
            _output.WriteLine($"van process killed and restarted during the deployment: -> Up and reaching the control room {ready.TotalSeconds:0.0} s, " +
                $"-> holds the deployment's watchlist again {assigned.TotalSeconds:0.0} s, -> its next alert stored at the control room " +
                $"{started.Elapsed.TotalSeconds:0.0} s (the one on the watchlist walks past every 16.5 s)");
            Assert.False(controlRoom.HasExited || restarted.HasExited, "a node exited");

            // a van that carried on alone through its cut-offs still leaves gracefully on a service manager's stop
            restarted.Terminate();
            await restarted.WaitForExitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(0, restarted.ExitCode);
            if (Environment.GetEnvironmentVariable("LFR_TEST_DUMP") == "1") _output.WriteLine($"--- van ---\n{van.Output}");
        }
        catch
        {
            _output.WriteLine($"--- control room ---\n{controlRoom.Output}\n--- van ---\n{van?.Output}\n--- restarted van ---\n{restarted?.Output}");
            throw;
        }
        finally
        {
            restarted?.Dispose();
            van?.Dispose();
        }
    }

    private async Task CutAsync(HttpClient http, HttpClient operatorUser, NodeProcess van, LinkProxy[] link, int vanHttp, TimeSpan length)
    {
        // from a settled start: the outbox empty, every capture so far at the control room
        await AwaitAssertAsync(async () => Assert.Equal(0, await MissionScene.MetricAsync(http, vanHttp, "lfr_alert_outbox_pending")), Generous, Poll);
        var captures = await CapturesAsync(operatorUser);
        var downedBefore = Downings(van);
        // the one on the watchlist walks past every 16.5 s: a cut that starts 8 s after a passage has the next one in it
        if (_sinceCapture.Elapsed > TimeSpan.FromSeconds(7)) await NewCaptureAsync(operatorUser, captures);
        await Task.Delay(TimeSpan.FromSeconds(Math.Max(0, 8 - _sinceCapture.Elapsed.TotalSeconds)));
        await AwaitAssertAsync(async () => Assert.Equal(0, await MissionScene.MetricAsync(http, vanHttp, "lfr_alert_outbox_pending")), Generous, Poll);
        var accepted = await MissionScene.MetricAsync(http, vanHttp, "lfr_alert_outbox_accepted_total");
        captures = await CapturesAsync(operatorUser);

        foreach (var proxy in link) proxy.Cut();
        var cut = Stopwatch.StartNew();
        // alone, the van answers its probes and keeps recognising into its outbox
        while (cut.Elapsed < length)
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"{TestHttps.Url(vanHttp)}/healthz")).StatusCode);
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        using (var ready = await http.GetAsync($"{TestHttps.Url(vanHttp)}/readyz"))
            if (length >= TimeSpan.FromSeconds(30))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
                Assert.Contains("carries on alone", await ready.Content.ReadAsStringAsync());
            }
        var raisedAlone = await MissionScene.MetricAsync(http, vanHttp, "lfr_alert_outbox_accepted_total") - accepted;
        var waiting = await MissionScene.MetricAsync(http, vanHttp, "lfr_alert_outbox_pending");
        Assert.True(raisedAlone > 0 && waiting > 0, $"{raisedAlone} alerts raised, {waiting} waiting after {length.TotalSeconds:0} s alone");

        foreach (var proxy in link) proxy.Restore();
        var restored = Stopwatch.StartNew();
        await ReadyAsync(http, vanHttp);
        var rejoined = restored.Elapsed;
        // exactly once: every alert the outbox took is one capture at the control room, none missing, none twice
        long delivered = 0;
        await AwaitAssertAsync(async () =>
        {
            Assert.Equal(0, await MissionScene.MetricAsync(http, vanHttp, "lfr_alert_outbox_pending"));
            var taken = await MissionScene.MetricAsync(http, vanHttp, "lfr_alert_outbox_accepted_total") - accepted;
            delivered = await CapturesAsync(operatorUser) - captures;
            Assert.Equal(taken, delivered);
        }, Generous, Poll);
        var drained = restored.Elapsed;
        // and it alerts again on the watchlist it kept
        await NewCaptureAsync(operatorUser, captures + delivered);
        var again = restored.Elapsed;

        var downed = Downings(van) - downedBefore;
        _output.WriteLine($"link cut {length.TotalSeconds:0} s: {raisedAlone:0} alerts raised alone ({waiting:0} waiting at the end), downed {downed} time(s); " +
            $"link back -> van Up and reaching the control room {rejoined.TotalSeconds:0.0} s, -> outbox drained, {delivered:0} alerts stored once " +
            $"{drained.TotalSeconds:0.0} s, -> next alert stored {again.TotalSeconds:0.0} s");
        Assert.False(van.HasExited, "the van process exited");
        // six times stable-after: the cluster removed the van, which carried on and joined again as a new member
        if (length >= TimeSpan.FromSeconds(60)) Assert.True(downed > 0, "the van was not downed");
    }

    private async Task NewCaptureAsync(HttpClient operatorUser, long than)
    {
        await AwaitAssertAsync(async () => Assert.True(await CapturesAsync(operatorUser) > than), Generous, Poll);
        _sinceCapture.Restart();
    }

    private static int Downings(NodeProcess van) => van.Output.Split("it carries on alone and a new membership joins").Length - 1;

    /// <summary>Captures of every alert in the operator's queue (one merged alert holds each later capture of the same person).</summary>
    private static async Task<long> CapturesAsync(HttpClient operatorUser)
    {
        using var queue = JsonDocument.Parse(await operatorUser.GetStringAsync("/api/alerts"));
        return queue.RootElement.GetProperty("alerts").EnumerateArray().Sum(a => a.GetProperty("captures").GetArrayLength());
    }

    /// <summary>The sum of a metric's series on a node's /metrics (0 when it has none yet).</summary>


    private async Task ReadyAsync(HttpClient http, int port) =>
        await AwaitAssertAsync(async () =>
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"{TestHttps.Url(port)}/readyz")).StatusCode), Generous, Poll);
}
