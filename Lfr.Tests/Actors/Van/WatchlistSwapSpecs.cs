using Akka.Actor;
using Lfr.Actors.Van;
using Lfr.Actors.Van.Cameras;
using Lfr.Actors.Van.Pipeline;
using Lfr.Tests.Fixtures;
using Lfr.Vision.Matching;
using Xunit.Abstractions;
using static Lfr.Actors.Van.Cameras.CameraSupervisorProtocol;

namespace Lfr.Tests.Actors.Van;

/// <summary>A new watchlist applies to the running cameras without a restart; a wipe stops all matching at once.</summary>
[Collection(VanCollection.Name)]
public sealed class WatchlistSwapSpecs(VanEngine van, ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit(VanConfig.Default, output: output)
{
    [SharedDataFact("lfw-dev/probes.csv")]
    public async Task Camera_should_match_the_swapped_in_watchlist_and_nothing_after_a_wipe()
    {
        var cast = LfwCast.Pick(van, enrolled: 2, strangers: 0);
        var (a, b) = (cast.Walkers[0], cast.Walkers[1]);
        // A crosses, then B, then A again; a real-time scene, so the swap and the wipe land between passages
        var script = new SceneScript(640, 360, 15, TimeSpan.FromSeconds(9.5),
        [
            new SceneWalker(a.Label, a.Photos, TimeSpan.FromSeconds(0.2), TimeSpan.FromSeconds(2.5), 0.5f, 160),
            new SceneWalker(b.Label, b.Photos, TimeSpan.FromSeconds(3.5), TimeSpan.FromSeconds(2.5), 0.5f, 160),
            new SceneWalker(a.Label, a.Photos, TimeSpan.FromSeconds(6.8), TimeSpan.FromSeconds(2.5), 0.5f, 160),
        ]);
        var alerts = this.AckingAlertSink();
        var health = CreateTestProbe("health");
        Sys.EventStream.Subscribe(health.Ref, typeof(CameraHealth));
        var supervisor = Sys.ActorOf(CameraSupervisor.Props(van.Engine, van.Settings with { PassageGap = TimeSpan.FromSeconds(1) }, alerts.Ref));
        await Van.StartDeployment(supervisor, Only(cast, a.Label));
        var camera = new CameraSpec(new CameraId("cam-swap"), () => new SceneSource(script), ReconnectOnEnd: false);
        supervisor.Tell(new StartCamera(camera));

        var first = alerts.ExpectMsg<AlertProtocol.AlertCandidate>(Van.Patience);
        Assert.Equal(a.Label, first.EntryId.Value);
        var swapped = await supervisor.Ask<DeploymentApplied>(new WatchlistUpdated(Only(cast, b.Label)), TimeSpan.FromSeconds(5));
        Assert.Equal(1, swapped.WatchlistEntries);

        // A's passage may still send an improved capture before B's alert
        var second = alerts.FishForMessage<AlertProtocol.AlertCandidate>(c => c.Passage != first.Passage, Van.Patience);
        Assert.Equal(b.Label, second.EntryId.Value);
        Assert.True(second.SourcePosition >= TimeSpan.FromSeconds(3.5), "B is matched in B's passage");
        var wiped = await supervisor.Ask<DeploymentApplied>(WatchlistWiped.Instance, TimeSpan.FromSeconds(5));
        Assert.Equal((true, 0), (wiped.Live, wiped.WatchlistEntries));

        // A walks again after the wipe: still processed (the stream never stopped), never matched
        var ended = health.AwaitEnded(camera.Id);
        Output!.WriteLine($"frames {ended.FramesIn}, processed {ended.FramesProcessed}, dropped {ended.FramesDropped}, tracks {ended.Tracks}, restarts {ended.Restarts}");
        Assert.All(alerts.Drain<AlertProtocol.AlertCandidate>(), late => Assert.Equal(second.Passage, late.Passage));
        Assert.Equal(0, ended.Restarts);
        Assert.True(ended.Tracks >= 3, "all three passages were tracked, the last one after the wipe");
    }

    private static WatchlistIndex Only(LfwCast cast, string label) =>
        WatchlistIndex.Build(cast.Entries.Where(e => e.Id.Value == label), VectorStorage.Float32);
}
