using OpenCvSharp;

namespace Lfr.Vision.Detection;

/// <summary>One frame's detector work besides the whole frame: which tiles run, and windows (source pixels) around faces only tiles find.</summary>
public sealed record DetectionPlan(bool[] Tiles, IReadOnlyList<Rect> Windows)
{
    public int TilesRun => Tiles.Count(t => t);

    /// <summary>Detector runs, the whole frame included.</summary>
    public int Runs => 1 + TilesRun + Windows.Count;
}

/// <summary>What one frame's detection cost: detector runs (the whole frame included), and tiles run of the tiles planned.</summary>
public readonly record struct DetectionCost(int Runs, int TilesRun, int Tiles);

/// <summary>
/// Where one camera's detector looks in each frame, so that a 1080p frame costs a few detector runs instead of the 13 of
/// the full tile plan (<see cref="TilePlan"/>): the whole frame every frame (it finds every face from ~100 px wide); a
/// window around each face that only tiles find, at its predicted position, every frame while it is seen and for
/// <see cref="HotFor"/> after (a missed frame, a turned head); and the tiles, which are for faces too small for the
/// whole frame to see, on a rotation within the budget: a tile not run for <see cref="RevisitFrames"/> frames first, then
/// one with motion since its last run, oldest first; at least a fifth of the tiles a frame whatever the budget, so every
/// tile runs every 5 frames processed (twice a second at 10 fps) and a face walking in anywhere is found within half a
/// second, at once where something moved. Counted in frames processed, not in time: a van that falls behind (frames
/// dropped) does not make each frame it processes dearer. A plain per-camera object: not thread-safe, no models.
/// </summary>
public sealed class DetectionSchedule
{
    /// <summary>The most frames processed a tile goes unrun: half a second at 10 fps, so a small face walking in is found within a few steps.</summary>
    public const int RevisitFrames = 5;

    /// <summary>How long a face only tiles found keeps its window after it was last found.</summary>
    public static readonly TimeSpan HotFor = TimeSpan.FromSeconds(0.5);

    /// <summary>The default budget: measured in docs/benchmarks.md (issue 16) against the full plan.</summary>
    public const int DefaultBudget = 5;

    private readonly List<MovingBox> _hot = [];
    private long?[] _lastRun = [];
    private long _frame;
    private bool[] _moved = [];
    private TimeSpan _lastAt = TimeSpan.MinValue;

    /// <param name="budget">Detector runs per frame to aim at, the whole frame included; 0 runs every view on every frame
    /// (the full tile plan). The tiles' revisit comes first: a 1080p frame runs at least 1 + 12/5 = 4.</param>
    public DetectionSchedule(int budget = DefaultBudget)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(budget);
        Budget = budget;
    }

    public int Budget { get; }

    /// <summary>Frame differences over the tiles, kept by the detector between frames.</summary>
    internal MotionMap Motion { get; } = new();

    /// <summary>Whether a frame with this many views (the whole frame and its tiles) simply runs them all.</summary>
    public bool RunsEveryView(int views) => Budget == 0 || Budget >= views;

    /// <summary>
    /// The tiles and windows for the frame at <paramref name="at"/>. <paramref name="tiles"/> and <paramref name="window"/>
    /// are in source pixels; <paramref name="motion"/>, one flag per tile (empty: unknown, as if everything moved).
    /// </summary>
    public DetectionPlan Plan(TimeSpan at, Size image, IReadOnlyList<Rect> tiles, Size window, ReadOnlySpan<bool> motion)
    {
        if (_lastRun.Length != tiles.Count || at < _lastAt) Reset(tiles.Count);
        _lastAt = at;
        var frame = ++_frame;
        if (RunsEveryView(1 + tiles.Count)) return RunAll(tiles.Count, frame);

        _hot.RemoveAll(h => at - h.Seen > HotFor);
        var windows = new List<Rect>();
        foreach (var hot in _hot.OrderBy(h => h.Seen))
        {
            var box = hot.PredictedAt(at);
            // room around the face for it to move and for the detector to see it whole
            var region = new FaceBox(box.X - box.Width / 2, box.Y - box.Height / 2, box.Width * 2, box.Height * 2).ToRect(image.Width, image.Height);
            if (windows.Any(w => (w & region) == region)) continue;
            windows.Add(Centred(box.Center, window, image));
        }
        // a crowd of small faces: the tiles cover them for fewer runs
        if (windows.Count >= tiles.Count) return RunAll(tiles.Count, frame);

        for (var t = 0; t < tiles.Count; t++)
            _moved[t] |= motion.IsEmpty || motion[t];
        var slots = Math.Max((tiles.Count + RevisitFrames - 1) / RevisitFrames, Budget - 1 - windows.Count);
        var run = new bool[tiles.Count];
        var order = Enumerable.Range(0, tiles.Count).OrderBy(t => _lastRun[t] ?? long.MinValue).ToList();
        long Age(int t) => _lastRun[t] is { } last ? frame - last : long.MaxValue;
        // due tiles, then where something moved, then (spreading the revisits rather than bunching them) tiles half due
        var taken = 0;
        foreach (var t in order.Where(t => Age(t) >= RevisitFrames)
                     .Concat(order.Where(t => Age(t) < RevisitFrames && _moved[t]))
                     .Concat(order.Where(t => Age(t) < RevisitFrames && !_moved[t] && Age(t) >= RevisitFrames / 2 + 1)))
        {
            if (taken >= slots) break;
            if (run[t]) continue;
            run[t] = true;
            taken++;
            _lastRun[t] = frame;
            _moved[t] = false;
        }
        return new DetectionPlan(run, windows);
    }

    private DetectionPlan RunAll(int tiles, long frame)
    {
        Array.Fill(_lastRun, frame);
        Array.Fill(_moved, false);
        return new DetectionPlan(Enumerable.Repeat(true, tiles).ToArray(), []);
    }

    /// <summary>
    /// The faces found in the frame at <paramref name="at"/>, each with whether the whole-frame view found it: those it did
    /// not need a window next frame; those it did lose theirs.
    /// </summary>
    public void Observe(TimeSpan at, IReadOnlyList<(FaceBox Box, bool FoundWhole)> faces)
    {
        var matched = new HashSet<MovingBox>();
        foreach (var (box, whole) in faces)
        {
            var near = _hot.Where(h => !matched.Contains(h)).Select(h => (Hot: h, Shift: Shift(h.PredictedAt(at), box)))
                .Where(x => x.Shift <= 1f).OrderBy(x => x.Shift).Select(x => x.Hot).FirstOrDefault();
            if (whole)
            {
                if (near is not null) _hot.Remove(near);
                continue;
            }
            if (near is null) _hot.Add(near = new MovingBox(box, at));
            else near.See(box, at);
            matched.Add(near);
        }
    }

    /// <summary>Faces that keep a window now (for specs and the view).</summary>
    public int HotFaces => _hot.Count;

    private void Reset(int tiles)
    {
        _lastRun = new long?[tiles];
        _moved = Enumerable.Repeat(true, tiles).ToArray();
        _hot.Clear();
    }

    /// <summary>Centre distance in face widths.</summary>
    private static float Shift(FaceBox a, FaceBox b) =>
        (float)Point2f.Distance(a.Center, b.Center) / Math.Max(1f, Math.Max(a.Width, b.Width));

    private static Rect Centred(Point2f centre, Size window, Size image)
    {
        var w = Math.Min(window.Width, image.Width);
        var h = Math.Min(window.Height, image.Height);
        var x = Math.Clamp((int)MathF.Round(centre.X - w / 2f), 0, image.Width - w);
        var y = Math.Clamp((int)MathF.Round(centre.Y - h / 2f), 0, image.Height - h);
        return new Rect(x, y, w, h);
    }
}

/// <summary>
/// Which tiles changed since the previous frame, from the whole-frame view's small copy (320x180 for 1080p): a grey
/// difference, so it costs a fraction of a millisecond. Enough pixels changing in a tile's part of it mark the tile.
/// </summary>
internal sealed class MotionMap
{
    private const int Threshold = 18;
    private const int MinPixels = 3;
    private byte[] _previous = [];
    private byte[] _current = [];
    private Size _size;

    /// <summary>One flag per tile (<paramref name="tiles"/> in the small copy's pixels); all true on a first frame or a new size.</summary>
    public bool[] Update(Mat small, IReadOnlyList<Rect> tiles)
    {
        using var grey = new Mat();
        Cv2.CvtColor(small, grey, ColorConversionCodes.BGR2GRAY);
        var count = grey.Width * grey.Height;
        if (_current.Length != count) _current = new byte[count];
        if (!grey.IsContinuous()) throw new InvalidOperationException("a fresh grey image is continuous");
        System.Runtime.InteropServices.Marshal.Copy(grey.Data, _current, 0, count);

        var moved = new bool[tiles.Count];
        if (_previous.Length == count && _size == grey.Size())
        {
            for (var t = 0; t < tiles.Count; t++)
                moved[t] = Changed(tiles[t] & new Rect(0, 0, grey.Width, grey.Height), grey.Width);
        }
        else
        {
            Array.Fill(moved, true);
        }
        (_previous, _current) = (_current, _previous);
        _size = grey.Size();
        return moved;
    }

    private bool Changed(Rect r, int stride)
    {
        var changed = 0;
        for (var y = r.Y; y < r.Bottom; y++)
        {
            var row = y * stride;
            for (var x = r.X; x < r.Right; x++)
                if (Math.Abs(_current[row + x] - _previous[row + x]) > Threshold && ++changed >= MinPixels)
                    return true;
        }
        return false;
    }
}
