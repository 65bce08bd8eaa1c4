using Akka.Actor;
using Lfr.Actors.Van;
using Lfr.Actors.Van.Cameras;
using Lfr.Actors.Van.Pipeline;
using Lfr.Tests.Fixtures;
using Xunit.Abstractions;
using static Lfr.Actors.Van.Cameras.CameraSupervisorProtocol;

namespace Lfr.Tests.Actors.Van;

/// <summary>When recognition or the alert sink cannot keep up, frames are dropped at the hand-off and counted; nothing queues.</summary>
[Collection(VanCollection.Name)]
public sealed class BackpressureSpecs(VanEngine van, ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit(VanConfig.Default, output: output)
{
    // a frame in the hand-off, one per stage and one per buffer between the async islands
    private const int MaxFramesAlive = 8;

    [SharedDataFact("lfw-dev/probes.csv")]
    public async Task Pipeline_should_drop_and_count_frames_while_the_alert_sink_is_slow_without_growing_memory()
    {
        // three enrolled people pass one after the other; the sink holds on to the first alert
        var cast = LfwCast.Pick(van, enrolled: 3, strangers: 0);
        var script = new SceneScript(960, 540, 30, TimeSpan.FromSeconds(60), cast.Walkers.Select((w, i) =>
            new SceneWalker(w.Label, w.Photos, TimeSpan.FromSeconds(0.3 + 3.2 * i), TimeSpan.FromSeconds(3), 0.5f, 200)).ToList());
        var alerts = CreateTestProbe("slow-alert-sink");
        var supervisor = Sys.ActorOf(CameraSupervisor.Props(van.Engine, van.Settings, alerts.Ref));
        await Van.StartDeployment(supervisor, cast.Watchlist);
        var camera = new CameraSpec(new CameraId("cam-busy"), () => new SceneSource(script));
        supervisor.Tell(new StartCamera(camera));
        var first = alerts.ExpectMsg<AlertProtocol.AlertCandidate>(Van.Patience);

        // the frame that raised the alert waits for its acknowledgement, and the whole graph with it: frames keep
        // arriving and are dropped at the hand-off, and no more than a few are ever alive
        var peakAlive = 0L;
        CameraHealth? stalled = null;
        await AwaitAssertAsync(async () =>
        {
            var now = await Health(supervisor, camera.Id);
            peakAlive = Math.Max(peakAlive, now.FramesAlive);
            Assert.InRange(now.FramesAlive, 0, MaxFramesAlive);
            if (stalled is null || now.FramesProcessed != stalled.FramesProcessed) stalled = now;
            Assert.True(now.FramesDropped - stalled.FramesDropped >= 60,
                $"{now.FramesDropped - stalled.FramesDropped} frames dropped since processing last moved");
        }, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));
        var blocked = await Health(supervisor, camera.Id);
        Output!.WriteLine($"while the sink sat on an alert: {blocked.FramesDropped - stalled!.FramesDropped} frames dropped, " +
                         $"none processed, at most {peakAlive} frames alive; in all {blocked.FramesIn} read, {blocked.FramesDropped} dropped");

        // once the sink acknowledges, the held-up alerts go out, in order, and recognition resumes
        // (each passage's alert, in order; a passage's improved capture may follow its alert)
        var passages = new List<AlertProtocol.AlertCandidate> { first };
        alerts.Reply(new AlertProtocol.AlertAccepted(first.Id));
        while (passages.Count < cast.Enrolled.Count)
        {
            var next = alerts.ExpectMsg<AlertProtocol.AlertCandidate>(TimeSpan.FromSeconds(10));
            if (passages.All(p => p.Passage != next.Passage)) passages.Add(next);
            alerts.Reply(new AlertProtocol.AlertAccepted(next.Id));
        }
        Assert.Equal(cast.Enrolled, passages.Select(p => p.EntryId.Value));
        // from here on the sink keeps up, with the last passage's improvement too
        alerts.SetAutoPilot(new Akka.TestKit.DelegateAutoPilot((sender, message) =>
        {
            if (message is AlertProtocol.AlertCandidate late) sender.Tell(new AlertProtocol.AlertAccepted(late.Id));
            return Akka.TestKit.AutoPilot.KeepRunning;
        }));
        while (alerts.HasMessages)
        {
            var late = alerts.ExpectMsg<AlertProtocol.AlertCandidate>(TimeSpan.Zero);
            alerts.Reply(new AlertProtocol.AlertAccepted(late.Id));
        }
        await AwaitAssertAsync(async () =>
        {
            var now = await Health(supervisor, camera.Id);
            Assert.True(now.FramesProcessed > blocked.FramesProcessed + 10);
        }, TimeSpan.FromSeconds(30));
        var after = await Health(supervisor, camera.Id);
        // every frame read is accounted for: dropped, processed, or still on its way to the detector
        Assert.InRange(after.FramesIn - after.FramesDropped - after.FramesProcessed, 0, MaxFramesAlive);
    }

    private static async Task<CameraHealth> Health(Akka.Actor.IActorRef supervisor, CameraId camera) =>
        (await supervisor.Ask<VanHealth>(GetHealth.Instance, TimeSpan.FromSeconds(5))).Cameras.Single(c => c.Camera == camera);
}
