using Lfr.Tests.Fixtures;
using Lfr.Vision.Evaluation;
using Lfr.Vision.Matching;
using Lfr.Vision.Photos;
using System.Numerics.Tensors;

namespace Lfr.Tests.Vision.Engine;

/// <summary>The engine end to end on real photos of five people (dlib's "johns": 11 photos each).</summary>
public sealed class IdentitySpecs(EngineFixture fixture) : IClassFixture<EngineFixture>
{
    private const string ManifestPath = "dlib_johns/manifest.csv";

    [Fact]
    public void A_lone_face_embedded_with_its_mirror_alongside_should_get_the_same_embedding_as_one_after_the_other()
    {
        using var image = SamplePhotos.Load(1);
        var face = fixture.Engine.Detect(image)[0];
        using var aligned = Lfr.Vision.FaceEngine.Align(image, face);
        using var sequential = Lfr.Vision.FaceEngine.Load(fixture.Engine.Options with { Parallelism = 1 });

        // the fixture's engine has a parallelism of 2, so a lone face's mirror runs on the other thread
        var alongside = fixture.Engine.Embed([aligned])[0];
        var oneAfterTheOther = sequential.Embed([aligned])[0];

        Assert.Equal(1f, TensorPrimitives.Dot(alongside, oneAfterTheOther), 5);
    }

    [SharedDataFact(ManifestPath)]
    public void The_same_person_should_match_and_different_people_should_not()
    {
        var rows = Manifest.Read(SharedData.PathOf(ManifestPath));
        var faces = SubjectFace.FromMany(fixture.Engine, rows.Select(r => r.Path).ToList(), SubjectRule.CentreMost, 2);
        Assert.All(faces, f => Assert.True(f.Ok, $"{f.Path}: {f.Error}"));
        var calibration = CalibrationStore.ForModel(fixture.Engine.EmbeddingModelSha256);

        int genuine = 0, genuineAlerts = 0, impostor = 0, impostorAlerts = 0;
        for (var i = 0; i < rows.Count; i++)
            for (var j = i + 1; j < rows.Count; j++)
            {
                var alert = calibration.Likelihood(TensorPrimitives.Dot(faces[i].Embedding!, faces[j].Embedding!)) >= 0.6f;
                if (rows[i].Identity == rows[j].Identity) { genuine++; if (alert) genuineAlerts++; }
                else { impostor++; if (alert) impostorAlerts++; }
            }

        Assert.Equal(0, impostorAlerts);
        // Photos years apart, some in profile: most, not all, same-person pairs clear the strict 0.6.
        Assert.True(genuineAlerts >= genuine / 2, $"{genuineAlerts} of {genuine} same-person pairs reached 0.6");
    }
}
