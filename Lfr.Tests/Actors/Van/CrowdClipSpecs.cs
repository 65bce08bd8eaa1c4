using Akka.Actor;
using Lfr.Actors.Van;
using Lfr.Actors.Van.Cameras;
using Lfr.Actors.Van.Pipeline;
using Lfr.Tests.Fixtures;
using OpenCvSharp;
using Xunit.Abstractions;
using static Lfr.Actors.Van.Cameras.CameraSupervisorProtocol;

namespace Lfr.Tests.Actors.Van;

/// <summary>Crowds of strangers (MOT street clips, many small faces) against a watchlist of other people: any alert is false.</summary>
[Collection(VanCollection.Name)]
public sealed class CrowdClipSpecs(VanEngine van, ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit(VanConfig.Default, output: output)
{
    [SharedDataFact("mot_clips/manifest.csv")]
    public async Task Three_crowd_cameras_should_raise_no_alert_against_a_watchlist_of_other_people()
    {
        var cast = LfwCast.Pick(van, enrolled: 8, strangers: 0);
        var alerts = this.AckingAlertSink();
        var health = CreateTestProbe("health");
        Sys.EventStream.Subscribe(health.Ref, typeof(CameraHealth));
        var supervisor = Sys.ActorOf(CameraSupervisor.Props(van.Engine, van.Settings, alerts.Ref));
        await Van.StartDeployment(supervisor, cast.Watchlist);

        // every frame processed (no drops) over the first 150 frames (6 s) of each clip, three cameras at once
        var clips = new[] { "MOT17-13-SDP-raw.h265", "MOT20-05-raw_even_shorter.mp4", "MOT20-08-raw_shorter.h264" };
        var cameras = clips.Select(clip => new CameraSpec(new CameraId($"cam-{clip[..8]}"),
            () => new FirstFrames(new VideoCaptureSource(SharedData.PathOf($"mot_clips/video/{clip}")), 150),
            HandOffPolicy.Lossless, ReconnectOnEnd: false)).ToList();
        foreach (var camera in cameras) supervisor.Tell(new StartCamera(camera));

        var ended = cameras.Select(c => health.AwaitEnded(c.Id)).ToList();
        foreach (var e in ended)
            Output!.WriteLine($"{e.Camera}: frames {e.FramesIn}, faces {e.Faces}, tracks {e.Tracks}, alerts {e.Alerts}");
        Assert.Empty(alerts.Drain<AlertProtocol.AlertCandidate>());
        Assert.All(ended, e => Assert.Equal(0, e.Alerts));
        Assert.All(ended, e => Assert.True(e.FramesProcessed >= 120, $"{e.Camera} processed {e.FramesProcessed} frames"));
        Assert.True(ended.Sum(e => e.Faces) > 0, "the crowds hold faces the detector finds");
    }

    /// <summary>The first frames of a source, to keep a long clip within the test budget.</summary>
    private sealed class FirstFrames(IFrameSource inner, int count) : IFrameSource
    {
        private int _read;
        public double FramesPerSecond => inner.FramesPerSecond;
        public bool IsLive => inner.IsLive;

        public bool Read(Mat into, out TimeSpan position)
        {
            position = default;
            return _read++ < count && inner.Read(into, out position);
        }

        public void Dispose() => inner.Dispose();
    }
}
