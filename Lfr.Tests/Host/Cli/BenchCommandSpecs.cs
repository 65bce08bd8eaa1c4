namespace Lfr.Tests.Host.Cli;

public sealed class BenchCommandSpecs : IDisposable
{
    private readonly LfrProcess _lfr = new();

    public void Dispose() => _lfr.Dispose();

    [Fact]
    public void Bench_quick_should_report_every_stage_and_find_small_faces()
    {
        var result = _lfr.Run("bench", "--quick", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var report = result.Json;
        foreach (var key in new[] { "detectMs", "embedMs", "match10kMs", "match10kInt8Ms", "facesPerSecond" })
            Assert.True(report.GetProperty(key).GetDouble() > 0, $"{key} should be a positive figure: {report.GetProperty(key)}");
        Assert.True(report.GetProperty("smallFaces").GetProperty("found").GetInt32() > 0, report.GetProperty("smallFaces").ToString());
    }
}
