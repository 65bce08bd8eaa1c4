using System.Buffers;
using Lfr.Vision.Models;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;
using OpenCvSharp.Dnn;

namespace Lfr.Vision.Detection;

public interface IFaceDetector
{
    /// <summary>Faces in a BGR 8-bit image, strongest first, in image pixels (no landmarks yet).</summary>
    IReadOnlyList<DetectedFace> Detect(Mat bgr);
}

/// <summary>
/// fr_detect: a RetinaFace-style detector with a fixed 1x3x240x320 input whose boxes come out already
/// decoded against its priors (normalised x1,y1,x2,y2). Any image size is covered by <see cref="TilePlan"/>.
/// A force's own detector of the same kind gives its input size, colour order and mean/std (<see cref="DetectorInput"/>).
/// </summary>
public sealed class FaceDetector : IFaceDetector, IDisposable
{
    private readonly long[] _inputShape;
    private readonly InferenceSession _session;
    private readonly DetectorOptions _options;
    private readonly DetectorInput _input;
    private readonly Size _window;

    public FaceDetector(ModelFile model, DetectorOptions? options = null, DetectorInput? input = null)
    {
        _input = input ?? new DetectorInput();
        _window = new Size(_input.Width, _input.Height);
        _inputShape = [1, 3, _input.Height, _input.Width];
        _session = OnnxSessions.Create(model);
        _options = options ?? new DetectorOptions();
    }

    public DetectorOptions Options => _options;

    public IReadOnlyList<DetectedFace> Detect(Mat bgr)
    {
        if (bgr.Empty() || bgr.Type() != MatType.CV_8UC3)
            throw new ArgumentException("expected a non-empty 8-bit BGR image", nameof(bgr));

        var (scales, views) = TilePlan.For(bgr.Size(), _options, _window);
        var levels = new Mat[scales.Length];
        try
        {
            for (var i = 0; i < scales.Length; i++)
                levels[i] = Resize(bgr, scales[i]);

            var found = new List<DetectedFace>[views.Count];
            if (_options.Parallelism <= 1 || views.Count == 1)
            {
                for (var i = 0; i < views.Count; i++)
                    found[i] = RunView(levels[views[i].LevelIndex], views[i]);
            }
            else
            {
                Parallel.For(0, views.Count, new ParallelOptions { MaxDegreeOfParallelism = _options.Parallelism },
                    i => found[i] = RunView(levels[views[i].LevelIndex], views[i]));
            }
            return Suppress(found.SelectMany(f => f), bgr.Width, bgr.Height);
        }
        finally
        {
            foreach (var level in levels) level?.Dispose();
        }
    }

    /// <summary>
    /// Faces in one frame of a camera, looking where <paramref name="schedule"/> says (the whole frame, some tiles, windows
    /// around small faces), and what it cost. A frame that needs no tiles, or a schedule without a budget, runs every view.
    /// </summary>
    public (IReadOnlyList<DetectedFace> Faces, DetectionCost Cost) Detect(Mat bgr, DetectionSchedule schedule, TimeSpan at)
    {
        if (bgr.Empty() || bgr.Type() != MatType.CV_8UC3)
            throw new ArgumentException("expected a non-empty 8-bit BGR image", nameof(bgr));
        var (scales, views) = TilePlan.For(bgr.Size(), _options, _window);
        if (schedule.RunsEveryView(views.Count)) return (Detect(bgr), new DetectionCost(views.Count, views.Count - 1, views.Count - 1));

        var wholeScale = scales[0];
        var tileScale = scales[1];
        var tiles = views.Skip(1).Select(v => new Rect((int)MathF.Floor(v.Origin.X / tileScale), (int)MathF.Floor(v.Origin.Y / tileScale),
            (int)MathF.Ceiling(_input.Width / tileScale), (int)MathF.Ceiling(_input.Height / tileScale))).ToList();
        List<DetectedFace> whole;
        bool[] motion;
        using (var level = Resize(bgr, wholeScale))
        {
            whole = RunView(level, views[0]);
            motion = schedule.Motion.Update(level, tiles.Select(t => new Rect((int)(t.X * wholeScale), (int)(t.Y * wholeScale),
                (int)MathF.Ceiling(t.Width * wholeScale), (int)MathF.Ceiling(t.Height * wholeScale))).ToList());
        }
        var window = new Size(tiles[0].Width, tiles[0].Height);
        var plan = schedule.Plan(at, bgr.Size(), tiles, window, motion);
        var patches = tiles.Where((_, i) => plan.Tiles[i]).Concat(plan.Windows).ToList();
        var found = new List<DetectedFace>[patches.Count];
        if (_options.Parallelism <= 1 || patches.Count <= 1)
            for (var i = 0; i < patches.Count; i++) found[i] = RunPatch(bgr, patches[i], tileScale);
        else
            Parallel.For(0, patches.Count, new ParallelOptions { MaxDegreeOfParallelism = _options.Parallelism },
                i => found[i] = RunPatch(bgr, patches[i], tileScale));

        var faces = Suppress(whole.Concat(found.SelectMany(f => f)), bgr.Width, bgr.Height);
        schedule.Observe(at, faces.Select(f => (f.Box, whole.Any(w => w.Box.IoU(f.Box) > 0.5f))).ToList());
        return (faces, new DetectionCost(1 + patches.Count, plan.TilesRun, tiles.Count));
    }

    private static Mat Resize(Mat bgr, float scale)
    {
        var size = new Size(Math.Max(1, (int)MathF.Round(bgr.Width * scale)), Math.Max(1, (int)MathF.Round(bgr.Height * scale)));
        var resized = new Mat();
        Cv2.Resize(bgr, resized, size, 0, 0, scale < 1 ? InterpolationFlags.Area : InterpolationFlags.Linear);
        return resized;
    }

    private List<DetectedFace> RunView(Mat level, DetectorView view)
    {
        // The window may run past the level's edge: the network's input is padded (see Run).
        var window = new Rect(view.Origin.X, view.Origin.Y, _input.Width, _input.Height);
        var inside = window.Intersect(new Rect(0, 0, level.Width, level.Height));
        using var roi = new Mat(level, inside);
        Cut? cut = view.LevelIndex == 0 ? null : new Cut(inside.X > 0, inside.Y > 0, inside.Width == _input.Width, inside.Height == _input.Height);
        return Run(roi, cut, (x, y) => new Point2f((view.Origin.X + x) / view.Scale, (view.Origin.Y + y) / view.Scale));
    }

    /// <summary>A tile or window given in source pixels, shrunk by <paramref name="scale"/> on its own (no shrunk copy of the whole frame).</summary>
    private List<DetectedFace> RunPatch(Mat bgr, Rect source, float scale)
    {
        var inside = source.Intersect(new Rect(0, 0, bgr.Width, bgr.Height));
        var size = new Size(Math.Clamp((int)MathF.Round(inside.Width * scale), 1, _input.Width),
            Math.Clamp((int)MathF.Round(inside.Height * scale), 1, _input.Height));
        using var roi = new Mat(bgr, inside);
        using var small = new Mat();
        Cv2.Resize(roi, small, size, 0, 0, scale < 1 ? InterpolationFlags.Area : InterpolationFlags.Linear);
        var sx = (float)inside.Width / size.Width;
        var sy = (float)inside.Height / size.Height;
        var cut = new Cut(inside.X > 0, inside.Y > 0, inside.Right < bgr.Width, inside.Bottom < bgr.Height);
        return Run(small, cut, (x, y) => new Point2f(inside.X + x * sx, inside.Y + y * sy));
    }

    /// <summary>Which sides of a tile cut the image (a face touching one may be part of a face).</summary>
    private readonly record struct Cut(bool Left, bool Top, bool Right, bool Bottom);

    /// <summary>
    /// One detector run over <paramref name="patch"/> (at most 320x240, padded with mid-grey, which the network sees as
    /// zero); boxes mapped to source pixels by <paramref name="toSource"/>. A tile (<paramref name="cut"/> not null)
    /// keeps only small faces whole inside it.
    /// </summary>
    private List<DetectedFace> Run(Mat patch, Cut? cut, Func<float, float, Point2f> toSource)
    {
        using var input = new Mat();
        Cv2.CopyMakeBorder(patch, input, 0, _input.Height - patch.Height, 0, _input.Width - patch.Width,
            BorderTypes.Constant, Scalar.All(_input.Mean));

        var buffer = ArrayPool<float>.Shared.Rent(3 * _input.Width * _input.Height);
        try
        {
            FillInput(input, buffer);
            using var inputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance,
                buffer.AsMemory(0, 3 * _input.Width * _input.Height), _inputShape);
            using var outputs = _session.Run(OnnxSessions.RunOptions, [_input.InputName], [inputValue], [_input.ScoresName, _input.BoxesName]);
            var scores = outputs[0].GetTensorDataAsSpan<float>();
            var boxes = outputs[1].GetTensorDataAsSpan<float>();
            // one score pair and one box per prior: 4420 for fr_detect, more for a larger input
            var priors = scores.Length / 2;
            if (boxes.Length != 4 * priors)
                throw new ModelException($"the detector gave {scores.Length} scores and {boxes.Length} box values: not 2 and 4 per prior, check the model set's detector settings.");

            var faces = new List<DetectedFace>();
            for (var i = 0; i < priors; i++)
            {
                var score = scores[2 * i + 1];
                if (score < _options.ScoreThreshold) continue;
                var x1 = boxes[4 * i] * _input.Width;
                var y1 = boxes[4 * i + 1] * _input.Height;
                var x2 = boxes[4 * i + 2] * _input.Width;
                var y2 = boxes[4 * i + 3] * _input.Height;
                if (x2 <= x1 || y2 <= y1) continue;
                if (cut is { } c && !WholeInTile(x1, y1, x2, y2, patch.Size(), c)) continue;
                var a = toSource(x1, y1);
                var b = toSource(x2, y2);
                faces.Add(new DetectedFace(new FaceBox(a.X, a.Y, b.X - a.X, b.Y - a.Y), score));
            }
            return faces;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Tiles are for small faces. A face wider than the overlap, or touching a cut edge of the tile, may be
    /// only part of a face: it is found whole by the coarser view or a neighbouring tile.
    /// </summary>
    private bool WholeInTile(float x1, float y1, float x2, float y2, Size patch, Cut cut)
    {
        const float edge = 2f;
        if (x2 - x1 > _options.TileOverlap || y2 - y1 > _options.TileOverlap) return false;
        return !(cut.Left && x1 < edge || cut.Top && y1 < edge
                 || cut.Right && x2 > patch.Width - edge || cut.Bottom && y2 > patch.Height - edge);
    }

    /// <summary>BGR bytes to the network's planar (v-mean)/std input (fr_detect: (v-127)/128 in RGB order).</summary>
    private unsafe void FillInput(Mat input, float[] buffer)
    {
        using var blob = CvDnn.BlobFromImage(input, 1.0 / _input.Std, new Size(), Scalar.All(_input.Mean),
            swapRB: _input.Colour == ColourOrder.Rgb, crop: false);
        var count = 3 * _input.Width * _input.Height;
        new ReadOnlySpan<float>((void*)blob.Data, count).CopyTo(buffer);
    }

    /// <summary>Greedy NMS across all views; a box mostly inside a stronger one (a face cut by a tile edge) goes too.</summary>
    private List<DetectedFace> Suppress(IEnumerable<DetectedFace> candidates, int width, int height)
    {
        var sorted = candidates.OrderByDescending(f => f.Score).ToList();
        var kept = new List<DetectedFace>();
        foreach (var face in sorted)
        {
            var box = face.Box;
            if (kept.Any(k => k.Box.IoU(box) > _options.NmsIoU
                              || k.Box.IntersectionArea(box) > 0.6f * Math.Min(k.Box.Area, box.Area)))
                continue;
            var clipped = Clip(box, width, height);
            if (clipped.Width < _options.MinReportedFaceSize || clipped.Height < _options.MinReportedFaceSize) continue;
            kept.Add(face with { Box = clipped });
        }
        return kept;
    }

    private static FaceBox Clip(FaceBox b, int width, int height)
    {
        var x0 = Math.Clamp(b.X, 0, width);
        var y0 = Math.Clamp(b.Y, 0, height);
        var x1 = Math.Clamp(b.Right, 0, width);
        var y1 = Math.Clamp(b.Bottom, 0, height);
        return new FaceBox(x0, y0, x1 - x0, y1 - y0);
    }

    public void Dispose() => _session.Dispose();
}
