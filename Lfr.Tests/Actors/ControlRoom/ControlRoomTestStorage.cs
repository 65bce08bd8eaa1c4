using Akka.Configuration;
using Lfr.Actors.ControlRoom;
using Lfr.Actors.ControlRoom.Persistence;
using Microsoft.Data.Sqlite;

namespace Lfr.Tests.Actors.ControlRoom;

/// <summary>A folder of its own per spec class for the journal and the other SQLite files, removed afterwards.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "lfr-control-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        // pooled connections keep the files open
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* a file still held by a closing system; the OS temp cleaner takes it */ }
    }
}

public static class ControlRoomTestStorage
{
    public const string PostgresVariable = "LFR_TEST_POSTGRES";

    public static string? PostgresConnection => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } value ? value : null;

    /// <summary>The settings every control-room spec shares: the role's own, the test logger, a quiet dead-letter log, patient expectations.</summary>
    public static Config SystemConfig(ControlRoomStorage storage) =>
        storage.ToConfig().WithFallback(ControlRoomActors.Config).WithFallback(ConfigurationFactory.ParseString("""
            akka.loglevel = INFO
            akka.log-dead-letters = off
            # the first write to a fresh journal creates its tables; on a busy 2-core CI machine that can take seconds
            akka.test.single-expect-default = 10s
            """));
}

/// <summary>A fact that runs only when a PostgreSQL server was started for the tests (scripts/test-postgres.sh).</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (ControlRoomTestStorage.PostgresConnection is null)
            Skip = $"PostgreSQL not started: run eval \"$(bash scripts/test-postgres.sh)\" to set {ControlRoomTestStorage.PostgresVariable}";
    }
}
