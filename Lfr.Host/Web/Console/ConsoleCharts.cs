namespace Lfr.Host.Web.Console;

/// <summary>The console's charts of the last hour, per camera, drawn on the server as inline SVG.</summary>
public static class ConsoleCharts
{
    public static object[] Render(IReadOnlyList<(string Camera, IReadOnlyList<CameraSample> Samples)> cameras, DateTimeOffset now)
    {
        var from = now - CameraHistory.Span;
        return cameras.Select(c =>
        {
            var id = new string(c.Camera.Select(ch => char.IsLetterOrDigit(ch) ? ch : '-').ToArray());
            IReadOnlyList<(DateTimeOffset, double?)> Of(Func<CameraSample, double?> value) => c.Samples.Select(s => (s.At, value(s))).ToArray();
            return (object)new
            {
                camera = c.Camera,
                samples = c.Samples.Count,
                fps = Sparkline.Svg($"fps-{id}", $"{c.Camera} frames per second", from, now,
                    ("in", "series-in", Of(s => s.FpsIn)), ("processed", "series-processed", Of(s => s.FpsProcessed))),
                drops = Sparkline.Svg($"drops-{id}", $"{c.Camera} frames dropped", from, now, ("dropped", "series-dropped", Of(s => s.Dropped))),
                latency = Sparkline.Svg($"latency-{id}", $"{c.Camera} stage latency p50 ms", from, now,
                    ("detect", "series-detect", Of(s => s.DetectMs)), ("track-embed", "series-embed", Of(s => s.TrackEmbedMs)),
                    ("match", "series-match", Of(s => s.MatchMs))),
            };
        }).ToArray();
    }
}
