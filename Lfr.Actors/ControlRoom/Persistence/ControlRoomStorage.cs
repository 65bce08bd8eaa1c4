using Akka.Configuration;
using Akka.Hosting;

namespace Lfr.Actors.ControlRoom.Persistence;

/// <summary>Where the control room's journal and snapshots live: a SQLite file (the embedded default) or PostgreSQL.</summary>
public abstract record ControlRoomStorage
{
    private ControlRoomStorage() { }

    /// <summary>linq2db's provider name, which also picks the table layout below.</summary>
    internal abstract string ProviderName { get; }
    internal abstract string TableMapping { get; }
    internal abstract string ConnectionString { get; }

    /// <summary>
    /// SQLite allows one writer at a time, so the journal writes with parallelism 1;
    /// more would only queue on the file lock and time out under load.
    /// </summary>
    internal abstract int Parallelism { get; }

    /// <summary>A reader's storage (<c>lfr report</c>): no table is created and the database refuses any write.</summary>
    public bool IsReadOnly { get; private init; }

    /// <summary>The same storage for a reader that must not write.</summary>
    public ControlRoomStorage ReadOnly() => this with { IsReadOnly = true };

    public sealed record SqliteFile(string Path) : ControlRoomStorage
    {
        internal override string ProviderName => "SQLite.MS";
        internal override string TableMapping => "sqlite";
        internal override string ConnectionString => IsReadOnly ? $"Data Source={Path};Mode=ReadOnly" : $"Data Source={Path}";
        internal override int Parallelism => 1;
    }

    public sealed record PostgreSql(string Connection) : ControlRoomStorage
    {
        internal override string ProviderName => "PostgreSQL";
        internal override string TableMapping => "postgresql";

        /// <summary>A reader's sessions are read-only on the server's side (Npgsql's <c>Options</c> sets it at connection).</summary>
        internal override string ConnectionString => IsReadOnly
            ? new Npgsql.NpgsqlConnectionStringBuilder(Connection) { Options = "-c default_transaction_read_only=on" }.ConnectionString
            : Connection;

        internal override int Parallelism => 3;

        /// <summary>Connection strings carry passwords: never print them.</summary>
        public override string ToString() => "PostgreSql";
    }

    /// <summary>
    /// Plain HOCON rather than Akka.Persistence.Sql.Hosting: the hosting package (1.5.70) binds to an older
    /// linq2db than Akka.Persistence.Sql 1.5.73 and fails at run time with MissingMethodException.
    /// </summary>
    public Config ToConfig()
    {
        var connection = Quote(ConnectionString);
        return ConfigurationFactory.ParseString($$"""
            akka.persistence {
              journal {
                plugin = "akka.persistence.journal.sql"
                sql {
                  connection-string = {{connection}}
                  provider-name = "{{ProviderName}}"
                  table-mapping = {{TableMapping}}
                  parallelism = {{Parallelism}}
                  auto-initialize = {{(IsReadOnly ? "false" : "true")}}
                  # the journal may hiccup: its actors start again under backoff (JournalBackoff) and must find it
                  # closed again soon after the database is back, not 30 s later
                  circuit-breaker.reset-timeout = 5s
                }
              }
              snapshot-store {
                plugin = "akka.persistence.snapshot-store.sql"
                sql {
                  connection-string = {{connection}}
                  provider-name = "{{ProviderName}}"
                  table-mapping = {{TableMapping}}
                  auto-initialize = {{(IsReadOnly ? "false" : "true")}}
                  circuit-breaker.reset-timeout = 5s
                }
              }
              query.journal.sql {
                connection-string = {{connection}}
                provider-name = "{{ProviderName}}"
                table-mapping = {{TableMapping}}
              }
            }
            """)
            .WithFallback(ConfigurationFactory.ParseString(ControlRoomEventSerializer.Hocon))
            .WithFallback(Akka.Persistence.Sql.SqlPersistence.DefaultConfiguration);
    }

    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}

public static class ControlRoomStorageHosting
{
    /// <summary>Puts the control room's journal and snapshot store on <paramref name="storage"/>.</summary>
    public static AkkaConfigurationBuilder WithLfrControlRoomStorage(this AkkaConfigurationBuilder builder, ControlRoomStorage storage) =>
        builder.AddHocon(storage.ToConfig(), HoconAddMode.Prepend);
}
