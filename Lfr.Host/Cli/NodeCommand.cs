using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Hosting;
using Lfr.Actors.Cluster;
using Lfr.Actors.Van;
using Lfr.Actors.Van.Link;
using Lfr.Host.Web;
using Lfr.Host.Web.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Lfr.Vision.Files;
using Lfr.Vision.Models;

namespace Lfr.Host.Cli;

/// <summary>
/// <c>lfr node</c>: one cluster node of one role, with <c>/healthz</c>, <c>/readyz</c>, <c>/metrics</c> (and <c>/cameras</c>), and
/// on control rooms and consoles the web pages (<see cref="LfrWeb"/>) for the users of <c>Lfr:Web</c>. Settings come from
/// appsettings.json next to lfr, then <c>LFR__NODE__...</c> / <c>LFR__WEB__...</c> environment variables, then these options.
/// </summary>
public static class NodeCommand
{
    private const string Usage = """
        usage: lfr node --role van|control-room|console [options]

          --role ROLE               van, control-room or console              (Lfr:Node:Role)
          --port N                  cluster port; control-room 4053, else 0 (any free port)   (Lfr:Node:Port)
          --seed ADDR[,ADDR...]     control-room node(s) to join, e.g. akka.tcp://lfr@10.0.0.5:4053 (Lfr:Node:Seeds)
                                    a control room without seeds starts a new cluster
          --http-port N             /healthz, /readyz, /metrics, and /cameras on control rooms and consoles;
                                    default 8080                              (Lfr:Node:HttpPort)
                                    control rooms with --data and consoles also serve the web pages there, for
                                    the users of Lfr:Web:Users:NAME:PasswordHash, :Roles, :StaffId (none: no pages)
          --hostname ADDR           address to bind; default 127.0.0.1        (Lfr:Node:Hostname)
          --public-hostname NAME    address other nodes dial, when not --hostname (Lfr:Node:PublicHostname)
          --public-port N           cluster port other nodes dial, when not --port (NAT, relay) (Lfr:Node:PublicPort)
          --cluster-name NAME       default lfr                               (Lfr:Node:ClusterName)
          --node-name NAME          how people see this node; default HOST:PORT  (Lfr:Node:NodeName)
          --data DIR                the node's files: a van's alert outbox, the control room's SQLite stores and
                                    journal, keys; without it the node runs the cluster parts only
                                                                              (Lfr:Node:DataFolder)
          --postgres CONNECTION     control room: journal on PostgreSQL, not SQLite in --data; prefer the
                                    environment (LFR__NODE__POSTGRES), it holds a password  (Lfr:Node:Postgres)
          --watchlist-key FILE      control room: the key signed watchlist files are imported with; default
                                    DIR/watchlist.key (created on the first start)  (Lfr:Node:WatchlistKeyPath)
          --assignment-key FILE     control room: its assignment signing key, default DIR/assignment.key
                                    (created on the first start, with DIR/assignment.pub beside it); van: a
                                    copy of that assignment.pub, default DIR/assignment.pub (Lfr:Node:AssignmentKeyPath)
          --certificate FILE.pfx    this node's certificate from lfr pki issue  (Lfr:Node:Tls:CertificatePath)
          --ca FILE                 the force CA's ca.crt; default beside the .pfx (Lfr:Node:Tls:CaCertificatePath)
          --camera NAME=SOURCE[@Nfps]  van, repeatable: a video file, rtsp:// or http:// URL, device number,
                                    or scene:FOLDER (face photos walking, one sub-folder or photo per person);
                                    @Nfps draws a scene at N frames/s (default 10) or thins a feed to N
                                                                              (Lfr:Node:Cameras:0 ..., or
                                    Lfr:Node:Cameras:0:Name, :Source, :Fps, :Transport tcp|udp (rtsp,
                                    default tcp), :HardwareDecode true|false (ffmpeg -hwaccel auto))
          --detector-budget N       van: detector runs per frame and camera, whole frame included; default 5;
                                    0 runs every tile of every frame (13 for 1080p)  (Lfr:Node:DetectorBudget)

        The role's policies beside Lfr:Node, in appsettings.json or LFR__CONTROLROOM__... : Lfr:ControlRoom (ranks,
        threshold and its floor, two-person confirmation, acknowledge time, retention, the daily wipe and its time zone),
        Lfr:Van (the camera restart policy), Lfr:LiveView (the operator view's rate, width and size). lfr config show
        --role ROLE prints every setting with where it came from; a bad one stops the node naming its key (exit 2).

        Mutual TLS between nodes (required unless --hostname is loopback): Lfr:Node:Tls:CertificatePath (.pfx from
        lfr pki issue), :CaCertificatePath, :CertificatePassword (if any), :RevokedThumbprints; seeds then read
        akka.ssl.tcp://lfr@HOST:PORT. A node accepts only peers whose certificate chains to the force CA, and acts
        only as the role and name its own certificate states.

        Ctrl-C or SIGTERM leaves the cluster gracefully. A node downed by the cluster starts afresh and rejoins; a van
        with --data carries on meanwhile (cameras, watchlist, outbox) and only its cluster membership starts afresh.
        """;

    private static readonly (string Option, string Key)[] Options =
    [
        ("role", nameof(LfrNodeSettings.Role)),
        ("port", nameof(LfrNodeSettings.Port)),
        ("seed", nameof(LfrNodeSettings.Seeds)),
        ("http-port", nameof(LfrNodeSettings.HttpPort)),
        ("hostname", nameof(LfrNodeSettings.Hostname)),
        ("public-hostname", nameof(LfrNodeSettings.PublicHostname)),
        ("public-port", nameof(LfrNodeSettings.PublicPort)),
        ("cluster-name", nameof(LfrNodeSettings.ClusterName)),
        ("node-name", nameof(LfrNodeSettings.NodeName)),
        ("data", nameof(LfrNodeSettings.DataFolder)),
        ("postgres", nameof(LfrNodeSettings.Postgres)),
        ("watchlist-key", nameof(LfrNodeSettings.WatchlistKeyPath)),
        ("assignment-key", nameof(LfrNodeSettings.AssignmentKeyPath)),
        ("certificate", $"{nameof(LfrNodeSettings.Tls)}:{nameof(LfrTlsSettings.CertificatePath)}"),
        ("ca", $"{nameof(LfrNodeSettings.Tls)}:{nameof(LfrTlsSettings.CaCertificatePath)}"),
        ("detector-budget", nameof(LfrNodeSettings.DetectorBudget)),
    ];

    /// <summary>Runs the node until Ctrl-C or SIGTERM; 0 after a graceful leave, 2 for invalid settings, 1 when it cannot start.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.Out.WriteLine(Usage);
            return 0;
        }

        // whatever this node writes (databases, their journals, keys, logs) is its user's alone
        PrivateFiles.RestrictProcessUmask();
        Dictionary<string, string?> overrides;
        try
        {
            var cli = new CliArgs(args, new HashSet<string>());
            overrides = ConfigurationOverrides(cli);
            if (cli.Positional.Count > 0) throw new CliException($"unexpected argument '{cli.Positional[0]}'\n{Usage}");
            cli.RejectUnknown();
        }
        catch (CliException e)
        {
            Console.Error.WriteLine($"lfr: {e.Message}");
            return 2;
        }

        while (true)
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
            builder.Configuration.AddInMemoryCollection(overrides);
            LfrNodeSettings settings;
            WebSettings web;
            try
            {
                settings = LfrNodeSettings.FromConfiguration(builder.Configuration);
                web = WebSettings.FromConfiguration(builder.Configuration);
            }
            catch (Exception e) when (e is LfrSettingsException or WebSettingsException)
            {
                Console.Error.WriteLine($"lfr: {e.Message}");
                return 2;
            }

            builder.WebHost.UseUrls(HttpUrl(settings));
            builder.Services.AddLfrNodeEndpoints();
            var pages = ServesWeb(settings, web);
            // the pages' live view is the cluster's live-view hub, which control rooms and consoles run (HubLiveView)
            if (pages) builder.Services.AddLfrWeb(builder.Configuration);
            if (settings is { Role: LfrRole.Van, DataFolder: not null })
            {
                // the van lives in an ActorSystem of its own that the cluster can never shut down; its membership is
                // another, made anew each time the cluster downs the van (VanMembership), so a van cut off carries on
                builder.Services.AddSingleton(services => new VanMembership(settings, services, TimeProvider.System));
                builder.Services.AddAkka($"{settings.ClusterName}-van", (akka, services) =>
                    akka.WithVanOnItsOwn(settings, services.GetRequiredService<VanMembership>(), TimeProvider.System));
                builder.Services.AddHostedService(services => services.GetRequiredService<VanMembership>());
            }
            else
                builder.Services.AddAkka(settings.ClusterName, akka => akka.WithLfrNode(settings));

            await using var app = builder.Build();
            try
            {
                app.MapLfrNodeEndpoints();
            }
            catch (Exception e) when (e.GetBaseException() is ModelException or InvalidDataException)
            {
                // the health checks build the node's actors, and with them its models: a model, or a calibration made for
                // another embedder, refused there is told in one line, not as an unhandled exception
                Console.Error.WriteLine($"lfr: {e.GetBaseException().Message}");
                return 3;
            }
            if (pages)
            {
                app.Use(AnswerNotOnThisNode);
                app.MapLfrWeb();
            }
            else if (settings.Role is LfrRole.ControlRoom or LfrRole.Console)
                app.Logger.LogWarning("No web pages on this node: {Reason}", web.Users.Count == 0
                    ? $"no users are configured ({WebSettings.Section}:Users)"
                    : "a control room serves them only with its actors, i.e. with a data folder (--data)");
            try
            {
                // not RunAsync: it disposes the host, and the shutdown reason is read from its ActorSystem below
                await app.StartAsync();
            }
            catch (Exception e)
            {
                // the HTTP port is taken, or the ActorSystem could not be created (an address it cannot bind, broken
                // HOCON): the log above has the stack trace, the operator gets the reason in one line
                Console.Error.WriteLine($"lfr: the node could not start: {e.GetBaseException().Message}");
                return 1;
            }
            await app.WaitForShutdownAsync();

            var system = app.Services.GetRequiredService<ActorSystem>();

            // Downed by the split-brain resolver (cut off from the control room) or by an operator: this incarnation
            // may never rejoin, so the node starts a fresh ActorSystem that joins the seeds again as a new member.
            if (CoordinatedShutdown.Get(system).ShutdownReason is not CoordinatedShutdown.ClusterDowningReason) return 0;
            app.Logger.LogWarning("Downed by the cluster; starting a fresh {Role} node to rejoin", settings.Role.Name());
        }
    }

    /// <summary>The node's options as configuration keys (<c>Lfr:Node:...</c>), over appsettings.json and the environment.</summary>
    internal static Dictionary<string, string?> ConfigurationOverrides(CliArgs cli)
    {
        var overrides = Options
            .Select(o => (o.Key, Value: cli.Option(o.Option)))
            .Where(o => o.Value is not null)
            .ToDictionary(o => $"{LfrNodeSettings.Section}:{o.Key}", o => o.Value);
        // each --camera is one entry of the list, replacing the configured entry at the same index
        var cameras = cli.All("camera");
        for (var i = 0; i < cameras.Count; i++)
            overrides[$"{LfrNodeSettings.Section}:{nameof(LfrNodeSettings.Cameras)}:{i}"] = cameras[i];
        return overrides;
    }

    /// <summary>
    /// The web pages are served by a control room that runs its actors (it has a data folder) and by a console (whose
    /// pages that need those actors answer 503), and only when someone may sign in: without users, no pages at all.
    /// </summary>
    private static bool ServesWeb(LfrNodeSettings settings, WebSettings web) =>
        web.Users.Count > 0 && (settings.Role == LfrRole.Console || settings.Role == LfrRole.ControlRoom && settings.DataFolder is not null);

    /// <summary>
    /// A page that needs the control room's actors, asked of a console: a clear 503 (the APIs say the same through
    /// <see cref="ControlRoomGateway.Errors"/>), not a 500.
    /// </summary>
    private static async Task AnswerNotOnThisNode(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (MissingActorRegistryEntryException) when (!context.Response.HasStarted)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsync(ControlRoomGateway.NotOnThisNode);
        }
    }

    private static string HttpUrl(LfrNodeSettings settings)
    {
        var host = IPAddress.TryParse(settings.Hostname, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6
            ? $"[{settings.Hostname}]"
            : settings.Hostname;
        return $"http://{host}:{settings.HttpPort}";
    }
}
