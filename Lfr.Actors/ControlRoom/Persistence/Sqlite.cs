using Microsoft.Data.Sqlite;

namespace Lfr.Actors.ControlRoom.Persistence;

/// <summary>The few ADO.NET calls the control room's own SQLite files need.</summary>
internal static class Sqlite
{
    /// <summary>
    /// No pooling, so no connection keeps a wiped file open, and <c>secure_delete</c> on every connection (it is a
    /// per-connection setting) so that deleted rows are overwritten with zeros instead of left in free pages;
    /// temporary tables and sorts in memory, so no row ever reaches a temp file.
    /// </summary>
    public static SqliteConnection OpenSecure(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        Execute(connection, "PRAGMA secure_delete = ON; PRAGMA temp_store = MEMORY");
        return connection;
    }

    /// <summary>A connection that cannot write: a reader that must leave the file byte for byte as it found it.</summary>
    public static SqliteConnection OpenReadOnly(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path, Pooling = false, Mode = SqliteOpenMode.ReadOnly,
        }.ToString());
        connection.Open();
        return connection;
    }

    public static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    public static int Execute(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        return command.ExecuteNonQuery();
    }
}
