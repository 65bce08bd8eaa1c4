using Akka;
using Akka.Streams.Dsl;
using Lfr.Actors.Van.Cameras;
using Lfr.Vision.Imaging;
using OpenCvSharp;

namespace Lfr.Actors.Van.Pipeline.Stages;

/// <summary>
/// The last stage: at <see cref="VanPipelineSettings.ViewFramesPerSecond"/> a frame becomes the operator's picture
/// (<see cref="Render"/>); every frame is disposed here.
/// </summary>
internal static class OperatorViewStage
{
    /// <summary>The most an operator-view JPEG may weigh.</summary>
    private const int MaxViewBytes = 256 * 1024;

    public static Flow<MatchedFrame, ProcessedFrame, NotUsed> Create(VanPipelineContext context) =>
        PipelineStage.Create<MatchedFrame, ProcessedFrame>("operator-view", context.Log, () =>
        {
            var settings = context.Settings;
            var interval = settings.ViewFramesPerSecond > 0 ? TimeSpan.FromSeconds(1 / settings.ViewFramesPerSecond) : TimeSpan.MaxValue;
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
                    view = Render(frame, matched.Faces, settings.ViewWidth, settings.ViewSceneBlocks);
                }
                return new ProcessedFrame(frame.Camera, frame.Sequence, frame.CapturedAt, matched.Alerts, view);
            };
        });

    /// <summary>The operator's picture: shrunk to <paramref name="width"/>, redacted (<see cref="OperatorViewRedaction"/>).</summary>
    internal static OperatorViewFrame Render(CameraFrame frame, IReadOnlyList<ViewFace> faces, int width, int sceneBlocks)
    {
        var scale = Math.Min(1f, (float)width / frame.Image.Width);
        using var view = scale < 1
            ? frame.Image.Resize(new Size(width, (int)Math.Round(frame.Image.Height * scale)), interpolation: InterpolationFlags.Area)
            : frame.Image.Clone();
        var alerts = OperatorViewRedaction.Redact(view, faces, scale, sceneBlocks);
        var jpeg = JpegEncoder.EncodeUnder(view, MaxViewBytes);
        return new OperatorViewFrame(frame.Camera, frame.Sequence, frame.CapturedAt, jpeg, faces.Count, alerts);
    }
}
