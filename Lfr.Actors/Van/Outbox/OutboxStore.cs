using Lfr.Actors.ControlRoom.Persistence;
using Lfr.Actors.Van.Pipeline;
using System.Security.Cryptography;
using Lfr.Vision.Files;
using Microsoft.Data.Sqlite;

namespace Lfr.Actors.Van.Outbox;

/// <summary>
/// The outbox file on the van: one row per alert not yet stored at the control room, the candidate in its wire
/// encoding. A plain table rather than an Akka.Persistence journal because a delivered alert must vanish with its crop:
/// a journal keeps deleted events' payloads, while here the row is deleted with <c>secure_delete</c> on, which
/// overwrites it with zeros. <c>synchronous = FULL</c>: an insert has reached the disk when <see cref="Add"/> returns.
/// Each candidate (its crop with it) is encrypted under a key of its own, stored beside it wrapped by the
/// <see cref="MasterKey"/> kept outside the data folder: the file alone decrypts nothing, and a delivered alert's key
/// goes with its row.
/// </summary>
public sealed class OutboxStore : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly MasterKey _master;

    public OutboxStore(string path, MasterKey master)
    {
        _master = master;
        _connection = Sqlite.OpenSecure(PrivateFiles.File(path));
        Sqlite.Execute(_connection, "PRAGMA synchronous = FULL");
        Sqlite.Execute(_connection, "CREATE TABLE IF NOT EXISTS outbox (alert_id BLOB PRIMARY KEY, candidate BLOB NOT NULL)");
        // a file from before the outbox was encrypted: its rows have no key and are read as they are until delivered
        using var column = Sqlite.Command(_connection, "SELECT count(*) FROM pragma_table_info('outbox') WHERE name = 'key'");
        if (Convert.ToInt32(column.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
            Sqlite.Execute(_connection, "ALTER TABLE outbox ADD COLUMN key BLOB NULL");
    }

    /// <summary>Durably adds the candidate; adding one already there changes nothing.</summary>
    public void Add(AlertProtocol.AlertCandidate candidate)
    {
        var id = candidate.Id.Value.ToByteArray();
        var (key, wrapped) = _master.NewKey(id);
        var sealedCandidate = SealedBox.Seal(key, AlertWireCodecs.Candidate.Encode(candidate), id);
        CryptographicOperations.ZeroMemory(key);
        Sqlite.Execute(_connection, "INSERT OR IGNORE INTO outbox (alert_id, candidate, key) VALUES ($id, $candidate, $key)",
            ("$id", id), ("$candidate", sealedCandidate), ("$key", wrapped));
    }

    public void Delete(AlertId id) =>
        Sqlite.Execute(_connection, "DELETE FROM outbox WHERE alert_id = $id", ("$id", id.Value.ToByteArray()));

    /// <summary>Every candidate still waiting, oldest first.</summary>
    public List<AlertProtocol.AlertCandidate> Pending()
    {
        using var command = Sqlite.Command(_connection, "SELECT alert_id, candidate, key FROM outbox ORDER BY rowid");
        using var reader = command.ExecuteReader();
        var pending = new List<AlertProtocol.AlertCandidate>();
        while (reader.Read())
        {
            var id = (byte[])reader[0];
            var stored = (byte[])reader[1];
            var encoded = stored;
            if (!reader.IsDBNull(2))
            {
                var key = _master.Unwrap((byte[])reader[2], id);
                encoded = SealedBox.Open(key, stored, id);
                CryptographicOperations.ZeroMemory(key);
            }
            pending.Add((AlertProtocol.AlertCandidate)AlertWireCodecs.Candidate.Decode(encoded));
        }
        return pending;
    }

    public void Dispose() => _connection.Dispose();
}
