using System.Globalization;
using System.Text.RegularExpressions;
using OpenCvSharp;

namespace Lfr.Actors.Van.Cameras;

/// <summary>
/// One camera of a van as an operator configures it (<c>Lfr:Node:Cameras</c>): a name unique on the van, a source and
/// an optional frame rate. The source is a video file, an <c>rtsp://</c> or <c>http(s)://</c> URL, a device number, or
/// <c>scene:FOLDER</c>: the face photos in that folder walking across a generated background (demos and tests). A URL is
/// read by an ffmpeg child process (<see cref="FfmpegSource"/>); a file or a device by OpenCV.
/// </summary>
/// <param name="Fps">
/// A scene is drawn at this rate (default <see cref="DefaultSceneFps"/>). A file or a live feed is thinned to at most this
/// many frames per second, by the frames' own timestamps, so a file still plays in real time; null keeps every frame.
/// </param>
public sealed partial record CameraSettings(string Name, string Source, double? Fps = null)
{
    public const string ScenePrefix = "scene:";
    public const double DefaultSceneFps = 10;
    public const double MaxFps = 60;

    private static readonly string[] PhotoExtensions = [".jpg", ".jpeg", ".png", ".bmp", ".webp"];

    /// <summary>
    /// The compact form <c>NAME=SOURCE</c> or <c>NAME=SOURCE@10fps</c> (one command-line option or environment value per
    /// camera). Without a <c>=</c> the name is empty, which <see cref="Problems"/> reports.
    /// </summary>
    public static CameraSettings Parse(string text)
    {
        var eq = text.IndexOf('=');
        var source = text[(eq + 1)..].Trim();
        double? fps = null;
        if (FpsSuffix().Match(source) is { Success: true } match)
        {
            fps = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            source = source[..match.Index];
        }
        return new CameraSettings(eq < 0 ? "" : text[..eq].Trim(), source, fps);
    }

    /// <summary>How an <c>rtsp://</c> camera's packets travel (TCP unless the network calls for UDP).</summary>
    public StreamTransport Transport { get; init; } = StreamTransport.Tcp;

    /// <summary>Decode a network camera on a GPU or VA-API device where ffmpeg finds one; off by default.</summary>
    public bool HardwareDecode { get; init; }

    public bool IsScene => Source.StartsWith(ScenePrefix, StringComparison.Ordinal);

    private bool IsUrl => Source.Contains("://", StringComparison.Ordinal);

    /// <summary>A device number or a URL: read at the feed's own pace.</summary>
    public bool IsLive => IsDevice || IsUrl;

    private bool IsDevice => int.TryParse(Source, NumberStyles.None, CultureInfo.InvariantCulture, out _);

    private string SceneFolder => Source[ScenePrefix.Length..];

    /// <summary>The source as it may be shown: a URL without its user name and password.</summary>
    public string SafeSource => Uri.TryCreate(Source, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
        ? Source.Replace(uri.UserInfo + "@", "", StringComparison.Ordinal)
        : Source;

    public override string ToString() =>
        $"CameraSettings({Name}, {SafeSource}{(Fps is { } f ? $", {f} fps" : "")}{(IsUrl ? $", {Transport}" : "")}{(HardwareDecode ? ", hardware decode" : "")})";

    /// <summary>What is wrong with this camera, each problem prefixed with <paramref name="key"/>.</summary>
    public IEnumerable<string> Problems(string key)
    {
        if (string.IsNullOrWhiteSpace(Name) || !Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            yield return $"{key}:Name: '{Name}' must be letters, digits, '-', '_' or '.'";
        if (Fps is { } fps && (!double.IsFinite(fps) || fps <= 0 || fps > MaxFps))
            yield return $"{key}:Fps: {fps.ToString(CultureInfo.InvariantCulture)} is outside (0, {MaxFps}]";
        if (string.IsNullOrWhiteSpace(Source))
        {
            yield return $"{key}:Source: missing; a video file, an rtsp:// or http:// URL, a device number or {ScenePrefix}FOLDER";
        }
        else if (IsScene)
        {
            if (!Directory.Exists(SceneFolder))
                yield return $"{key}:Source: scene folder '{SceneFolder}' does not exist";
            else if (ScenePeople(SceneFolder).Count == 0)
                yield return $"{key}:Source: scene folder '{SceneFolder}' holds no photos ({string.Join(", ", PhotoExtensions)})";
        }
        else if (IsUrl)
        {
            if (!Uri.TryCreate(Source, UriKind.Absolute, out var uri) || uri.Scheme is not ("rtsp" or "rtsps" or "http" or "https"))
                yield return $"{key}:Source: '{SafeSource}' is not an rtsp://, rtsps://, http:// or https:// URL";
        }
        else if (!IsDevice && !File.Exists(Source))
        {
            yield return $"{key}:Source: video file '{Source}' does not exist";
        }
    }

    /// <summary>
    /// How the camera supervisor opens (and reopens) this camera; a file or a scene loops when it ends, a network camera
    /// is reconnected. A network camera's frame rate is limited by ffmpeg, before the frames are converted.
    /// </summary>
    public CameraSpec ToSpec()
    {
        var network = new NetworkStreamOptions(Transport, HardwareDecode, Fps);
        Func<IFrameSource> open = IsScene
            ? () => new SceneSource(SceneFromFolder(SceneFolder, Fps ?? DefaultSceneFps))
            : IsUrl
            ? () => new FfmpegSource(Source, network)
            : Fps is { } fps
                ? () => new FrameRateLimit(new VideoCaptureSource(Source), fps)
                : () => new VideoCaptureSource(Source);
        return new CameraSpec(new CameraId(Name), open);
    }

    /// <summary>
    /// The people of a scene folder: each sub-folder holding photos is one person (several views of them); each photo
    /// directly in the folder is one person too.
    /// </summary>
    public static IReadOnlyList<(string Label, IReadOnlyList<string> Photos)> ScenePeople(string folder)
    {
        var people = new List<(string, IReadOnlyList<string>)>();
        foreach (var sub in Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal))
            if (Photos(sub) is { Count: > 0 } photos)
                people.Add((Path.GetFileName(sub), photos));
        foreach (var photo in Photos(folder))
            people.Add((Path.GetFileNameWithoutExtension(photo), [photo]));
        return people;
    }

    /// <summary>
    /// The folder's people crossing a 960x540 frame one after another, two at a time, each for 4 s at 180 px, on
    /// alternating lanes and directions. The scene ends after the last; the camera reopens it, so it loops.
    /// </summary>
    public static SceneScript SceneFromFolder(string folder, double fps)
    {
        var people = ScenePeople(folder);
        if (people.Count == 0) throw new CameraSourceException($"scene folder {Path.GetFileName(folder)} holds no photos");
        var crossing = TimeSpan.FromSeconds(4);
        var walkers = people.Select((p, i) => new SceneWalker(p.Label, p.Photos, crossing / 2 * i, crossing,
            Lane: i % 2 == 0 ? 0.35f : 0.65f, Size: 180, LeftToRight: i % 2 == 0)).ToList();
        return new SceneScript(960, 540, fps, walkers[^1].Exit + TimeSpan.FromSeconds(0.5), walkers);
    }

    private static List<string> Photos(string folder) =>
        Directory.EnumerateFiles(folder)
            .Where(f => PhotoExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();

    [GeneratedRegex(@"@(\d+(?:\.\d+)?)fps$")]
    private static partial Regex FpsSuffix();
}

/// <summary>
/// Thins a file or a live feed to at most a given frame rate by the frames' own positions: the frames in between are
/// read and let go at once (a camera delivers them whether or not anyone wants them), so a file still plays in real time.
/// </summary>
public sealed class FrameRateLimit(IFrameSource inner, double framesPerSecond) : IFrameSource
{
    private readonly TimeSpan _interval = TimeSpan.FromSeconds(1 / framesPerSecond);
    private TimeSpan? _next;

    public double FramesPerSecond => inner.FramesPerSecond > 0 ? Math.Min(inner.FramesPerSecond, framesPerSecond) : framesPerSecond;

    public bool IsLive => inner.IsLive;

    public bool Read(Mat into, out TimeSpan position)
    {
        while (inner.Read(into, out position))
        {
            if (_next is { } next && position < next) continue;
            // behind schedule (a slow read): the next frame is due one interval from this one, not in a burst
            _next = _next is { } due && position - due < _interval ? due + _interval : position + _interval;
            return true;
        }
        return false;
    }

    public void Dispose() => inner.Dispose();
}
