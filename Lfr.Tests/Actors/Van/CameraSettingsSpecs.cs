using Lfr.Actors.Van.Cameras;
using Lfr.Tests.Actors.ControlRoom;
using Lfr.Tests.Fixtures;
using OpenCvSharp;

namespace Lfr.Tests.Actors.Van;

/// <summary>A van's configured cameras as the supervisor opens them: scenes from a folder of photos, feeds thinned to a rate.</summary>
public sealed class CameraSettingsSpecs
{
    private const string Clip = "face_recognition/video/short_hamilton_clip.mp4";

    [SharedDataFact(Clip)]
    public void A_file_thinned_to_5_fps_should_still_play_its_whole_length_one_frame_per_fifth_of_a_second()
    {
        var camera = CameraSettings.Parse($"front={SharedData.PathOf(Clip)}@5fps");
        Assert.Equal(5, camera.Fps);
        Assert.Empty(camera.Problems("camera"));

        using var source = camera.ToSpec().Open();
        using var frame = new Mat();
        var positions = new List<TimeSpan>();
        while (source.Read(frame, out var position)) positions.Add(position);

        Assert.Equal(5, source.FramesPerSecond);
        // a 10 s clip: about 50 frames, none closer than a fifth of a second, the last near the end
        Assert.InRange(positions.Count, 45, 52);
        Assert.All(positions.Zip(positions.Skip(1)), p => Assert.True(p.Item2 - p.Item1 >= TimeSpan.FromSeconds(0.19), $"{p.Item1} -> {p.Item2}"));
        Assert.True(positions[^1] > TimeSpan.FromSeconds(9));
    }

    [Fact]
    public void A_scene_folder_should_make_one_walker_per_sub_folder_and_per_loose_photo()
    {
        using var data = new TempFolder();
        Directory.CreateDirectory(data.File("jo"));
        File.Copy(SamplePhotos.Path(1), data.File("jo/a.jpg"));
        File.Copy(SamplePhotos.Path(2), data.File("jo/b.jpg"));
        File.Copy(SamplePhotos.Path(3), data.File("sam.jpg"));
        File.WriteAllText(data.File("notes.txt"), "not a photo");

        var script = CameraSettings.SceneFromFolder(data.Path, 8);

        Assert.Equal(["jo", "sam"], script.Walkers.Select(w => w.Label));
        Assert.Equal(2, script.Walkers[0].Photos.Count);
        Assert.Equal(8, script.FramesPerSecond);
        Assert.True(script.Walkers[1].Enter < script.Walkers[0].Exit, "two people are in view at a time");
        using var source = new CameraSettings("front", $"scene:{data.Path}").ToSpec().Open();
        using var frame = new Mat();
        Assert.True(source.Read(frame, out _));
        Assert.Equal(new Size(960, 540), frame.Size());
    }

    [Fact]
    public void A_camera_address_should_be_shown_without_its_password()
    {
        var camera = CameraSettings.Parse("front=rtsp://operator:s3cret@10.0.0.21:554/stream1@10fps");

        Assert.Equal("rtsp://operator:s3cret@10.0.0.21:554/stream1", camera.Source);
        Assert.Equal(10, camera.Fps);
        Assert.Equal("rtsp://10.0.0.21:554/stream1", camera.SafeSource);
        Assert.DoesNotContain("s3cret", camera.ToString());
    }
}
