using Lfr.Actors.Van.Pipeline;
using Lfr.Host.Bench;
using Lfr.Tests.Fixtures;
using Lfr.Vision.Detection;
using Xunit.Abstractions;

namespace Lfr.Tests.Vision.Detection;

/// <summary>The detector schedule on real frames: small faces walking into a 1080p scene are still found.</summary>
public sealed class DetectionScheduleSceneSpecs(EngineFixture fixture, ITestOutputHelper output) : IClassFixture<EngineFixture>
{
    [SharedDataFact("lfw-dev/gallery.csv")]
    public void Schedule_should_find_faces_32_to_40_pixels_wide_walking_into_a_1080p_scene()
    {
        var photos = File.ReadLines(SharedData.PathOf("lfw-dev/gallery.csv")).Skip(1).Take(40)
            .Select(line => SharedData.PathOf("lfw-dev/" + line.Split(',')[0])).ToList();

        var point = DetectorScheduleBenchmark.SmallFacesWalkingIn(fixture.Engine, photos, DetectionSchedule.DefaultBudget, walkers: 12);

        output.WriteLine(point.ToString());
        Assert.Equal(12, point.Walkers);
        Assert.True(point.Recall >= 0.9, $"found {point.FaceFramesFound} of {point.FaceFrames} faces in the frames they were in");
        Assert.Equal(point.Walkers, point.WalkersFound);
        Assert.True(point.RunsPerFrame < 13, $"{point.RunsPerFrame} detector runs per frame");
    }
}
