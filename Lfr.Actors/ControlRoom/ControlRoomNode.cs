using System.Data.Common;
using Akka.Hosting;
using Akka.Actor;
using Lfr.Actors.Cluster;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Actors.ControlRoom.Persistence;
using Lfr.Actors.ControlRoom.Watchlists;
using Lfr.Vision;
using Lfr.Vision.Files;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Lfr.Actors.ControlRoom;

public static class ControlRoomNodeHosting
{
    /// <summary>
    /// What a control room runs besides the cluster parts, from its node settings and its policies (<c>Lfr:ControlRoom</c>): its actors and the alert intake on the
    /// journal (SQLite in the data folder, or PostgreSQL), with the journal's reachability as a readiness check, the face
    /// models that enrol watchlist file images, and the dispatch of signed watchlists to the vans of a live deployment. The
    /// actors are cluster singletons (<see cref="ControlRoomPlacement.ClusterSingletons"/>), so several such nodes on one
    /// PostgreSQL journal are one control room; the alert intake and the web run on every one of them.
    /// The assignment key is created on the first start, its public half (<c>assignment.pub</c>) to be copied to the vans.
    /// <paramref name="sharedEngine"/>: the face models where the process holds them already (lfr demo); it stays theirs.
    /// </summary>
    public static AkkaConfigurationBuilder WithControlRoomNode(this AkkaConfigurationBuilder builder, LfrNodeSettings settings, TimeProvider time,
        FaceEngine? sharedEngine = null)
    {
        var dataFolder = settings.DataFolder ?? throw new ArgumentException("a control room's stores need a data folder", nameof(settings));
        PrivateFiles.Tighten(dataFolder);
        var key = settings.LoadWatchlistKey();
        // enrols file images when a watchlist is built
        var engine = sharedEngine ?? FaceEngine.Load();
        // the policies of Lfr:ControlRoom (retention, wipe, two-person confirmation, ranks...) on this node's stores and keys
        var options = settings.ControlRoom.ApplyTo(new ControlRoomOptions(dataFolder)
        {
            Storage = settings.Postgres is { } postgres ? new ControlRoomStorage.PostgreSql(postgres) : null,
            // signed watchlist files (lfr watchlist build) are imported only with the key the vans verify with
            WatchlistKey = key,
            MasterKey = settings.LoadMasterKey(),
        });
        return builder
            // any number of control-room nodes on one PostgreSQL journal are one control room: each of its actors runs once,
            // on the oldest control-room member, and moves to the next oldest when that one is lost
            .WithLfrControlRoom(options, time, engine, ControlRoomPlacement.ClusterSingletons)
            .WithVanDispatch(settings.LoadAssignmentSigner(), time: time, placement: ControlRoomPlacement.ClusterSingletons)
            .WithHealthCheck("journal", new JournalReachableCheck(options.EffectiveStorage), tags: [LfrHealthChecks.Ready])
            .WithHealthCheck("audit-log", new AuditLogWritingCheck(), tags: [LfrHealthChecks.Ready])
            .WithActors((system, _) =>
            {
                if (sharedEngine is null) system.RegisterOnTermination(engine.Dispose);
            });
    }
}

/// <summary>Ready while the journal's database answers a query: a control room that cannot persist must not take alerts.</summary>
public sealed class JournalReachableCheck(ControlRoomStorage storage) : IAkkaHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(AkkaHealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await using DbConnection connection = storage switch
            {
                ControlRoomStorage.SqliteFile file => new SqliteConnection($"Data Source={file.Path};Mode=ReadWriteCreate"),
                _ => new NpgsqlConnection(storage.ConnectionString),
            };
            await connection.OpenAsync(timeout.Token);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(timeout.Token);
            return HealthCheckResult.Healthy($"journal reachable ({storage})");
        }
        catch (Exception e) when (e is DbException or OperationCanceledException or InvalidOperationException or TimeoutException)
        {
            // the connection string holds a password: the error's type and message only, never the string
            return HealthCheckResult.Unhealthy($"journal unreachable ({storage}): {e.GetType().Name}: {e.Message}");
        }
    }
}

/// <summary>
/// Ready while the audit log can write: while it cannot, records wait in it and image views are refused (an image is
/// shown only once its view is recorded), and this check says so.
/// </summary>
public sealed class AuditLogWritingCheck : IAkkaHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(AkkaHealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var audit = ActorRegistry.For(context.ActorSystem).Get<AuditLogActor>();
            var health = await audit.Ask<AuditProtocol.Health>(AuditProtocol.GetHealth.Instance, Timeout, cancellationToken);
            return health.Writing
                ? HealthCheckResult.Healthy($"audit log writing ({health.Waiting} records waiting)")
                : HealthCheckResult.Unhealthy($"audit log cannot write: {health.Waiting} records wait for the journal; image views refused");
        }
        catch (Exception e) when (e is AskTimeoutException or MissingActorRegistryEntryException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"audit log not answering: {e.GetType().Name}");
        }
    }
}
