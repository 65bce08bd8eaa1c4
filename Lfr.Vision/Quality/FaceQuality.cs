using Lfr.Vision.Detection;
using OpenCvSharp;

namespace Lfr.Vision.Quality;

/// <summary>
/// Cheap measures of whether a face is worth embedding: size, sharpness and pose from the landmarks.
/// Yaw and pitch are unitless offsets (0 = frontal): yaw is the nose's horizontal offset from the eye/mouth
/// midline in half inter-ocular distances (about 1 at a 60-70 degree turn); pitch is the nose's vertical
/// position between eye line (0) and mouth line (1), minus its frontal value 0.5.
/// </summary>
public readonly record struct FaceQuality(float FaceWidth, float InterOcular, float Sharpness, float Yaw, float Pitch, float RollDegrees)
{
    public static FaceQuality Measure(DetectedFace face, Mat aligned)
    {
        var lm = face.Landmarks ?? throw new ArgumentException("the face needs landmarks", nameof(face));
        var eyeMid = (lm.LeftEye + lm.RightEye) * 0.5f;
        var mouthMid = (lm.MouthLeft + lm.MouthRight) * 0.5f;
        var iod = Math.Max(1e-3f, lm.InterOcularDistance);

        var midX = (eyeMid.X + mouthMid.X) / 2;
        var yaw = (lm.Nose.X - midX) / (iod / 2);
        var eyeToMouth = mouthMid.Y - eyeMid.Y;
        var pitch = eyeToMouth > 1e-3f ? (lm.Nose.Y - eyeMid.Y) / eyeToMouth - 0.5f : 1f;
        var roll = MathF.Atan2(lm.RightEye.Y - lm.LeftEye.Y, lm.RightEye.X - lm.LeftEye.X) * 180f / MathF.PI;
        return new FaceQuality(face.Box.Width, iod, MeasureSharpness(aligned), yaw, pitch, roll);
    }

    /// <summary>Variance of the Laplacian over the inner face of the aligned crop (blurred or tiny upscaled faces score low).</summary>
    public static float MeasureSharpness(Mat aligned)
    {
        using var inner = new Mat(aligned, new Rect(24, 32, 64, 64));
        using var grey = new Mat();
        Cv2.CvtColor(inner, grey, ColorConversionCodes.BGR2GRAY);
        using var lap = new Mat();
        Cv2.Laplacian(grey, lap, MatType.CV_32F);
        Cv2.MeanStdDev(lap, out _, out var std);
        return (float)(std.Val0 * std.Val0);
    }
}

/// <summary>Thresholds of the quality gate. A face failing any of them is tracked but not embedded.</summary>
public sealed record QualityGate
{
    public float MinFaceWidth { get; init; } = 28f;
    public float MinSharpness { get; init; } = 15f;
    public float MaxAbsYaw { get; init; } = 0.9f;
    public float MaxAbsPitch { get; init; } = 0.35f;

    /// <summary>Why the face fails, or null when it passes.</summary>
    public string? Reject(FaceQuality q) =>
        q.FaceWidth < MinFaceWidth ? $"face too small ({q.FaceWidth:0} px < {MinFaceWidth:0} px)"
        : q.Sharpness < MinSharpness ? $"face too blurred (sharpness {q.Sharpness:0.0} < {MinSharpness:0.0})"
        : Math.Abs(q.Yaw) > MaxAbsYaw ? $"face turned too far (yaw {q.Yaw:0.00})"
        : Math.Abs(q.Pitch) > MaxAbsPitch ? $"face tilted too far (pitch {q.Pitch:0.00})"
        : null;
}
