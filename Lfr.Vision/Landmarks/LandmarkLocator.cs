using Lfr.Vision.Detection;
using Lfr.Vision.Models;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;

namespace Lfr.Vision.Landmarks;

/// <summary>
/// fr_landmark: 68 points from a 64x64 grey crop of the face box (pixels / 256), each point normalised to the crop.
/// The crop is the square of the box's height around its centre, as the model's own JS takes it.
/// </summary>
public sealed class LandmarkLocator : IDisposable
{
    private const int Side = 64;
    private static readonly long[] InputShape = [1, 1, Side, Side];
    private readonly InferenceSession _session;

    public LandmarkLocator(ModelFile model) => _session = OnnxSessions.Create(model);

    public Point2f[] Locate68(Mat bgr, FaceBox box)
    {
        var side = Math.Max(box.Height, box.Width);
        var c = box.Center;
        var crop = new Rect2f(c.X - side / 2, c.Y - side / 2, side, side);

        using var patch = CropResize(bgr, crop, Side);
        using var grey = new Mat();
        Cv2.CvtColor(patch, grey, ColorConversionCodes.BGR2GRAY);
        var input = new float[Side * Side];
        for (var y = 0; y < Side; y++)
            for (var x = 0; x < Side; x++)
                input[y * Side + x] = grey.At<byte>(y, x) / 256f;

        using var value = OrtValue.CreateTensorValueFromMemory(input, InputShape);
        using var outputs = _session.Run(OnnxSessions.RunOptions, ["input"], [value], ["output"]);
        var o = outputs[0].GetTensorDataAsSpan<float>();
        var points = new Point2f[68];
        for (var i = 0; i < 68; i++)
            points[i] = new Point2f(crop.X + o[2 * i] * crop.Width, crop.Y + o[2 * i + 1] * crop.Height);
        return points;
    }

    public Landmarks5 Locate(Mat bgr, FaceBox box) => Landmarks5.From68(Locate68(bgr, box));

    /// <summary>Crops a (possibly out-of-bounds) square region and resizes it, replicating the border outside the image.</summary>
    internal static Mat CropResize(Mat bgr, Rect2f region, int side)
    {
        var scale = side / region.Width;
        // An affine warp handles sub-pixel and out-of-image regions in one step.
        using var m = new Mat(2, 3, MatType.CV_64FC1);
        m.Set(0, 0, (double)scale); m.Set(0, 1, 0.0); m.Set(0, 2, (double)(-region.X * scale));
        m.Set(1, 0, 0.0); m.Set(1, 1, (double)scale); m.Set(1, 2, (double)(-region.Y * scale));
        var result = new Mat();
        Cv2.WarpAffine(bgr, result, m, new Size(side, side),
            scale < 1 ? InterpolationFlags.Area : InterpolationFlags.Linear, BorderTypes.Replicate);
        return result;
    }

    public void Dispose() => _session.Dispose();
}
