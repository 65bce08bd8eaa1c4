using Lfr.Vision.Imaging;
using OpenCvSharp;
using static Lfr.Tests.Vision.Imaging.TestImages;

namespace Lfr.Tests.Vision.Imaging;

public sealed class PixelationSpecs
{
    [Fact]
    public void Pixelate_should_leave_only_flat_blocks_inside_the_enlarged_region_and_nothing_changed_outside()
    {
        using var frame = Noise(640, 480, 3);
        using var before = frame.Clone();
        var face = new Rect(200, 150, 100, 120);
        var enlarged = new Rect(180, 126, 140, 168); // 20% of the width and height on every side

        Pixelation.Pixelate(frame, face);

        Assert.Equal(0, ChangedPixelsOutside(before, frame, enlarged));
        Assert.InRange(DistinctColours(frame, enlarged), 2, 8 * 10); // 8 blocks across, 10 down; noise had ~23,000
        Assert.Equal(8, Runs(frame, row: 200, enlarged.Left, enlarged.Right));
    }

    [Theory]
    [InlineData(24)]
    [InlineData(60)]
    [InlineData(300)]
    public void Pixelate_should_use_the_same_number_of_blocks_across_whatever_the_face_size(int width)
    {
        using var frame = Noise(800, 800, 3);
        var face = new Rect(200, 200, width, width);

        var margin = (int)Math.Ceiling(width * Pixelation.DefaultMargin);

        Pixelation.Pixelate(frame, face);

        Assert.Equal(Pixelation.DefaultBlocks, Runs(frame, row: 200 + width / 2, 200 - margin, 200 + width + margin));
    }

    [Fact]
    public void Pixelate_should_clip_regions_at_the_frame_edge_without_making_the_blocks_smaller()
    {
        using var frame = Noise(640, 480, 3);
        using var before = frame.Clone();
        var halfOutLeft = new Rect(-60, 200, 120, 120); // enlarged: x -84..84, y 176..344

        Pixelation.Pixelate(frame, halfOutLeft);
        Pixelation.Pixelate(frame, new Rect(600, 440, 100, 100)); // the bottom-right corner

        Assert.Equal(0, ChangedPixelsOutside(before, frame, new Rect(0, 176, 84, 168), new Rect(580, 420, 60, 60)));
        Assert.Equal(Pixelation.DefaultBlocks / 2, Runs(frame, row: 260, 0, 84)); // the visible half keeps half the blocks
        Assert.InRange(DistinctColours(frame, new Rect(580, 420, 60, 60)), 1, 4 * 4);
    }

    [Fact]
    public void Pixelate_should_ignore_empty_regions_and_regions_outside_the_frame()
    {
        using var frame = Noise(320, 240, 3);
        using var before = frame.Clone();

        Pixelation.PixelateAll(frame,
        [
            new Rect(10, 10, 0, 50),
            new Rect(10, 10, 50, -5),
            new Rect(400, 300, 50, 50),
            new Rect(-200, -200, 50, 50),
        ]);

        Assert.Equal(0, ChangedPixelsOutside(before, frame));
    }

    [Fact]
    public void PixelateAll_should_pixelate_every_region_and_nothing_between_them()
    {
        using var frame = Noise(640, 480, 3);
        using var before = frame.Clone();

        Pixelation.PixelateAll(frame, [new Rect(50, 50, 100, 100), new Rect(400, 250, 100, 100)]);

        var first = new Rect(30, 30, 140, 140);
        var second = new Rect(380, 230, 140, 140);
        Assert.Equal(0, ChangedPixelsOutside(before, frame, first, second));
        Assert.InRange(DistinctColours(frame, first), 2, 64);
        Assert.InRange(DistinctColours(frame, second), 2, 64);
    }

    [Fact]
    public void PixelateAllBut_should_leave_the_kept_regions_as_they_were_and_turn_the_rest_into_blocks()
    {
        using var frame = Noise(960, 540, 3);
        using var before = frame.Clone();
        var kept = new Rect(400, 200, 90, 110);

        Pixelation.PixelateAllBut(frame, [kept, new Rect(950, 530, 40, 40)], blocksAcross: 64);

        using (var inside = new Mat(frame, kept))
        using (var was = new Mat(before, kept))
            Assert.Equal(0, ChangedPixelsOutside(was, inside));
        Assert.Equal(64, Runs(frame, row: 100, 0, 960)); // 15 px blocks along a row that meets no kept region
        Assert.InRange(DistinctColours(frame, new Rect(0, 0, 300, 150)), 2, 20 * 10);
    }

    private static int ChangedPixelsOutside(Mat before, Mat after, params Rect[] regions)
    {
        using var diff = new Mat();
        Cv2.Absdiff(before, after, diff);
        foreach (var region in regions)
            diff.Rectangle(region, Scalar.All(0), Cv2.FILLED);
        using var channels = diff.Reshape(1);
        return Cv2.CountNonZero(channels);
    }

    private static int DistinctColours(Mat frame, Rect region)
    {
        var colours = new HashSet<Vec3b>();
        for (var y = region.Top; y < region.Bottom; y++)
        {
            for (var x = region.Left; x < region.Right; x++)
                colours.Add(frame.At<Vec3b>(y, x));
        }

        return colours.Count;
    }

    /// <summary>Stretches of equal colour along part of a row: a mosaic block counts once, each noise pixel once.</summary>
    private static int Runs(Mat frame, int row, int from, int to)
    {
        var runs = 1;
        for (var x = from + 1; x < to; x++)
        {
            if (frame.At<Vec3b>(row, x) != frame.At<Vec3b>(row, x - 1))
                runs++;
        }

        return runs;
    }
}
