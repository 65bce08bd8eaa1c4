using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Lfr.Actors.Van;
using Lfr.Actors.Van.Cameras;

namespace Lfr.Actors.Telemetry;

/// <summary>
/// Reads each running camera's stage and alert latencies (<see cref="CameraCounters.Latencies"/>) at collection time,
/// as p50 and p99 in milliseconds, told apart by the <c>camera</c>, <c>stage</c> and <c>quantile</c> tags.
/// </summary>
public static class PipelineGauges
{
    private static readonly ConcurrentDictionary<CameraCounters, CameraId> Cameras = new();

    /// <summary>Reports the camera's latencies until the returned handle is disposed (when the camera is removed or its van stops).</summary>
    public static IDisposable Track(CameraId camera, CameraCounters counters)
    {
        _ = LfrTelemetry.Meter; // runs LfrTelemetry's static constructor, which creates the gauge that reads Cameras
        Cameras[counters] = camera;
        return new Untrack(counters);
    }

    internal static IEnumerable<Measurement<double>> Latencies()
    {
        foreach (var (counters, camera) in Cameras)
        {
            var latencies = counters.Latencies();
            foreach (var (stage, summary) in
                     new[] { ("detect", latencies.Detect), ("track-embed", latencies.TrackEmbed), ("match", latencies.Match), ("alert", latencies.Alert) })
            {
                if (summary.Samples == 0) continue;
                yield return Measurement(summary.P50Ms, camera, stage, "0.5");
                yield return Measurement(summary.P99Ms, camera, stage, "0.99");
            }
        }
    }

    /// <summary>Detector runs, tiles run, tiles planned and frames per camera since it started: their rates give runs per frame and the tiles' share.</summary>
    internal static IEnumerable<Measurement<long>> Detector()
    {
        foreach (var (counters, camera) in Cameras)
        {
            var now = counters.Snapshot();
            var tag = new KeyValuePair<string, object?>("camera", camera.Value);
            yield return new Measurement<long>(now.DetectorRuns, tag, new KeyValuePair<string, object?>("kind", "runs"));
            yield return new Measurement<long>(now.TilesRun, tag, new KeyValuePair<string, object?>("kind", "tiles-run"));
            yield return new Measurement<long>(now.TilesPlanned, tag, new KeyValuePair<string, object?>("kind", "tiles-planned"));
            yield return new Measurement<long>(now.FramesProcessed, tag, new KeyValuePair<string, object?>("kind", "frames"));
        }
    }

    private static Measurement<double> Measurement(double value, CameraId camera, string stage, string quantile) =>
        new(value, new KeyValuePair<string, object?>("camera", camera.Value), new KeyValuePair<string, object?>("stage", stage),
            new KeyValuePair<string, object?>("quantile", quantile));

    private sealed class Untrack(CameraCounters counters) : IDisposable
    {
        public void Dispose() => Cameras.TryRemove(counters, out _);
    }
}
