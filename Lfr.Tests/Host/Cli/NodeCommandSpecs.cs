using System.Net;
using Xunit.Abstractions;

namespace Lfr.Tests.Host.Cli;

/// <summary><c>lfr node</c> as an operator runs it: real processes on loopback, checked through their HTTP endpoints.</summary>
public sealed class NodeCommandSpecs : Akka.TestKit.Xunit2.TestKit
{
    private readonly ITestOutputHelper _output;

    public NodeCommandSpecs(ITestOutputHelper output) : base(output: output) => _output = output;

    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task Control_room_and_van_processes_should_form_a_cluster_report_ready_and_leave_on_SIGTERM()
    {
        var (clusterPort, controlRoomHttp, vanHttp) = (NodeProcess.FreePort(), NodeProcess.FreePort(), NodeProcess.FreePort());
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        using var controlRoom = new NodeProcess("--role", "control-room", "--port", $"{clusterPort}", "--http-port", $"{controlRoomHttp}");
        using var van = new NodeProcess("--role", "van", "--seed", $"akka.tcp://lfr@127.0.0.1:{clusterPort}", "--http-port", $"{vanHttp}");
        try
        {
            await AwaitAssertAsync(async () =>
            {
                Assert.False(controlRoom.HasExited || van.HasExited, "a node exited");
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{controlRoomHttp}/readyz")).StatusCode);
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{vanHttp}/readyz")).StatusCode);
            }, Generous, TimeSpan.FromMilliseconds(500));

            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{vanHttp}/healthz")).StatusCode);
            var metrics = await http.GetStringAsync($"http://127.0.0.1:{controlRoomHttp}/metrics");
            Assert.Contains("# TYPE lfr_cluster_members gauge", metrics);
            Assert.Matches("""lfr_cluster_members\{node="[^"]+",role="van",status="Up"\} 1""", metrics);
            Assert.Matches("""lfr_cluster_unreachable\{node="[^"]+"\} 0""", metrics);

            van.Terminate();
            await van.WaitForExitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(0, van.ExitCode);
            // left, not crashed: the control room removes it without waiting for the failure detector
            await AwaitAssertAsync(async () =>
                Assert.DoesNotContain("role=\"van\"", await http.GetStringAsync($"http://127.0.0.1:{controlRoomHttp}/metrics")),
                TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(500));
        }
        catch
        {
            _output.WriteLine($"--- control room ---\n{controlRoom.Output}\n--- van ---\n{van.Output}");
            throw;
        }
    }

    [Fact]
    public async Task A_van_downed_when_the_control_room_crashes_should_restart_itself_and_rejoin_the_returning_control_room()
    {
        var (clusterPort, controlRoomHttp, vanHttp) = (NodeProcess.FreePort(), NodeProcess.FreePort(), NodeProcess.FreePort());
        string[] controlRoomArgs = ["--role", "control-room", "--port", $"{clusterPort}", "--http-port", $"{controlRoomHttp}"];
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        using var controlRoom = new NodeProcess(controlRoomArgs);
        using var van = new NodeProcess("--role", "van", "--seed", $"akka.tcp://lfr@127.0.0.1:{clusterPort}", "--http-port", $"{vanHttp}");
        NodeProcess? returned = null;
        try
        {
            await AwaitAssertAsync(async () =>
            {
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{controlRoomHttp}/readyz")).StatusCode);
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{vanHttp}/readyz")).StatusCode);
            }, Generous, TimeSpan.FromMilliseconds(500));

            controlRoom.Kill();

            // with no control room reachable the van downs itself (after the resolver's 10 s stable-after), and the
            // same process starts a fresh node that waits for a seed: alive, not ready
            await AwaitAssertAsync(
                () => Assert.Contains("Downed by the cluster; starting a fresh van node to rejoin", van.Output),
                TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(500));
            await AwaitAssertAsync(async () =>
                Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync($"http://127.0.0.1:{vanHttp}/readyz")).StatusCode),
                Generous, TimeSpan.FromMilliseconds(500));
            Assert.False(van.HasExited);

            returned = new NodeProcess(controlRoomArgs);
            await AwaitAssertAsync(async () =>
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{vanHttp}/readyz")).StatusCode),
                Generous, TimeSpan.FromMilliseconds(500));
            Assert.Matches("""lfr_cluster_members\{node="[^"]+",role="van",status="Up"\} 1""",
                await http.GetStringAsync($"http://127.0.0.1:{controlRoomHttp}/metrics"));
        }
        catch
        {
            _output.WriteLine($"--- van ---\n{van.Output}\n--- returned control room ---\n{returned?.Output}");
            throw;
        }
        finally
        {
            returned?.Dispose();
        }
    }

    [Fact]
    public void A_node_with_invalid_settings_should_list_them_and_exit_2()
    {
        using var lfr = new LfrProcess();

        var result = lfr.Run("node", "--role", "van", "--port", "many");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Lfr:Node:Port: 'many' is not a port number", result.StdErr);
        Assert.Contains("Lfr:Node:Seeds: a van node needs at least one control-room address", result.StdErr);
    }

    [Fact]
    public void A_van_given_cameras_on_the_command_line_should_have_each_checked_before_it_starts()
    {
        using var lfr = new LfrProcess();

        var result = lfr.Run("node", "--role", "van", "--seed", "akka.tcp://lfr@127.0.0.1:4053",
            "--camera", "front=/nonexistent/clip.mp4@90fps", "--camera", "rear=scene:/nonexistent/faces");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Lfr:Node:Cameras:0:Fps: 90 is outside (0, 60]", result.StdErr);
        Assert.Contains("Lfr:Node:Cameras:0:Source: video file '/nonexistent/clip.mp4' does not exist", result.StdErr);
        Assert.Contains("Lfr:Node:Cameras:1:Source: scene folder '/nonexistent/faces' does not exist", result.StdErr);
        Assert.Contains("Lfr:Node:Cameras: need Lfr:Node:DataFolder too", result.StdErr);
    }
}
