using Lfr.Actors.Cluster;
using Lfr.Actors.Van.Cameras;
using Lfr.Tests.Actors.ControlRoom;
using Lfr.Tests.Fixtures;
using Lfr.Vision.Watchlists;
using Microsoft.Extensions.Configuration;
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

    [Fact]
    public void A_network_camera_should_be_read_by_ffmpeg_over_tcp_unless_set_with_its_rate_limited_at_the_source()
    {
        const string url = "rtsp://operator:s3cret@10.0.0.21:554/Streaming/Channels/102";
        var plain = FfmpegSource.Arguments(url, new NetworkStreamOptions());
        var tuned = FfmpegSource.Arguments(url, new NetworkStreamOptions(StreamTransport.Udp, HardwareDecode: true, Fps: 7.5));
        var mjpeg = FfmpegSource.Arguments("http://10.0.0.22/mjpg/video.mjpg", new NetworkStreamOptions(StreamTransport.Udp));

        Assert.Equal(["-rtsp_transport", "tcp"], After(plain, "-rtsp_transport", 1));
        Assert.DoesNotContain("-hwaccel", plain);
        Assert.DoesNotContain("-vf", plain);
        Assert.Equal(["-rtsp_transport", "udp"], After(tuned, "-rtsp_transport", 1));
        Assert.Equal(["-hwaccel", "auto"], After(tuned, "-hwaccel", 1));
        Assert.Equal(["-vf", "fps=7.5"], After(tuned, "-vf", 1));
        Assert.DoesNotContain("-rtsp_transport", mjpeg);
        Assert.Equal(["-pix_fmt", "bgr24", "-f", "rawvideo", "pipe:1"], plain.TakeLast(5));
    }

    [Fact]
    public void What_ffmpeg_says_about_a_camera_should_be_scrubbed_of_its_credentials_and_explained()
    {
        var scrub = FfmpegSource.Scrubber("rtsp://operator:p%40ss%21word@10.0.0.21:554/live");

        Assert.Equal("rtsp://10.0.0.21:554/live: Server returned 401 Unauthorized (authorization failed)",
            scrub("rtsp://operator:p%40ss%21word@10.0.0.21:554/live: Server returned 401 Unauthorized (authorization failed)"));
        Assert.Equal("auth for *** failed, *** again", scrub("auth for p@ss!word failed, p%40ss%21word again"));
        Assert.Equal("the camera refused the credentials (401 Unauthorized): check the user name and password in its address",
            FfmpegErrors.Describe(["[rtsp @ 0x1] method DESCRIBE failed: 401 Unauthorized"], 1, "no video"));
        Assert.Equal("the stream's video codec is not supported by this ffmpeg",
            FfmpegErrors.Describe(["Decoder (codec hevc) not found for input stream #0:0"], 1, "no video"));
        Assert.Equal("no video (ffmpeg exited with code 1: something else)", FfmpegErrors.Describe(["", "something else"], 1, "no video"));
    }

    [Fact]
    public void A_van_should_read_a_cameras_transport_and_hardware_decoding_from_its_settings()
    {
        using var data = new TempFolder();
        File.WriteAllText(data.File("assignment.pub"), Lfr.Actors.Van.Assignment.AssignmentSigner.Create().PublicKeyPem);
        (string, string)[] van = [("Lfr:Node:Role", "van"), ("Lfr:Node:Seeds", "akka.tcp://lfr@10.0.0.5:4053"), ("Lfr:Node:NodeName", "van-07"),
            ("Lfr:Node:DataFolder", data.Path), ("Lfr:Node:Cameras:0:Name", "front"), ("Lfr:Node:Cameras:0:Source", "rtsp://10.0.0.21/stream1")];

        var camera = Assert.Single(Read([.. van, ("Lfr:Node:Cameras:0:Transport", "UDP"), ("Lfr:Node:Cameras:0:HardwareDecode", "true")]).Cameras);
        Assert.Equal(StreamTransport.Udp, camera.Transport);
        Assert.True(camera.HardwareDecode);
        Assert.Equal(StreamTransport.Tcp, Assert.Single(Read(van).Cameras).Transport);
        var e = Assert.Throws<LfrSettingsException>(() =>
            Read([.. van, ("Lfr:Node:Cameras:0:Transport", "http"), ("Lfr:Node:Cameras:0:HardwareDecode", "yes")]));
        Assert.Contains("Lfr:Node:Cameras:0:Transport: 'http' is not tcp or udp", e.Message);
        Assert.Contains("Lfr:Node:Cameras:0:HardwareDecode: 'yes' is not true or false", e.Message);
    }

    private static LfrNodeSettings Read((string Key, string Value)[] values) =>
        LfrNodeSettings.FromConfiguration(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build());

    private static IEnumerable<string> After(IReadOnlyList<string> args, string option, int count) =>
        args.SkipWhile(a => a != option).Take(count + 1);
}
