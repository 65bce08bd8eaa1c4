using System.Globalization;
using Lfr.Actors.Van;
using Lfr.Actors.Van.Cameras;
using Lfr.Actors.Van.Pipeline;
using Lfr.Host.Standalone;
using Lfr.Vision;
using Lfr.Vision.Matching;
using Lfr.Vision.Watchlists;

namespace Lfr.Host.Cli;

/// <summary>
/// <c>lfr watch --camera FILE_OR_URL --watchlist FILE [--threshold 0.6] [--json]</c>: one van pipeline in this process
/// over one source, until the source ends or Ctrl-C. Prints each alert candidate (<c>at</c> in seconds from the start of
/// the source) and a summary of counts. A file plays at its own frame rate, as the camera it stands for would; an
/// <c>rtsp://</c> or <c>http://</c> camera is read through ffmpeg, as a van reads it.
/// </summary>
public static class WatchCommand
{
    private const string Usage =
        "usage: lfr watch --camera FILE_OR_URL --watchlist FILE [--threshold 0.6] [--json] [--fps N] [--transport tcp|udp] [--hwaccel]";

    /// <summary>Runs <c>lfr watch</c>; <paramref name="args"/> are the options, with or without the leading <c>watch</c>.</summary>
    public static Task<int> RunAsync(string[] args) =>
        RunAsync(args, Console.Out, Console.Error, WatchlistKeySettings.FromEnvironment());

    internal static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors, WatchlistKeySettings keySettings)
    {
        try
        {
            return await Watch(new CliArgs(args.SkipWhile(a => a == "watch"), new HashSet<string> { "json", "hwaccel" }), output, errors, keySettings);
        }
        catch (CliException e)
        {
            await errors.WriteLineAsync(e.Message);
            return 2;
        }
    }

    private static async Task<int> Watch(CliArgs args, TextWriter output, TextWriter errors, WatchlistKeySettings keySettings)
    {
        var cameraSource = args.Option("camera") ?? throw new CliException(Usage);
        var watchlistPath = args.Option("watchlist") ?? throw new CliException(Usage);
        var threshold = args.Float("threshold", 0.6f);
        var json = args.Flag("json");
        var source = new CameraSettings("camera-1", cameraSource, args.Option("fps") is { } fps ? args.Float("fps", 0) : null)
        {
            Transport = args.Option("transport") switch
            {
                null or "tcp" => StreamTransport.Tcp,
                "udp" => StreamTransport.Udp,
                var other => throw new CliException($"--transport is tcp or udp, not '{other}'"),
            },
            HardwareDecode = args.Flag("hwaccel"),
        };
        args.RejectUnknown();
        if (args.Positional.Count > 0) throw new CliException(Usage);
        if (threshold is <= 0 or > 1) throw new CliException("--threshold is a likelihood in (0, 1]");
        if (source.Problems("--camera").FirstOrDefault() is { } problem) throw new CliException(problem.Replace(":Source", "", StringComparison.Ordinal));

        using var engine = FaceEngine.Load();
        var key = WatchlistSigningKey.Resolve(keySettings).Key;
        WatchlistIndex watchlist;
        try
        {
            watchlist = WatchlistIndex.FromFile(watchlistPath, engine.EmbeddingModelSha256, key, VectorStorage.Float32);
        }
        catch (Exception e) when (e is WatchlistFileException or IOException)
        {
            throw new CliException($"{watchlistPath}: {e.Message}");
        }
        var calibration = CalibrationStore.ForModel(engine.EmbeddingModelSha256);
        var settings = new VanPipelineSettings
        {
            Likelihood = LikelihoodMap.From(calibration),
            View = null,
        };

        var writing = new Lock();
        var passages = new HashSet<(CameraId, TrackId, WatchlistEntryId)>();
        using var van = await StandaloneVan.StartAsync("watch", engine, settings, watchlist, threshold, alert =>
        {
            lock (writing)
            {
                // a later candidate of a passage already alerted carries a better capture of it: marked, so one passage reads as one alert
                var improved = !passages.Add(alert.Passage);
                output.WriteLine(json
                    ? improved
                        ? JsonLine(new { camera = alert.Camera.Value, entryId = alert.EntryId.Value, likelihood = CliJson.R(alert.Likelihood), at = CliJson.R(alert.SourcePosition.TotalSeconds, 3), improved })
                        : JsonLine(new { camera = alert.Camera.Value, entryId = alert.EntryId.Value, likelihood = CliJson.R(alert.Likelihood), at = CliJson.R(alert.SourcePosition.TotalSeconds, 3) })
                    : string.Create(CultureInfo.InvariantCulture,
                        $"{(improved ? "BETTER CAPTURE" : "ALERT")} {alert.EntryId} likelihood {alert.Likelihood:0.000} at {alert.SourcePosition.TotalSeconds:0.00} s"));
                output.Flush();
            }
        });

        var camera = source.ToSpec() with { ReconnectOnEnd = false };
        using var interrupted = new CancellationTokenSource();
        ConsoleCancelEventHandler onCtrlC = (_, e) =>
        {
            e.Cancel = true;
            interrupted.Cancel();
        };
        Console.CancelKeyPress += onCtrlC;
        van.Start(camera);

        // until the source ends, or Ctrl-C (what was seen so far is reported); a source that cannot be opened is not
        // worth the backoff here: the user is waiting for an answer
        var health = (await van.WatchAsync(TimeSpan.FromMilliseconds(200), cameras =>
            cameras.Single() is { State: CameraState.Ended or CameraState.Failed } or { State: CameraState.Reconnecting, FramesIn: 0 }
            || interrupted.IsCancellationRequested, TimeSpan.MaxValue, interrupted.Token)).Single();
        Console.CancelKeyPress -= onCtrlC;
        await van.StopAsync();

        lock (writing)
        {
            output.WriteLine(json
                ? JsonLine(new { frames = health.FramesIn, dropped = health.FramesDropped, faces = health.Faces, tracks = health.Tracks, alerts = health.Alerts })
                : string.Create(CultureInfo.InvariantCulture,
                    $"{health.FramesIn} frames ({health.FramesDropped} dropped), {health.Faces} faces, {health.Tracks} tracks, {health.Alerts} alerts"));
        }
        if (health.FramesIn == 0)
        {
            // the camera named by its address without credentials: what ffmpeg said about it is scrubbed of them too
            await errors.WriteLineAsync($"no frames from camera {source.SafeSource}: {health.LastError ?? "it could not be read"}");
            return 1;
        }
        return 0;
    }

    private static string JsonLine<T>(T value) => System.Text.Json.JsonSerializer.Serialize(value, CliJson.Lines);
}
