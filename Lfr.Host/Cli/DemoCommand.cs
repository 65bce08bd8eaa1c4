using System.Globalization;
using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Hosting;
using Lfr.Actors.ControlRoom.Alerts;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.Van.Cameras;
using Lfr.Host.Demo;
using Lfr.Host.Web;
using Lfr.Vision;
using Lfr.Vision.Matching;
using Lfr.Vision.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Lfr.Vision.Files;

namespace Lfr.Host.Cli;

/// <summary>
/// <c>lfr demo</c>: the embedded deployment. One process holds every role (control room, van, console) as a one-node
/// cluster, the control room on SQLite in a temporary folder (or <c>--data DIR</c>, which a second run resumes), two
/// van cameras of real face photos walking past, a watchlist, users, and a deployment already authorised, approved
/// and live (or, with <c>--walkthrough</c>, left at Draft). Runs until Ctrl-C or for <c>--duration</c>, then prints a
/// summary and leaves the cluster gracefully.
/// </summary>
public static class DemoCommand
{
    private const string Usage = """
        usage: lfr demo [--data DIR] [--duration 90s] [--walkthrough] [--http-port 8080] [--photos lfw|samples]
                        [--camera NAME=SOURCE[@Nfps] ...]

          --data DIR        keep the control room's data here; a second run resumes its deployment
                            (default: a temporary folder, deleted at the end)
          --duration TIME   run for this long (90s, 5m, 1h), print a summary and exit; default: until Ctrl-C
          --walkthrough     leave the deployment at Draft: authorise, approve and start it in the browser
          --http-port N     where the web pages are served on 127.0.0.1; 0 picks a free port (default 8080)
          --photos SET      who walks past: lfw (../shared/data/lfw-dev beside the checkout, the default where
                            present) or samples (faces cut from the group photos the build fetched)
          --camera NAME=SRC repeatable: the van's cameras instead of the walking scenes, e.g.
                            front=rtsp://user:pass@192.168.1.64:554/Streaming/Channels/102@10fps (an rtsp:// or
                            http:// camera, a video file or a device number); named van-1/NAME in the deployment
        """;

    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The pages a visitor opens, as the web app maps them.</summary>
    private static readonly (string Name, string Path)[] Pages =
        [("operator", "/operator"), ("officer", "/officer"), ("deployments", "/deployments"), ("console", "/console"), ("metrics", "/metrics")];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.Out.WriteLine(Usage);
            return 0;
        }
        string? data;
        TimeSpan? duration;
        bool walkthrough;
        int httpPort;
        string? lfw;
        List<CameraSettings> cameras;
        try
        {
            var cli = new CliArgs(args, new HashSet<string> { "walkthrough" });
            data = cli.Option("data");
            duration = cli.Option("duration") is { } text ? Duration(text) : null;
            walkthrough = cli.Flag("walkthrough");
            httpPort = cli.Int("http-port", 8080);
            lfw = cli.Option("photos") switch
            {
                null => DemoCast.FindLfw(),
                "lfw" => DemoCast.FindLfw() ?? throw new CliException("--photos lfw: no ../shared/data/lfw-dev beside the checkout"),
                "samples" => null,
                var other => throw new CliException($"--photos is lfw or samples, not '{other}'"),
            };
            cameras = cli.All("camera").Select(CameraSettings.Parse).ToList();
            cli.RejectUnknown();
            if (cli.Positional.Count > 0) throw new CliException($"unexpected argument '{cli.Positional[0]}'\n{Usage}");
            if (cameras.SelectMany((c, i) => c.Problems($"--camera {i + 1}")).FirstOrDefault() is { } problem) throw new CliException(problem);
            if (cameras.GroupBy(c => c.Name).FirstOrDefault(g => g.Count() > 1) is { } twice) throw new CliException($"--camera {twice.Key} is given twice");
            if (httpPort is < 0 or > 65535) throw new CliException($"--http-port {httpPort} is outside 0-65535");
            if (data is not null && File.Exists(data)) throw new CliException($"--data {data} is a file; give a folder (it is created if missing)");
        }
        catch (CliException e)
        {
            Console.Error.WriteLine($"lfr: {e.Message}");
            return 2;
        }

        // whatever this node writes (databases, their journals, keys, logs) is its user's alone
        PrivateFiles.RestrictProcessUmask();
        var temporary = data is null;
        var folder = Path.GetFullPath(data ?? Directory.CreateTempSubdirectory("lfr-demo-").FullName);
        try
        {
            return await RunDemoAsync(folder, temporary, duration, walkthrough, httpPort, lfw, cameras);
        }
        catch (ModelException e)
        {
            Console.Error.WriteLine($"lfr: {e.Message}");
            return 3;
        }
        catch (Actors.Cluster.LfrSettingsException e)
        {
            Console.Error.WriteLine($"lfr: {e.Message}");
            return 2;
        }
        catch (DemoException e)
        {
            Console.Error.WriteLine($"lfr: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // a data folder that cannot be created or written
            Console.Error.WriteLine($"lfr: {folder}: {e.Message}");
            return 1;
        }
        finally
        {
            // a temporary control room goes with the process: captures and file images included
            if (temporary && Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<int> RunDemoAsync(string folder, bool temporary, TimeSpan? duration, bool walkthrough, int httpPort, string? lfw,
        IReadOnlyList<CameraSettings> cameras)
    {
        var time = TimeProvider.System;
        Console.Out.WriteLine("lfr demo: loading the face models and choosing who walks past the cameras...");
        using var engine = FaceEngine.Load();
        var calibration = CalibrationStore.ForModel(engine.EmbeddingModelSha256);
        using var cast = DemoCast.Choose(engine, calibration.CosineAt(0.6f), lfw);
        var staff = DemoStaff.Create();

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls($"http://127.0.0.1:{httpPort}");
        // the terminal is the demo's own: its banner, alerts and summary; warnings and errors still show
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // Ctrl-C and SIGTERM are handled below, so the summary is read while the actors are still there
        builder.Services.AddSingleton<IHostLifetime, DemoLifetime>();
        builder.Configuration.AddInMemoryCollection(staff.WebConfiguration());
        // the same policies as a control room's and a van's node (Lfr:ControlRoom, Lfr:Van, Lfr:LiveView in appsettings.json or LFR__...)
        var node = new DemoNodeOptions(folder, engine)
        {
            ControlRoom = Actors.ControlRoom.ControlRoomSettings.FromConfiguration(builder.Configuration),
            Van = Actors.Van.VanSettings.FromConfiguration(builder.Configuration),
            LiveView = Actors.Settings.SettingsBinder.Bind<Actors.LiveView.LiveViewSettings>(builder.Configuration, Actors.LiveView.LiveViewSettings.Section),
        };
        builder.Services.AddSingleton(node.ControlRoomOptions);
        builder.Services.AddAkka(Actors.Cluster.LfrNodeSettings.DefaultClusterName, akka => akka
            // the operator screen and the console show the van's cameras through its live view relay and the hub, as on a control room
            .WithLfrDemo(node, time)
            // Akka's own hook would shut the actors down at Ctrl-C before the summary is read; stopping the host below
            // runs the same coordinated shutdown (a graceful leave) once it has been
            .AddHocon("akka.coordinated-shutdown.run-by-clr-shutdown-hook = off", HoconAddMode.Prepend));
        builder.Services.AddLfrNodeEndpoints();
        builder.Services.AddLfrWeb(builder.Configuration);

        using var stop = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        await using var app = builder.Build();
        app.MapLfrNodeEndpoints();
        app.MapLfrWeb();
        try
        {
            await app.StartAsync();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            Console.Error.WriteLine($"lfr: the demo could not start: {e.GetBaseException().Message}");
            return 1;
        }

        try
        {
            var registry = app.Services.GetRequiredService<ActorRegistry>();
            // the operator's own cameras (network cameras through ffmpeg), else the walking scenes; VAN/CAMERA as deployments name them
            var specs = cameras.Count == 0 ? DemoScene.Specs(cast) : cameras.Select(c => c.ToSpec()).ToList();
            var prepared = await DemoDeployment.PrepareAsync(registry, folder, cast, staff, walkthrough, time, specs.Select(c => DemoScene.Deployed(c.Id)).ToList());
            var van = registry.Get<VanCameras>();
            foreach (var camera in specs)
                van.Tell(new CameraSupervisorProtocol.StartCamera(camera));
            PrintBanner(folder, temporary, cast, staff, prepared, app.Urls.First(), cameras.Count == 0
                ? string.Join(", ", DemoScene.Cameras)
                : string.Join(", ", cameras.Select(c => $"{DemoScene.Van}/{c.Name} ({c.SafeSource})")));

            var deployment = prepared.State.Id;
            var desk = new DeskWatch(time.GetUtcNow());
            var until = duration is { } d ? time.GetUtcNow() + d : DateTimeOffset.MaxValue;
            while (!stop.IsCancellationRequested && time.GetUtcNow() < until)
            {
                await PrintNewAlertsAsync(registry, deployment, desk);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), time, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl-C: the summary follows
                }
            }

            await PrintNewAlertsAsync(registry, deployment, desk);
            await PrintSummaryAsync(registry, deployment, desk, folder, temporary);
        }
        finally
        {
            // leaves the cluster gracefully and closes the actors' files before the folder may go, whatever happened above
            await app.StopAsync();
        }
        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }

    private static void PrintBanner(string folder, bool temporary, DemoCast cast, DemoStaff staff, DemoDeployment.Prepared prepared, string url,
        string cameras)
    {
        var state = prepared.State;
        var o = Console.Out;
        o.WriteLine();
        o.WriteLine("Lfr demo: the control room, a van and the ops console in one process (a one-node cluster on 127.0.0.1)");
        o.WriteLine($"  data      {folder}{(temporary ? " (temporary: deleted when the demo ends)" : "")}");
        o.WriteLine($"  watchlist {cast.Watchlist.Count} people, {string.Join(", ", cast.Watchlist.GroupBy(s => s.Category).Select(g => $"{g.Count()} {DemoCast.Label(g.Key)}"))}");
        o.WriteLine($"  walking   the watchlist's people and {cast.PassersBy.Count} passers-by on no watchlist; {cast.Source}");
        o.WriteLine($"  cameras   {cameras}");
        o.WriteLine($"  deployment {state.Id} at {state.Plan!.Place.Name}: {state.Status}{(prepared.Resumed ? " (resumed)" : "")}, threshold {state.Plan.Threshold.ToString("0.0#", CultureInfo.InvariantCulture)}");
        if (state.Status != DeploymentStatus.Live)
            o.WriteLine("             authorise (superintendent), approve (chief), then start it on the deployments page");
        o.WriteLine();
        o.WriteLine("Open in a browser:");
        foreach (var (name, path) in Pages)
            o.WriteLine($"  {name,-12} {url.TrimEnd('/')}{path}");
        o.WriteLine();
        o.WriteLine("Sign in as (passwords made for this run):");
        foreach (var user in staff.Users)
            o.WriteLine($"  {user.Name,-15} {user.Password}   {user.Role} ({user.Staff})");
        o.WriteLine();
        o.WriteLine(state.Status == DeploymentStatus.Live
            ? "Alerts reach the operator within a minute; a human decides each one. Ctrl-C stops the demo."
            : "Nothing is recognised until the deployment is live. Ctrl-C stops the demo.");
        o.Flush();
    }

    /// <summary>Alerts new at the control room's desk: category, camera and likelihood; the person is the operator's to see.</summary>
    private static async Task PrintNewAlertsAsync(IActorRegistry registry, DeploymentId deployment, DeskWatch desk)
    {
        AlertProtocol.Queue queue;
        try
        {
            queue = await registry.Get<AlertsActor>().Ask<AlertProtocol.Queue>(new AlertProtocol.GetQueue(deployment), AskTimeout);
        }
        catch (AskTimeoutException)
        {
            // the desk is busy: the next look prints what this one missed
            return;
        }
        foreach (var alert in queue.Alerts.Where(a => desk.Seen.Add(a.Id)).OrderBy(a => a.RaisedAt))
        {
            if (desk.FirstAlert is null && alert.RaisedAt >= desk.CamerasStarted) desk.FirstAlert = alert.RaisedAt - desk.CamerasStarted;
            var capture = alert.Captures[0];
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{alert.RaisedAt.ToLocalTime():HH:mm:ss} ALERT at the control room: {DemoCast.Label(alert.Category)}, likelihood {capture.Likelihood:0.00}, {capture.Camera}"));
        }
    }

    private static async Task PrintSummaryAsync(IActorRegistry registry, DeploymentId deployment, DeskWatch desk, string folder, bool temporary)
    {
        var cameras = (await registry.Get<VanCameras>().Ask<CameraSupervisorProtocol.VanHealth>(CameraSupervisorProtocol.GetHealth.Instance, AskTimeout)).Cameras;
        var summary = await registry.Get<AlertsActor>().Ask<AlertSummary>(new AlertProtocol.GetSummary(deployment), AskTimeout);
        var first = desk.FirstAlert is { } f ? string.Create(CultureInfo.InvariantCulture, $"; the first alert of this run {f.TotalSeconds:0.0} s after the cameras started") : "";
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Summary: {cameras.Sum(c => c.FramesIn)} frames, {cameras.Sum(c => c.Faces)} faces, {summary.Alerts} alerts at the control room, {summary.Taskings} taskings{first}"));
        if (!temporary)
            Console.Out.WriteLine($"The data stays in {folder}: `lfr demo --data {folder}` resumes, `lfr report {deployment} --data {folder}` prints the return.");
        Console.Out.Flush();
    }

    private static TimeSpan Duration(string text)
    {
        var (number, unit) = text.Length > 0 && char.IsAsciiLetter(text[^1]) ? (text[..^1], text[^1]) : (text, 's');
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0)
            throw new CliException($"--duration '{text}' is not a time such as 90s, 5m or 1h");
        return unit switch
        {
            's' => TimeSpan.FromSeconds(value),
            'm' => TimeSpan.FromMinutes(value),
            'h' => TimeSpan.FromHours(value),
            _ => throw new CliException($"--duration '{text}': the unit is s, m or h"),
        };
    }

    /// <summary>The alerts already printed, and how soon the first of this run reached the desk.</summary>
    private sealed class DeskWatch(DateTimeOffset camerasStarted)
    {
        public DateTimeOffset CamerasStarted => camerasStarted;
        public HashSet<AlertId> Seen { get; } = [];
        public TimeSpan? FirstAlert { get; set; }
    }

    /// <summary>Leaves Ctrl-C and SIGTERM to the demo, which reads its summary before it stops the host.</summary>
    private sealed class DemoLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
