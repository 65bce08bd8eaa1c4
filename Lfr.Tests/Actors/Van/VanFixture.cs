using Akka.Actor;
using Lfr.Actors.Van;
using Lfr.Actors.Van.Cameras;
using Lfr.Actors.Van.Pipeline;
using Lfr.Tests.Fixtures;
using Lfr.Vision;
using Lfr.Vision.Matching;
using Lfr.Vision.Photos;
using Lfr.Vision.Watchlists;
using OpenCvSharp;

namespace Lfr.Tests.Actors.Van;

/// <summary>
/// The van specs share one machine's two cores and use real video with real time in it (a live camera drops frames
/// when recognition is slow), so they run one class at a time.
/// </summary>
[CollectionDefinition(Name)]
public sealed class VanCollection : ICollectionFixture<VanEngine>
{
    public const string Name = "van pipeline";
}

/// <summary>One face engine for all van specs (loading the models once), and enrolment helpers.</summary>
public sealed class VanEngine : IDisposable
{
    public VanEngine()
    {
        Engine = FaceEngine.Load();
        Calibration = CalibrationStore.ForModel(Engine.EmbeddingModelSha256);
        Settings = new VanPipelineSettings { Likelihood = LikelihoodMap.From(Calibration) };
    }

    public FaceEngine Engine { get; }

    /// <summary>The calibration shipped with Lfr: likelihood 0.6 is a cosine of about 0.67.</summary>
    public LikelihoodCalibration Calibration { get; }

    public VanPipelineSettings Settings { get; }

    /// <summary>The subject's embedding of one photo (a path under the shared data folder).</summary>
    public float[] Embed(string relativePath)
    {
        var subject = SubjectFace.From(Engine, SharedData.PathOf(relativePath), SubjectRule.CentreMost);
        return subject.Embedding ?? throw new InvalidOperationException($"{relativePath}: {subject.Error}");
    }

    public WatchlistIndex Watchlist(params (string Id, string RelativePath)[] people) =>
        WatchlistIndex.Build(people.Select(p => new WatchlistEntry(new WatchlistEntryId(p.Id), WatchlistCategory.CourtWarrant, Embed(p.RelativePath))),
            VectorStorage.Float32);

    public void Dispose() => Engine.Dispose();
}

/// <summary>Test helpers around the van's actors.</summary>
internal static class Van
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>An alert sink that acknowledges at once, as the outbox will.</summary>
    public static Akka.TestKit.TestProbe AckingAlertSink(this Akka.TestKit.Xunit2.TestKit kit)
    {
        var probe = kit.CreateTestProbe("alerts");
        probe.SetAutoPilot(new Akka.TestKit.DelegateAutoPilot((sender, message) =>
        {
            if (message is AlertProtocol.AlertCandidate alert) sender.Tell(new AlertProtocol.AlertAccepted(alert.Id));
            return Akka.TestKit.AutoPilot.KeepRunning;
        }));
        return probe;
    }

    public static CameraSpec VideoCamera(string id, string relativePath, HandOffPolicy policy = HandOffPolicy.LatestFrameWins) =>
        new(new CameraId(id), () => new VideoCaptureSource(SharedData.PathOf(relativePath)), policy, ReconnectOnEnd: false);

    public static async Task StartDeployment(IActorRef supervisor, WatchlistIndex watchlist, float threshold = 0.6f) =>
        await supervisor.Ask<CameraSupervisorProtocol.DeploymentApplied>(
            new CameraSupervisorProtocol.DeploymentStarted(new DeploymentId("dep-test"), threshold, watchlist), TimeSpan.FromSeconds(10));

    /// <summary>Waits for the camera to report its source ended, and returns its last health.</summary>
    public static CameraHealth AwaitEnded(this Akka.TestKit.TestProbe health, CameraId camera, TimeSpan? within = null) =>
        health.FishForMessage<CameraHealth>(h => h.Camera == camera && h.State == CameraState.Ended, within ?? Patience);

    /// <summary>Everything the probe received, without waiting.</summary>
    public static List<T> Drain<T>(this Akka.TestKit.TestProbe probe)
    {
        var all = new List<T>();
        while (probe.HasMessages)
            if (probe.ReceiveOne(TimeSpan.Zero) is T t) all.Add(t);
        return all;
    }

    public static double FramesPerSecond(string relativePath)
    {
        using var capture = new VideoCapture(SharedData.PathOf(relativePath));
        return capture.Get(VideoCaptureProperties.Fps);
    }
}
