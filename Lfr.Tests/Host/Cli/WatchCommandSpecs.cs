using System.Security.Cryptography;
using System.Text.Json;
using Lfr.Actors.Van.Pipeline;
using Lfr.Host.Bench;
using Lfr.Host.Cli;
using Lfr.Tests.Actors.Van;
using Lfr.Tests.Fixtures;
using Lfr.Tests.Fixtures.Cameras;
using Lfr.Vision.Watchlists;

namespace Lfr.Tests.Host.Cli;

/// <summary><c>lfr watch</c> over the Hamilton clip with a signed watchlist of the two people it shows.</summary>
[Collection(VanCollection.Name)]
public sealed class WatchCommandSpecs(VanEngine van) : IDisposable
{
    private const string Clip = "face_recognition/video/short_hamilton_clip.mp4";
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("lfr-watch-");

    [SharedDataFact(Clip)]
    public async Task Watch_should_print_Mirandas_alert_and_a_summary_as_json_lines() =>
        AssertMirandasAlert(await WatchAsync(SharedData.PathOf(Clip)));

    /// <summary>The same clip from a real RTSP server (GStreamer's, on 127.0.0.1): the same alert as from the file.</summary>
    [SharedDataFact(Clip)]
    public async Task Watch_should_print_the_same_alert_from_the_clip_served_over_rtsp()
    {
        using var server = LoopbackRtspServer.Start(mounts: ("/hamilton", SharedData.PathOf(Clip)));
        AssertMirandasAlert(await WatchAsync(server.Url("/hamilton")));
    }

    private async Task<(int Exit, string Output, string Errors)> WatchAsync(string camera)
    {
        var keyBase64 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(WatchlistSigningKey.MinimumBytes));
        var key = WatchlistSigningKey.FromBase64(keyBase64);
        var watchlist = Path.Combine(_folder.FullName, "hamilton.lfrw");
        WatchlistFile.Write(watchlist,
        [
            new WatchlistEntry(new WatchlistEntryId("wl-miranda"), WatchlistCategory.CourtWarrant, van.Embed("face_recognition/images/lin-manuel-miranda.png")),
            new WatchlistEntry(new WatchlistEntryId("wl-lacamoire"), WatchlistCategory.CourtWarrant, van.Embed("face_recognition/images/alex-lacamoire.png")),
        ], van.Engine.EmbeddingModelSha256, DateTimeOffset.UtcNow, key);
        var output = new StringWriter();
        var errors = new StringWriter();
        var exit = await WatchCommand.RunAsync(["watch", "--camera", camera, "--watchlist", watchlist, "--json"],
            output, errors, new WatchlistKeySettings(KeyBase64: keyBase64));
        return (exit, output.ToString(), errors.ToString());
    }

    private static void AssertMirandasAlert((int Exit, string Output, string Errors) run)
    {
        var (exit, output, errors) = run;
        Assert.True(exit == 0, $"exit {exit}: {errors}");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        // one alert line for the passage; a better capture of it may follow, marked "improved"
        var alert = Assert.Single(lines[..^1], l => !l.TryGetProperty("improved", out _));
        Assert.All(lines[1..^1], l => Assert.True(l.GetProperty("improved").GetBoolean()));
        Assert.Equal("wl-miranda", alert.GetProperty("entryId").GetString());
        Assert.Equal("camera-1", alert.GetProperty("camera").GetString());
        Assert.InRange(alert.GetProperty("likelihood").GetSingle(), 0.6f, 1f);
        Assert.InRange(alert.GetProperty("at").GetDouble(), 82 / 30.0, 210 / 30.0);
        var summary = lines[^1];
        Assert.InRange(summary.GetProperty("frames").GetInt64(), 250, 300);
        Assert.Equal(1, summary.GetProperty("alerts").GetInt64());
        Assert.True(summary.GetProperty("faces").GetInt64() > 100);
        Assert.True(summary.TryGetProperty("dropped", out _) && summary.TryGetProperty("tracks", out _));
    }

    [Fact]
    public async Task Watch_should_refuse_a_missing_option_with_usage_and_exit_code_2()
    {
        var errors = new StringWriter();
        var exit = await WatchCommand.RunAsync(["--camera", "x.mp4"], TextWriter.Null, errors, new WatchlistKeySettings());
        Assert.Equal(2, exit);
        Assert.StartsWith("usage: lfr watch", errors.ToString());
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
