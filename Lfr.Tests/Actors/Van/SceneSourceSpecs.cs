using Akka.Actor;
using Lfr.Actors.Van;
using Lfr.Actors.Van.Cameras;
using Lfr.Actors.Van.Pipeline;
using Lfr.Tests.Fixtures;
using Lfr.Vision.Matching;
using Lfr.Vision.Watchlists;
using Xunit.Abstractions;
using static Lfr.Actors.Van.Cameras.CameraSupervisorProtocol;

namespace Lfr.Tests.Actors.Van;

/// <summary>A scene of LFW people walking across the view, with ground truth: who alerts, when, and how often.</summary>
[Collection(VanCollection.Name)]
public sealed class SceneSourceSpecs(VanEngine van, ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit(VanConfig.Default, output: output)
{
    [SharedDataFact("lfw-dev/probes.csv")]
    public async Task Scene_should_alert_every_enrolled_walker_once_and_nobody_else()
    {
        var cast = LfwCast.Pick(van, enrolled: 4, strangers: 2);
        var script = LfwCast.Walk(cast.Walkers, width: 640, height: 360, fps: 15);
        using (var probe = new SceneSource(script))
            Assert.NotEmpty(probe.WalkersAt(script.Walkers[0].Enter + script.Walkers[0].Duration / 2));

        var alerts = this.AckingAlertSink();
        var health = CreateTestProbe("health");
        Sys.EventStream.Subscribe(health.Ref, typeof(CameraHealth));
        var supervisor = Sys.ActorOf(CameraSupervisor.Props(van.Engine, van.Settings, alerts.Ref));
        await Van.StartDeployment(supervisor, cast.Watchlist);
        // every frame is processed (no drops), so the outcome does not depend on how busy the machine is
        var camera = new CameraSpec(new CameraId("cam-scene"), () => new SceneSource(script), HandOffPolicy.Lossless, ReconnectOnEnd: false);
        supervisor.Tell(new StartCamera(camera));
        var ended = health.AwaitEnded(camera.Id);

        var received = alerts.Drain<AlertProtocol.AlertCandidate>();
        Output!.WriteLine($"frames {ended.FramesIn}, dropped {ended.FramesDropped}, faces {ended.Faces}, tracks {ended.Tracks}");
        foreach (var a in received) Output!.WriteLine($"{a} at {a.SourcePosition.TotalSeconds:0.0} s");

        Assert.Equal(0, ended.FramesDropped);
        // one alert per passage: the first candidate of each; any later one of the passage is an improved capture
        var passages = received.GroupBy(a => a.Passage).ToList();
        Assert.Equal(cast.Enrolled.Order(), passages.Select(p => p.Key.Entry.Value).Order());
        Assert.Equal(cast.Enrolled.Count, ended.Alerts);
        // the camera timed its stages on every frame, and capture to alert on every alert it raised
        var latencies = ended.Latencies!;
        foreach (var stage in new[] { latencies.Detect, latencies.TrackEmbed, latencies.Match })
        {
            Assert.Equal(Math.Min(ended.FramesProcessed, LatencyWindow.Capacity), stage.Samples);
            Assert.InRange(stage.P50Ms, 0, stage.P99Ms);
        }
        Assert.True(latencies.Detect.P50Ms > 0, "detection takes time");
        Assert.Equal(cast.Enrolled.Count, latencies.Alert.Samples);
        Assert.True(latencies.Alert.P50Ms > 0, $"capture to alert {latencies.Alert}");
        Output!.WriteLine($"latencies: {latencies}");
        foreach (var alert in received)
        {
            var walker = script.Walkers.Single(w => w.Label == alert.EntryId.Value);
            Assert.InRange(alert.SourcePosition, walker.Enter, walker.Exit);
        }
        Assert.All(passages, p => Assert.InRange(p.Count(), 1, 2));
        Assert.All(passages, p => Assert.True(p.Last().Likelihood >= p.First().Likelihood + van.Settings.ImprovementMargin || p.Count() == 1));
        // one track per passage: the tracker did not split people into many tracks (LFW photos often show a second,
        // smaller face of someone behind the subject, which is a passage of its own)
        Assert.InRange(ended.Tracks, script.Walkers.Count, script.Walkers.Count * 3);
    }

    [SharedDataFact("lfw-dev/probes.csv")]
    public async Task Scene_should_alert_a_passage_at_its_first_capture_then_send_its_clearly_better_capture_for_the_same_passage()
    {
        var (walker, watchlist) = LfwCast.PickImproving(van);
        var script = LfwCast.Walk([walker], width: 640, height: 360, fps: 15);

        // the same passage with no improvement window (the first capture only) and with a window that lasts the passage
        var first = Assert.Single(await AlertsOf(script, watchlist, van.Settings with { ImprovementWindow = TimeSpan.Zero }));
        var both = await AlertsOf(script, watchlist, van.Settings with { ImprovementWindow = TimeSpan.FromSeconds(30) });
        foreach (var a in both) Output!.WriteLine($"{a} at {a.SourcePosition.TotalSeconds:0.00} s");

        // the alert goes out with the first capture that reaches the threshold, not later
        Assert.Equal(2, both.Count);
        var (alert, improved) = (both[0], both[1]);
        Assert.Equal((first.EntryId, first.Likelihood, first.SourcePosition), (alert.EntryId, alert.Likelihood, alert.SourcePosition));
        // the walker shows its weaker photo in the first half of the crossing, its better one in the second
        var half = script.Walkers[0].Enter + script.Walkers[0].Duration / 2;
        Assert.True(alert.SourcePosition < half, "the alert is raised by the first capture, from the weaker photo");
        Assert.True(improved.SourcePosition >= half, "the capture from the better photo follows as the improvement");
        // one passage: the improvement is a candidate of its own that names the same passage, and it is the best capture
        Assert.Equal(alert.Passage, improved.Passage);
        Assert.NotEqual(alert.Id, improved.Id);
        Assert.True(improved.Likelihood >= alert.Likelihood + van.Settings.ImprovementMargin, $"{improved.Likelihood:0.000} over {alert.Likelihood:0.000}");
    }

    [SharedDataFact("lfw-dev/probes.csv")]
    public async Task Scene_should_alert_a_walker_whose_views_reach_the_threshold_together_though_none_does_alone()
    {
        var (walker, watchlist) = LfwCast.PickFusing(van);
        var script = LfwCast.Walk([walker], width: 640, height: 360, fps: 15);

        var alert = Assert.Single(await AlertsOf(script, watchlist, van.Settings with { ImprovementWindow = TimeSpan.Zero }));
        Output!.WriteLine($"{alert} at {alert.SourcePosition.TotalSeconds:0.00} s");
        Assert.Equal(walker.Label, alert.EntryId.Value);
        Assert.InRange(alert.Likelihood, 0.6f, 1f);
        // the alert needed a second view: it comes after the walker's first photo
        Assert.True(alert.SourcePosition > script.Walkers[0].Enter + script.Walkers[0].Duration / walker.Photos.Length,
            $"alerted at {alert.SourcePosition.TotalSeconds:0.00} s");
    }

    [SharedDataFact("lfw-dev/probes.csv")]
    public async Task Camera_should_send_the_improved_capture_it_holds_when_its_source_breaks()
    {
        var (walker, watchlist) = LfwCast.PickImproving(van);
        var script = LfwCast.Walk([walker], width: 640, height: 360, fps: 15);
        var alerts = new System.Collections.Concurrent.ConcurrentQueue<AlertProtocol.AlertCandidate>();
        // a window longer than the scene: only the camera's end can release the improvement
        var settings = van.Settings with { ImprovementWindow = TimeSpan.FromSeconds(30) };
        var supervisor = Sys.ActorOf(CameraSupervisor.Props(van.Engine, settings, Sys.ActorOf(CallbackAlertSink.Props(alerts.Enqueue))));
        await Van.StartDeployment(supervisor, watchlist);
        var camera = new CameraSpec(new CameraId("cam-breaks"), () => new BreaksAtEnd(new SceneSource(script)), HandOffPolicy.Lossless,
            ReconnectOnEnd: false);
        supervisor.Tell(new StartCamera(camera));

        await AwaitAssertAsync(async () =>
        {
            var health = (await supervisor.Ask<VanHealth>(GetHealth.Instance, TimeSpan.FromSeconds(5))).Cameras.Single();
            Assert.NotNull(health.LastError);
        }, Van.Patience, TimeSpan.FromMilliseconds(200));
        Assert.Equal(2, alerts.Count);
        Assert.All(alerts, a => Assert.Equal(walker.Label, a.EntryId.Value));
        Assert.Single(alerts.Select(a => a.Passage).Distinct());
        Sys.Stop(supervisor);
    }

    [SharedDataFact("lfw-dev/probes.csv")]
    public async Task Camera_restarted_by_the_stall_watchdog_should_still_send_the_alerts_of_its_last_passage()
    {
        var (walker, watchlist) = LfwCast.PickImproving(van);
        var script = LfwCast.Walk([walker], width: 640, height: 360, fps: 15);
        // a window longer than the scene: only the camera's end can release what the passage still holds
        var settings = van.Settings with { ImprovementWindow = TimeSpan.FromSeconds(30) };
        var ended = await AlertsOf(script, watchlist, settings);

        var alerts = new System.Collections.Concurrent.ConcurrentQueue<AlertProtocol.AlertCandidate>();
        var health = CreateTestProbe();
        Sys.EventStream.Subscribe(health.Ref, typeof(CameraHealth));
        var supervisor = Sys.ActorOf(CameraSupervisor.Props(van.Engine, settings, Sys.ActorOf(CallbackAlertSink.Props(alerts.Enqueue)),
            settings: Configured.Van("Lfr:Van:CameraRestart:StallTimeout=1s", "Lfr:Van:CameraRestart:HealthInterval=200ms").CameraRestart));
        await Van.StartDeployment(supervisor, watchlist);
        using var release = new ManualResetEventSlim();
        var opened = 0;
        // the scene, then a read that hangs as a dead RTSP stream does; after the restart, an empty street
        var camera = new CameraSpec(new CameraId("cam-stalls"), () => Interlocked.Increment(ref opened) == 1
            ? new HangsAtEnd(new SceneSource(script), release)
            : new SceneSource(new SceneScript(160, 120, 15, TimeSpan.FromSeconds(1), [])), HandOffPolicy.Lossless, ReconnectOnEnd: false);
        supervisor.Tell(new StartCamera(camera));

        var stalled = health.FishForMessage<CameraHealth>(h => h.Camera == camera.Id && h.Restarts >= 1, Van.Patience);
        Assert.StartsWith("no frame for", stalled.LastError);
        health.AwaitEnded(camera.Id);
        release.Set();
        Sys.Stop(supervisor);

        Output!.WriteLine($"after a clean end: {string.Join(", ", ended)}; after the watchdog: {string.Join(", ", alerts)}");
        Assert.NotEmpty(ended);
        Assert.Equal(ended.Select(a => (a.EntryId, a.Likelihood)), alerts.Select(a => (a.EntryId, a.Likelihood)));
    }

    /// <summary>A scene whose read after the last frame blocks until released, as a hung stream does.</summary>
    private sealed class HangsAtEnd(SceneSource scene, ManualResetEventSlim release) : IFrameSource
    {
        public double FramesPerSecond => scene.FramesPerSecond;
        public bool IsLive => scene.IsLive;

        public bool Read(OpenCvSharp.Mat into, out TimeSpan position)
        {
            if (scene.Read(into, out position)) return true;
            release.Wait(TimeSpan.FromSeconds(60));
            return false;
        }

        public void Dispose() => scene.Dispose();
    }

    /// <summary>A scene whose last read fails, as a stream that drops does.</summary>
    private sealed class BreaksAtEnd(SceneSource scene) : IFrameSource
    {
        public double FramesPerSecond => scene.FramesPerSecond;
        public bool IsLive => scene.IsLive;

        public bool Read(OpenCvSharp.Mat into, out TimeSpan position) =>
            scene.Read(into, out position) ? true : throw new CameraSourceException("the camera stopped delivering frames");

        public void Dispose() => scene.Dispose();
    }

    private async Task<List<AlertProtocol.AlertCandidate>> AlertsOf(SceneScript script, WatchlistIndex watchlist, VanPipelineSettings settings)
    {
        var alerts = new System.Collections.Concurrent.ConcurrentQueue<AlertProtocol.AlertCandidate>();
        var health = CreateTestProbe();
        Sys.EventStream.Subscribe(health.Ref, typeof(CameraHealth));
        var supervisor = Sys.ActorOf(CameraSupervisor.Props(van.Engine, settings, Sys.ActorOf(CallbackAlertSink.Props(alerts.Enqueue))));
        await Van.StartDeployment(supervisor, watchlist);
        var camera = new CameraSpec(new CameraId("cam-best"), () => new SceneSource(script), HandOffPolicy.Lossless, ReconnectOnEnd: false);
        supervisor.Tell(new StartCamera(camera));
        health.AwaitEnded(camera.Id);
        Sys.Stop(supervisor);
        Sys.EventStream.Unsubscribe(health.Ref);
        return [.. alerts];
    }
}

/// <summary>
/// People from <c>lfw-dev</c> for scenes: enrolled walkers (gallery photo on the watchlist, their other photos walk)
/// and strangers (not on it). Only people whose photos the model itself recognises are cast as enrolled, and only
/// people it does not confuse with them as strangers: these specs test the pipeline, not the model's accuracy.
/// </summary>
internal sealed record LfwCast(IReadOnlyList<(string Label, string[] Photos)> Walkers, IReadOnlyList<WatchlistEntry> Entries)
{
    public IReadOnlyList<string> Enrolled => Entries.Select(e => e.Id.Value).ToList();
    public WatchlistIndex Watchlist => WatchlistIndex.Build(Entries, VectorStorage.Float32);

    public static LfwCast Pick(VanEngine van, int enrolled, int strangers)
    {
        var gallery = Rows("lfw-dev/gallery.csv").ToDictionary(r => r.Identity, r => r.Path);
        var probes = Rows("lfw-dev/probes.csv").GroupBy(r => r.Identity).Where(g => g.Count() >= 3)
            .OrderBy(g => g.Key, StringComparer.Ordinal).ToList();

        var walkers = new List<(string Label, string[] Photos)>();
        var entries = new List<WatchlistEntry>();
        foreach (var person in probes.Where(p => gallery.ContainsKey(p.Key)))
        {
            if (entries.Count == enrolled) break;
            var enrolment = van.Embed(gallery[person.Key]);
            var photos = person.Take(3).Select(r => r.Path).ToArray();
            // comfortably above the cosine the alert threshold stands for, so that some capture of the passage reaches it
            if (photos.Max(p => Dot(van.Embed(p), enrolment)) < van.Calibration.CosineAt(0.6f) + 0.05f) continue;
            entries.Add(new WatchlistEntry(new WatchlistEntryId(person.Key), WatchlistCategory.WantedWithPowerOfArrest, enrolment));
            walkers.Add((person.Key, photos.Select(SharedData.PathOf).ToArray()));
        }
        var strangersCast = 0;
        foreach (var person in probes.Where(p => !gallery.ContainsKey(p.Key)))
        {
            if (strangersCast == strangers) break;
            var photos = person.Take(3).Select(r => r.Path).ToArray();
            var closest = photos.Max(p => { var e = van.Embed(p); return entries.Max(x => Dot(x.Embedding.Span.ToArray(), e)); });
            if (closest >= 0.3f) continue;
            walkers.Insert(2 * strangersCast + 1, ($"stranger-{person.Key}", photos.Select(SharedData.PathOf).ToArray()));
            strangersCast++;
        }
        return new LfwCast(walkers, entries);
    }

    /// <summary>
    /// One enrolled person with two probe photos that both reach the threshold, the weaker first and a clearly better
    /// one second: a passage whose best capture is not its first.
    /// </summary>
    public static ((string Label, string[] Photos) Walker, WatchlistIndex Watchlist) PickImproving(VanEngine van)
    {
        var gallery = Rows("lfw-dev/gallery.csv").ToDictionary(r => r.Identity, r => r.Path);
        var threshold = van.Calibration.CosineAt(0.6f);
        foreach (var person in Rows("lfw-dev/probes.csv").GroupBy(r => r.Identity).Where(g => g.Count() >= 2 && gallery.ContainsKey(g.Key))
                     .OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var enrolment = van.Embed(gallery[person.Key]);
            var scored = person.Take(3).Select(r => (r.Path, Cosine: Dot(van.Embed(r.Path), enrolment))).OrderBy(p => p.Cosine).ToList();
            // margins that survive drawing the photo into a scene: the weaker still alerts, the better scores clearly higher
            var weaker = scored.FirstOrDefault(p => p.Cosine >= threshold + 0.05f);
            if (weaker.Path is null || scored[^1].Cosine < weaker.Cosine + 0.08f) continue;
            var entry = new WatchlistEntry(new WatchlistEntryId(person.Key), WatchlistCategory.WantedWithPowerOfArrest, enrolment);
            return ((person.Key, [SharedData.PathOf(weaker.Path), SharedData.PathOf(scored[^1].Path)]),
                WatchlistIndex.Build([entry], VectorStorage.Float32));
        }
        throw new InvalidOperationException("no lfw-dev person with a weaker and a clearly better probe photo");
    }

    /// <summary>
    /// One enrolled person none of whose probe photos reaches the threshold alone, while their mean (the views of one
    /// passage together) clearly does.
    /// </summary>
    public static ((string Label, string[] Photos) Walker, WatchlistIndex Watchlist) PickFusing(VanEngine van)
    {
        var gallery = Rows("lfw-dev/gallery.csv").ToDictionary(r => r.Identity, r => r.Path);
        var threshold = van.Calibration.CosineAt(0.6f);
        foreach (var person in Rows("lfw-dev/probes.csv").GroupBy(r => r.Identity).Where(g => g.Count() >= 2 && gallery.ContainsKey(g.Key))
                     .OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var enrolment = van.Embed(gallery[person.Key]);
            var photos = person.Take(3).Select(r => (r.Path, Embedding: van.Embed(r.Path))).ToList();
            // margins that survive drawing the photos into a scene
            if (photos.Max(p => Dot(p.Embedding, enrolment)) >= threshold - 0.02f) continue;
            var mean = new float[enrolment.Length];
            foreach (var p in photos) System.Numerics.Tensors.TensorPrimitives.Add(mean, p.Embedding, mean);
            if (Dot(mean, enrolment) / System.Numerics.Tensors.TensorPrimitives.Norm(mean) < threshold + 0.03f) continue;
            var entry = new WatchlistEntry(new WatchlistEntryId(person.Key), WatchlistCategory.WantedWithPowerOfArrest, enrolment);
            return ((person.Key, photos.Select(p => SharedData.PathOf(p.Path)).ToArray()), WatchlistIndex.Build([entry], VectorStorage.Float32));
        }
        throw new InvalidOperationException("no lfw-dev person whose photos reach the threshold together but not alone");
    }

    /// <summary>Walkers cross one after another in two lanes, so up to two people are in view at once.</summary>
    public static SceneScript Walk(IReadOnlyList<(string Label, string[] Photos)> walkers, int width, int height, double fps)
    {
        // about walking pace: a face moves a fifth of its width per frame at 15 fps
        var crossing = TimeSpan.FromSeconds(4);
        var every = TimeSpan.FromSeconds(2);
        var script = walkers.Select((w, i) => new SceneWalker(w.Label, w.Photos, every * i, crossing, i % 2 == 0 ? 0.32f : 0.7f,
            Size: height * 4 / 9, LeftToRight: i % 2 == 0)).ToList();
        return new SceneScript(width, height, fps, every * (walkers.Count - 1) + crossing + TimeSpan.FromSeconds(0.5), script);
    }

    private static IEnumerable<(string Path, string Identity)> Rows(string manifest) =>
        File.ReadLines(SharedData.PathOf(manifest)).Skip(1).Select(line => line.Split(','))
            .Select(cols => ("lfw-dev/" + cols[0], cols[1]));

    private static float Dot(float[] a, float[] b) => System.Numerics.Tensors.TensorPrimitives.Dot(a, b);
}
