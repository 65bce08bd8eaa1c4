using System.Diagnostics;
using System.Globalization;

namespace Lfr.Tests.Fixtures.Cameras;

/// <summary>Clips made at test time with ffmpeg, for the camera specs that need no evaluation data.</summary>
public static class TestClips
{
    /// <summary>
    /// An H.264 MP4 of ffmpeg's test pattern (a key frame every second), as an IP camera encodes; written once per
    /// size and length into the temporary folder.
    /// </summary>
    public static string Pattern(int width = 640, int height = 360, int seconds = 30, int fps = 10)
    {
        var path = Path.Combine(Path.GetTempPath(), $"lfr-pattern-{width}x{height}-{seconds}s-{fps}fps.mp4");
        if (File.Exists(path)) return path;
        var partial = path + $".{Environment.ProcessId}.mp4";
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[]
                 {
                     "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
                     "-i", string.Create(CultureInfo.InvariantCulture, $"testsrc2=size={width}x{height}:rate={fps}:duration={seconds}"),
                     "-c:v", "libx264", "-preset", "ultrafast", "-profile:v", "baseline", "-pix_fmt", "yuv420p",
                     "-g", fps.ToString(CultureInfo.InvariantCulture), partial,
                 })
            start.ArgumentList.Add(a);
        using var ffmpeg = Process.Start(start)!;
        var errors = ffmpeg.StandardError.ReadToEnd();
        ffmpeg.WaitForExit();
        if (ffmpeg.ExitCode != 0) throw new InvalidOperationException($"ffmpeg could not make the test clip: {errors}");
        File.Move(partial, path, overwrite: true);
        return path;
    }
}
