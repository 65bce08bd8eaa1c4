using Akka.Actor;
using Lfr.Actors.Cluster;
using Lfr.Vision.Watchlists;

namespace Lfr.Actors.Van.Pipeline;

/// <summary>What the recognition graph sends out: alert candidates (acknowledged, for backpressure) and operator view frames.</summary>
public static class AlertProtocol
{
    public interface IAlertMessage;

    /// <summary>
    /// A face whose likelihood reached the deployment's threshold: the alert of a passage, sent with its first capture
    /// that reaches the threshold, and at most one improved capture of it shortly after (a candidate with its own id and
    /// the same <see cref="Passage"/>; the control room's alert desk adds it to the passage's alert as a further capture).
    /// The crop is a JPEG under <see cref="VanPipelineSettings.MaxCropBytes"/>; it is the only image of a person the van
    /// sends anywhere, and it crosses to the control room through the van's durable outbox.
    /// </summary>
    public sealed record AlertCandidate(
        AlertId Id,
        DeploymentId Deployment,
        CameraId Camera,
        TrackId Track,
        WatchlistEntryId EntryId,
        WatchlistCategory Category,
        float Likelihood,
        string ModelSha256,
        string CalibrationVersion,
        DateTimeOffset CapturedAt,
        TimeSpan SourcePosition,
        byte[] FaceJpeg) : IAlertMessage, ILfrWireMessage
    {
        /// <summary>Candidates of one passage share camera, track and entry: the first is its alert, a later one an improved capture.</summary>
        public (CameraId Camera, TrackId Track, WatchlistEntryId Entry) Passage => (Camera, Track, EntryId);

        // ids and numbers only: the crop never reaches a log by accident
        public override string ToString() =>
            $"AlertCandidate({Id}, {Deployment}, {Camera}, track {Track}, entry {EntryId}, likelihood {Likelihood:0.000}, crop {FaceJpeg.Length} B)";
    }

    /// <summary>The sink's acknowledgement; the graph sends the next alert only after it.</summary>
    public sealed record AlertAccepted(AlertId Id) : IAlertMessage;
}

/// <summary>A frame for the operator's live view: every face not on an alert pixelated, alert faces boxed.</summary>
public sealed record OperatorViewFrame(CameraId Camera, long Sequence, DateTimeOffset CapturedAt, byte[] Jpeg, int Faces, int AlertFaces)
{
    public override string ToString() => $"OperatorViewFrame({Camera}, #{Sequence}, {Jpeg.Length} B, {Faces} faces, {AlertFaces} alerts)";
}

/// <summary>An alert sink that hands each alert to a callback and acknowledges it (the CLI, benchmarks).</summary>
public sealed class CallbackAlertSink : ReceiveActor
{
    public CallbackAlertSink(Action<AlertProtocol.AlertCandidate> onAlert)
    {
        Receive<AlertProtocol.AlertCandidate>(alert =>
        {
            onAlert(alert);
            Sender.Tell(new AlertProtocol.AlertAccepted(alert.Id));
        });
    }

    public static Props Props(Action<AlertProtocol.AlertCandidate> onAlert) => Akka.Actor.Props.Create(() => new CallbackAlertSink(onAlert));
}
