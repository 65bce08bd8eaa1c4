using Lfr.Tests.Fixtures;
using Lfr.Vision.Detection;
using OpenCvSharp;

namespace Lfr.Tests.Vision.Engine;

public sealed class FaceDetectorSpecs(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    // Faces a person counts in each sample photo (frontal or three-quarter, not hidden).
    [Theory]
    [InlineData(1, 3)]
    [InlineData(2, 3)]
    [InlineData(5, 5)]
    [InlineData(6, 4)]
    public void Detector_should_find_every_face_in_a_group_photo(int sample, int expected)
    {
        using var image = SamplePhotos.Load(sample);
        var faces = fixture.Engine.Detect(image);
        Assert.Equal(expected, faces.Count);
        foreach (var face in faces)
        {
            Assert.InRange(face.Score, 0.7f, 1f);
            // Five landmarks inside the box, eyes above the mouth.
            var lm = face.Landmarks!.Value;
            for (var i = 0; i < 5; i++)
            {
                Assert.InRange(lm[i].X, face.Box.X - 2, face.Box.Right + 2);
                Assert.InRange(lm[i].Y, face.Box.Y - 2, face.Box.Bottom + 2);
            }
            Assert.True(lm.LeftEye.Y < lm.MouthLeft.Y && lm.RightEye.Y < lm.MouthRight.Y);
            Assert.True(lm.LeftEye.X < lm.RightEye.X);
        }
    }

    [Fact]
    public void Detector_should_find_32_pixel_faces_anywhere_in_a_1080p_frame()
    {
        // Faces from the sample photos shrunk to 32-40 px and pasted over a 1920x1080 noisy background.
        var sources = new List<(Mat Image, FaceBox Box)>();
        foreach (var n in new[] { 2, 5, 6 })
        {
            var image = SamplePhotos.Load(n);
            sources.AddRange(fixture.Engine.DetectBoxes(image).Select(f => (image, f.Box)));
        }
        using var frame = new Mat(1080, 1920, MatType.CV_8UC3, new Scalar(110, 115, 120));
        using (var noise = new Mat(1080, 1920, MatType.CV_8UC3))
        {
            Cv2.Randn(noise, Scalar.All(0), Scalar.All(10));
            Cv2.Add(frame, noise, frame);
        }
        var placed = new List<FaceBox>();
        var random = new Random(7);
        for (var r = 0; r < 6; r++)
            for (var c = 0; c < 12; c++)
            {
                var (image, box) = sources[(r * 12 + c) % sources.Count];
                var width = 32 + random.Next(9);
                var margin = box.Width * 0.4f;
                var src = new FaceBox(box.X - margin, box.Y - margin, box.Width + 2 * margin, box.Height + 2 * margin).ToRect(image.Width, image.Height);
                var scale = width / box.Width;
                var size = new Size((int)(src.Width * scale), (int)(src.Height * scale));
                var x = 30 + c * 157 + random.Next(15);
                var y = 30 + r * 172 + random.Next(15);
                using var crop = new Mat(image, src);
                using var small = new Mat();
                Cv2.Resize(crop, small, size, 0, 0, InterpolationFlags.Area);
                using var target = new Mat(frame, new Rect(x, y, size.Width, size.Height));
                small.CopyTo(target);
                placed.Add(new FaceBox(x + (box.X - src.X) * scale, y + (box.Y - src.Y) * scale, box.Width * scale, box.Height * scale));
            }
        foreach (var s in sources.Select(s => s.Image).Distinct()) s.Dispose();

        var found = fixture.Engine.DetectBoxes(frame);
        var hits = placed.Count(p => found.Any(f => f.Box.IoU(p) > 0.3f));
        var falseDetections = found.Count(f => !placed.Any(p => f.Box.IoU(p) > 0.3f));
        Assert.True(hits >= placed.Count * 9 / 10, $"found {hits} of {placed.Count} faces 32-40 px wide");
        Assert.True(falseDetections <= 2, $"{falseDetections} detections were not faces");
    }

    [Fact]
    public void Tile_plan_should_cover_a_1080p_frame_with_the_whole_view_and_overlapping_tiles()
    {
        var (scales, views) = TilePlan.For(new Size(1920, 1080), new DetectorOptions());
        Assert.Equal(2, scales.Length);
        Assert.Equal(13, views.Count);
        var tiles = views.Where(v => v.LevelIndex == 1).ToList();
        var w = (int)Math.Round(1920 * scales[1]);
        var h = (int)Math.Round(1080 * scales[1]);
        Assert.Equal(w, tiles.Max(t => t.Origin.X) + TilePlan.InputWidth);
        Assert.Equal(h, tiles.Max(t => t.Origin.Y) + TilePlan.InputHeight);
    }

    [Fact]
    public void Tile_plan_should_use_one_view_for_a_small_photo()
    {
        var (_, views) = TilePlan.For(new Size(250, 250), new DetectorOptions());
        Assert.Single(views);
    }

    [Fact]
    public void Detector_should_find_nothing_in_a_plain_frame()
    {
        using var frame = new Mat(720, 1280, MatType.CV_8UC3, new Scalar(90, 100, 110));
        Assert.Empty(fixture.Engine.DetectBoxes(frame));
    }
}
