using Lfr.Actors.Van.Cameras;
using Lfr.Host.Web.Live;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lfr.Host.Web.Console;

/// <summary>One camera's figures at one moment: what the console draws over the last hour.</summary>
/// <param name="Dropped">Frames dropped since the sample before (the counter's rise, not its total).</param>
public readonly record struct CameraSample(DateTimeOffset At, double FpsIn, double FpsProcessed, long Dropped, double? DetectMs, double? TrackEmbedMs, double? MatchMs);

/// <summary>
/// Each camera's fps, drops and stage latencies (p50) sampled every <see cref="Interval"/> for the last
/// <see cref="Span"/>, in memory and bounded: at most <see cref="MaxSamples"/> per camera and <see cref="MaxCameras"/>
/// cameras, a camera unheard of for an hour forgotten. Counts and milliseconds only, nothing about anyone.
/// </summary>
public sealed class CameraHistory(ILiveView live, TimeProvider time, ILogger<CameraHistory> log) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan Span = TimeSpan.FromHours(1);
    public const int MaxSamples = 360;
    public const int MaxCameras = 256;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (Queue<CameraSample> Samples, long LastDropped)> _cameras = new(StringComparer.Ordinal);

    /// <summary>Every camera's samples, oldest first.</summary>
    public IReadOnlyList<(string Camera, IReadOnlyList<CameraSample> Samples)> Snapshot()
    {
        lock (_gate)
            return _cameras.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => (c.Key, (IReadOnlyList<CameraSample>)c.Value.Samples.ToArray())).ToArray();
    }

    /// <summary>Keeps these figures as each camera's next sample, unless its last one is more recent than <see cref="Interval"/>.</summary>
    public void Record(IEnumerable<CameraHealth> cameras, DateTimeOffset now)
    {
        lock (_gate)
        {
            foreach (var c in cameras)
            {
                var name = c.Camera.Value;
                if (!_cameras.TryGetValue(name, out var entry))
                {
                    if (_cameras.Count >= MaxCameras) continue;
                    entry = (new Queue<CameraSample>(), c.FramesDropped);
                }
                // the sampler and the console's own reads both offer figures: one sample per interval is kept
                if (entry.Samples.Count > 0 && now - entry.Samples.Last().At < Interval - TimeSpan.FromSeconds(1)) continue;
                var l = c.Latencies;
                entry.Samples.Enqueue(new CameraSample(now, c.FpsIn, c.FpsProcessed, Math.Max(0, c.FramesDropped - entry.LastDropped),
                    l is { Detect.Samples: > 0 } ? l.Detect.P50Ms : null, l is { TrackEmbed.Samples: > 0 } ? l.TrackEmbed.P50Ms : null,
                    l is { Match.Samples: > 0 } ? l.Match.P50Ms : null));
                while (entry.Samples.Count > MaxSamples || entry.Samples.Peek().At < now - Span) entry.Samples.Dequeue();
                _cameras[name] = (entry.Samples, c.FramesDropped);
            }
            foreach (var gone in _cameras.Where(c => c.Value.Samples.Count == 0 || c.Value.Samples.Last().At < now - Span).Select(c => c.Key).ToList())
                _cameras.Remove(gone);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                Record(await live.GetCamerasAsync(stoppingToken), time.GetUtcNow());
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // a van or hub that does not answer leaves a gap in the charts, not a dead sampler
                log.LogDebug("Camera history not sampled: {Reason}", e.Message);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
