using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using Lfr.Actors.Cluster;
using Lfr.Actors.LiveView;
using Lfr.Actors.Van;
using Lfr.Actors.Van.Cameras;
using Lfr.Actors.Van.Pipeline;
using Lfr.Host.Web.Live;
using Lfr.Tests.Actors.Cluster;

using Lfr.Tests.Fixtures;

namespace Lfr.Tests.Host.Web;

/// <summary>The web's live view on a control room reads the cluster's hub: a van's camera as VAN/CAMERA, and its frames while asked for.</summary>
public sealed class HubLiveViewSpecs
{
    private static readonly Config Hocon = LfrTestNode.FastFailureDetection;
    // a short lease, as an operator would set it, so that frames stopping is seen in seconds
    private static readonly string[] ShortLease = ["Lfr:LiveView:WatchLease=1s"];
    private static readonly CameraId Front = new("web-hub-front");

    [Fact]
    public async Task The_control_rooms_live_view_should_show_a_vans_camera_and_its_latest_frame()
    {
        await using var controlRoom = await LfrTestNode.StartControlRoomAsync(Hocon, policies: ShortLease);
        var settings = new LfrNodeSettings { Role = LfrRole.Van, Port = 0, Seeds = [controlRoom.Address.ToString()], NodeName = "van-7" }.Policies(ShortLease);
        await using var van = await LfrTestNode.StartAsync(settings, Hocon, akka => akka.WithLiveViewRelay(settings, TimeProvider.System));
        var live = new HubLiveView(controlRoom.Registry);

        var cameras = await Eventually(async () =>
        {
            van.System.EventStream.Publish(WireSamples.Health(lastError: null) with { Camera = Front, State = CameraState.Running });
            return await live.GetCamerasAsync(CancellationToken.None);
        }, c => c.Count == 1);
        Assert.Equal("van-7/web-hub-front", cameras[0].Camera.Value);
        Assert.Equal(CameraState.Running, cameras[0].State);
        // its stage latencies crossed the wire with it
        Assert.Equal(WireSamples.Health(lastError: null).Latencies, cameras[0].Latencies);
        Assert.Equal(WireSamples.Health(lastError: null).Detector, cameras[0].Detector);

        var relay = van.Registry.Get<LiveViewRelay>();
        var frame = await Eventually(async () =>
        {
            relay.Tell(new OperatorViewFrame(Front, 1, DateTimeOffset.UtcNow, [0xFF, 0xD8, 7, 0xFF, 0xD9], 2, 0), ActorRefs.NoSender);
            return await live.GetLatestFrameAsync("van-7/web-hub-front", CancellationToken.None);
        }, f => f is not null);
        Assert.Equal([0xFF, 0xD8, 7, 0xFF, 0xD9], frame!.Jpeg);
        Assert.Null(await live.GetLatestFrameAsync("no-slash", CancellationToken.None));
    }

    private static async Task<T> Eventually<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline) return value;
            await Task.Delay(300);
        }
    }
}
