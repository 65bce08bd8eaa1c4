using System.Diagnostics.Metrics;
using Akka.Actor;
using Akka.Configuration;
using Lfr.Actors.Cluster;
using Lfr.Actors.LiveView;
using Lfr.Actors.Telemetry;
using Lfr.Actors.Van;
using Lfr.Actors.Van.Pipeline;
using Lfr.Tests.Actors.Cluster;
using Xunit.Abstractions;
using static Lfr.Actors.LiveView.LiveViewProtocol;

using Lfr.Tests.Fixtures;

namespace Lfr.Tests.Actors.LiveView;

/// <summary>
/// The live view across nodes in one test process (127.0.0.1, real remoting): a console's hub finds the vans through
/// membership, and a camera's frames cross only while someone keeps asking for them.
/// </summary>
public sealed class LiveViewHubSpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);
    // a name of its own: the sent-frames counter is process-wide, and other specs' relays count under theirs
    private static readonly CameraId Front = new("hub-spec-front");

    private static readonly Config Hocon = LfrTestNode.FastFailureDetection;
    // a short lease, as an operator would set it, so that frames stopping is seen in seconds
    private static readonly string[] ShortLease = ["Lfr:LiveView:WatchLease=1s"];

    private static Task<LfrTestNode> StartVanAsync(LfrTestNode seed, string name)
    {
        var settings = new LfrNodeSettings { Role = LfrRole.Van, Port = 0, Seeds = [seed.Address.ToString()], NodeName = name }.Policies(ShortLease);
        return LfrTestNode.StartAsync(settings, Hocon, akka => akka.WithLiveViewRelay(settings, TimeProvider.System));
    }

    private static void Publish(LfrTestNode van) =>
        van.System.EventStream.Publish(WireSamples.Health(lastError: null) with { Camera = Front, State = Lfr.Actors.Van.Cameras.CameraState.Running });

    [Fact]
    public async Task A_console_hub_should_hear_every_van_through_membership_and_forget_a_van_that_leaves()
    {
        await using var controlRoom = await LfrTestNode.StartControlRoomAsync(Hocon, policies: ShortLease);
        await using var console = await LfrTestNode.StartJoiningAsync(LfrRole.Console, controlRoom, Hocon, policies: ShortLease);
        await using var vanA = await StartVanAsync(controlRoom, "van-a");
        var vanB = await StartVanAsync(controlRoom, "van-b");
        try
        {
            var hub = console.Registry.Get<LiveViewHub>();
            await AwaitAssertAsync(async () =>
            {
                Publish(vanA);
                Publish(vanB);
                var cameras = (await hub.Ask<Cameras>(GetCameras.Instance, AskTimeout)).All;
                Assert.Equal(["van-a/hub-spec-front", "van-b/hub-spec-front"], cameras.Select(c => c.Key.ToString()));
                Assert.All(cameras, c => Assert.True(c.VanReachable));
            }, Generous, TimeSpan.FromMilliseconds(300));
        }
        finally
        {
            await vanB.DisposeAsync();
        }

        await AwaitAssertAsync(async () =>
            Assert.Equal(["van-a/hub-spec-front"], (await console.Registry.Get<LiveViewHub>().Ask<Cameras>(GetCameras.Instance, AskTimeout)).All.Select(c => c.Key.ToString())),
            Generous, TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task A_camera_s_frames_should_cross_only_while_the_hub_is_asked_for_them()
    {
        var sent = 0L;
        var instrument = LfrTelemetry.LiveViewFramesSent;
        using var listener = new MeterListener
        {
            InstrumentPublished = (i, l) =>
            {
                if (ReferenceEquals(i, instrument)) l.EnableMeasurementEvents(i);
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag is { Key: "camera", Value: string camera } && camera == Front.Value) Interlocked.Add(ref sent, value);
        });
        listener.Start();

        await using var controlRoom = await LfrTestNode.StartControlRoomAsync(Hocon, policies: ShortLease);
        await using var van = await StartVanAsync(controlRoom, "van-a");
        var hub = controlRoom.Registry.Get<LiveViewHub>();
        var relay = van.Registry.Get<LiveViewRelay>();
        var key = new LiveCameraKey("van-a", Front);
        await AwaitAssertAsync(async () =>
        {
            Publish(van);
            Assert.Single((await hub.Ask<Cameras>(GetCameras.Instance, AskTimeout)).All);
        }, Generous, TimeSpan.FromMilliseconds(300));

        // nobody asks: frames stay on the van
        for (var i = 0; i < 10; i++)
        {
            relay.Tell(new OperatorViewFrame(Front, i, DateTimeOffset.UtcNow, [0xFF, 0xD8, (byte)i, 0xFF, 0xD9], 2, 0));
            await Task.Delay(100);
        }
        Assert.Equal(0, Interlocked.Read(ref sent));

        // asking is watching
        var sequence = 100L;
        await AwaitAssertAsync(async () =>
        {
            relay.Tell(new OperatorViewFrame(Front, sequence++, DateTimeOffset.UtcNow, [0xFF, 0xD8, 1, 0xFF, 0xD9], 2, 0));
            Assert.NotNull((await hub.Ask<LatestFrame>(new GetLatestFrame(key), AskTimeout)).Frame);
        }, Generous, TimeSpan.FromMilliseconds(200));

        // the UI stops asking: the hub's last renewal may come up to a lease after the last ask, so after two leases
        // nothing more crosses, and the hub has let the last frame go
        await Task.Delay(TimeSpan.FromSeconds(3));
        var before = Interlocked.Read(ref sent);
        for (var i = 0; i < 10; i++)
        {
            relay.Tell(new OperatorViewFrame(Front, sequence++, DateTimeOffset.UtcNow, [0xFF, 0xD8, 2, 0xFF, 0xD9], 2, 0));
            await Task.Delay(100);
        }
        Assert.Equal(before, Interlocked.Read(ref sent));
        Assert.Null(Assert.Single((await hub.Ask<Cameras>(GetCameras.Instance, AskTimeout)).All).LastFrameAt);
    }
}
