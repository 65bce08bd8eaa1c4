using Akka.Actor;
using Akka.Configuration;
using Lfr.Actors.Cluster;
using Akka.Hosting;
using Lfr.Actors.ControlRoom.Alerts;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Officers;
using Lfr.Actors.ControlRoom.Persistence;
using Lfr.Actors.ControlRoom.Retention;
using Lfr.Actors.ControlRoom.Watchlists;
using Lfr.Vision;
using Lfr.Vision.Files;
using Lfr.Vision.Watchlists;

namespace Lfr.Actors.ControlRoom;

/// <summary>Everything the control-room role is configured with. The data folder holds the SQLite files.</summary>
public sealed record ControlRoomOptions(string DataFolder)
{
    /// <summary>The journal and snapshots; a SQLite file in <see cref="DataFolder"/> unless set (e.g. PostgreSQL).</summary>
    public ControlRoomStorage? Storage { get; init; }

    public DeploymentSettings Deployments { get; init; } = new();
    public AlertSettings Alerts { get; init; } = new();
    public OfficerSettings Officers { get; init; } = new();
    public RetentionSettings Retention { get; init; } = new();
    public WatchlistSettings Watchlists { get; init; } = new();

    /// <summary>Verifies imported watchlist files (<c>LFR_WATCHLIST_KEY</c>); the vans' dispatch signs with the same key.</summary>
    public WatchlistSigningKey? WatchlistKey { get; init; }

    /// <summary>Wraps the keys of every image and watchlist's embeddings; null: <see cref="Vision.Files.MasterKey.Default"/>.</summary>
    public MasterKey? MasterKey { get; init; }

    public ControlRoomStorage EffectiveStorage => Storage ?? new ControlRoomStorage.SqliteFile(System.IO.Path.Combine(DataFolder, "journal.db"));

    /// <summary>Encrypted captures and file images, apart from the journal.</summary>
    public string ImagesPath => System.IO.Path.Combine(DataFolder, "images.db");

    public string WatchlistsPath => System.IO.Path.Combine(DataFolder, "watchlists.db");
}

/// <summary>The control room's top-level actors.</summary>
public sealed record ControlRoomActors(
    IActorRef Audit, IActorRef Deployments, IActorRef Watchlists, IActorRef Officers, IActorRef Alerts, IActorRef Retention, IActorRef Intake)
{
    /// <summary>
    /// The dispatcher of the actors that read and write the SQLite image and watchlist stores: those calls block,
    /// so they get threads of their own and never hold up the default dispatcher that carries cluster heartbeats.
    /// </summary>
    public const string StoreDispatcher = "lfr.control-room.store-dispatcher";

    /// <summary>What the control room needs in its actor system's configuration besides persistence (<c>hocon/control-room.conf</c>).</summary>
    public static Config Config => LfrHocon.Embedded("control-room.conf");

    /// <summary>
    /// Closes the data folder to its user (0700, files 0600); the journal file exists 0600 before SQLite opens it, so
    /// its -journal and -wal files are 0600 too.
    /// </summary>
    internal static void PrepareDataFolder(ControlRoomOptions options)
    {
        PrivateFiles.Tighten(options.DataFolder);
        if (options.EffectiveStorage is ControlRoomStorage.SqliteFile journal)
            PrivateFiles.File(journal.Path);
    }

    /// <summary>
    /// Starts the control room's actors; the actor system must already use <see cref="ControlRoomOptions.EffectiveStorage"/>
    /// for persistence. The encrypted image store is shared by the alert desks, the watchlists and retention.
    /// </summary>
    /// <param name="engine">Enrols file images when a watchlist is built; without it watchlists can only be imported.</param>
    public static ControlRoomActors Start(IActorRefFactory system, ControlRoomOptions options, TimeProvider time, FaceEngine? engine = null) =>
        Start((name, props) => system.ActorOf(props, name), options, time, engine, (name, props) => system.ActorOf(props, name));

    /// <summary>
    /// Starts the control room's actors through <paramref name="spawn"/> (in this ActorSystem, or as cluster singletons:
    /// <see cref="ControlRoomSingleton.Spawner"/>); the alert intake, which holds nothing, runs on every node through
    /// <paramref name="local"/>, so a van delivers to whichever control room it reaches.
    /// </summary>
    public static ControlRoomActors Start(Func<string, Props, IActorRef> spawn, ControlRoomOptions options, TimeProvider time, FaceEngine? engine,
        Func<string, Props, IActorRef> local)
    {
        PrepareDataFolder(options);
        var master = options.MasterKey ?? MasterKey.Default;
        var images = new EncryptedImageStore(options.ImagesPath, master);
        var watchlistStore = new WatchlistStore(options.WatchlistsPath, master);

        var audit = spawn("audit", AuditLogActor.Props(time));
        var deployments = spawn("deployments", JournalBackoff.Props(DeploymentsActor.Props(options.Deployments, audit, time), "journal"));
        var watchlists = spawn("watchlists", WatchlistAuthorityActor.Props(watchlistStore, images, options.Watchlists, deployments, audit, time, engine, options.WatchlistKey)
            .WithDispatcher(StoreDispatcher));
        var officers = spawn("officers", JournalBackoff.Props(OfficersActor.Props(options.Officers, watchlists, audit, time), "journal"));
        var alerts = spawn("alerts", AlertsActor.Props(options.Alerts, options.Retention, images, deployments, watchlists, officers, audit, time));
        var retention = spawn("retention", RetentionActor.Props(images, options.Retention, audit, time).WithDispatcher(StoreDispatcher));
        var intake = local(AlertIntake.Name, AlertIntake.Props(alerts, deployments));
        return new ControlRoomActors(audit, deployments, watchlists, officers, alerts, retention, intake);
    }
}

public static class ControlRoomHosting
{
    /// <summary>
    /// The control-room role: its persistence and its actors, each registered in the <see cref="ActorRegistry"/>
    /// under its actor type (e.g. <c>registry.Get&lt;AlertsActor&gt;()</c>) for the web API and the CLI.
    /// </summary>
    /// <param name="engine">The face models that turn file images into embeddings when a watchlist is built.</param>
    /// <param name="placement">Local for one control-room node; cluster singletons for several on one PostgreSQL journal.</param>
    public static AkkaConfigurationBuilder WithLfrControlRoom(this AkkaConfigurationBuilder builder, ControlRoomOptions options, TimeProvider time,
        FaceEngine? engine = null, ControlRoomPlacement placement = ControlRoomPlacement.Local)
    {
        ControlRoomActors.PrepareDataFolder(options);
        return builder
            .WithLfrControlRoomStorage(options.EffectiveStorage)
            .AddHocon(ControlRoomActors.Config, HoconAddMode.Append)
            .WithActors((system, registry) =>
            {
                var actors = ControlRoomActors.Start(ControlRoomSingleton.Spawner(system, placement), options, time, engine,
                    ControlRoomSingleton.Spawner(system, ControlRoomPlacement.Local));
                registry.Register<AuditLogActor>(actors.Audit);
                registry.Register<DeploymentsActor>(actors.Deployments);
                registry.Register<WatchlistAuthorityActor>(actors.Watchlists);
                registry.Register<OfficersActor>(actors.Officers);
                registry.Register<AlertsActor>(actors.Alerts);
                registry.Register<RetentionActor>(actors.Retention);
                registry.Register<AlertIntake>(actors.Intake);
            });
    }
}
