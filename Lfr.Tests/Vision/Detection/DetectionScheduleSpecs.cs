using Lfr.Vision.Detection;
using OpenCvSharp;

namespace Lfr.Tests.Vision.Detection;

/// <summary>Where a camera's detector looks, frame by frame: no model, only the schedule's decisions.</summary>
public sealed class DetectionScheduleSpecs
{
    // a 1920x1080 frame's 4x3 tiles of the full plan, in source pixels
    private static readonly Size Frame = new(1920, 1080);
    private static readonly Size Window = new(640, 480);
    private static readonly IReadOnlyList<Rect> Tiles =
        [.. from y in new[] { 0, 300, 600 } from x in new[] { 0, 427, 853, 1280 } select new Rect(x, y, 640, 480)];
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    [Fact]
    public void Schedule_should_run_every_tile_every_five_frames_whatever_the_budget_or_motion()
    {
        foreach (var budget in new[] { 1, 2, 5 })
        {
            var schedule = new DetectionSchedule(budget);
            var last = new TimeSpan?[Tiles.Count];
            var longest = TimeSpan.Zero;
            for (var i = 0; i < 50; i++)
            {
                var at = Step * i;
                var plan = schedule.Plan(at, Frame, Tiles, Window, new bool[Tiles.Count]);
                for (var t = 0; t < Tiles.Count; t++)
                {
                    if (!plan.Tiles[t]) continue;
                    if (last[t] is { } before && at - before > longest) longest = at - before;
                    last[t] = at;
                }
            }
            Assert.All(last, l => Assert.NotNull(l));
            // 5 frames at 10 fps
            Assert.True(longest <= Step * DetectionSchedule.RevisitFrames, $"budget {budget}: a tile waited {longest.TotalSeconds} s");
        }
    }

    [Fact]
    public void Schedule_should_run_a_tile_where_something_moved_at_once()
    {
        var schedule = new DetectionSchedule(5);
        DetectionPlan? before = null;
        for (var i = 0; i < 10; i++) before = schedule.Plan(Step * i, Frame, Tiles, Window, new bool[Tiles.Count]);

        // a tile that has just run, so that only its motion can bring it back at once
        var moved = Enumerable.Range(0, Tiles.Count).First(t => before!.Tiles[t]);
        var motion = new bool[Tiles.Count];
        motion[moved] = true;
        var plan = schedule.Plan(Step * 10, Frame, Tiles, Window, motion);
        var quiet = schedule.Plan(Step * 11, Frame, Tiles, Window, new bool[Tiles.Count]);

        Assert.True(plan.Tiles[moved], $"tile {moved} moved and should run next");
        Assert.False(quiet.Tiles[moved], $"tile {moved} ran and nothing moved since");
    }

    [Fact]
    public void Schedule_should_keep_to_its_budget_when_everything_moves()
    {
        var schedule = new DetectionSchedule(5);
        var motion = Enumerable.Repeat(true, Tiles.Count).ToArray();
        var runs = Enumerable.Range(1, 40).Select(i => schedule.Plan(Step * i, Frame, Tiles, Window, motion).Runs).ToList();

        Assert.All(runs, r => Assert.Equal(5, r));

    }

    [Fact]
    public void Schedule_without_a_budget_should_run_every_tile_on_every_frame()
    {
        var schedule = new DetectionSchedule(0);
        for (var i = 0; i < 5; i++)
        {
            var plan = schedule.Plan(Step * i, Frame, Tiles, Window, new bool[Tiles.Count]);
            Assert.All(plan.Tiles, Assert.True);
            Assert.Equal(13, plan.Runs);
        }
    }

    [Fact]
    public void Schedule_should_follow_a_face_only_tiles_found_with_a_window_at_its_predicted_place()
    {
        var schedule = new DetectionSchedule();
        schedule.Plan(TimeSpan.Zero, Frame, Tiles, Window, []);
        schedule.Observe(TimeSpan.Zero, [(new FaceBox(100, 500, 36, 40), false)]);
        schedule.Plan(Step, Frame, Tiles, Window, []);
        schedule.Observe(Step, [(new FaceBox(130, 500, 36, 40), false)]);

        var plan = schedule.Plan(Step * 2, Frame, Tiles, Window, []);

        // moving 30 px a frame: expected near x = 160
        var window = Assert.Single(plan.Windows);
        Assert.True(window.Contains(new Rect(150, 490, 56, 60)), $"window {window} should hold the face's predicted place");
        Assert.Equal(Window, window.Size);
    }

    [Fact]
    public void Schedule_should_drop_the_window_of_a_face_the_whole_frame_finds_or_that_is_gone()
    {
        var schedule = new DetectionSchedule();
        schedule.Plan(TimeSpan.Zero, Frame, Tiles, Window, []);
        schedule.Observe(TimeSpan.Zero, [(new FaceBox(100, 500, 36, 40), false), (new FaceBox(1500, 200, 36, 40), false)]);
        Assert.Equal(2, schedule.HotFaces);

        // the first grew big enough for the whole-frame view; the second is not seen again
        schedule.Plan(Step, Frame, Tiles, Window, []);
        schedule.Observe(Step, [(new FaceBox(104, 500, 40, 44), true)]);
        Assert.Equal(1, schedule.HotFaces);
        Assert.Single(schedule.Plan(Step * 2, Frame, Tiles, Window, []).Windows);

        var later = Step * 2 + DetectionSchedule.HotFor + Step;
        Assert.Empty(schedule.Plan(later, Frame, Tiles, Window, []).Windows);
    }

    [Fact]
    public void Schedule_should_start_afresh_when_the_source_restarts()
    {
        var schedule = new DetectionSchedule();
        schedule.Plan(TimeSpan.FromSeconds(5), Frame, Tiles, Window, []);
        schedule.Observe(TimeSpan.FromSeconds(5), [(new FaceBox(100, 500, 36, 40), false)]);

        var plan = schedule.Plan(TimeSpan.Zero, Frame, Tiles, Window, []);

        Assert.Empty(plan.Windows);
        Assert.Equal(0, schedule.HotFaces);
        Assert.Equal(4, plan.TilesRun);
    }
}
