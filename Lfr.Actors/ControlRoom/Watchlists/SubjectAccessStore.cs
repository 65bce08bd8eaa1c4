using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Persistence;
using Lfr.Vision.Files;
using Lfr.Vision.Watchlists;
using Microsoft.Data.Sqlite;
using static Lfr.Actors.ControlRoom.Persistence.Sqlite;

namespace Lfr.Actors.ControlRoom.Watchlists;

/// <summary>One watchlist's entry for a subject reference, as a subject-access answer gives it.</summary>
public sealed record SubjectAccessRecord(
    WatchlistId Watchlist,
    WatchlistEntryId Entry,
    DeploymentId? Deployment,
    DateOnly ForDate,
    WatchlistCategory Category,
    DateTimeOffset AddedAt,
    DateTimeOffset? RemovedAt,
    DateTimeOffset? WipedAt);

/// <summary>
/// What a subject-access request needs once the watchlist is wiped, in a SQLite file of its own
/// (<c>subject-access.db</c>): the journal and the audit trail keep only opaque entry ids, so this is the one place where
/// a person's reference leads to an entry. A row holds the watchlist and entry ids, a lookup tag (HMAC-SHA256 of the
/// normalised reference under a key of this store's) and, sealed (AES-256-GCM under a second key), the deployment, day
/// and category; both keys are stored wrapped by the <see cref="MasterKey"/>. So the file alone neither names anyone
/// nor tells which rows are the same person. Rows are kept for <see cref="WatchlistSettings.SubjectAccessKeepFor"/> after the
/// watchlist's wipe (or the entry's removal), then deleted (<c>secure_delete</c>). Used by one actor only.
/// </summary>
public sealed class SubjectAccessStore
{
    private readonly MasterKey _master;

    public SubjectAccessStore(string path, MasterKey master)
    {
        Path = PrivateFiles.File(path);
        _master = master;
        using var connection = OpenSecure(Path);
        Execute(connection, """
            PRAGMA journal_mode = DELETE;
            CREATE TABLE IF NOT EXISTS store_keys (name TEXT PRIMARY KEY, key BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS subjects (
              watchlist TEXT NOT NULL, entry_id TEXT NOT NULL, tag BLOB NOT NULL, sealed BLOB NOT NULL,
              added_at INTEGER NOT NULL, removed_at INTEGER NULL, wiped_at INTEGER NULL, PRIMARY KEY (watchlist, entry_id));
            CREATE INDEX IF NOT EXISTS subjects_tag ON subjects(tag);
            """);
    }

    public string Path { get; }

    /// <summary>Records a watchlist's entries with their references (a build, an import or an addition).</summary>
    public void Add(WatchlistId watchlist, DateOnly forDate, DeploymentId? deployment, DateTimeOffset at,
        IEnumerable<(WatchlistEntryId Entry, WatchlistCategory Category, string Reference)> entries)
    {
        using var connection = OpenSecure(Path);
        using var transaction = connection.BeginTransaction();
        var lookup = Key(connection, "lookup");
        var seal = Key(connection, "seal");
        foreach (var (entry, category, reference) in entries)
        {
            var plain = JsonSerializer.SerializeToUtf8Bytes(new Sealed(deployment?.Value, forDate.ToString("O", CultureInfo.InvariantCulture), (int)category));
            Execute(connection, """
                INSERT INTO subjects(watchlist, entry_id, tag, sealed, added_at) VALUES ($w, $e, $tag, $sealed, $at)
                """, ("$w", watchlist.Value), ("$e", entry.Value), ("$tag", Tag(lookup, reference)),
                ("$sealed", SealedBox.Seal(seal, plain, Context(watchlist, entry))), ("$at", at.ToUnixTimeMilliseconds()));
            CryptographicOperations.ZeroMemory(plain);
        }

        transaction.Commit();
        CryptographicOperations.ZeroMemory(lookup);
        CryptographicOperations.ZeroMemory(seal);
    }

    public void Removed(WatchlistId watchlist, WatchlistEntryId entry, DateTimeOffset at)
    {
        using var connection = OpenSecure(Path);
        Execute(connection, "UPDATE subjects SET removed_at = $at WHERE watchlist = $w AND entry_id = $e AND removed_at IS NULL",
            ("$w", watchlist.Value), ("$e", entry.Value), ("$at", at.ToUnixTimeMilliseconds()));
    }

    public void Wiped(WatchlistId watchlist, DateTimeOffset at)
    {
        using var connection = OpenSecure(Path);
        Execute(connection, "UPDATE subjects SET wiped_at = $at WHERE watchlist = $w AND wiped_at IS NULL",
            ("$w", watchlist.Value), ("$at", at.ToUnixTimeMilliseconds()));
    }

    /// <summary>Every watchlist entry recorded for <paramref name="reference"/>, oldest first.</summary>
    public List<SubjectAccessRecord> Find(string reference)
    {
        var found = new List<SubjectAccessRecord>();
        using var connection = OpenSecure(Path);
        var lookup = Key(connection, "lookup");
        var seal = Key(connection, "seal");
        using (var command = Command(connection,
                   "SELECT watchlist, entry_id, sealed, added_at, removed_at, wiped_at FROM subjects WHERE tag = $tag ORDER BY added_at",
                   ("$tag", Tag(lookup, reference))))
        using (var rows = command.ExecuteReader())
            while (rows.Read())
            {
                var watchlist = new WatchlistId(rows.GetString(0));
                var entry = new WatchlistEntryId(rows.GetString(1));
                var plain = SealedBox.Open(seal, (byte[])rows[2], Context(watchlist, entry));
                var fields = JsonSerializer.Deserialize<Sealed>(plain)!;
                CryptographicOperations.ZeroMemory(plain);
                found.Add(new SubjectAccessRecord(watchlist, entry, fields.Deployment is { } d ? new DeploymentId(d) : null,
                    DateOnly.ParseExact(fields.ForDate, "O", CultureInfo.InvariantCulture), (WatchlistCategory)fields.Category,
                    At(rows, 3)!.Value, At(rows, 4), At(rows, 5)));
            }

        CryptographicOperations.ZeroMemory(lookup);
        CryptographicOperations.ZeroMemory(seal);
        return found;
    }

    /// <summary>Deletes the rows whose watchlist was wiped (or whose entry was removed) before <paramref name="before"/>.</summary>
    public int Purge(DateTimeOffset before)
    {
        using var connection = OpenSecure(Path);
        return Execute(connection, "DELETE FROM subjects WHERE coalesce(removed_at, wiped_at) < $before",
            ("$before", before.ToUnixTimeMilliseconds()));
    }

    public int Count()
    {
        using var connection = OpenSecure(Path);
        using var command = Command(connection, "SELECT count(*) FROM subjects");
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>The same reference however it was typed: trimmed, upper case.</summary>
    private static byte[] Tag(byte[] key, string reference) =>
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(reference.Trim().ToUpperInvariant()));

    /// <summary>This store's key of that name, made and stored wrapped on first use.</summary>
    private byte[] Key(SqliteConnection connection, string name)
    {
        var context = Encoding.UTF8.GetBytes("subject-access\n" + name);
        using (var select = Command(connection, "SELECT key FROM store_keys WHERE name = $n", ("$n", name)))
            if (select.ExecuteScalar() is byte[] wrapped)
                return _master.Unwrap(wrapped, context);
        var (key, stored) = _master.NewKey(context);
        Execute(connection, "INSERT INTO store_keys(name, key) VALUES ($n, $k)", ("$n", name), ("$k", stored));
        return key;
    }

    private static byte[] Context(WatchlistId watchlist, WatchlistEntryId entry) => Encoding.UTF8.GetBytes(watchlist.Value + "\n" + entry.Value);

    private static DateTimeOffset? At(SqliteDataReader rows, int column) =>
        rows.IsDBNull(column) ? null : DateTimeOffset.FromUnixTimeMilliseconds(rows.GetInt64(column));

    private sealed record Sealed(string? Deployment, string ForDate, int Category);
}
