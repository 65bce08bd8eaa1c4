using System.Diagnostics;
using Akka.Actor;
using Lfr.Actors.Van;
using Lfr.Actors.Van.Cameras;
using Lfr.Actors.Van.Pipeline;
using Lfr.Host.Bench;
using Lfr.Tests.Fixtures;
using Lfr.Tests.Fixtures.Cameras;
using Lfr.Vision.Watchlists;
using Xunit.Abstractions;
using static Lfr.Actors.Van.Cameras.CameraSupervisorProtocol;

namespace Lfr.Tests.Actors.Van;

/// <summary>
/// Network cameras as a van reads them (<see cref="CameraSettings.ToSpec"/>, an ffmpeg child per camera) from real
/// servers on 127.0.0.1: GStreamer's RTSP server serving the Hamilton clip, an HTTP MJPEG server, and a server that
/// accepts and says nothing. Through their failures: a server killed mid-stream and back 10 s later, wrong credentials,
/// a wrong path.
/// </summary>
[Collection(VanCollection.Name)]
public sealed class NetworkCameraSpecs(VanEngine van, ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit(VanConfig.Default, output: output)
{
    private const string Clip = "face_recognition/video/short_hamilton_clip.mp4";
    private const string Miranda = "face_recognition/images/lin-manuel-miranda.png";
    private const string Lacamoire = "face_recognition/images/alex-lacamoire.png";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [SharedDataFact(Clip)]
    public async Task Rtsp_camera_should_alert_Miranda_once_as_the_file_does()
    {
        using var server = LoopbackRtspServer.Start(mounts: ("/hamilton", SharedData.PathOf(Clip)));
        var (supervisor, health, alerts) = await StartDeployed(new CameraSupervisorSettings());

        var camera = CameraSettings.Parse($"front={server.Url("/hamilton")}").ToSpec() with { ReconnectOnEnd = false };
        supervisor.Tell(new StartCamera(camera));
        var ended = health.AwaitEnded(camera.Id, Patience);

        AssertMirandaOnce(alerts.Drain<AlertProtocol.AlertCandidate>(), camera.Id);
        Output!.WriteLine($"frames {ended.FramesIn}, processed {ended.FramesProcessed}, dropped {ended.FramesDropped}, faces {ended.Faces}");
        Assert.InRange(ended.FramesIn, 250, 310);
        Assert.Equal(1, ended.Alerts);
        Assert.Equal(ended.FramesIn, ended.FramesProcessed + ended.FramesDropped);
    }

    [SharedDataFact(Clip)]
    public async Task Rtsp_camera_should_reconnect_by_itself_when_its_server_returns_and_alert_again()
    {
        using var server = LoopbackRtspServer.Start(mounts: ("/hamilton", SharedData.PathOf(Clip)));
        var settings = Configured.Van("Lfr:Van:CameraRestart:HealthInterval=250ms").CameraRestart;
        var (supervisor, health, alerts) = await StartDeployed(settings);
        var camera = CameraSettings.Parse($"front={server.Url("/hamilton")}").ToSpec();
        supervisor.Tell(new StartCamera(camera));
        health.FishForMessage<CameraHealth>(h => h.State == CameraState.Running && h.FramesIn > 10, Patience);

        // killed before Miranda's passage (from 2.7 s), back 10 s later
        server.Kill();
        var down = health.FishForMessage<CameraHealth>(h => h.State == CameraState.Reconnecting, TimeSpan.FromSeconds(10));
        Output!.WriteLine($"while down: {down.State}, {down.LastError}");
        Assert.NotNull(down.LastError);
        Assert.Empty(alerts.Drain<AlertProtocol.AlertCandidate>());
        await Task.Delay(TimeSpan.FromSeconds(10));
        var framesBefore = (await supervisor.Ask<VanHealth>(GetHealth.Instance, TimeSpan.FromSeconds(10))).Cameras.Single().FramesIn;
        server.Restart();
        var back = Stopwatch.StartNew();

        health.FishForMessage<CameraHealth>(h => h.FramesIn > framesBefore && h.State == CameraState.Running, Patience);
        Output!.WriteLine($"frames again {back.Elapsed.TotalSeconds:0.0} s after the server's return");
        Assert.True(back.Elapsed < settings.MaxBackoff + TimeSpan.FromSeconds(10), $"frames resumed {back.Elapsed.TotalSeconds:0.0} s after the server's return");
        var alert = alerts.ExpectMsg<AlertProtocol.AlertCandidate>(Patience);
        Assert.Equal(new WatchlistEntryId("wl-miranda"), alert.EntryId);
    }

    [SharedDataFact(Clip)]
    public async Task Mjpeg_camera_over_http_should_be_read_and_recognised()
    {
        using var server = new MjpegServer(SharedData.PathOf(Clip));
        var (supervisor, health, alerts) = await StartDeployed(new CameraSupervisorSettings());

        var camera = CameraSettings.Parse($"door={server.Url}").ToSpec() with { ReconnectOnEnd = false };
        supervisor.Tell(new StartCamera(camera));
        var ended = health.AwaitEnded(camera.Id, Patience);

        Output!.WriteLine($"frames {ended.FramesIn}, processed {ended.FramesProcessed}, dropped {ended.FramesDropped}, faces {ended.Faces}");
        AssertMirandaOnce(alerts.Drain<AlertProtocol.AlertCandidate>(), camera.Id);
        Assert.InRange(ended.FramesIn, 250, 310);
    }

    [Fact]
    public void Camera_that_accepts_and_sends_nothing_should_be_noticed_by_the_watchdog_and_its_ffmpeg_ended()
    {
        using var silent = new SilentServer();
        var settings = Configured.Van("Lfr:Van:CameraRestart:OpenTimeout=3s", "Lfr:Van:CameraRestart:HealthInterval=250ms").CameraRestart;
        var (supervisor, health) = Start(settings);
        var url = $"rtsp://127.0.0.1:{silent.Port}/live";
        var camera = CameraSettings.Parse($"mute={url}").ToSpec();
        var started = Stopwatch.StartNew();
        supervisor.Tell(new StartCamera(camera));

        var stalled = health.FishForMessage<CameraHealth>(h => h.Restarts >= 1, Patience);
        Output!.WriteLine($"{started.Elapsed.TotalSeconds:0.0} s: {stalled.State}, {stalled.LastError}");
        Assert.Equal(CameraState.Reconnecting, stalled.State);
        Assert.StartsWith("no frame 3 s after connecting", stalled.LastError);
        Assert.True(started.Elapsed < settings.OpenTimeout + TimeSpan.FromSeconds(3), $"noticed after {started.Elapsed.TotalSeconds:0.0} s");
        Assert.True(silent.Accepted >= 1, "ffmpeg connected");
        // never more than one ffmpeg for the camera, and none once it is stopped
        Assert.InRange(Ffmpeg.Reading(url).Count, 0, 1);
        supervisor.Tell(new StopCamera(camera.Id));
        AwaitAssert(() => Assert.Empty(Ffmpeg.Reading(url)), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Camera_with_wrong_credentials_or_path_should_say_which_without_the_password()
    {
        using var server = LoopbackRtspServer.Start("operator:Van-Pa55", ("/live", TestClips.Pattern()));
        var (supervisor, health) = Start(Configured.Van("Lfr:Van:CameraRestart:HealthInterval=250ms").CameraRestart);
        var refused = CameraSettings.Parse($"front={server.Url("/live", "operator:Wrong-Pa55")}").ToSpec();
        var noPath = CameraSettings.Parse($"rear={server.Url("/nothing-here", "operator:Van-Pa55")}").ToSpec();
        supervisor.Tell(new StartCamera(refused));
        supervisor.Tell(new StartCamera(noPath));

        var front = health.FishForMessage<CameraHealth>(h => h.Camera == refused.Id && h.LastError is not null, Patience);
        var rear = health.FishForMessage<CameraHealth>(h => h.Camera == noPath.Id && h.LastError is not null, Patience);
        Output!.WriteLine($"{front.Camera}: {front.LastError}\n{rear.Camera}: {rear.LastError}");
        Assert.StartsWith("the camera refused the credentials (401 Unauthorized)", front.LastError);
        Assert.StartsWith("the camera has no stream at this path (404 Not Found)", rear.LastError);
        Assert.DoesNotContain("Pa55", front.LastError + rear.LastError);
    }

    private static void AssertMirandaOnce(List<AlertProtocol.AlertCandidate> received, CameraId camera)
    {
        // one alert (the passage's first candidate); a later candidate of the passage may carry a clearly better capture
        var passage = Assert.Single(received.GroupBy(a => a.Passage));
        var alert = passage.First();
        Assert.InRange(passage.Count(), 1, 2);
        Assert.Equal(new WatchlistEntryId("wl-miranda"), alert.EntryId);
        Assert.Equal(camera, alert.Camera);
        Assert.InRange(alert.Likelihood, 0.6f, 1f);
        // seconds since the stream's first frame delivered: the clip's own timeline (Miranda's close-up, frames 82-210 at
        // 29.97 fps), less what the server had sent before the player's first key frame (up to a second on a busy machine)
        Assert.InRange(alert.SourcePosition.TotalSeconds, 82 / 29.97 - 1.5, 210 / 29.97 + 0.5);
    }

    private async Task<(IActorRef Supervisor, Akka.TestKit.TestProbe Health, Akka.TestKit.TestProbe Alerts)> StartDeployed(CameraSupervisorSettings settings)
    {
        var alerts = this.AckingAlertSink();
        var health = CreateTestProbe("health");
        Sys.EventStream.Subscribe(health.Ref, typeof(CameraHealth));
        var supervisor = Sys.ActorOf(CameraSupervisor.Props(van.Engine, van.Settings, alerts.Ref, settings: settings));
        await Van.StartDeployment(supervisor, van.Watchlist(("wl-miranda", Miranda), ("wl-lacamoire", Lacamoire)));
        return (supervisor, health, alerts);
    }

    private (IActorRef Supervisor, Akka.TestKit.TestProbe Health) Start(CameraSupervisorSettings settings)
    {
        var health = CreateTestProbe("health");
        Sys.EventStream.Subscribe(health.Ref, typeof(CameraHealth));
        return (Sys.ActorOf(CameraSupervisor.Props(van.Engine, van.Settings, this.AckingAlertSink().Ref, settings: settings)), health);
    }
}
