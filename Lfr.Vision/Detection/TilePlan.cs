using OpenCvSharp;

namespace Lfr.Vision.Detection;

/// <summary>One 320x240 detector input: a window of the image shrunk by <see cref="Scale"/>, at <see cref="Origin"/> (scaled pixels).</summary>
internal readonly record struct DetectorView(float Scale, Point Origin, int LevelIndex);

/// <summary>
/// Plans the detector views for an image: the whole image letterboxed into 320x240, plus, when that shrinks
/// faces below what the network finds, overlapping tiles of a copy shrunk just enough for the minimum face.
/// For 1920x1080 with the defaults: the whole frame plus 4x3 tiles of a 1080x608 copy (13 runs).
/// </summary>
internal static class TilePlan
{
    /// <summary>fr_detect's input; a force's own detector may take another (<see cref="Models.DetectorInput"/>).</summary>
    public const int InputWidth = 320;
    public const int InputHeight = 240;

    public static (float[] LevelScales, List<DetectorView> Views) For(Size image, DetectorOptions options) =>
        For(image, options, new Size(InputWidth, InputHeight));

    /// <param name="input">The detector's input window.</param>
    public static (float[] LevelScales, List<DetectorView> Views) For(Size image, DetectorOptions options, Size input)
    {
        var whole = Math.Min((float)input.Width / image.Width, (float)input.Height / image.Height);
        var views = new List<DetectorView> { new(whole, new Point(0, 0), 0) };
        var tileScale = Math.Min(1f, options.MinFaceInTile / options.MinFaceSize);
        if (tileScale <= whole * 1.25f)
            return ([whole], views);

        var w = (int)MathF.Round(image.Width * tileScale);
        var h = (int)MathF.Round(image.Height * tileScale);
        foreach (var y in Starts(h, input.Height, options.TileOverlap))
            foreach (var x in Starts(w, input.Width, options.TileOverlap))
                views.Add(new DetectorView(tileScale, new Point(x, y), 1));
        return ([whole, tileScale], views);
    }

    /// <summary>Tile starts covering [0, length) with windows of <paramref name="window"/> overlapping by at least <paramref name="overlap"/>.</summary>
    private static IEnumerable<int> Starts(int length, int window, int overlap)
    {
        if (length <= window)
        {
            yield return 0;
            yield break;
        }
        var count = (int)Math.Ceiling((double)(length - overlap) / (window - overlap));
        var step = (double)(length - window) / (count - 1);
        for (var i = 0; i < count; i++)
            yield return (int)Math.Round(i * step);
    }
}
