using Lfr.Vision.Detection;
using OpenCvSharp;

namespace Lfr.Vision.Imaging;

/// <summary>A face in a frame shown to an operator: only an <paramref name="Alert"/> face may be seen as the camera saw it.</summary>
public readonly record struct ViewFace(FaceBox Box, bool Alert);

/// <summary>
/// Which faces stay visible in a picture an operator looks at: alert faces only, boxed in red. Every other detected face
/// is pixelated (<see cref="Pixelation.Pixelate"/>), and with scene blocks the whole scene but the alert faces too, so
/// that a face the detector missed is not recognisable either (<see cref="Pixelation.PixelateAllBut"/>).
/// </summary>
public static class OperatorViewRedaction
{
    /// <summary>
    /// Redacts <paramref name="view"/> in place; <paramref name="faces"/> are boxes in the source frame, which
    /// <paramref name="scale"/> maps onto the view. Returns how many alert faces stay visible.
    /// </summary>
    public static int Redact(Mat view, IReadOnlyList<ViewFace> faces, float scale, int sceneBlocks)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(faces);
        var boxes = faces.Select(f => (f.Alert, Rect: f.Box.Scale(scale).ToRect(view.Width, view.Height))).ToList();
        var alertBoxes = boxes.Where(b => b.Alert).Select(b => b.Rect).ToList();
        if (sceneBlocks > 0) Pixelation.PixelateAllBut(view, alertBoxes, sceneBlocks);
        foreach (var (alert, rect) in boxes)
            if (!alert) Pixelation.Pixelate(view, rect);
        // boxes last, so that no pixelation of a neighbour paints over an alert face
        foreach (var rect in alertBoxes)
            Cv2.Rectangle(view, rect, Scalar.Red, 2);
        return alertBoxes.Count;
    }
}
