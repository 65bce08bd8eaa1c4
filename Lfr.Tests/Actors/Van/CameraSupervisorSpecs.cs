using Akka.Actor;
using Lfr.Actors.Van;
using Lfr.Actors.Van.Cameras;
using Lfr.Vision.Matching;
using Lfr.Vision.Watchlists;
using OpenCvSharp;
using Xunit.Abstractions;
using static Lfr.Actors.Van.Cameras.CameraSupervisorProtocol;
using Lfr.Tests.Fixtures;

namespace Lfr.Tests.Actors.Van;

/// <summary>
/// Failing cameras: one that cannot be opened, one that throws, one whose feed ends, one that stops sending. Each is
/// restarted with backoff and shows it in its health, while a healthy camera beside it keeps delivering. No deployment
/// is live, so frames are read and discarded: these specs need no models.
/// </summary>
[Collection(VanCollection.Name)]
public sealed class CameraSupervisorSpecs(VanEngine van, ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit(VanConfig.Default, output: output)
{
    // the restart policy as an operator sets it (Lfr:Van:CameraRestart), quick enough for a spec
    private static readonly CameraSupervisorSettings Fast = Configured.Van(
        "Lfr:Van:CameraRestart:MinBackoff=100ms",
        "Lfr:Van:CameraRestart:MaxBackoff=400ms",
        "Lfr:Van:CameraRestart:MaxConsecutiveFailures=3",
        "Lfr:Van:CameraRestart:StallTimeout=1s",
        "Lfr:Van:CameraRestart:HealthInterval=200ms").CameraRestart;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Supervisor_should_back_off_from_a_camera_that_cannot_open_then_report_it_failed_while_others_run()
    {
        var (supervisor, health) = Start();
        var attempts = new List<DateTimeOffset>();
        var broken = new CameraSpec(new CameraId("cam-broken"), () =>
        {
            lock (attempts) attempts.Add(DateTimeOffset.UtcNow);
            throw new CameraSourceException("the camera could not be opened");
        });
        supervisor.Tell(new StartCamera(broken));
        supervisor.Tell(new StartCamera(Healthy("cam-ok")));

        var failed = health.FishForMessage<CameraHealth>(h => h.Camera == broken.Id && h.State == CameraState.Failed, Patience);
        Assert.Equal("the camera could not be opened", failed.LastError);
        Assert.Equal(Fast.MaxConsecutiveFailures, failed.Restarts);
        lock (attempts)
        {
            Assert.Equal(Fast.MaxConsecutiveFailures + 1, attempts.Count);
            // exponential: each wait at least the backoff for that attempt (100, 200, 400 ms)
            for (var i = 1; i < attempts.Count; i++)
                Assert.True(attempts[i] - attempts[i - 1] >= TimeSpan.FromMilliseconds(100 * Math.Pow(2, i - 1) * 0.9),
                    $"attempt {i} came {(attempts[i] - attempts[i - 1]).TotalMilliseconds:0} ms after the previous one");
        }

        await AwaitAssertAsync(async () =>
        {
            var van = await supervisor.Ask<VanHealth>(GetHealth.Instance, TimeSpan.FromSeconds(5));
            var ok = van.Cameras.Single(c => c.Camera.Value == "cam-ok");
            Assert.Equal(CameraState.Running, ok.State);
            Assert.Equal(0, ok.Restarts);
            Assert.True(ok.FpsIn > 5, $"the healthy camera keeps delivering ({ok.FpsIn:0.0} fps)");
        }, Patience);
    }

    [Fact]
    public async Task Supervisor_should_never_give_up_on_a_camera_while_a_deployment_is_live()
    {
        var (supervisor, health) = Start();
        var broken = new CameraSpec(new CameraId("cam-down"), () => throw new CameraSourceException("nothing answers at this address (connection refused)"));
        supervisor.Tell(new StartCamera(broken));
        health.FishForMessage<CameraHealth>(h => h.Camera == broken.Id && h.State == CameraState.Failed, Patience);

        // a deployment going live retries the failed camera, and from then on it keeps trying, showing why
        var watchlist = WatchlistIndex.Build([new WatchlistEntry(new WatchlistEntryId("wl-1"), WatchlistCategory.CourtWarrant,
            Lfr.Tests.Vision.Matching.RandomEmbeddings.Unit(new Random(1)))], VectorStorage.Float32);
        await Van.StartDeployment(supervisor, watchlist);
        var retrying = health.FishForMessage<CameraHealth>(h => h.Camera == broken.Id && h.Restarts > 3 * Fast.MaxConsecutiveFailures, Patience);
        Assert.Equal(CameraState.Reconnecting, retrying.State);
        Assert.Equal("nothing answers at this address (connection refused)", retrying.LastError);
    }

    [Fact]
    public async Task Supervisor_should_restart_a_camera_that_throws_and_one_whose_feed_ends()
    {
        var (supervisor, health) = Start();
        var throwing = new CameraSpec(new CameraId("cam-throws"), () => new FaultySource(Scene(2), failAfter: 5));
        var ending = new CameraSpec(new CameraId("cam-ends"), () => Scene(seconds: 0.5));
        supervisor.Tell(new StartCamera(throwing));
        supervisor.Tell(new StartCamera(ending));
        supervisor.Tell(new StartCamera(Healthy("cam-ok")));

        var restarted = health.FishForMessage<CameraHealth>(h => h.Camera == throwing.Id && h.Restarts >= 2 && h.State == CameraState.Running, Patience);
        Assert.Equal("the camera stopped delivering frames", restarted.LastError);
        health.FishForMessage<CameraHealth>(h => h.Camera == ending.Id && h.Restarts >= 2 && h.State == CameraState.Running, Patience);

        var van = await supervisor.Ask<VanHealth>(GetHealth.Instance, TimeSpan.FromSeconds(5));
        var ok = van.Cameras.Single(c => c.Camera.Value == "cam-ok");
        Assert.Equal(0, ok.Restarts);
        Assert.Null(ok.LastError);
        Assert.Equal(CameraState.Running, ok.State);
    }

    [Fact]
    public void Supervisor_should_restart_a_camera_that_stops_sending()
    {
        var (supervisor, health) = Start();
        using var release = new ManualResetEventSlim();
        var stalling = new CameraSpec(new CameraId("cam-stalls"), () => new FaultySource(Scene(5), stallAfter: 5, release: release));
        supervisor.Tell(new StartCamera(stalling));
        supervisor.Tell(new StartCamera(Healthy("cam-ok")));

        var stalled = health.FishForMessage<CameraHealth>(h => h.Camera == stalling.Id && h.Restarts >= 1, Patience);
        Assert.StartsWith("no frame for", stalled.LastError);
        Assert.Equal(CameraState.Reconnecting, stalled.State);
        release.Set();
        health.FishForMessage<CameraHealth>(h => h.Camera.Value == "cam-ok" && h.State == CameraState.Running && h.FpsIn > 5, Patience);
    }

    private (IActorRef Supervisor, Akka.TestKit.TestProbe Health) Start()
    {
        var health = CreateTestProbe("health");
        Sys.EventStream.Subscribe(health.Ref, typeof(CameraHealth));
        var supervisor = Sys.ActorOf(CameraSupervisor.Props(van.Engine, van.Settings, this.AckingAlertSink().Ref, settings: Fast));
        return (supervisor, health);
    }

    private static CameraSpec Healthy(string id) => new(new CameraId(id), () => Scene(seconds: 600));

    /// <summary>An empty scene: a background at 20 fps, cheap to make.</summary>
    private static SceneSource Scene(double seconds) => new(new SceneScript(160, 120, 20, TimeSpan.FromSeconds(seconds), []));

    /// <summary>A camera that breaks after some frames: it throws, or it blocks as a hung RTSP read does.</summary>
    private sealed class FaultySource(IFrameSource inner, int failAfter = int.MaxValue, int stallAfter = int.MaxValue,
        ManualResetEventSlim? release = null) : IFrameSource
    {
        private int _frames;

        public double FramesPerSecond => inner.FramesPerSecond;
        public bool IsLive => inner.IsLive;

        public bool Read(Mat into, out TimeSpan position)
        {
            if (++_frames > failAfter) throw new CameraSourceException("the camera stopped delivering frames");
            if (_frames > stallAfter) release?.Wait(TimeSpan.FromSeconds(30));
            return inner.Read(into, out position);
        }

        public void Dispose() => inner.Dispose();
    }
}
