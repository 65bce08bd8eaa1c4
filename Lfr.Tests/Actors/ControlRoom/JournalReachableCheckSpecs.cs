using Akka.Hosting;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Persistence;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Lfr.Tests.Actors.ControlRoom;

/// <summary>The control room's "journal reachable" readiness: a real query against the journal's database, and no password in what it says.</summary>
public sealed class JournalReachableCheckSpecs : Akka.TestKit.Xunit2.TestKit
{
    private Task<HealthCheckResult> CheckAsync(ControlRoomStorage storage) =>
        new JournalReachableCheck(storage).CheckHealthAsync(new AkkaHealthCheckContext(Sys));

    [Fact]
    public async Task A_SQLite_journal_in_the_data_folder_should_be_reachable()
    {
        using var data = new TempFolder();

        var result = await CheckAsync(new ControlRoomStorage.SqliteFile(data.File("journal.db")));

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Contains("journal reachable", result.Description);
    }

    [Fact]
    public async Task A_PostgreSQL_journal_nobody_answers_for_should_be_unreachable_without_its_password_in_the_report()
    {
        // port 1 on loopback: refused at once
        var result = await CheckAsync(new ControlRoomStorage.PostgreSql("Host=127.0.0.1;Port=1;Username=lfr;Password=journal-secret;Timeout=2"));

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("journal unreachable (PostgreSql)", result.Description);
        Assert.DoesNotContain("journal-secret", result.Description);
    }

    [PostgresFact]
    public async Task The_test_PostgreSQL_server_should_be_reachable() =>
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(new ControlRoomStorage.PostgreSql(ControlRoomTestStorage.PostgresConnection!))).Status);
}
