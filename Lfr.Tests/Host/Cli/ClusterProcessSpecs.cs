using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Lfr.Tests.Actors.ControlRoom;
using Lfr.Tests.Fixtures;
using Xunit.Abstractions;

namespace Lfr.Tests.Host.Cli;

/// <summary>
/// A whole cluster of real <c>lfr node</c> processes on loopback, as an operator starts it: a control room with a data
/// folder, a console, and a van with a scene camera. The van's camera health reaches the console; the van is killed and
/// the console sees it unreachable, then a new van process takes its place. The times it takes are written to the test
/// output (docs/benchmarks.md): with a fixed cluster port for the van, and with <c>LFR_BENCH=1</c> also with port 0.
/// </summary>
public sealed class ClusterProcessSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);
    private readonly ITestOutputHelper _output = output;

    [Fact]
    public async Task A_van_process_should_join_report_its_camera_to_the_console_and_come_back_after_being_killed()
    {
        // a van restarted on its fixed port replaces its old incarnation at once; on a new port (0: any) the old one
        // must first be downed by the split-brain resolver (stable-after, 10 s)
        await KillAndRestartVanAsync(fixedVanPort: true);
        if (Environment.GetEnvironmentVariable("LFR_BENCH") == "1") await KillAndRestartVanAsync(fixedVanPort: false);
    }

    private async Task KillAndRestartVanAsync(bool fixedVanPort)
    {
        using var data = new TempFolder();
        var (clusterPort, controlRoomHttp, consoleHttp, vanHttp) = (NodeProcess.FreePort(), NodeProcess.FreePort(), NodeProcess.FreePort(), NodeProcess.FreePort());
        var seed = $"akka.tcp://lfr@127.0.0.1:{clusterPort}";
        string[] vanArgs =
        [
            "--role", "van", "--seed", seed, "--http-port", $"{vanHttp}", "--node-name", "van-1", "--data", data.File("van"),
            "--camera", $"front=scene:{SamplePhotos.Folder}@5fps", "--port", fixedVanPort ? $"{NodeProcess.FreePort()}" : "0",
        ];
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        using var controlRoom = new NodeProcess("--role", "control-room", "--port", $"{clusterPort}", "--http-port", $"{controlRoomHttp}",
            "--data", data.File("control-room"));
        NodeProcess? console = null, van = null, restarted = null;
        try
        {
            var ready = await ReadyAsync(http, controlRoomHttp);
            Assert.Contains("journal: Healthy (journal reachable", ready);
            // no web users configured: the node runs without its pages
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"http://127.0.0.1:{controlRoomHttp}/signin")).StatusCode);
            // the control room made its assignment key on its first start; a van is given a copy of the public half
            Directory.CreateDirectory(data.File("van"));
            File.Copy(data.File("control-room/assignment.pub"), data.File("van/assignment.pub"));

            console = new NodeProcess("--role", "console", "--seed", seed, "--http-port", $"{consoleHttp}");
            van = new NodeProcess(vanArgs);
            Assert.Contains("van-models: Healthy (models loaded", await ReadyAsync(http, vanHttp));
            await ReadyAsync(http, consoleHttp);

            var front = await AwaitCameraAsync(http, consoleHttp, c => c.GetProperty("vanReachable").GetBoolean() && c.GetProperty("fpsIn").GetDouble() > 0);
            Assert.Equal("Running", front.GetProperty("state").GetString());
            // the control room's hub hears the same
            await AwaitCameraAsync(http, controlRoomHttp, c => c.GetProperty("vanReachable").GetBoolean());

            var killed = Stopwatch.StartNew();
            van.Kill();
            await AwaitCameraAsync(http, consoleHttp, c => !c.GetProperty("vanReachable").GetBoolean());
            var detected = killed.Elapsed;

            var started = Stopwatch.StartNew();
            restarted = new NodeProcess(vanArgs);
            var reported = DateTimeOffset.UtcNow;
            await AwaitAssertAsync(async () =>
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{vanHttp}/healthz")).StatusCode), Generous, Poll);
            var alive = started.Elapsed;
            await AwaitCameraAsync(http, consoleHttp, c => c.GetProperty("vanReachable").GetBoolean() && c.GetProperty("healthAt").GetDateTimeOffset() > reported);
            var back = started.Elapsed;
            await ReadyAsync(http, vanHttp);
            var ready2 = started.Elapsed;

            _output.WriteLine($"van on {(fixedVanPort ? "a fixed port" : "port 0")}: van killed -> unreachable at the console: {detected.TotalSeconds:0.0} s; " +
                $"new van process -> alive (/healthz 200): {alive.TotalSeconds:0.0} s, -> its camera's health at the console: {back.TotalSeconds:0.0} s, -> /readyz 200 (Up): {ready2.TotalSeconds:0.0} s");
            Assert.False(controlRoom.HasExited || console.HasExited || restarted.HasExited, "a node exited");
        }
        catch
        {
            _output.WriteLine($"--- control room ---\n{controlRoom.Output}\n--- console ---\n{console?.Output}\n--- van ---\n{van?.Output}\n--- restarted van ---\n{restarted?.Output}");
            throw;
        }
        finally
        {
            restarted?.Dispose();
            van?.Dispose();
            console?.Dispose();
        }
    }

    /// <summary>Waits for the node's /readyz to answer 200 and returns its body (one line per check).</summary>
    private async Task<string> ReadyAsync(HttpClient http, int port)
    {
        var body = "";
        await AwaitAssertAsync(async () =>
        {
            using var response = await http.GetAsync($"http://127.0.0.1:{port}/readyz");
            body = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }, Generous, Poll);
        return body;
    }

    /// <summary>Waits until the node's /cameras lists van-1/front as <paramref name="condition"/> wants it.</summary>
    private async Task<JsonElement> AwaitCameraAsync(HttpClient http, int port, Func<JsonElement, bool> condition)
    {
        JsonElement camera = default;
        await AwaitAssertAsync(async () =>
        {
            using var document = JsonDocument.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/cameras"));
            camera = Assert.Single(document.RootElement.EnumerateArray(), c => c.GetProperty("camera").GetString() == "van-1/front").Clone();
            Assert.True(condition(camera), camera.ToString());
        }, Generous, Poll);
        return camera;
    }
}
