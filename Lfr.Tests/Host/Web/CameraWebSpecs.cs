using System.Net.Http.Json;
using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using Lfr.Actors.Van;
using Lfr.Actors.Van.Cameras;
using Lfr.Actors.Van.Pipeline;
using Lfr.Actors.Cluster;
using Lfr.Actors.LiveView;
using Lfr.Tests.Fixtures;
using Lfr.Vision;
using Lfr.Vision.Matching;
using Lfr.Vision.Photos;
using Lfr.Vision.Watchlists;
using Microsoft.Extensions.DependencyInjection;
using OpenCvSharp;

namespace Lfr.Tests.Host.Web;

/// <summary>
/// The console and the operator's live view over a real van in the same process, a member of a one-node cluster with the
/// control room, its frames through its live view relay and the hub as from any van: one camera plays a video made from
/// a real group photo, the other cannot open its source. The broken one shows red within seconds; the working one
/// shows its frame rate, its stage latencies and its pixelated operator view.
/// </summary>
public sealed class CameraWebSpecs : IAsyncLifetime
{
    private static readonly LfrNodeSettings Node = new() { Role = LfrRole.ControlRoom, Port = 0, NodeName = "van-1" };
    private static readonly CameraId Good = new("van-1/cam-good");
    private static readonly CameraId Broken = new("van-1/cam-broken");

    private readonly FaceEngine _engine = FaceEngine.Load(new FaceEngineOptions { Parallelism = 2 });
    private readonly string _video = Path.Combine(Path.GetTempPath(), $"lfr-web-camera-{Guid.NewGuid():N}.avi");
    private readonly WebApp _web;
    private DateTime _started;

    public CameraWebSpecs()
    {
        var settings = new VanPipelineSettings { Likelihood = LikelihoodMap.From(CalibrationStore.ForModel(_engine.EmbeddingModelSha256)) };
        _web = new WebApp
        {
            WithActors = (akka, _) => akka
                .WithLfrCluster(Node, TimeProvider.System)
                .AddHocon($"akka.cluster.roles = [\"{LfrRoles.ControlRoom}\", \"{LfrRoles.Van}\"]", HoconAddMode.Prepend)
                .AddHocon(VanConfig.Default, HoconAddMode.Append)
                .WithLiveViewHub(Node.LiveView, TimeProvider.System)
                .WithLiveViewRelay(Node, TimeProvider.System)
                .WithActors((system, registry) =>
                {
                    var relay = registry.Get<LiveViewRelay>();
                    var alerts = system.ActorOf(Props.Create(() => new AcknowledgingAlertSink()), "alerts-for-spec");
                    registry.Register<VanCameras>(system.ActorOf(CameraSupervisor.Props(_engine, settings, alerts, _ => LiveViewRelay.Sink(relay)), "van-cameras"));
                }),
        };
    }

    public async Task InitializeAsync()
    {
        WriteVideo(_video);
        await _web.InitializeAsync();
        var cameras = _web.Services.GetRequiredService<ActorRegistry>().Get<VanCameras>();
        // someone who is not in the video: the pipeline runs, and no alert is raised
        var outsider = SubjectFace.From(_engine, SamplePhotos.Path(2), SubjectRule.CentreMost).Embedding!;
        var watchlist = WatchlistIndex.Build([new WatchlistEntry(new WatchlistEntryId("outsider"), WatchlistCategory.CourtWarrant, outsider)], VectorStorage.Float32);
        await cameras.Ask<CameraSupervisorProtocol.DeploymentApplied>(
            new CameraSupervisorProtocol.DeploymentStarted(new DeploymentId("d-cameras"), 0.6f, watchlist), TimeSpan.FromSeconds(10));
        _started = DateTime.UtcNow;
        // named on the van as the van names them; the web shows them as VAN/CAMERA
        cameras.Tell(new CameraSupervisorProtocol.StartCamera(new CameraSpec(new CameraId("cam-good"), () => new VideoCaptureSource(_video), ReconnectOnEnd: false)));
        cameras.Tell(new CameraSupervisorProtocol.StartCamera(new CameraSpec(new CameraId("cam-broken"), () => new VideoCaptureSource("/nonexistent/lfr-camera.avi"))));
    }

    public async Task DisposeAsync()
    {
        await _web.DisposeAsync();
        _engine.Dispose();
        File.Delete(_video);
    }

    [Fact]
    public async Task Status_should_show_the_broken_camera_failing_within_seconds_and_the_working_one_with_its_frames()
    {
        using var ops = await _web.ClientAsync("ops");
        var broken = await OperatorWebSpecs.AwaitAsync(async () => Camera(await ops.GetStringAsync("/api/status"), Broken), c => c?.GetProperty("failing").GetBoolean() == true);
        Assert.InRange(DateTime.UtcNow - _started, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        Assert.Contains("could not be opened", broken!.Value.GetProperty("lastError").GetString());

        var good = await OperatorWebSpecs.AwaitAsync(async () => Camera(await ops.GetStringAsync("/api/status"), Good), c => c?.GetProperty("fpsProcessed").GetDouble() > 0);
        Assert.False(good!.Value.GetProperty("failing").GetBoolean());
        Assert.Equal("Running", good.Value.GetProperty("state").GetString());
        // every stage has timed the frames it took; nobody in the video is on the watchlist, so no alert latency yet
        var latencies = good.Value.GetProperty("latencies");
        foreach (var stage in new[] { "detect", "trackEmbed", "match" })
        {
            var timing = latencies.GetProperty(stage);
            Assert.True(timing.GetProperty("samples").GetInt32() > 0, stage);
            Assert.InRange(timing.GetProperty("p50Ms").GetDouble(), 0, timing.GetProperty("p99Ms").GetDouble());
        }
        Assert.True(latencies.GetProperty("detect").GetProperty("p50Ms").GetDouble() > 0, "detection takes time");
        Assert.Equal(JsonValueKind.Null, latencies.GetProperty("alert").ValueKind);
        Assert.Equal(JsonValueKind.Null, broken.Value.GetProperty("latencies").GetProperty("detect").ValueKind);
        // where its detector looked: at least the whole frame on every frame, a share of the tiles, the default budget
        var detector = good.Value.GetProperty("detector");
        Assert.True(detector.GetProperty("runsPerFrame").GetDouble() >= 1, detector.ToString());
        Assert.InRange(detector.GetProperty("tileShare").GetDouble(), 0, 1);
        Assert.Equal(Lfr.Vision.Detection.DetectionSchedule.DefaultBudget, detector.GetProperty("budget").GetInt32());

        // the first asks start the camera's frames coming from the van
        var frame = await OperatorWebSpecs.AwaitAsync(() => ops.GetAsync("/api/cameras/frame?camera=" + Uri.EscapeDataString(Good.Value)),
            r => r.StatusCode == System.Net.HttpStatusCode.OK);
        Assert.Equal("image/jpeg", frame.Content.Headers.ContentType!.MediaType);
        Assert.Equal([0xFF, 0xD8], (await frame.Content.ReadAsByteArrayAsync())[..2]);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await ops.GetAsync("/api/cameras/frame?camera=" + Uri.EscapeDataString(Broken.Value))).StatusCode);
    }

    [BrowserFact]
    public void The_console_should_turn_a_failing_camera_red_and_the_operator_should_see_the_live_view()
    {
        using var desk = new Browser(_web.BaseAddress, Browser.Desktop);
        desk.SignIn("ops");
        desk.Find($"#cameras tr.failing[data-camera='{Broken.Value}']");
        // its fps processed (the fourth cell), not the row's text: a row with no drop and no restart reads " 0 0 " too
        desk.Until(() => desk.Exists($"#cameras tr[data-camera='{Good.Value}']:not(.failing)") && desk.Text($"#cameras tr[data-camera='{Good.Value}'] td:nth-child(4)") != "0",
            "the working camera with frames");
        desk.Until(() => desk.Text($"#cameras tr[data-camera='{Good.Value}'] td[data-stage='detect']").Contains('/'), "the working camera's detect latency");
        desk.Until(() => desk.Text($"#cameras tr[data-camera='{Good.Value}'] td.detector").Contains("runs"), "the working camera's detector runs per frame");
        desk.Screenshot("console");
        desk.SignOut();

        desk.SignIn("op1");
        desk.Find($"#cameras figure.failing[data-camera='{Broken.Value}']");
        desk.ImagesLoaded($"#cameras figure[data-camera='{Good.Value}'] img");
        desk.Screenshot("operator-live");
    }

    private static JsonElement? Camera(string status, CameraId camera) =>
        JsonDocument.Parse(status).RootElement.GetProperty("cameras").EnumerateArray()
            .Select(c => (JsonElement?)c).FirstOrDefault(c => c!.Value.GetProperty("camera").GetString() == camera.Value);

    /// <summary>A group photo held for 30 s at 10 fps, as a camera's recording.</summary>
    internal static void WriteVideo(string path)
    {
        using var photo = SamplePhotos.Load(1);
        using var frame = new Mat();
        Cv2.Resize(photo, frame, new Size(960, 540));
        using var writer = new VideoWriter(path, FourCC.MJPG, 10, frame.Size());
        Assert.True(writer.IsOpened(), "OpenCV could not write an MJPG video");
        for (var i = 0; i < 300; i++) writer.Write(frame);
    }

    /// <summary>The van's alert sink, acknowledging at once as its outbox does once the alert is on disk.</summary>
    internal sealed class AcknowledgingAlertSink : ReceiveActor
    {
        public AcknowledgingAlertSink() => Receive<AlertProtocol.AlertCandidate>(alert => Sender.Tell(new AlertProtocol.AlertAccepted(alert.Id)));
    }
}
