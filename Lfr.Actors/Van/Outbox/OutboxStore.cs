using Lfr.Actors.ControlRoom.Persistence;
using Lfr.Actors.Van.Pipeline;
using Microsoft.Data.Sqlite;

namespace Lfr.Actors.Van.Outbox;

/// <summary>
/// The outbox file on the van: one row per alert not yet stored at the control room, the candidate in its wire
/// encoding. A plain table rather than an Akka.Persistence journal because a delivered alert must vanish with its crop:
/// a journal keeps deleted events' payloads, while here the row is deleted with <c>secure_delete</c> on, which
/// overwrites it with zeros. <c>synchronous = FULL</c>: an insert has reached the disk when <see cref="Add"/> returns.
/// </summary>
public sealed class OutboxStore : IDisposable
{
    private readonly SqliteConnection _connection;

    public OutboxStore(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _connection = Sqlite.OpenSecure(path);
        Sqlite.Execute(_connection, "PRAGMA synchronous = FULL");
        Sqlite.Execute(_connection, "CREATE TABLE IF NOT EXISTS outbox (alert_id BLOB PRIMARY KEY, candidate BLOB NOT NULL)");
    }

    /// <summary>Durably adds the candidate; adding one already there changes nothing.</summary>
    public void Add(AlertProtocol.AlertCandidate candidate) =>
        Sqlite.Execute(_connection, "INSERT OR IGNORE INTO outbox (alert_id, candidate) VALUES ($id, $candidate)",
            ("$id", candidate.Id.Value.ToByteArray()), ("$candidate", AlertWireCodecs.Candidate.Encode(candidate)));

    public void Delete(AlertId id) =>
        Sqlite.Execute(_connection, "DELETE FROM outbox WHERE alert_id = $id", ("$id", id.Value.ToByteArray()));

    /// <summary>Every candidate still waiting, oldest first.</summary>
    public List<AlertProtocol.AlertCandidate> Pending()
    {
        using var command = Sqlite.Command(_connection, "SELECT candidate FROM outbox ORDER BY rowid");
        using var reader = command.ExecuteReader();
        var pending = new List<AlertProtocol.AlertCandidate>();
        while (reader.Read())
            pending.Add((AlertProtocol.AlertCandidate)AlertWireCodecs.Candidate.Decode((byte[])reader[0]));
        return pending;
    }

    public void Dispose() => _connection.Dispose();
}
