using Akka.Actor;
using Lfr.Actors.LiveView;
using Lfr.Actors.Van;
using Lfr.Actors.Van.Cameras;
using Lfr.Actors.Van.Pipeline;
using Lfr.Tests.Actors.Cluster;
using OpenCvSharp;
using Xunit.Abstractions;
using static Lfr.Actors.LiveView.LiveViewProtocol;
using Lfr.Tests.Fixtures;

namespace Lfr.Tests.Actors.LiveView;

/// <summary>The van side of the live view: frames only to watchers, at a bounded rate, latest wins, under the frame limit.</summary>
public sealed class LiveViewRelaySpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private static readonly CameraId Front = new("front");

    private IActorRef Relay(LiveViewSettings? settings = null) =>
        Sys.ActorOf(LiveViewRelay.Props("van-07", settings ?? new LiveViewSettings(), TimeProvider.System));

    private static OperatorViewFrame View(long sequence, byte[]? jpeg = null) =>
        new(Front, sequence, DateTimeOffset.UtcNow, jpeg ?? [0xFF, 0xD8, (byte)sequence, 0xFF, 0xD9], 3, 0);

    [Fact]
    public void A_relay_should_send_no_frame_while_nobody_watches_and_health_only_to_subscribers()
    {
        var relay = Relay();
        var subscriber = CreateTestProbe();
        relay.Tell(SubscribeHealth.Instance, subscriber);

        AwaitAssert(() =>
        {
            Sys.EventStream.Publish(WireSamples.Health(lastError: null) with { Camera = Front });
            var update = subscriber.ExpectMsg<CameraHealthUpdate>(TimeSpan.FromMilliseconds(300));
            Assert.Equal("van-07", update.Van);
            Assert.Equal(Front, update.Health.Camera);
        });
        for (var i = 0; i < 5; i++) relay.Tell(View(i));

        subscriber.ExpectNoMsg(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_watched_camera_should_get_at_most_the_configured_rate_latest_frame_winning_and_drops_counted()
    {
        var relay = Relay(Configured.LiveView("Lfr:LiveView:MaxFramesPerSecond=2"));
        var watcher = CreateTestProbe();
        relay.Tell(new WatchCamera(Front), watcher);
        await Task.Delay(200);

        // 5 s of a 20 fps operator view
        var started = DateTime.UtcNow;
        for (var i = 0; i < 100; i++)
        {
            relay.Tell(View(i));
            await Task.Delay(50);
        }
        var elapsed = DateTime.UtcNow - started;
        var frames = new List<LiveFrame>();
        while (watcher.HasMessages || frames.Count == 0 || frames[^1].Sequence != 99)
            frames.Add(watcher.ExpectMsg<LiveFrame>(TimeSpan.FromSeconds(2)));

        Assert.InRange(frames.Count, 2, elapsed.TotalSeconds * 2 + 2);
        Assert.Equal(99, frames[^1].Sequence);
        Assert.Equal(100 - frames.Count, frames[^1].Dropped);
        Assert.All(frames.Zip(frames.Skip(1)), pair => Assert.True(pair.Item2.Sequence > pair.Item1.Sequence));
    }

    [Fact]
    public void A_frame_over_the_limit_should_arrive_re_encoded_under_it_whole()
    {
        var relay = Relay(Configured.LiveView("Lfr:LiveView:MaxFrameBytes=30000"));
        var watcher = CreateTestProbe();
        relay.Tell(new WatchCamera(Front), watcher);
        using var noisy = new Mat(540, 960, MatType.CV_8UC3);
        Cv2.Randu(noisy, Scalar.All(0), Scalar.All(255));
        var big = noisy.ImEncode(".jpg", [(int)ImwriteFlags.JpegQuality, 95]);
        Assert.True(big.Length > 30_000);

        AwaitAssert(() =>
        {
            relay.Tell(View(1, big));
            var frame = watcher.ExpectMsg<LiveFrame>(TimeSpan.FromMilliseconds(700));
            Assert.InRange(frame.Jpeg.Length, 1_000, 30_000);
            using var decoded = Cv2.ImDecode(frame.Jpeg, ImreadModes.Color);
            Assert.False(decoded.Empty());
            Assert.Equal(960.0 / 540, (double)decoded.Width / decoded.Height, 2);
        });
    }

    [Fact]
    public async Task Frames_should_stop_when_the_watch_lease_runs_out()
    {
        var relay = Relay(Configured.LiveView("Lfr:LiveView:WatchLease=1s", "Lfr:LiveView:MaxFramesPerSecond=10"));
        var watcher = CreateTestProbe();
        relay.Tell(new WatchCamera(Front), watcher);
        await Task.Delay(100);
        relay.Tell(View(1));
        watcher.ExpectMsg<LiveFrame>();

        await Task.Delay(1_200);
        relay.Tell(View(2));
        watcher.ExpectNoMsg(TimeSpan.FromMilliseconds(500));

        // watching again brings frames back
        relay.Tell(new WatchCamera(Front), watcher);
        await Task.Delay(100);
        relay.Tell(View(3));
        Assert.Equal(3, watcher.ExpectMsg<LiveFrame>().Sequence);
    }

    [Fact]
    public void A_watcher_that_dies_should_get_nothing_more()
    {
        var relay = Relay();
        var watcher = CreateTestProbe();
        var other = CreateTestProbe();
        relay.Tell(new WatchCamera(Front), watcher);
        relay.Tell(new WatchCamera(Front), other);
        relay.Tell(View(1));
        watcher.ExpectMsg<LiveFrame>();
        other.ExpectMsg<LiveFrame>();

        Watch(watcher);
        Sys.Stop(watcher);
        ExpectTerminated(watcher);
        AwaitAssert(() =>
        {
            relay.Tell(View(2));
            Assert.Equal(2, other.ExpectMsg<LiveFrame>(TimeSpan.FromMilliseconds(800)).Sequence);
        });
    }
}
