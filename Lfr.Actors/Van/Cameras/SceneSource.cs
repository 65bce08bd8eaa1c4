using OpenCvSharp;

namespace Lfr.Actors.Van.Cameras;

/// <summary>
/// Someone crossing a scene: a sequence of real face photos of one person (several views, as a real passage
/// shows), carried across the frame from <see cref="Enter"/> for <see cref="Duration"/>.
/// </summary>
/// <param name="Label">Ground-truth label (the test's or benchmark's key; never shown by the pipeline).</param>
/// <param name="Lane">Vertical position of the photo's centre, 0 (top) to 1 (bottom).</param>
/// <param name="Size">Width and height the photo is drawn at, in frame pixels.</param>
public sealed record SceneWalker(string Label, IReadOnlyList<string> Photos, TimeSpan Enter, TimeSpan Duration, float Lane, int Size, bool LeftToRight = true)
{
    public TimeSpan Exit => Enter + Duration;
}

/// <summary>A scene: frame size and rate, length, background, and who walks through it when.</summary>
public sealed record SceneScript(int Width, int Height, double FramesPerSecond, TimeSpan Length, IReadOnlyList<SceneWalker> Walkers, int Seed = 1)
{
    public long FrameCount => (long)Math.Ceiling(Length.TotalSeconds * FramesPerSecond);
}

/// <summary>
/// A frame source for demos, tests and benchmarks that composes real face photos walking across a textured
/// background, with a known ground truth (<see cref="WalkersAt"/>). Photos are decoded once at open, and once only
/// however many walkers show them: a long benchmark scene cycles a few photos through hundreds of walkers.
/// </summary>
public sealed class SceneSource : IFrameSource
{
    private readonly SceneScript _script;
    private readonly Mat _background;
    private readonly Mat[][] _photos;
    private long _next;

    public SceneSource(SceneScript script)
    {
        _script = script;
        _background = MakeBackground(script.Width, script.Height, script.Seed);
        _photos = new Mat[script.Walkers.Count][];
        var decoded = new Dictionary<(string Path, int Size), Mat>();
        try
        {
            for (var w = 0; w < script.Walkers.Count; w++)
            {
                var walker = script.Walkers[w];
                if (walker.Photos.Count == 0) throw new ArgumentException($"walker {walker.Label} has no photos", nameof(script));
                _photos[w] = walker.Photos
                    .Select(path => decoded.TryGetValue((path, walker.Size), out var photo) ? photo : decoded[(path, walker.Size)] = LoadPhoto(path, walker.Size))
                    .ToArray();
            }
        }
        catch
        {
            foreach (var photo in decoded.Values) photo.Dispose();
            _background.Dispose();
            throw;
        }
    }

    public double FramesPerSecond => _script.FramesPerSecond;
    public bool IsLive => false;
    public SceneScript Script => _script;

    public bool Read(Mat into, out TimeSpan position)
    {
        position = TimeSpan.FromSeconds(_next / _script.FramesPerSecond);
        if (_next >= _script.FrameCount) return false;
        _next++;
        _background.CopyTo(into);
        foreach (var (w, rect, photo) in Visible(position))
        {
            var inside = rect.Intersect(new Rect(0, 0, _script.Width, _script.Height));
            if (inside.Width <= 0 || inside.Height <= 0) continue;
            var from = new Rect(inside.X - rect.X, inside.Y - rect.Y, inside.Width, inside.Height);
            using var src = new Mat(_photos[w][photo], from);
            using var dst = new Mat(into, inside);
            src.CopyTo(dst);
        }
        return true;
    }

    /// <summary>Ground truth: the walkers whose photo is at least partly in the frame at <paramref name="at"/>, and where.</summary>
    public IReadOnlyList<(SceneWalker Walker, Rect Where)> WalkersAt(TimeSpan at) =>
        Visible(at).Select(v => (_script.Walkers[v.Walker], v.Rect.Intersect(new Rect(0, 0, _script.Width, _script.Height))))
            .Where(v => v.Item2.Width > 0 && v.Item2.Height > 0)
            .ToList();

    private IEnumerable<(int Walker, Rect Rect, int Photo)> Visible(TimeSpan at)
    {
        for (var w = 0; w < _script.Walkers.Count; w++)
        {
            var walker = _script.Walkers[w];
            if (at < walker.Enter || at >= walker.Exit) continue;
            var progress = (at - walker.Enter) / walker.Duration;
            // from fully outside one edge to fully outside the other
            var travel = _script.Width + walker.Size;
            var x = (int)Math.Round(-walker.Size + progress * travel);
            if (!walker.LeftToRight) x = _script.Width - walker.Size - x;
            var y = (int)Math.Round(walker.Lane * _script.Height - walker.Size / 2.0);
            var photo = Math.Min(_photos[w].Length - 1, (int)(progress * _photos[w].Length));
            yield return (w, new Rect(x, y, walker.Size, walker.Size), photo);
        }
    }

    private static Mat LoadPhoto(string path, int size)
    {
        using var raw = Cv2.ImRead(path, ImreadModes.Color);
        if (raw.Empty()) throw new ArgumentException($"not a readable image: {Path.GetFileName(path)}", nameof(path));
        return raw.Resize(new Size(size, size), interpolation: InterpolationFlags.Area);
    }

    /// <summary>A smooth gradient with mild noise: something for the detector to look at that holds no face.</summary>
    private static Mat MakeBackground(int width, int height, int seed)
    {
        var random = new Random(seed);
        var pixels = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        {
            var g = 60 + 100 * x / width + random.Next(12);
            var i = (y * width + x) * 3;
            pixels[i] = (byte)(90 + 60 * y / height);
            pixels[i + 1] = (byte)g;
            pixels[i + 2] = (byte)(g / 2 + 40);
        }
        var background = new Mat(height, width, MatType.CV_8UC3);
        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, background.Data, pixels.Length);
        return background;
    }

    public void Dispose()
    {
        _background.Dispose();
        // walkers share photos: each distinct one once
        foreach (var photo in _photos.SelectMany(p => p).Distinct())
            photo.Dispose();
    }
}
