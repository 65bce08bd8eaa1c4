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

    /// <summary>
    /// Blocks across a whole operator-view frame for <see cref="PixelateAllBut"/>: at 960 px wide a block is 15 px, so a
    /// face up to ~120 px wide in the view (~240 px in a 1080p frame) is 8 blocks or fewer however the detector fared.
    /// </summary>
    public const int DefaultSceneBlocks = 64;

    /// <summary>
    /// Pixelates the whole frame in place into about <paramref name="blocksAcross"/> square blocks across, except the
    /// <paramref name="keep"/> regions, which stay as they were. Privacy by default for a picture people look at: a
    /// face the detector missed (turned away, half out of the frame, too small) is never shown recognisably; the
    /// scene's movement and layout stay visible.
    /// </summary>
    public static void PixelateAllBut(Mat frame, IReadOnlyCollection<Rect> keep, int blocksAcross = DefaultSceneBlocks)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(keep);
        ArgumentOutOfRangeException.ThrowIfLessThan(blocksAcross, 1);
        if (frame.Width == 0 || frame.Height == 0)
            return;

        var bounds = new Rect(0, 0, frame.Width, frame.Height);
        var kept = keep.Select(r => r.Intersect(bounds)).Where(r => r.Width > 0 && r.Height > 0)
            .Select(r => (Region: r, Pixels: new Mat(frame, r).Clone())).ToList();
        try
        {
            var blocksDown = Math.Max(1, (int)Math.Round((double)frame.Height * blocksAcross / frame.Width));
            using var small = new Mat();
            Cv2.Resize(frame, small, new Size(Math.Min(blocksAcross, frame.Width), Math.Min(blocksDown, frame.Height)), interpolation: InterpolationFlags.Area);
            Cv2.Resize(small, frame, frame.Size(), interpolation: InterpolationFlags.Nearest);
            foreach (var (region, pixels) in kept)
            {
                using var target = new Mat(frame, region);
                pixels.CopyTo(target);
            }
        }
        finally
        {
            foreach (var (_, pixels) in kept)
                pixels.Dispose();
        }
    }

    /// <summary>Pixelates every region in place; see <see cref="Pixelate"/>.</summary>
    public static void PixelateAll(Mat frame, IEnumerable<Rect> regions, int blocks = DefaultBlocks, double margin = DefaultMargin)
    {
        ArgumentNullException.ThrowIfNull(regions);
        foreach (var region in regions)
            Pixelate(frame, region, blocks, margin);
    }
}
