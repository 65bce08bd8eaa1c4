using Npgsql;

namespace Lfr.Tests.Fixtures;

/// <summary>
/// A database of a spec's own on the tests' PostgreSQL server (dropped when disposed): the shared one holds other specs'
/// journals, written under other keys and read by other assertions.
/// </summary>
public sealed class ScratchDatabase(string admin, string name, string connection) : IAsyncDisposable
{
    public string Connection => connection;

    public static async Task<ScratchDatabase> CreateAsync(string admin)
    {
        var name = "lfr_scratch_" + Guid.NewGuid().ToString("N")[..8];
        await ExecuteAsync(admin, $"CREATE DATABASE {name}");
        return new ScratchDatabase(admin, name, new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = false }.ConnectionString);
    }

    public async ValueTask DisposeAsync() => await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
