using System.Security.Cryptography;
using Akka.Actor;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Alerts;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Persistence;
using Lfr.Actors.ControlRoom.Watchlists;
using Lfr.Tests.Actors.ControlRoom;
using Lfr.Tests.Fixtures;
using Lfr.Vision.Watchlists;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Lfr.Tests.Host.Cli;

/// <summary>
/// <c>lfr report</c> reads and never writes: a live deployment whose window closed while no control room ran (a
/// control-room actor started on it would end it, audit that and wipe its watchlist) is reported as stored, and every
/// file of the data folder, and every table of the PostgreSQL database, is byte for byte as before.
/// </summary>
public sealed class ReportReadOnlySpecs
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Report_should_leave_every_file_of_a_sqlite_data_folder_byte_identical()
    {
        using var folder = new TempFolder();
        var options = new ControlRoomOptions(folder.Path);
        var deployment = await SeedAsync(options);
        var before = FolderHashes(folder.Path);

        var report = ReportJson(deployment, "--data", folder.Path);

        Assert.Equal("live", report.GetProperty("status").GetString());
        Assert.Equal(1, report.GetProperty("alerts").GetInt32());
        Assert.Equal(1, report.GetProperty("watchlistSize").GetProperty("total").GetInt32());
        Assert.Equal(before, FolderHashes(folder.Path));
    }

    [PostgresFact]
    public async Task Report_should_leave_every_table_of_a_postgresql_journal_byte_identical()
    {
        // a database of its own: other specs write to the shared one while this one compares tables
        await using var database = await ScratchDatabase.CreateAsync(ControlRoomTestStorage.PostgresConnection!);
        var connection = database.Connection;
        using var folder = new TempFolder();
        var options = new ControlRoomOptions(folder.Path) { Storage = new ControlRoomStorage.PostgreSql(connection) };
        var deployment = await SeedAsync(options);
        var tables = await TableHashesAsync(connection);
        var files = FolderHashes(folder.Path);

        var report = ReportJson(deployment, "--data", folder.Path, "--postgres", connection);

        Assert.Equal("live", report.GetProperty("status").GetString());
        Assert.Equal(1, report.GetProperty("alerts").GetInt32());
        Assert.Equal(tables, await TableHashesAsync(connection));
        Assert.Equal(files, FolderHashes(folder.Path));
    }

    private static System.Text.Json.JsonElement ReportJson(string deployment, params string[] args)
    {
        using var lfr = new LfrProcess();
        var result = lfr.Run(["report", deployment, "--json", .. args]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Json;
    }

    /// <summary>A watchlist, a deployment live on 2 March 2026 until 17:00 and one alert, written by the control room's own actors.</summary>
    private static async Task<string> SeedAsync(ControlRoomOptions options)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var deployment = new DeploymentId("d-" + run);
        var watchlist = new WatchlistId("wl-" + run);
        var clock = new FakeTimeProvider(ControlRoomSpec.Morning);
        var system = ActorSystem.Create("report-seed", ControlRoomTestStorage.SystemConfig(options.EffectiveStorage));
        try
        {
            var room = ControlRoomActors.Start(system, options, clock, FileImages.Engine);
            await LiveDeployment.StartAsync(room, deployment, watchlist, Timeout, 0);
            await room.Alerts.Ask<AlertProtocol.CandidateAccepted>(new AlertProtocol.AlertCandidate(new AlertId("a-" + run), deployment, watchlist,
                new("E1"), WatchlistCategory.CourtWarrant, 0.81, "van-1/cam-a", ControlRoomSpec.Morning, FileImages.Face(3)), Timeout);
            // the audit log writes behind the desk: the trail is read once everything told before has been stored
            await room.Audit.Ask<Lfr.Actors.ControlRoom.Audit.AuditProtocol.Trail>(new Lfr.Actors.ControlRoom.Audit.AuditProtocol.GetTrail(), Timeout);
        }
        finally
        {
            await system.Terminate();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }

        return deployment.Value;
    }

    private static Dictionary<string, string> FolderHashes(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    /// <summary>Every table of the database's public schema, its rows in a fixed order, as one hash per table.</summary>
    private static async Task<Dictionary<string, string>> TableHashesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename", connection))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                tables.Add(reader.GetString(0));
        Assert.NotEmpty(tables);
        var hashes = new Dictionary<string, string>();
        foreach (var table in tables)
        {
            await using var hash = new NpgsqlCommand(
                $"SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM \"{table}\" t", connection);
            hashes[table] = (string)(await hash.ExecuteScalarAsync())!;
        }

        return hashes;
    }
}
