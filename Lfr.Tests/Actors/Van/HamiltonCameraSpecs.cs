using Akka.Actor;
using Akka.Streams.Dsl;
using Lfr.Actors.Van;
using Lfr.Actors.Van.Cameras;
using Lfr.Actors.Van.Pipeline;
using Lfr.Tests.Fixtures;
using Lfr.Vision;
using Lfr.Vision.Imaging;
using Lfr.Vision.Watchlists;
using OpenCvSharp;
using Xunit.Abstractions;
using static Lfr.Actors.Van.Cameras.CameraSupervisorProtocol;

namespace Lfr.Tests.Actors.Van;

/// <summary>A real video as a camera: the Hamilton clip (640x360, ~10 s) played in real time, as a camera would deliver it.</summary>
[Collection(VanCollection.Name)]
public sealed class HamiltonCameraSpecs(VanEngine van, ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit(VanConfig.Default, output: output)
{
    private const string Clip = "face_recognition/video/short_hamilton_clip.mp4";
    private const string Miranda = "face_recognition/images/lin-manuel-miranda.png";
    private const string Lacamoire = "face_recognition/images/alex-lacamoire.png";

    [SharedDataFact(Clip)]
    public async Task Camera_should_alert_Miranda_once_in_his_close_up_passage_and_nobody_else()
    {
        var alerts = this.AckingAlertSink();
        var views = CreateTestProbe("views");
        var health = CreateTestProbe("health");
        Sys.EventStream.Subscribe(health.Ref, typeof(CameraHealth));
        var supervisor = Sys.ActorOf(CameraSupervisor.Props(van.Engine, van.Settings, alerts.Ref,
            _ => Sink.ForEach<OperatorViewFrame>(v => views.Ref.Tell(v)).MapMaterializedValue(_ => Akka.NotUsed.Instance)));
        await Van.StartDeployment(supervisor, van.Watchlist(("wl-miranda", Miranda), ("wl-lacamoire", Lacamoire)));

        var camera = Van.VideoCamera("cam-hamilton", Clip);
        supervisor.Tell(new StartCamera(camera));
        var ended = health.AwaitEnded(camera.Id);

        var received = alerts.Drain<AlertProtocol.AlertCandidate>();
        var fps = Van.FramesPerSecond(Clip);
        Output!.WriteLine($"frames {ended.FramesIn}, processed {ended.FramesProcessed}, dropped {ended.FramesDropped}, faces {ended.Faces}, tracks {ended.Tracks}");
        foreach (var a in received) Output!.WriteLine($"{a} at frame {a.SourcePosition.TotalSeconds * fps:0}");

        // one alert (the passage's first candidate); a later candidate of the passage may carry a clearly better capture
        var passage = Assert.Single(received.GroupBy(a => a.Passage));
        var alert = passage.First();
        Assert.All(passage.Skip(1), improved => Assert.True(improved.Likelihood > alert.Likelihood));
        Assert.InRange(passage.Count(), 1, 2);
        Assert.Equal(new WatchlistEntryId("wl-miranda"), alert.EntryId);
        Assert.InRange(alert.SourcePosition.TotalSeconds * fps, 82, 210);
        Assert.InRange(alert.Likelihood, 0.6f, 1f);
        Assert.Equal(van.Engine.EmbeddingModelSha256, alert.ModelSha256);
        Assert.Equal(camera.Id, alert.Camera);
        Assert.InRange(alert.FaceJpeg.Length, 1, 64 * 1024 - 1);
        using (var crop = Cv2.ImDecode(alert.FaceJpeg, ImreadModes.Color))
            Assert.True(crop.Width >= 100, $"the crop shows the face in the close-up, not a thumbnail ({crop.Width} px)");
        Assert.Equal(1, ended.Alerts);
        Assert.Equal(ended.FramesIn, ended.FramesProcessed + ended.FramesDropped);

        // the operator view at its configured rate (Lfr:LiveView, 2 frames a second by default) and size, and in each only
        // the alert face may still look like a face
        var shown = views.Drain<OperatorViewFrame>();
        var view = van.Settings.View!;
        var expected = ended.FramesIn / fps * view.MaxFramesPerSecond;
        Assert.InRange(shown.Count, (int)(0.6 * expected), (int)Math.Ceiling(1.2 * expected) + 1);
        Assert.All(shown, v => Assert.InRange(v.Jpeg.Length, 1, view.MaxFrameBytes));
        Assert.Contains(shown, v => v.AlertFaces == 1);
    }

    /// <summary>
    /// Alex Lacamoire is on the watchlist but mostly in profile or 33-39 px wide in this clip; the prototype scored him
    /// at most 0.21. This measures his best cosine over every face of every frame (no quality gate), for the report.
    /// </summary>
    [SharedDataFact(Clip)]
    public void Lacamoire_should_score_far_below_the_threshold_over_the_whole_clip()
    {
        var lacamoire = van.Embed(Lacamoire);
        var miranda = van.Embed(Miranda);
        float bestLacamoire = -1, bestMiranda = -1;
        using var capture = new VideoCapture(SharedData.PathOf(Clip));
        using var frame = new Mat();
        var frames = 0;
        while (capture.Read(frame) && !frame.Empty())
        {
            frames++;
            var (faces, _) = van.Engine.Embed(frame, van.Engine.Detect(frame), applyQualityGate: false);
            foreach (var face in faces)
            {
                bestLacamoire = Math.Max(bestLacamoire, Dot(face.Embedding, lacamoire));
                bestMiranda = Math.Max(bestMiranda, Dot(face.Embedding, miranda));
            }
        }
        var likelihood = van.Settings.Likelihood;
        Output!.WriteLine($"{frames} frames: best cosine Lacamoire {bestLacamoire:0.000} (likelihood {likelihood[bestLacamoire]:0.000}), " +
                          $"Miranda {bestMiranda:0.000} (likelihood {likelihood[bestMiranda]:0.000})");
        Assert.InRange(likelihood[bestLacamoire], 0f, 0.3f);
        Assert.InRange(likelihood[bestMiranda], 0.6f, 1f);
    }

    private static float Dot(float[] a, float[] b) => System.Numerics.Tensors.TensorPrimitives.Dot(a, b);
}
