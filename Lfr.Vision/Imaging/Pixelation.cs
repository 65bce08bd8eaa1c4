using OpenCvSharp;

namespace Lfr.Vision.Imaging;

/// <summary>
/// The seed's rule "any person that does not match appears as a pixelated image on the operator's screen":
/// every face that did not match the watchlist is pixelated in the frame before that frame is shown anywhere.
/// </summary>
public static class Pixelation
{
    /// <summary>
    /// Blocks across a face, whatever its size in pixels. About 8 blocks across the enlarged box leave some 6 across
    /// the face itself: a skin-coloured blob that a person cannot recognise. Mosaics with much smaller blocks (16 and
    /// more across a face) have been shown to be recognisable by a machine.
    /// </summary>
    public const int DefaultBlocks = 8;

    /// <summary>Fraction of the face box's width and height added on every side, to cover hair, ears and chin.</summary>
    public const double DefaultMargin = 0.2;

    /// <summary>
    /// Pixelates <paramref name="region"/>, enlarged by <paramref name="margin"/> and clipped to the frame, in place:
    /// the region is shrunk to a grid of about <paramref name="blocks"/> square blocks across with area averaging,
    /// then blown back up with nearest-neighbour, so each block is one flat colour. A region with no area, or one
    /// entirely outside the frame, is ignored. Blocks keep their size where the region is clipped by the frame edge,
    /// so a face half out of the picture is not pixelated more finely.
    /// </summary>
    public static void Pixelate(Mat frame, Rect region, int blocks = DefaultBlocks, double margin = DefaultMargin)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentOutOfRangeException.ThrowIfLessThan(blocks, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(margin);
        if (region.Width <= 0 || region.Height <= 0)
            return;

        var padX = (int)Math.Ceiling(region.Width * margin);
        var padY = (int)Math.Ceiling(region.Height * margin);
        var enlarged = new Rect(region.X - padX, region.Y - padY, region.Width + 2 * padX, region.Height + 2 * padY);
        var clipped = enlarged.Intersect(new Rect(0, 0, frame.Width, frame.Height));
        if (clipped.Width <= 0 || clipped.Height <= 0)
            return;

        var blockSize = (double)enlarged.Width / blocks;
        var grid = new Size(
            Math.Clamp((int)Math.Round(clipped.Width / blockSize), 1, clipped.Width),
            Math.Clamp((int)Math.Round(clipped.Height / blockSize), 1, clipped.Height));
        using var roi = new Mat(frame, clipped);
        using var small = new Mat();
        Cv2.Resize(roi, small, grid, interpolation: InterpolationFlags.Area);
        // roi already has the target size and type, so Resize writes straight into the frame's pixels
        Cv2.Resize(small, roi, roi.Size(), interpolation: InterpolationFlags.Nearest);
    }

    /// <summary>Pixelates every region in place; see <see cref="Pixelate"/>.</summary>
    public static void PixelateAll(Mat frame, IEnumerable<Rect> regions, int blocks = DefaultBlocks, double margin = DefaultMargin)
    {
        ArgumentNullException.ThrowIfNull(regions);
        foreach (var region in regions)
            Pixelate(frame, region, blocks, margin);
    }
}
