using Akka;
using Akka.Streams.Dsl;
using Lfr.Actors.Van.Cameras;
using Lfr.Vision.Imaging;
using OpenCvSharp;

namespace Lfr.Actors.Van.Pipeline.Stages;

/// <summary>
/// The last stage: at the rate of <see cref="VanPipelineSettings.View"/> a frame becomes the operator's picture
/// (<see cref="Render"/>), none without one; every frame is disposed here.
/// </summary>
internal static class OperatorViewStage
{
    public static Flow<MatchedFrame, ProcessedFrame, NotUsed> Create(VanPipelineContext context) =>
        PipelineStage.Create<MatchedFrame, ProcessedFrame>("operator-view", context.Log, () =>
        {
            var settings = context.Settings;
            var interval = settings.View?.FrameInterval ?? TimeSpan.MaxValue;
            TimeSpan? last = null;
            (long Sequence, DateTimeOffset CapturedAt) latest = default;
            return matched =>
            {
                if (matched.Frame is null) return new ProcessedFrame(context.Camera, latest.Sequence, latest.CapturedAt, matched.Alerts, null);
                using var frame = matched.Frame;
                latest = (frame.Sequence, frame.CapturedAt);
                OperatorViewFrame? view = null;
                var at = frame.SourcePosition;
                if (interval != TimeSpan.MaxValue && (last is null || at - last >= interval || at < last))
                {
                    last = at;
                    view = Render(frame, matched.Faces, settings.View!.Width, settings.ViewSceneBlocks, settings.View.MaxFrameBytes);
                }
                return new ProcessedFrame(frame.Camera, frame.Sequence, frame.CapturedAt, matched.Alerts, view);
            };
        });

    /// <summary>The operator's picture: shrunk to <paramref name="width"/>, redacted (<see cref="OperatorViewRedaction"/>), a JPEG under <paramref name="maxBytes"/>.</summary>
    internal static OperatorViewFrame Render(CameraFrame frame, IReadOnlyList<ViewFace> faces, int width, int sceneBlocks, int maxBytes)
    {
        var scale = Math.Min(1f, (float)width / frame.Image.Width);
        using var view = scale < 1
            ? frame.Image.Resize(new Size(width, (int)Math.Round(frame.Image.Height * scale)), interpolation: InterpolationFlags.Area)
            : frame.Image.Clone();
        var alerts = OperatorViewRedaction.Redact(view, faces, scale, sceneBlocks);
        var jpeg = JpegEncoder.EncodeUnder(view, maxBytes);
        return new OperatorViewFrame(frame.Camera, frame.Sequence, frame.CapturedAt, jpeg, faces.Count, alerts);
    }
}
