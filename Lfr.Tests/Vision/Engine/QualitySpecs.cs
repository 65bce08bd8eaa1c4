using Lfr.Tests.Fixtures;
using Lfr.Vision;
using Lfr.Vision.Quality;
using OpenCvSharp;

namespace Lfr.Tests.Vision.Engine;

public sealed class QualitySpecs(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    [Fact]
    public void A_sharp_frontal_face_should_pass_the_gate()
    {
        using var photo = SamplePhotos.Load(6);
        var (accepted, rejected) = fixture.Engine.Embed(photo, fixture.Engine.Detect(photo));
        Assert.Equal(4, accepted.Count);
        Assert.Empty(rejected);
        Assert.All(accepted, f => Assert.InRange(f.Quality.Yaw, -0.9f, 0.9f));
    }

    [Fact]
    public void A_blurred_face_should_be_rejected_as_blurred()
    {
        using var photo = SamplePhotos.Load(6);
        var faces = fixture.Engine.Detect(photo);
        using var blurred = new Mat();
        Cv2.GaussianBlur(photo, blurred, new Size(0, 0), 9);
        var (_, rejected) = fixture.Engine.Embed(blurred, faces);
        Assert.NotEmpty(rejected);
        Assert.All(rejected, r => Assert.Contains("blurred", r.Reason));
    }

    [Fact]
    public void A_face_too_small_should_be_rejected_with_its_width()
    {
        var gate = new QualityGate();
        var reason = gate.Reject(new FaceQuality(FaceWidth: 20, InterOcular: 8, Sharpness: 100, Yaw: 0, Pitch: 0, RollDegrees: 0));
        Assert.Equal("face too small (20 px < 28 px)", reason);
    }

    [Fact]
    public void A_turned_face_should_be_rejected_as_turned()
    {
        var gate = new QualityGate();
        Assert.Contains("turned", gate.Reject(new FaceQuality(120, 50, 100, Yaw: 1.3f, Pitch: 0, RollDegrees: 0)));
    }
}
