using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using OpenCvSharp;

namespace Lfr.Actors.Van.Cameras;

/// <summary>How an RTSP camera's packets travel: interleaved in the RTSP connection (works through NAT and firewalls) or as UDP datagrams.</summary>
public enum StreamTransport
{
    Tcp,
    Udp,
}

/// <summary>How a network camera is read.</summary>
/// <param name="Fps">Frames per second wanted; ffmpeg keeps only these (before converting them), null keeps every frame.</param>
/// <param name="HardwareDecode">Let ffmpeg decode on a GPU or VA-API device where it finds one (<c>-hwaccel auto</c>).</param>
public sealed record NetworkStreamOptions(StreamTransport Transport = StreamTransport.Tcp, bool HardwareDecode = false, double? Fps = null);

/// <summary>
/// An RTSP or HTTP (MJPEG) camera, decoded by one <c>ffmpeg</c> child process (Debian's, which has the network
/// protocols that OpenCV's bundled FFmpeg lacks) writing raw BGR frames to a pipe, as Frigate feeds its detectors. The
/// frame rate is limited inside ffmpeg, so frames nobody wants are never converted or copied. The process belongs to
/// this source: killed by <see cref="Abort"/> and <see cref="Dispose"/>, and by the kernel if the van dies
/// (<see cref="ChildProcess"/>). The address may hold credentials: it goes to ffmpeg only, and whatever ffmpeg says is
/// scrubbed of it before it is shown.
/// </summary>
public sealed partial class FfmpegSource : IFrameSource
{
    public const string Program = "ffmpeg";
    private const int StderrLines = 20;

    private readonly Process _process;
    private readonly Stream _frames;
    private readonly Func<string, string> _scrub;
    private readonly Queue<string> _stderr = new();
    private readonly TaskCompletionSource<(int Width, int Height)?> _header = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly double? _fps;
    private double _inputFps;
    private (int Width, int Height)? _size;
    private Stopwatch? _sinceFirstFrame;

    public FfmpegSource(string url, NetworkStreamOptions options)
    {
        _scrub = Scrubber(url);
        _fps = options.Fps;
        if (!Installed)
            throw new CameraSourceException($"{Program} is not installed (scripts/setup.sh installs it); network cameras are read through it");
        _process = ChildProcess.Start(Program, Arguments(url, options));
        _process.ErrorDataReceived += (_, e) => OnStderr(e.Data);
        _process.BeginErrorReadLine();
        _process.StandardInput.Close();
        _frames = _process.StandardOutput.BaseStream;
    }

    /// <summary>Whether <c>ffmpeg</c> is on the PATH.</summary>
    public static bool Installed { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Any(dir => File.Exists(Path.Combine(dir, Program)));

    /// <summary>The id of the ffmpeg process (tests look for it after the van stops).</summary>
    public int ProcessId => _process.Id;

    public double FramesPerSecond => _fps ?? _inputFps;

    public bool IsLive => true;

    /// <summary>ffmpeg's command line for <paramref name="url"/>: quiet but for errors and the stream description, frames to stdout.</summary>
    public static IReadOnlyList<string> Arguments(string url, NetworkStreamOptions options)
    {
        var args = new List<string> { "-nostdin", "-hide_banner", "-nostats", "-loglevel", "info" };
        if (url.StartsWith("rtsp", StringComparison.OrdinalIgnoreCase))
            args.AddRange(["-rtsp_transport", options.Transport == StreamTransport.Udp ? "udp" : "tcp"]);
        if (options.HardwareDecode) args.AddRange(["-hwaccel", "auto"]);
        args.AddRange(["-fflags", "+discardcorrupt", "-flags", "low_delay", "-i", url, "-map", "0:v:0", "-an", "-sn", "-dn"]);
        if (options.Fps is { } fps) args.AddRange(["-vf", string.Create(CultureInfo.InvariantCulture, $"fps={fps}")]);
        args.AddRange(["-pix_fmt", "bgr24", "-f", "rawvideo", "pipe:1"]);
        return args;
    }

    public bool Read(Mat into, out TimeSpan position)
    {
        position = default;
        // the size is known once ffmpeg has read the stream's description: until then, connecting and probing
        _size ??= _header.Task.GetAwaiter().GetResult() ?? throw Broken("no video");
        var (width, height) = _size.Value;
        into.Create(height, width, MatType.CV_8UC3);
        var length = width * height * 3;
        int read;
        unsafe
        {
            read = _frames.ReadAtLeast(new Span<byte>((void*)into.Data, length), length, throwOnEndOfStream: false);
        }
        if (read < length)
        {
            _process.WaitForExit();
            // a clean end (the camera closed the stream, or went away without a word over TCP) ends the source; the
            // supervisor reopens a live camera
            if (read == 0 && _process.ExitCode == 0) return false;
            throw Broken(read == 0 ? "the stream broke" : "the stream broke in the middle of a frame");
        }
        _sinceFirstFrame ??= Stopwatch.StartNew();
        position = _sinceFirstFrame.Elapsed;
        return true;
    }

    /// <summary>Kills ffmpeg: a <see cref="Read"/> blocked on a silent camera returns at once.</summary>
    public void Abort() => ChildProcess.Kill(_process);

    public void Dispose()
    {
        ChildProcess.Kill(_process);
        _process.Dispose();
    }

    private void OnStderr(string? line)
    {
        if (line is null)
        {
            _header.TrySetResult(null); // ffmpeg is gone
            return;
        }
        line = _scrub(line);
        lock (_stderr)
        {
            _stderr.Enqueue(line);
            if (_stderr.Count > StderrLines) _stderr.Dequeue();
        }
        if (InputVideo().Match(line) is { Success: true } input && input.Groups["fps"].Success)
            _inputFps = double.Parse(input.Groups["fps"].Value, CultureInfo.InvariantCulture);
        // the output stream's line comes last: the size of the frames on the pipe
        if (OutputVideo().Match(line) is { Success: true } output)
            _header.TrySetResult((int.Parse(output.Groups["w"].Value, CultureInfo.InvariantCulture), int.Parse(output.Groups["h"].Value, CultureInfo.InvariantCulture)));
    }

    /// <summary>Why ffmpeg stopped, in a camera owner's words, from what it wrote (already scrubbed of the address's credentials).</summary>
    private CameraSourceException Broken(string fallback)
    {
        if (!_process.WaitForExit(TimeSpan.FromSeconds(5))) ChildProcess.Kill(_process);
        _process.WaitForExit(); // the last stderr lines are in
        string[] lines;
        lock (_stderr) lines = [.. _stderr];
        return new CameraSourceException(FfmpegErrors.Describe(lines, _process.ExitCode, fallback));
    }

    /// <summary>Removes the address's user name and password from a line, however ffmpeg quotes the address.</summary>
    internal static Func<string, string> Scrubber(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.UserInfo.Length == 0) return line => line;
        var secrets = new[] { uri.UserInfo + "@", Uri.UnescapeDataString(uri.UserInfo) + "@" }
            .Concat(uri.UserInfo.Split(':', 2).Skip(1).SelectMany(p => new[] { p, Uri.UnescapeDataString(p) }))
            .Where(s => s.Length > 0).Distinct().OrderByDescending(s => s.Length).ToList();
        return line =>
        {
            foreach (var secret in secrets)
                line = line.Replace(secret, secret.EndsWith('@') ? "" : "***", StringComparison.Ordinal);
            return line;
        };
    }

    // "Stream #0:0: Video: h264 (Constrained Baseline), yuv420p(...), 640x360 [SAR 1:1 DAR 16:9], 29.97 fps, ..."
    [GeneratedRegex(@"Stream #0:\d+.*: Video: (?!rawvideo).*?(?:, (?<fps>\d+(?:\.\d+)?) fps)")]
    private static partial Regex InputVideo();

    // "Stream #0:0: Video: rawvideo (BGR[24] / 0x18524742), bgr24(pc, ...), 640x360 [SAR 1:1 DAR 16:9], q=2-31, ..."
    [GeneratedRegex(@"Stream #0:\d+.*: Video: rawvideo .*?, (?<w>\d{2,5})x(?<h>\d{2,5})[ ,]")]
    private static partial Regex OutputVideo();
}
