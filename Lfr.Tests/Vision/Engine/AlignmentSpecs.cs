using Lfr.Tests.Fixtures;
using Lfr.Vision;
using Lfr.Vision.Alignment;
using Lfr.Vision.Detection;
using OpenCvSharp;
using System.Numerics.Tensors;

namespace Lfr.Tests.Vision.Engine;

public sealed class AlignmentSpecs(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    private static Landmarks5 TemplatePoints(Func<Point2f, Point2f> map) =>
        new(map(FaceAligner.Template[0]), map(FaceAligner.Template[1]), map(FaceAligner.Template[2]),
            map(FaceAligner.Template[3]), map(FaceAligner.Template[4]));

    [Fact]
    public void Similarity_should_undo_a_rotation_scale_and_shift_exactly()
    {
        var angle = 20 * Math.PI / 180;
        const double scale = 2.5, dx = 300, dy = -40;
        Point2f Move(Point2f p) => new(
            (float)(scale * (Math.Cos(angle) * p.X - Math.Sin(angle) * p.Y) + dx),
            (float)(scale * (Math.Sin(angle) * p.X + Math.Cos(angle) * p.Y) + dy));
        var moved = TemplatePoints(Move);

        var t = FaceAligner.Similarity(moved);
        for (var i = 0; i < 5; i++)
        {
            var p = moved[i];
            var x = t[0, 0] * p.X + t[0, 1] * p.Y + t[0, 2];
            var y = t[1, 0] * p.X + t[1, 1] * p.Y + t[1, 2];
            Assert.Equal(FaceAligner.Template[i].X, x, 0.01);
            Assert.Equal(FaceAligner.Template[i].Y, y, 0.01);
        }
    }

    [Fact]
    public void Similarity_should_refuse_degenerate_landmarks()
    {
        var p = new Point2f(10, 10);
        Assert.Throws<ArgumentException>(() => FaceAligner.Similarity(new Landmarks5(p, p, p, p, p)));
    }

    [Fact]
    public void Embedding_should_stay_the_same_when_the_photo_is_rotated_and_shrunk()
    {
        using var photo = SamplePhotos.Load(6);
        var original = Subject(photo);

        // Rotate by 12 degrees and shrink to 60% around the image centre: alignment must undo both.
        using var moved = new Mat();
        using var m = Cv2.GetRotationMatrix2D(new Point2f(photo.Width / 2f, photo.Height / 2f), 12, 0.6);
        Cv2.WarpAffine(photo, moved, m, photo.Size(), InterpolationFlags.Area, BorderTypes.Reflect101);
        var transformed = Subject(moved);

        var cosine = TensorPrimitives.Dot(original, transformed);
        Assert.True(cosine > 0.8f, $"cosine {cosine:0.000} between the face and its rotated, shrunk copy");
    }

    [Fact]
    public void Embedding_should_be_unit_length()
    {
        using var photo = SamplePhotos.Load(2);
        var embedding = Subject(photo);
        Assert.Equal(512, embedding.Length);
        Assert.Equal(1f, TensorPrimitives.Norm(embedding), 3);
    }

    [Fact]
    public void Different_people_should_score_far_below_the_same_face()
    {
        // Every face of two group photos: nobody appears twice, so every pair is two different people.
        var embeddings = new List<float[]>();
        foreach (var n in new[] { 2, 6 })
        {
            using var photo = SamplePhotos.Load(n);
            var (faces, _) = fixture.Engine.Embed(photo, fixture.Engine.Detect(photo), applyQualityGate: false);
            embeddings.AddRange(faces.Select(f => f.Embedding));
        }
        Assert.True(embeddings.Count >= 7);
        for (var i = 0; i < embeddings.Count; i++)
            for (var j = i + 1; j < embeddings.Count; j++)
            {
                var c = TensorPrimitives.Dot(embeddings[i], embeddings[j]);
                Assert.True(c < 0.35f, $"two different people scored cosine {c:0.000}");
            }
    }

    // The largest face of the photo.
    private float[] Subject(Mat image)
    {
        var face = fixture.Engine.Detect(image).MaxBy(f => f.Box.Width);
        using var aligned = FaceEngine.Align(image, face);
        return fixture.Engine.Embed(aligned);
    }
}
