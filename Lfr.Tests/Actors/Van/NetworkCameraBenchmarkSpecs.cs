using System.Diagnostics;
using System.Globalization;
using Lfr.Actors.Van.Cameras;
using Lfr.Actors.Van.Pipeline;
using Lfr.Host.Bench;
using Lfr.Tests.Fixtures.Cameras;
using OpenCvSharp;
using Xunit.Abstractions;

namespace Lfr.Tests.Actors.Van;

/// <summary>
/// What reading a network camera through ffmpeg costs (docs/benchmarks.md): ffmpeg's CPU time per 1080p H.264 frame
/// from RTSP, with every frame delivered and with 10 fps kept at the source, and the latency the ffmpeg process adds
/// between a frame leaving an MJPEG server and its BGR image in the van. A quick form over 3 s clips checks that the
/// figures come out; with <c>LFR_BENCH=1</c>, 20 s clips (the figures in docs/benchmarks.md).
/// </summary>
[Collection(VanCollection.Name)]
public sealed class NetworkCameraBenchmarkSpecs(ITestOutputHelper output)
{
    private static readonly int Seconds = Environment.GetEnvironmentVariable("LFR_BENCH") == "1" ? 20 : 3;

    [Fact]
    public void Decoding_1080p_h264_from_rtsp_should_cost_a_measured_cpu_time_per_frame()
    {
        using var server = LoopbackRtspServer.Start(mounts: ("/hd", TestClips.Pattern(1920, 1080, Seconds, fps: 25)));
        foreach (var fps in new double?[] { null, 10 })
        {
            var (frames, cpuMs, wall) = Read(new FfmpegSource(server.Url("/hd"), new NetworkStreamOptions(Fps: fps)));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"1080p H.264 25 fps over RTSP, {(fps is null ? "every frame" : $"{fps} fps kept")}: {frames} frames in {wall:0.0} s, ffmpeg CPU {cpuMs:0} ms = {cpuMs / frames:0.00} ms per frame delivered, {cpuMs / wall / 10:0.0}% of one core"));
            Assert.InRange(frames, Seconds * (fps ?? 25) * 0.8, Seconds * (fps ?? 25) * 1.2);
            Assert.True(cpuMs > 0, "ffmpeg's CPU time was read");
        }
    }

    [Fact]
    public void Reading_mjpeg_through_ffmpeg_should_add_a_measured_latency()
    {
        using var server = new MjpegServer(TestClips.Pattern(1280, 720, Seconds, fps: 10));
        var readAt = new List<long>();
        using (var source = new FfmpegSource(server.Url, new NetworkStreamOptions()))
        using (var frame = new Mat())
            while (source.Read(frame, out _))
                readAt.Add(Stopwatch.GetTimestamp());
        var sent = server.SentAt.ToList();
        var latencies = readAt.Zip(sent, (read, at) => Stopwatch.GetElapsedTime(at, read).TotalMilliseconds).Order().ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"720p MJPEG at 10 fps over HTTP: {readAt.Count} frames read of {sent.Count} sent; written -> BGR frame in the van p50 {latencies[latencies.Count / 2]:0.0} ms, p99 {latencies[(int)(latencies.Count * 0.99)]:0.0} ms, max {latencies[^1]:0.0} ms"));
        Assert.Equal(sent.Count, readAt.Count);
    }

    private static (int Frames, double CpuMs, double WallSeconds) Read(FfmpegSource source)
    {
        using var owned = source;
        using var frame = new Mat();
        var frames = 0;
        var cpuMs = 0.0;
        var wall = Stopwatch.StartNew();
        while (source.Read(frame, out _))
        {
            frames++;
            // the process's time goes with it: read it while it runs
            cpuMs = CpuMs(source.ProcessId) ?? cpuMs;
        }
        return (frames, cpuMs, wall.Elapsed.TotalSeconds);
    }

    private static double? CpuMs(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
