using Lfr.Vision.Detection;
using Lfr.Vision.Models;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;
using OpenCvSharp.Dnn;

namespace Lfr.Vision.Landmarks;

/// <summary>
/// fr_landmark: 68 points from a 64x64 grey crop of the face box (pixels / 256), each point normalised to the crop.
/// The crop is the square of the box's height around its centre, as the model's own JS takes it. A force's own landmark
/// model gives its input size, colour order and mean/std (<see cref="LandmarksInput"/>) and may give 68 points or 5.
/// </summary>
public sealed class LandmarkLocator : IDisposable
{
    private readonly long[] _inputShape;
    private readonly LandmarksInput _input;
    private readonly InferenceSession _session;

    public LandmarkLocator(ModelFile model, LandmarksInput? input = null)
    {
        _input = input ?? new LandmarksInput();
        _inputShape = [1, _input.Colour == ColourOrder.Grey ? 1 : 3, _input.InputSize, _input.InputSize];
        _session = OnnxSessions.Create(model);
    }

    /// <summary>The model's points in image pixels: 68 (fr_landmark) or 5.</summary>
    public Point2f[] LocatePoints(Mat bgr, FaceBox box)
    {
        var side = Math.Max(box.Height, box.Width);
        var c = box.Center;
        var crop = new Rect2f(c.X - side / 2, c.Y - side / 2, side, side);

        using var patch = CropResize(bgr, crop, _input.InputSize);
        using var planes = new Mat();
        if (_input.Colour == ColourOrder.Grey) Cv2.CvtColor(patch, planes, ColorConversionCodes.BGR2GRAY);
        else patch.CopyTo(planes);
        var input = Blob(planes);

        using var value = OrtValue.CreateTensorValueFromMemory(input, _inputShape);
        using var outputs = _session.Run(OnnxSessions.RunOptions, [_input.InputName], [value], [_input.OutputName]);
        var o = outputs[0].GetTensorDataAsSpan<float>();
        if (o.Length is not (2 * 68 or 2 * 5))
            throw new ModelException($"the landmark model gave {o.Length} values, not 68 or 5 points: check the model set's landmark settings.");
        var points = new Point2f[o.Length / 2];
        for (var i = 0; i < points.Length; i++)
            points[i] = new Point2f(crop.X + o[2 * i] * crop.Width, crop.Y + o[2 * i + 1] * crop.Height);
        return points;
    }

    public Landmarks5 Locate(Mat bgr, FaceBox box)
    {
        var points = LocatePoints(bgr, box);
        return points.Length == 5 ? new Landmarks5(points[0], points[1], points[2], points[3], points[4]) : Landmarks5.From68(points);
    }

    /// <summary>The crop as the model's planar (v - mean) / std input.</summary>
    private unsafe float[] Blob(Mat planes)
    {
        using var blob = CvDnn.BlobFromImage(planes, 1.0 / _input.Std, new Size(), Scalar.All(_input.Mean),
            swapRB: _input.Colour == ColourOrder.Rgb, crop: false);
        var input = new float[(int)blob.Total()];
        new ReadOnlySpan<float>((void*)blob.Data, input.Length).CopyTo(input);
        return input;
    }

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
