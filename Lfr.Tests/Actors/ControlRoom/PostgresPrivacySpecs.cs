using System.Text;
using Akka.Actor;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Alerts;
using Lfr.Actors.ControlRoom.Audit;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Persistence;
using Lfr.Actors.ControlRoom.Watchlists;
using Lfr.Tests.Fixtures;
using Lfr.Vision.Watchlists;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace Lfr.Tests.Actors.ControlRoom;

/// <summary>
/// The privacy scan with the journal on PostgreSQL: marker bytes planted in a capture and a watchlist file image, the
/// wipe and 30-day retention run, then every file of the PostgreSQL server's data directory (tables, WAL) and of the
/// control room's data folder is read byte by byte. The journal never holds an image, so the server never should.
/// </summary>
public sealed class PostgresPrivacySpecs(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit("akka.test.single-expect-default = 20s", output: output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [PostgresFact]
    public async Task Retention_and_wipe_with_the_journal_on_postgresql_should_leave_no_marker_in_the_servers_files_or_the_data_folder()
    {
        var connection = ControlRoomTestStorage.PostgresConnection!;
        var run = Guid.NewGuid().ToString("N")[..8];
        var captureMarker = Marker("CAPTURE");
        var fileImageMarker = Marker("FILEIMAGE");
        var controlMarker = Marker("CONTROL");
        var dataDirectory = await ServerDataDirectoryAsync(connection);

        using var folder = new TempFolder();
        var clock = new FakeTimeProvider(ControlRoomSpec.Morning);
        var options = new ControlRoomOptions(folder.Path) { Storage = new ControlRoomStorage.PostgreSql(connection) };
        var system = ActorSystem.Create("pg-privacy", ControlRoomTestStorage.SystemConfig(options.EffectiveStorage));
        try
        {
            var room = ControlRoomActors.Start(system, options, clock, FileImages.Engine);
            var deployment = new DeploymentId("d-" + run);
            var watchlist = new WatchlistId("wl-" + run);
            await room.Watchlists.Ask<WatchlistProtocol.WatchlistBuilt>(new WatchlistProtocol.BuildWatchlist(
                watchlist, DateOnly.FromDateTime(ControlRoomSpec.Morning.UtcDateTime), deployment, new StaffId("WM1"),
                [new WatchlistEntryDraft(new("E1"), WatchlistCategory.CourtWarrant, "Failed to appear: theft", "Bromley Magistrates",
                    new DateOnly(2025, 11, 3), new StaffId("WM1"), "PNC/1", FileImages.WithComment(FileImages.Face(0), fileImageMarker))]), Timeout);
            var plan = new DeploymentPlan(new Place("Catford Broadway", 51.445, -0.020),
                new TimeWindow(ControlRoomSpec.Morning, ControlRoomSpec.Morning.AddHours(8)), ["van-1/cam-a"], "Warrants", watchlist, Case: Readiness.Case);
            await room.Deployments.Ask<DeploymentState>(new DeploymentProtocol.PlanDeployment(deployment, plan, new StaffId("PS300")), Timeout);
            await room.Deployments.Ask<DeploymentState>(new DeploymentProtocol.Authorise(deployment, new(new("S100"), "Superintendent")), Timeout);
            await room.Deployments.Ask<DeploymentState>(new DeploymentProtocol.Approve(deployment, new(new("C200"), "Chief Superintendent")), Timeout);
            await Readiness.PrepareAsync(room.Deployments, deployment, new StaffId("PS300"), Timeout);
            await room.Deployments.Ask<DeploymentState>(new DeploymentProtocol.GoLive(deployment, new StaffId("PS300")), Timeout);
            var alert = new AlertId("a-" + run);
            await room.Alerts.Ask<AlertProtocol.CandidateAccepted>(new AlertProtocol.AlertCandidate(
                alert, deployment, watchlist, new("E1"), WatchlistCategory.CourtWarrant, 0.81, "van-1/cam-a", ControlRoomSpec.Morning, captureMarker), Timeout);
            await AwaitAssertAsync(async () => Assert.NotNull((await room.Alerts.Ask<AlertView>(new AlertProtocol.GetAlert(deployment, alert), Timeout)).Record));

            // the scan's control: bytes the server does hold are found in its files once checkpointed
            await ExecuteAsync(connection, $"CREATE TABLE lfr_privacy_control_{run} (b bytea)");
            try
            {
                await using (var source = new NpgsqlDataSourceBuilder(connection).Build())
                await using (var insert = source.CreateCommand($"INSERT INTO lfr_privacy_control_{run} VALUES ($1)"))
                {
                    insert.Parameters.Add(new NpgsqlParameter { Value = controlMarker });
                    await insert.ExecuteNonQueryAsync();
                }
                await ExecuteAsync(connection, "CHECKPOINT");
                Assert.NotEmpty(FilesContaining(dataDirectory, controlMarker));
            }
            finally
            {
                await ExecuteAsync(connection, $"DROP TABLE lfr_privacy_control_{run}");
            }

            // while held, the images are in the control room's encrypted store, never in the journal's server
            Assert.Empty(FilesContaining(dataDirectory, captureMarker, fileImageMarker));

            // the daily wipe takes the watchlist that evening, retention the capture 30 days on
            clock.Advance(TimeSpan.FromDays(30) + TimeSpan.FromHours(1));
            await AwaitAssertAsync(async () =>
            {
                var trail = await room.Audit.Ask<AuditProtocol.Trail>(new AuditProtocol.GetTrail(), Timeout);
                Assert.Contains(trail.Entries, e => e.Kind == AuditKind.ImagesPurged);
                Assert.Contains(trail.Entries, e => e.Kind == AuditKind.WatchlistWiped && e.Subject == watchlist.Value);
            }, Timeout);
            await ExecuteAsync(connection, "CHECKPOINT");
            Assert.Empty(FilesContaining(dataDirectory, captureMarker, fileImageMarker));
            Assert.Empty(FilesContaining(folder.Path, captureMarker, fileImageMarker));
        }
        finally
        {
            await system.Terminate();
        }
    }

    private static async Task<string> ServerDataDirectoryAsync(string connection)
    {
        await using var source = new NpgsqlDataSourceBuilder(connection).Build();
        await using var command = source.CreateCommand("SELECT setting FROM pg_settings WHERE name = 'data_directory'");
        var directory = (string?)await command.ExecuteScalarAsync();
        Assert.False(string.IsNullOrEmpty(directory), "the test server's user may read its settings (it is the server's owner)");
        Assert.True(Directory.Exists(directory), $"the test server's data directory {directory} is on this machine");
        return directory!;
    }

    private static async Task ExecuteAsync(string connection, string sql)
    {
        await using var source = new NpgsqlDataSourceBuilder(connection).Build();
        await using var command = source.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Large enough to be stored out of line (TOAST) by PostgreSQL and in overflow pages by SQLite, marked at both ends;
    /// random between the marks, so that no compression (TOAST's pglz) could hide it from the scan.
    /// </summary>
    private static byte[] Marker(string what)
    {
        var marker = Encoding.ASCII.GetBytes($"LFR-PRIVACY-MARKER-{what}-{Guid.NewGuid():N}");
        return [.. marker, .. System.Security.Cryptography.RandomNumberGenerator.GetBytes(9000), .. marker];
    }

    /// <summary>Every file under <paramref name="root"/> holding the first 40 bytes of any needle.</summary>
    private static List<string> FilesContaining(string root, params byte[][] needles)
    {
        var found = new List<string>();
        foreach (var file in Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }))
        {
            byte[] bytes;
            try
            {
                if (new FileInfo(file).Length == 0) continue;
                bytes = File.ReadAllBytes(file);
            }
            catch (IOException)
            {
                continue; // a file the server removed while the scan ran
            }
            if (needles.Any(n => bytes.AsSpan().IndexOf(n.AsSpan(0, 40)) >= 0))
                found.Add(file);
        }
        return found;
    }
}
