using System.Diagnostics;

namespace Lfr.Host.Cli;

/// <summary>
/// A one-line progress bar on standard error: done/total, rate and time left. Only when standard error is a
/// terminal and the command was not asked for JSON, so logs and pipes stay clean.
/// </summary>
public sealed class ProgressBar(string label, int total, bool enabled = true, string unit = "photos") : IProgress<int>, IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private readonly bool _enabled = enabled && !Console.IsErrorRedirected;
    private readonly Lock _lock = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _lastShown = TimeSpan.MinValue;
    private bool _shown;
    private bool _closed;

    public void Report(int done)
    {
        if (!_enabled) return;
        lock (_lock)
        {
            var now = _clock.Elapsed;
            if (_closed || (done < total && now - _lastShown < Interval)) return;
            _lastShown = now;
            _shown = true;
            Console.Error.Write("\r" + Line(label, done, total, now, unit) + "   ");
        }
    }

    /// <summary>The text of the bar: <c>embedding [#####.....] 1200/4542 photos  18.3/s  3m02s left</c>.</summary>
    public static string Line(string label, int done, int total, TimeSpan elapsed, string unit = "photos")
    {
        var fraction = total == 0 ? 1 : Math.Clamp(done / (double)total, 0, 1);
        var filled = (int)(fraction * 30);
        var rate = elapsed.TotalSeconds > 0 ? done / elapsed.TotalSeconds : 0;
        var left = done >= total ? "done" : rate > 0 ? $"{Duration(TimeSpan.FromSeconds((total - done) / rate))} left" : "";
        return $"{label} [{new string('#', filled)}{new string('.', 30 - filled)}] {done}/{total} {unit}  {rate:0.0}/s  {left}";
    }

    private static string Duration(TimeSpan t) =>
        t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:00}m" : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes}m{t.Seconds:00}s" : $"{t.Seconds}s";

    public void Dispose()
    {
        lock (_lock)
        {
            if (_enabled && !_closed && _shown) Console.Error.WriteLine();
            _closed = true;
        }
    }
}
