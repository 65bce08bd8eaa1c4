using System.Numerics.Tensors;
using Lfr.Actors.Van;
using Lfr.Actors.Van.Cameras;
using Lfr.Actors.Van.Pipeline;
using Lfr.Actors.Van.Pipeline.Stages;
using Lfr.Tests.Fixtures;
using Lfr.Vision.Imaging;
using OpenCvSharp;

namespace Lfr.Tests.Actors.Van;

/// <summary>The operator's picture, on a real group photo: who is recognisable in it and who is not.</summary>
public sealed class OperatorViewSpecs(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    [Fact]
    public void Faces_the_detector_missed_should_be_unrecognisable_in_the_operator_view()
    {
        using var photo = SamplePhotos.Load(1);
        var people = Embeddings(photo);
        Assert.Equal(3, people.Count);

        // the same frame rendered as if the detector had found nobody: with the scene left clear they would be seen...
        Assert.True(BestMatch(Render(photo, [], sceneBlocks: 0), people) > 0.5f, "the spec's control: an unpixelated view shows them");
        // ...by default nobody is
        Assert.InRange(BestMatch(Render(photo, [], Pixelation.DefaultSceneBlocks), people), -1f, 0.3f);
    }

    [Fact]
    public void An_alert_face_should_stay_recognisable_while_everyone_else_is_not()
    {
        using var photo = SamplePhotos.Load(1);
        var faces = fixture.Engine.Embed(photo, fixture.Engine.Detect(photo), applyQualityGate: false).Accepted;
        var alert = faces[0];

        var view = Render(photo, [new ViewFace(alert.Face.Box, Alert: true), .. faces.Skip(1).Select(f => new ViewFace(f.Face.Box, Alert: false))],
            Pixelation.DefaultSceneBlocks);

        Assert.Equal(1, view.AlertFaces);
        Assert.True(BestMatch(view, [alert.Embedding]) > 0.6f, "the alert face is shown as the camera saw it");
        Assert.InRange(BestMatch(view, faces.Skip(1).Select(f => f.Embedding).ToList()), -1f, 0.3f);
    }

    private OperatorViewFrame Render(Mat photo, IReadOnlyList<ViewFace> faces, int sceneBlocks)
    {
        using var frame = new CameraFrame(new CameraId("cam-a"), 1, DateTimeOffset.UnixEpoch, TimeSpan.Zero, photo.Clone(), new CameraCounters());
        var view = new Lfr.Actors.LiveView.LiveViewSettings();
        return OperatorViewStage.Render(frame, faces, view.Width, sceneBlocks, view.MaxFrameBytes);
    }

    private List<float[]> Embeddings(Mat image) =>
        fixture.Engine.Embed(image, fixture.Engine.Detect(image), applyQualityGate: false).Accepted.Select(f => f.Embedding).ToList();

    /// <summary>The highest cosine between any face the engine still finds in the view and any of <paramref name="people"/>; -1 for none found.</summary>
    private float BestMatch(OperatorViewFrame view, IReadOnlyList<float[]> people)
    {
        using var image = Cv2.ImDecode(view.Jpeg, ImreadModes.Color);
        return Embeddings(image).SelectMany(found => people.Select(p => TensorPrimitives.Dot(found, p))).DefaultIfEmpty(-1f).Max();
    }
}
