using System.Text.Json;
using Lfr.Actors.Van.Pipeline;
using Lfr.Host.Bench;
using Lfr.Tests.Fixtures;
using Xunit.Abstractions;

namespace Lfr.Tests.Actors.Van;

/// <summary>
/// The van figures of <c>lfr bench</c>, in a quick form that checks they come out sane. With <c>LFR_BENCH=1</c> the
/// full run (the figures in docs/benchmarks.md) replaces it; <c>LFR_BENCH_SOAK_MINUTES</c> adds the soak run to either.
/// </summary>
[Collection(VanCollection.Name)]
public sealed class PipelineBenchmarkSpecs(VanEngine van, ITestOutputHelper output)
{
    // a figure with no sample (no alert in a short run) is NaN
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    [SharedDataFact("lfw-dev/gallery.csv")]
    public async Task Benchmark_should_measure_pipeline_against_plain_loop_latency_and_capacity()
    {
        var full = Environment.GetEnvironmentVariable("LFR_BENCH") == "1";
        var photos = File.ReadLines(SharedData.PathOf("lfw-dev/gallery.csv")).Skip(1).Take(20)
            .Select(line => SharedData.PathOf("lfw-dev/" + line.Split(',')[0])).ToList();
        var soak = TimeSpan.FromMinutes(double.Parse(Environment.GetEnvironmentVariable("LFR_BENCH_SOAK_MINUTES") ?? "0",
            System.Globalization.CultureInfo.InvariantCulture));
        var options = full
            ? new PipelineBenchmarkOptions { Photos = photos, SoakRun = soak }
            : new PipelineBenchmarkOptions
            {
                Photos = photos, Width = 640, Height = 360, ThroughputFrames = 40, WatchlistSize = 1000,
                LatencyRun = TimeSpan.FromSeconds(5), MaxCameras = 1, CapacityRun = TimeSpan.FromSeconds(3), SoakRun = soak, DetectorScheduleRounds = 0,
            };

        var result = await PipelineBenchmark.RunAsync(van.Engine, van.Settings.Likelihood, options, output.WriteLine);

        output.WriteLine(JsonSerializer.Serialize(result, Json));
        Assert.True(result.FacesPerFrame >= 3, $"{result.FacesPerFrame} faces per frame");
        Assert.True(result.LoopFps1 > 0 && result.PipelineSameWorkFps > 0 && result.PipelineFps > 0);
        Assert.True(result.Ratio > 0.5, $"the pipeline runs at {result.Ratio:0.00} of the plain loop");
        Assert.True(result.LatencySamples > 0, "walkers on the watchlist raised alerts");
        Assert.InRange(result.LatencyP50Ms, 0, 5000);
        Assert.Equal(options.MaxCameras * options.DetectorBudgets.Count, result.Capacity.Count);
        // the schedule spends fewer detector runs than every tile of every frame (1080p: 13)
        var one = result.Capacity.Where(c => c.Cameras == 1).ToList();
        Assert.True(one.Single(c => c.DetectorBudget > 0).RunsPerFrame < one.Single(c => c.DetectorBudget == 0).RunsPerFrame);
    }

    [SharedDataFact("lfw-dev/probes.csv")]
    public async Task Benchmark_should_measure_tpir_and_false_alerts_per_passage()
    {
        var full = Environment.GetEnvironmentVariable("LFR_BENCH") == "1";
        var gallery = Rows("lfw-dev/gallery.csv").Take(full ? int.MaxValue : 150).ToList();
        var probes = Rows("lfw-dev/probes.csv").ToList();

        var result = await PipelineBenchmark.PassageAccuracyAsync(van.Engine, van.Settings.Likelihood, 0.6f, gallery, probes,
            passages: full ? 200 : 8, output.WriteLine);
        output.WriteLine(JsonSerializer.Serialize(result, Json));
        if (full)
        {
            // the same passages with the van embedding each face once, without its mirror image (the watchlist enrolled as before)
            using var single = Lfr.Vision.FaceEngine.Load(van.Engine.Options with { FlipAverage = false });
            var noMirror = await PipelineBenchmark.PassageAccuracyAsync(van.Engine, van.Settings.Likelihood, 0.6f, gallery, probes, 200,
                output.WriteLine, vanEngine: single);
            output.WriteLine("without the mirror: " + JsonSerializer.Serialize(noMirror, Json));
        }

        Assert.Equal(result.MatedPassages + result.NonMatedPassages, full ? 200 : 8);
        Assert.True(result.TpirPerPassage >= 0.5, $"TPIR per passage {result.TpirPerPassage:0.00}");
        Assert.True(result.FalseAlertsPer1000Passages < 100, $"{result.FalseAlerts} false alerts");
    }

    private static IEnumerable<(string Identity, string Photo)> Rows(string manifest) =>
        Lfr.Vision.Evaluation.Manifest.Read(SharedData.PathOf(manifest)).Where(r => !r.Derived).Select(r => (r.Identity, r.Path));
}
