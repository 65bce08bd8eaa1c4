using OpenCvSharp;

namespace Lfr.Vision.Detection;

/// <summary>An axis-aligned box in source-image pixels.</summary>
public readonly record struct FaceBox(float X, float Y, float Width, float Height)
{
    public float Right => X + Width;
    public float Bottom => Y + Height;
    public float Area => Math.Max(0, Width) * Math.Max(0, Height);
    public Point2f Center => new(X + Width / 2, Y + Height / 2);

    public float IntersectionArea(FaceBox other)
    {
        var w = Math.Min(Right, other.Right) - Math.Max(X, other.X);
        var h = Math.Min(Bottom, other.Bottom) - Math.Max(Y, other.Y);
        return w <= 0 || h <= 0 ? 0 : w * h;
    }

    public float IoU(FaceBox other)
    {
        var inter = IntersectionArea(other);
        return inter <= 0 ? 0 : inter / (Area + other.Area - inter);
    }

    /// <summary>The integer rectangle covering this box, clipped to an image of the given size.</summary>
    public Rect ToRect(int imageWidth, int imageHeight)
    {
        var x0 = Math.Clamp((int)MathF.Floor(X), 0, imageWidth);
        var y0 = Math.Clamp((int)MathF.Floor(Y), 0, imageHeight);
        var x1 = Math.Clamp((int)MathF.Ceiling(Right), 0, imageWidth);
        var y1 = Math.Clamp((int)MathF.Ceiling(Bottom), 0, imageHeight);
        return new Rect(x0, y0, x1 - x0, y1 - y0);
    }

    public FaceBox Scale(float factor) => new(X * factor, Y * factor, Width * factor, Height * factor);
}

/// <summary>
/// The five points used for alignment, named by their side in the image (not the subject's side):
/// eyes, nose tip, mouth corners.
/// </summary>
public readonly record struct Landmarks5(Point2f LeftEye, Point2f RightEye, Point2f Nose, Point2f MouthLeft, Point2f MouthRight)
{
    public Point2f this[int i] => i switch
    {
        0 => LeftEye,
        1 => RightEye,
        2 => Nose,
        3 => MouthLeft,
        4 => MouthRight,
        _ => throw new ArgumentOutOfRangeException(nameof(i)),
    };

    public float InterOcularDistance => (float)Point2f.Distance(LeftEye, RightEye);

    public Landmarks5 Scale(float factor) => new(
        LeftEye * factor, RightEye * factor, Nose * factor, MouthLeft * factor, MouthRight * factor);

    /// <summary>Reduces the 68-point (iBUG 300-W) layout to five points: eye centres, nose tip, mouth corners.</summary>
    public static Landmarks5 From68(ReadOnlySpan<Point2f> p)
    {
        if (p.Length != 68) throw new ArgumentException("expected 68 points", nameof(p));
        return new Landmarks5(
            Mean(p[36], p[37], p[39], p[40]),
            Mean(p[42], p[43], p[45], p[46]),
            p[30],
            Mean(p[48], p[60]),
            Mean(p[54], p[64]));
    }

    private static Point2f Mean(params ReadOnlySpan<Point2f> points)
    {
        float x = 0, y = 0;
        foreach (var q in points) { x += q.X; y += q.Y; }
        return new Point2f(x / points.Length, y / points.Length);
    }
}

/// <summary>A face found in an image: box, detector confidence, and (once located) its five landmarks.</summary>
public readonly record struct DetectedFace(FaceBox Box, float Score, Landmarks5? Landmarks = null);
