using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Lfr.Actors.Van.Cameras;
using Lfr.Host.Demo;
using Lfr.Host.Web.Auth;
using Lfr.Tests.Actors.ControlRoom;
using Lfr.Vision;
using Lfr.Vision.Matching;
using OpenCvSharp;
using Xunit.Abstractions;

namespace Lfr.Tests.Host.Cli;

/// <summary>
/// The web pages as the real cluster serves them: a control room (with a data folder), a console and a van whose camera
/// is a video file, each its own <c>lfr node</c> process, with users from <c>LFR__WEB__USERS__...</c>. People sign in over HTTP,
/// run a deployment from plan to live with a watchlist built from an uploaded file image, and the alert the van raises
/// when that person walks past its camera reaches the control room's operator API.
/// </summary>
public sealed class ClusterWebProcessSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);
    private readonly ITestOutputHelper _output = output;

    [Fact]
    public async Task A_deployment_run_in_the_control_rooms_web_pages_should_receive_the_alert_a_van_process_raises_from_its_video_camera()
    {
        using var data = new TempFolder();
        var (clusterPort, controlRoomHttp, consoleHttp, vanHttp) = (NodeProcess.FreePort(), NodeProcess.FreePort(), NodeProcess.FreePort(), NodeProcess.FreePort());
        var seed = $"akka.tcp://lfr@127.0.0.1:{clusterPort}";
        var password = $"pw-{Guid.NewGuid():N}";
        var users = WebDeployment.Environment(password);

        // someone on the watchlist (their file image) who walks past the van's camera (other photos of them), and a stranger
        DemoSuspect suspect;
        using (var engine = FaceEngine.Load())
        {
            using var cast = DemoCast.Choose(engine, CalibrationStore.ForModel(engine.EmbeddingModelSha256).CosineAt(0.6f), DemoCast.FindLfw());
            suspect = cast.Watchlist[0];
            var walker = Directory.CreateDirectory(data.File("scene/a-suspect")).FullName;
            foreach (var photo in suspect.Walks) File.Copy(photo, Path.Combine(walker, Path.GetFileName(photo)));
            var stranger = Directory.CreateDirectory(data.File("scene/b-stranger")).FullName;
            foreach (var photo in cast.PassersBy[0].Walks) File.Copy(photo, Path.Combine(stranger, Path.GetFileName(photo)));
            File.Copy(suspect.FileImage, data.File($"{suspect.Id.Value}.jpg"));
        }
        // the van's camera is a video file read through OpenCV, as a recorded or network camera is: the two walk in it
        var video = WriteVideo(data.File("scene"), data.File("front.avi"));

        using var anonymous = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var controlRoom = NodeProcess.Node(users, "--role", "control-room", "--port", $"{clusterPort}", "--http-port", $"{controlRoomHttp}",
            "--data", data.File("control-room"));
        NodeProcess? console = null, van = null;
        try
        {
            await ReadyAsync(anonymous, controlRoomHttp);
            Directory.CreateDirectory(data.File("van"));
            File.Copy(data.File("control-room/assignment.pub"), data.File("van/assignment.pub"));
            console = NodeProcess.Node(users, "--role", "console", "--seed", seed, "--http-port", $"{consoleHttp}");
            van = new NodeProcess("--role", "van", "--seed", seed, "--http-port", $"{vanHttp}", "--node-name", "van-1", "--data", data.File("van"),
                "--camera", $"front={video}");
            await ReadyAsync(anonymous, vanHttp);
            await ReadyAsync(anonymous, consoleHttp);

            var site = $"http://127.0.0.1:{controlRoomHttp}";
            // the probes stay open next to the pages, which want a signed-in user
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"{site}/healthz")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"{site}/api/alerts")).StatusCode);

            var deployment = await WebDeployment.GoLiveAsync(site, password, "van-1/front", data.File($"{suspect.Id.Value}.jpg"));
            using var operatorUser = await SignInAsync(site, "operator", password);
            var started = Stopwatch.StartNew();

            // the van's alert crossed from its process to the control room's, and the operator's queue shows it
            JsonElement alert = default;
            await AwaitAssertAsync(async () =>
            {
                using var queue = JsonDocument.Parse(await operatorUser.GetStringAsync("/api/alerts"));
                alert = queue.RootElement.GetProperty("alerts").EnumerateArray().First().Clone();
            }, Generous, Poll);
            _output.WriteLine($"deployment started -> the van's alert in the control room's operator queue (HTTP): {started.Elapsed.TotalSeconds:0.0} s");
            Assert.Equal(deployment, alert.GetProperty("deployment").GetString());
            // the only one on the watchlist; the stranger who walks past raises nothing
            Assert.Equal(suspect.Id.Value, alert.GetProperty("entry").GetString());
            // the camera as the deployment and the operator name it: the van's camera called front on van-1
            Assert.Equal("van-1/front", alert.GetProperty("camera").GetString());
            Assert.True(alert.GetProperty("likelihood").GetDouble() >= 0.6, alert.ToString());

            // the console's pages: its live view is the cluster's hub; the control room's pages are not on this node
            using var ops = await SignInAsync($"http://127.0.0.1:{consoleHttp}", "ops", password);
            await AwaitAssertAsync(async () =>
            {
                using var status = JsonDocument.Parse(await ops.GetStringAsync("/api/status"));
                Assert.Contains(status.RootElement.GetProperty("cameras").EnumerateArray(), c => c.GetProperty("camera").GetString() == "van-1/front");
            }, Generous, Poll);
            // asking for a camera's frame is watching it: the van starts sending its (pixelated) operator view
            await AwaitAssertAsync(async () =>
            {
                using var frame = await ops.GetAsync("/api/cameras/frame?camera=van-1/front");
                Assert.Equal(HttpStatusCode.OK, frame.StatusCode);
                Assert.Equal("image/jpeg", frame.Content.Headers.ContentType?.MediaType);
            }, Generous, Poll);
            using var elsewhere = await ops.GetAsync("/api/watchlists");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, elsewhere.StatusCode);
            Assert.Contains("not on this node", await elsewhere.Content.ReadAsStringAsync());
            using var superintendentThere = await SignInAsync($"http://127.0.0.1:{consoleHttp}", "superintendent", password);
            using var returnPage = await superintendentThere.GetAsync($"/deployments/{deployment}/return");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, returnPage.StatusCode);
            Assert.Contains("not on this node", await returnPage.Content.ReadAsStringAsync());

            Assert.False(controlRoom.HasExited || console.HasExited || van.HasExited, "a node exited");
        }
        catch
        {
            _output.WriteLine($"--- control room ---\n{controlRoom.Output}\n--- console ---\n{console?.Output}\n--- van ---\n{van?.Output}");
            throw;
        }
        finally
        {
            van?.Dispose();
            console?.Dispose();
        }
    }

    [Fact]
    public void A_node_with_a_malformed_web_user_should_say_what_is_wrong_and_exit_2()
    {
        using var lfr = new LfrProcess();
        lfr.Environment["LFR__WEB__USERS__jsmith__PASSWORDHASH"] = "secret";
        lfr.Environment["LFR__WEB__USERS__jsmith__ROLES"] = "operator,janitor";

        var result = lfr.Run("node", "--role", "control-room", "--http-port", $"{NodeProcess.FreePort()}");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Lfr:Web:Users:jsmith:Roles has unknown role 'janitor'", result.StdErr);
        Assert.Contains("Lfr:Web:Users:jsmith:StaffId is missing", result.StdErr);
    }

    /// <summary>The scene of <paramref name="folder"/>'s people walking past, written as a Motion-JPEG video at 5 fps.</summary>
    private static string WriteVideo(string folder, string path)
    {
        var script = CameraSettings.SceneFromFolder(folder, fps: 5);
        using var scene = new SceneSource(script);
        using var writer = new VideoWriter(path, FourCC.MJPG, script.FramesPerSecond, new OpenCvSharp.Size(script.Width, script.Height));
        Assert.True(writer.IsOpened(), "OpenCV can write a Motion-JPEG video");
        using var frame = new Mat();
        var frames = 0;
        while (scene.Read(frame, out _))
        {
            writer.Write(frame);
            frames++;
        }
        Assert.True(frames > 10, $"{frames} frames written");
        return path;
    }

    private static Task<HttpClient> SignInAsync(string site, string user, string password) => WebDeployment.SignInAsync(site, user, password);

    private async Task ReadyAsync(HttpClient http, int port) =>
        await AwaitAssertAsync(async () =>
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{port}/readyz")).StatusCode), Generous, Poll);
}
