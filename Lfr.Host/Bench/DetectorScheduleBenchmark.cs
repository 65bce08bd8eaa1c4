using System.Diagnostics;
using Lfr.Actors.Van.Cameras;
using Lfr.Vision;
using Lfr.Vision.Detection;
using OpenCvSharp;

namespace Lfr.Host.Bench;

/// <summary>
/// One detector schedule over one scene, frame after frame on one thread (<see cref="DetectorScheduleBenchmark"/>).
/// </summary>
/// <param name="Budget">Detector runs per frame aimed at; 0 = the full tile plan on every frame (the schedule before issue 16).</param>
/// <param name="CpuMsPerFrame">This process's CPU time per frame (all threads), detection and landmarks only.</param>
/// <param name="FaceFrames">Frames × faces whole in view (ground truth); <paramref name="FaceFramesFound"/>: those a detection overlaps.</param>
/// <param name="Walkers">People who walked in; <paramref name="WalkersFound"/>: found in at least one frame.</param>
public sealed record DetectorSchedulePoint(string Scene, int Budget, int Frames, double RunsPerFrame, double TileShare, double CpuMsPerFrame,
    double WallMsPerFrame, int FaceFrames, int FaceFramesFound, int Walkers, int WalkersFound)
{
    /// <summary>Faces found in the frames they were whole in (null for a scene without ground truth).</summary>
    public double? Recall => FaceFrames == 0 ? null : Math.Round((double)FaceFramesFound / FaceFrames, 3);
}

/// <summary>
/// What the detector schedule saves and what it still finds, against the full tile plan, on the same frames in the same
/// run: the van benchmark's 1080p scene (~5 people, large faces) and a 1080p scene where faces 32-40 px wide walk in
/// from the sides (what the tiles are for). Budgets are alternated so that both see the same outside load.
/// </summary>
public static class DetectorScheduleBenchmark
{
    public static IReadOnlyList<DetectorSchedulePoint> Run(FaceEngine engine, IReadOnlyList<string> photos, IReadOnlyList<int> budgets, int rounds,
        int peopleInView = 5, Action<string>? progress = null)
    {
        var say = progress ?? (_ => { });
        var crowd = CrowdScene(photos, peopleInView, 1920, 1080, 10, TimeSpan.FromSeconds(6));
        var small = SmallFacesScene(engine, photos, walkers: 24);
        var points = new List<DetectorSchedulePoint>();
        for (var round = 0; round < rounds; round++)
            foreach (var budget in budgets)
                foreach (var (name, script, truth) in new[] { ("crowd-1080p", crowd, (Func<SceneSource, TimeSpan, List<(string, FaceBox)>>?)null), ("small-faces-walk-in", small.Script, small.Truth) })
                {
                    say($"detector schedule: {name}, budget {budget}, round {round + 1} ...");
                    points.Add(Measure(engine, name, script, budget, truth));
                }
        return points;
    }

    /// <summary>The small-face scene alone at one budget (the spec's form).</summary>
    public static DetectorSchedulePoint SmallFacesWalkingIn(FaceEngine engine, IReadOnlyList<string> photos, int budget, int walkers)
    {
        var (script, truth) = SmallFacesScene(engine, photos, walkers);
        return Measure(engine, "small-faces-walk-in", script, budget, truth);
    }

    private static DetectorSchedulePoint Measure(FaceEngine engine, string name, SceneScript script, int budget,
        Func<SceneSource, TimeSpan, List<(string Label, FaceBox Face)>>? truth)
    {
        using var source = new SceneSource(script);
        using var frame = new Mat();
        var schedule = new DetectionSchedule(budget);
        using var process = Process.GetCurrentProcess();
        long runs = 0, tilesRun = 0, tiles = 0;
        int frames = 0, faceFrames = 0, faceFramesFound = 0;
        var seen = new HashSet<string>();
        var found = new HashSet<string>();
        var cpu = TimeSpan.Zero;
        var wall = TimeSpan.Zero;
        while (source.Read(frame, out var at))
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var (faces, cost) = engine.Detect(frame, schedule, at);
            wall += clock.Elapsed;
            process.Refresh();
            cpu += process.TotalProcessorTime - cpuBefore;
            frames++;
            runs += cost.Runs;
            tilesRun += cost.TilesRun;
            tiles += cost.Tiles;
            if (truth is null) continue;
            foreach (var (label, face) in truth(source, at))
            {
                seen.Add(label);
                faceFrames++;
                if (!faces.Any(f => f.Box.IoU(face) > 0.3f)) continue;
                faceFramesFound++;
                found.Add(label);
            }
        }
        return new DetectorSchedulePoint(name, budget, frames, Math.Round((double)runs / frames, 2), tiles == 0 ? 1 : Math.Round((double)tilesRun / tiles, 3),
            Math.Round(cpu.TotalMilliseconds / frames, 2), Math.Round(wall.TotalMilliseconds / frames, 2), faceFrames, faceFramesFound, seen.Count, found.Count);
    }

    /// <summary>
    /// The van benchmark's scene: people walking across in lanes, so that about <paramref name="peopleInView"/> are in view
    /// at any time (a quarter of the height tall: faces ~100 px wide in 1080p), the view already full at time 0.
    /// </summary>
    public static SceneScript CrowdScene(IReadOnlyList<string> photos, int peopleInView, int width, int height, double fps, TimeSpan length)
    {
        var crossing = TimeSpan.FromSeconds(4);
        var spacing = crossing / peopleInView;
        var walkers = new List<SceneWalker>();
        // the first walkers enter before time 0
        for (var i = 0; spacing * (i - peopleInView) < length; i++)
            walkers.Add(new SceneWalker($"walker-{i}", [photos[i % photos.Count]], spacing * (i - peopleInView), crossing,
                0.2f + 0.6f * (i % peopleInView) / Math.Max(1, peopleInView - 1), height / 4, LeftToRight: i % 2 == 0));
        return new SceneScript(width, height, fps, length, walkers);
    }

    /// <summary>
    /// People whose faces are 32-40 px wide walk in from either side, one every 0.4 s, across a 1920x1080 frame in 8 s;
    /// the ground truth is each face's box whenever its photo is whole in the frame.
    /// </summary>
    private static (SceneScript Script, Func<SceneSource, TimeSpan, List<(string, FaceBox)>> Truth) SmallFacesScene(FaceEngine engine,
        IReadOnlyList<string> photos, int walkers)
    {
        var random = new Random(11);
        var faceIn = new Dictionary<string, FaceBox>();
        var cast = new List<SceneWalker>();
        foreach (var photo in photos)
        {
            if (cast.Count == walkers) break;
            using var image = Cv2.ImRead(photo, ImreadModes.Color);
            if (image.Empty() || engine.DetectBoxes(image) is not { Count: > 0 } faces) continue;
            var face = faces.MaxBy(f => f.Box.Width).Box;
            var width = 32 + random.Next(9);
            var size = (int)MathF.Round(image.Width * width / face.Width);
            var label = $"small-{cast.Count}";
            // the face's box in the photo as drawn (square, size x size)
            faceIn[label] = new FaceBox(face.X * size / image.Width, face.Y * size / image.Height, face.Width * size / image.Width, face.Height * size / image.Height);
            cast.Add(new SceneWalker(label, [photo], TimeSpan.FromSeconds(0.4 * cast.Count), TimeSpan.FromSeconds(8),
                0.06f + 0.88f * (float)random.NextDouble(), size, LeftToRight: cast.Count % 2 == 0));
        }
        var script = new SceneScript(1920, 1080, 10, cast.Max(w => w.Exit), cast);
        return (script, (source, at) => source.WalkersAt(at)
            .Where(w => w.Where.Width == w.Walker.Size && w.Where.Height == w.Walker.Size)
            .Select(w => (w.Walker.Label, faceIn[w.Walker.Label] with { X = w.Where.X + faceIn[w.Walker.Label].X, Y = w.Where.Y + faceIn[w.Walker.Label].Y }))
            .ToList());
    }
}
