using System.Diagnostics;
using System.Globalization;
using Lfr.Actors.Van.Cameras;
using OpenCvSharp;

namespace Lfr.Host.Bench;

/// <summary>
/// The van benchmark's cameras as a van meets them: a scene encoded once into H.264 (as an IP camera encodes, a key
/// frame a second), served over RTSP on loopback by <see cref="LoopbackRtspServer"/>, and read by each camera's own
/// ffmpeg, so the capacity figure includes decoding. Also sums the CPU time those ffmpeg processes spend (from /proc).
/// </summary>
internal sealed class RtspBenchCameras : IDisposable
{
    private const string Path = "/scene";
    private readonly string _folder;
    private readonly LoopbackRtspServer _server;
    private readonly Dictionary<int, double> _cpuMs = [];

    private RtspBenchCameras(string folder, LoopbackRtspServer server)
    {
        _folder = folder;
        _server = server;
    }

    /// <summary>Renders <paramref name="script"/> to an MP4 with ffmpeg (libx264) and serves it.</summary>
    public static RtspBenchCameras Start(SceneScript script)
    {
        var folder = Directory.CreateTempSubdirectory("lfr-bench-rtsp-").FullName;
        var clip = System.IO.Path.Combine(folder, "scene.mp4");
        Encode(script, clip);
        return new RtspBenchCameras(folder, LoopbackRtspServer.Start(mounts: (Path, clip)));
    }

    /// <summary>A camera reading the scene from the server; it ends when the clip does.</summary>
    public CameraSpec Camera(string id) =>
        new CameraSettings(id, _server.Url(Path)).ToSpec() with { ReconnectOnEnd = false };

    /// <summary>Reads the CPU time of this process's ffmpeg children; call it often during the run (a process's time goes with it).</summary>
    public void Sample()
    {
        var self = Environment.ProcessId;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(System.IO.Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(System.IO.Path.Combine(dir, "stat"));
                if (!stat.Contains("(ffmpeg)", StringComparison.Ordinal)) continue;
                // fields after the command: state ppid ... utime (14th field overall) stime (15th), in clock ticks
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1], CultureInfo.InvariantCulture) != self) continue;
                var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                _cpuMs[pid] = ticks * 1000.0 / ClockTicksPerSecond;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // gone meanwhile
            }
        }
    }

    /// <summary>CPU milliseconds the ffmpeg processes spent, as last sampled.</summary>
    public double CpuMs => _cpuMs.Values.Sum();

    public void Dispose()
    {
        _server.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    // USER_HZ: 100 on every Linux this runs on
    private const double ClockTicksPerSecond = 100;

    private static void Encode(SceneScript script, string clip)
    {
        var arguments = new[]
        {
            "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "bgr24",
            "-s", $"{script.Width}x{script.Height}", "-r", script.FramesPerSecond.ToString(CultureInfo.InvariantCulture), "-i", "pipe:0",
            "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "high", "-pix_fmt", "yuv420p", "-bf", "0",
            "-g", Math.Round(script.FramesPerSecond).ToString(CultureInfo.InvariantCulture), clip,
        };
        var start = new ProcessStartInfo(FfmpegSource.Program) { RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var ffmpeg = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start");
        var errors = ffmpeg.StandardError.ReadToEndAsync();
        using (var source = new SceneSource(script))
        using (var frame = new Mat())
        using (var input = ffmpeg.StandardInput.BaseStream)
        {
            while (source.Read(frame, out _))
            {
                if (!frame.IsContinuous()) throw new InvalidOperationException("a scene frame is not continuous");
                unsafe
                {
                    input.Write(new ReadOnlySpan<byte>((void*)frame.Data, (int)(frame.Total() * frame.ElemSize())));
                }
            }
        }
        ffmpeg.WaitForExit();
        if (ffmpeg.ExitCode != 0) throw new InvalidOperationException($"ffmpeg could not encode the benchmark scene: {errors.Result}");
    }
}
