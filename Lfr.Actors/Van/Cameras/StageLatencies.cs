using System.Diagnostics;

namespace Lfr.Actors.Van.Cameras;

/// <summary>The median and the 99th percentile of a stage's recent times, in milliseconds, over <paramref name="Samples"/> frames (0: none yet).</summary>
public readonly record struct LatencySummary(double P50Ms, double P99Ms, int Samples);

/// <summary>
/// One camera's recent stage times: detect, track-embed and match per frame, and from capture to alert candidate
/// per alert. Each over the last <see cref="LatencyWindow.Capacity"/> samples.
/// </summary>
public sealed record PipelineLatencies(LatencySummary Detect, LatencySummary TrackEmbed, LatencySummary Match, LatencySummary Alert);

/// <summary>
/// The last <see cref="Capacity"/> durations of one stage, in <see cref="Stopwatch"/> ticks. One writer (the stage,
/// which runs one frame at a time) records into a fixed ring without allocating or locking; the health tick reads a
/// copy once a second and sorts it there, so the cost of the percentiles never falls on a frame. A sample being
/// overwritten while it is read only moves the figures by one sample.
/// </summary>
public sealed class LatencyWindow
{
    public const int Capacity = 256;

    private readonly long[] _ticks = new long[Capacity];
    private long _count;

    /// <summary>Records the time since <paramref name="startTimestamp"/> (from <see cref="Stopwatch.GetTimestamp"/>).</summary>
    public void Since(long startTimestamp) => Record(Stopwatch.GetTimestamp() - startTimestamp);

    public void Record(TimeSpan duration) => Record((long)(duration.TotalSeconds * Stopwatch.Frequency));

    private void Record(long ticks)
    {
        var count = Volatile.Read(ref _count);
        _ticks[count % Capacity] = Math.Max(0, ticks);
        Volatile.Write(ref _count, count + 1);
    }

    public LatencySummary Summary()
    {
        var samples = (int)Math.Min(Volatile.Read(ref _count), Capacity);
        if (samples == 0) return default;
        var sorted = _ticks[..samples];
        Array.Sort(sorted);
        return new LatencySummary(Milliseconds(sorted[(samples - 1) / 2]), Milliseconds(sorted[(int)Math.Ceiling(0.99 * samples) - 1]), samples);
    }

    private static double Milliseconds(long ticks) => Math.Round(ticks * 1000.0 / Stopwatch.Frequency, 2);
}
