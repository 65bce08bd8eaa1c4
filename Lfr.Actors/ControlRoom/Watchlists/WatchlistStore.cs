using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Lfr.Actors.ControlRoom.Deployments;
using Lfr.Actors.ControlRoom.Retention;
using Lfr.Vision.Files;
using Lfr.Vision.Watchlists;
using Lfr.Actors.ControlRoom.Persistence;
using Microsoft.Data.Sqlite;
using static Lfr.Actors.ControlRoom.Persistence.Sqlite;

namespace Lfr.Actors.ControlRoom.Watchlists;

/// <summary>
/// The watchlists' entries with their embeddings (until their wipe) and manifests (kept) in a SQLite file of their own,
/// with <c>secure_delete</c> on so that wiped rows are overwritten, not just unlinked. Each watchlist's embeddings are
/// encrypted (AES-256-GCM) under a key of its own, stored wrapped by the <see cref="MasterKey"/>; the wipe destroys that
/// key with the rows. Used by one actor only.
/// </summary>
public sealed class WatchlistStore
{
    private readonly MasterKey? _master;
    private readonly bool _readOnly;

    public WatchlistStore(string path, MasterKey master)
    {
        Path = PrivateFiles.File(path);
        _master = master;
        using var connection = Open();
        Execute(connection, """
            PRAGMA journal_mode = DELETE;
            CREATE TABLE IF NOT EXISTS entries (
              watchlist TEXT NOT NULL, entry_id TEXT NOT NULL, category INTEGER NOT NULL, reason TEXT NOT NULL,
              source TEXT NOT NULL, source_date TEXT NOT NULL, added_by TEXT NOT NULL, file_image TEXT NOT NULL,
              embedding BLOB NULL, PRIMARY KEY (watchlist, entry_id));
            CREATE TABLE IF NOT EXISTS manifests (
              watchlist TEXT PRIMARY KEY, for_date TEXT NOT NULL, deployment TEXT NULL, salt BLOB NOT NULL,
              built_at INTEGER NOT NULL, wiped_at INTEGER NULL,
              court_warrant INTEGER NOT NULL, wanted INTEGER NOT NULL, sex_offender INTEGER NOT NULL, model TEXT NULL);
            CREATE TABLE IF NOT EXISTS manifest_entries (
              watchlist TEXT NOT NULL, entry_id TEXT NOT NULL, subject_hash BLOB NOT NULL, PRIMARY KEY (watchlist, entry_id));
            CREATE TABLE IF NOT EXISTS watchlist_keys (watchlist TEXT PRIMARY KEY, key BLOB NOT NULL);
            """);
        // a file from before embeddings were stored gets the columns; its rows are older watchlists, wiped daily
        AddColumnIfMissing(connection, "entries", "embedding", "BLOB NULL");
        AddColumnIfMissing(connection, "manifests", "model", "TEXT NULL");
        AddColumnIfMissing(connection, "entries", "warning_markers", "TEXT NOT NULL DEFAULT ''");
        // an entry's other file images (references into the encrypted image store), one a line
        AddColumnIfMissing(connection, "entries", "more_file_images", "TEXT NOT NULL DEFAULT ''");
    }

    private WatchlistStore(string path, bool readOnly)
    {
        Path = path;
        _readOnly = readOnly;
    }

    private MasterKey Master => _master ?? throw new InvalidOperationException("a read-only watchlist store decrypts no embedding");

    /// <summary>
    /// For readers that must leave the file exactly as it is (<c>lfr report</c>): opened read-only, no schema set-up;
    /// null where the control room has not made the file yet.
    /// </summary>
    public static WatchlistStore? OpenReadOnly(string path) => File.Exists(path) ? new WatchlistStore(path, readOnly: true) : null;

    public string Path { get; }

    /// <param name="modelSha256">The embedding model that made every entry's embedding.</param>
    public void Add(WatchlistId watchlist, DateOnly forDate, DeploymentId? deployment, DateTimeOffset builtAt, string modelSha256,
        IReadOnlyList<(WatchlistRecord Record, string SubjectReference, float[] Embedding)> entries)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var counts = CategoryCounts.Of(entries.Select(e => e.Record.Category));
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        var (key, wrapped) = Master.NewKey(Context(watchlist));
        Execute(connection, "INSERT INTO watchlist_keys(watchlist, key) VALUES ($w, $key)", ("$w", watchlist.Value), ("$key", wrapped));
        Execute(connection, """
            INSERT INTO manifests(watchlist, for_date, deployment, salt, built_at, court_warrant, wanted, sex_offender, model)
            VALUES ($w, $d, $dep, $salt, $at, $c1, $c2, $c3, $model)
            """,
            ("$w", watchlist.Value), ("$d", forDate.ToString("O", CultureInfo.InvariantCulture)), ("$dep", deployment?.Value),
            ("$salt", salt), ("$at", builtAt.ToUnixTimeMilliseconds()), ("$model", modelSha256),
            ("$c1", counts.CourtWarrant), ("$c2", counts.WantedWithPowerOfArrest), ("$c3", counts.SexOffenderWithConditions));
        foreach (var (record, subject, embedding) in entries)
        {
            Execute(connection, """
                INSERT INTO entries(watchlist, entry_id, category, reason, source, source_date, added_by, file_image, embedding, warning_markers, more_file_images)
                VALUES ($w, $id, $cat, $reason, $source, $date, $by, $image, $embedding, $markers, $more)
                """,
                ("$w", watchlist.Value), ("$id", record.Id.Value), ("$cat", (int)record.Category), ("$reason", record.Reason),
                ("$source", record.Source), ("$date", record.SourceDate.ToString("O", CultureInfo.InvariantCulture)),
                ("$by", record.AddedBy.Value), ("$image", record.FileImage.Value),
                ("$embedding", SealedBox.Seal(key, EmbeddingBytes(embedding), Context(watchlist, record.Id))),
                ("$markers", string.Join('\n', record.WarningMarkers ?? [])),
                ("$more", string.Join('\n', (record.MoreFileImages ?? []).Select(i => i.Value))));
            Execute(connection, "INSERT INTO manifest_entries(watchlist, entry_id, subject_hash) VALUES ($w, $id, $hash)",
                ("$w", watchlist.Value), ("$id", record.Id.Value), ("$hash", SubjectHash(salt, subject)));
        }

        transaction.Commit();
        CryptographicOperations.ZeroMemory(key);
    }

    /// <summary>Every watchlist that has not been wiped, with its entries: what a restarted authority holds.</summary>
    public Dictionary<WatchlistId, List<WatchlistRecord>> LoadUnwiped()
    {
        var result = new Dictionary<WatchlistId, List<WatchlistRecord>>();
        using var connection = Open();
        using (var manifests = Command(connection, "SELECT watchlist FROM manifests WHERE wiped_at IS NULL"))
        using (var reader = manifests.ExecuteReader())
            while (reader.Read())
                result[new WatchlistId(reader.GetString(0))] = [];

        using var command = Command(connection,
            "SELECT watchlist, entry_id, category, reason, source, source_date, added_by, file_image, warning_markers, more_file_images FROM entries ORDER BY watchlist, entry_id");
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            var watchlist = new WatchlistId(rows.GetString(0));
            if (!result.TryGetValue(watchlist, out var records))
                result[watchlist] = records = [];
            records.Add(new WatchlistRecord(
                new WatchlistEntryId(rows.GetString(1)), (WatchlistCategory)rows.GetInt32(2), rows.GetString(3), rows.GetString(4),
                DateOnly.ParseExact(rows.GetString(5), "O", CultureInfo.InvariantCulture), new StaffId(rows.GetString(6)),
                new ImageRef(rows.GetString(7)), rows.GetString(8).Split('\n', StringSplitOptions.RemoveEmptyEntries),
                [.. rows.GetString(9).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(i => new ImageRef(i))]));
        }

        return result;
    }

    /// <summary>The embedding model of a watchlist's embeddings; null for an unknown watchlist or one built before they were stored.</summary>
    public string? Model(WatchlistId watchlist)
    {
        using var connection = Open();
        using var command = Command(connection, "SELECT model FROM manifests WHERE watchlist = $w", ("$w", watchlist.Value));
        return command.ExecuteScalar() as string;
    }

    /// <summary>What a van gets of each entry of an unwiped watchlist: id, category and embedding, in entry-id order.</summary>
    public List<EnrolledEntry> Embeddings(WatchlistId watchlist)
    {
        var result = new List<EnrolledEntry>();
        using var connection = Open();
        var key = WatchlistKey(connection, watchlist);
        using var command = Command(connection,
            "SELECT entry_id, category, embedding FROM entries WHERE watchlist = $w AND embedding IS NOT NULL ORDER BY entry_id",
            ("$w", watchlist.Value));
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            var id = new WatchlistEntryId(rows.GetString(0));
            var bytes = key is null ? (byte[])rows[2] : SealedBox.Open(key, (byte[])rows[2], Context(watchlist, id));
            var embedding = new float[bytes.Length / sizeof(float)];
            for (var i = 0; i < embedding.Length; i++)
                embedding[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
            CryptographicOperations.ZeroMemory(bytes);
            result.Add(new EnrolledEntry(id, (WatchlistCategory)rows.GetInt32(1), embedding));
        }

        if (key is not null)
            CryptographicOperations.ZeroMemory(key);
        return result;
    }

    public DateTimeOffset? BuiltAt(WatchlistId watchlist)
    {
        using var connection = Open();
        using var command = Command(connection, "SELECT built_at FROM manifests WHERE watchlist = $w", ("$w", watchlist.Value));
        return command.ExecuteScalar() is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    /// <summary>Deletes a watchlist's entries and marks its manifest wiped; returns how many entries went.</summary>
    public int DeleteEntries(WatchlistId watchlist, DateTimeOffset wipedAt)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        var deleted = Execute(connection, "DELETE FROM entries WHERE watchlist = $w", ("$w", watchlist.Value));
        Execute(connection, "DELETE FROM watchlist_keys WHERE watchlist = $w", ("$w", watchlist.Value));
        Execute(connection, "UPDATE manifests SET wiped_at = $at WHERE watchlist = $w AND wiped_at IS NULL",
            ("$w", watchlist.Value), ("$at", wipedAt.ToUnixTimeMilliseconds()));
        transaction.Commit();
        return deleted;
    }

    public int CountEntries(WatchlistId watchlist)
    {
        using var connection = Open();
        using var command = Command(connection, "SELECT count(*) FROM entries WHERE watchlist = $w", ("$w", watchlist.Value));
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public WatchlistManifest? Manifest(WatchlistId watchlist)
    {
        using var connection = Open();
        using var command = Command(connection, """
            SELECT for_date, deployment, built_at, wiped_at, court_warrant, wanted, sex_offender FROM manifests WHERE watchlist = $w
            """, ("$w", watchlist.Value));
        using var reader = command.ExecuteReader();
        if (!reader.Read())
            return null;
        var forDate = DateOnly.ParseExact(reader.GetString(0), "O", CultureInfo.InvariantCulture);
        DeploymentId? deployment = reader.IsDBNull(1) ? null : new DeploymentId(reader.GetString(1));
        var builtAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2));
        DateTimeOffset? wipedAt = reader.IsDBNull(3) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3));
        var counts = new CategoryCounts(reader.GetInt32(4), reader.GetInt32(5), reader.GetInt32(6));

        var entries = new List<WatchlistEntryId>();
        using var entryCommand = Command(connection, "SELECT entry_id FROM manifest_entries WHERE watchlist = $w ORDER BY entry_id", ("$w", watchlist.Value));
        using var rows = entryCommand.ExecuteReader();
        while (rows.Read())
            entries.Add(new WatchlistEntryId(rows.GetString(0)));
        return new WatchlistManifest(watchlist, forDate, deployment, builtAt, wipedAt, counts, entries);
    }

    /// <summary>Every (watchlist, entry) for <paramref name="date"/> whose salted hash matches the subject reference.</summary>
    public List<(WatchlistId, WatchlistEntryId)> FindSubject(string subjectReference, DateOnly date)
    {
        var matches = new List<(WatchlistId, WatchlistEntryId)>();
        using var connection = Open();
        using var command = Command(connection, """
            SELECT m.watchlist, m.salt, e.entry_id, e.subject_hash FROM manifests m JOIN manifest_entries e ON e.watchlist = m.watchlist
            WHERE m.for_date = $d
            """, ("$d", date.ToString("O", CultureInfo.InvariantCulture)));
        using var reader = command.ExecuteReader();
        while (reader.Read())
            if (CryptographicOperations.FixedTimeEquals(SubjectHash((byte[])reader[1], subjectReference), (byte[])reader[3]))
                matches.Add((new WatchlistId(reader.GetString(0)), new WatchlistEntryId(reader.GetString(2))));
        return matches;
    }

    /// <summary>Salted per watchlist, so the same person's hashes differ between days and cannot be joined up.</summary>
    private static byte[] SubjectHash(byte[] salt, string subjectReference) =>
        HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes(subjectReference.Trim().ToUpperInvariant()));

    /// <summary>The watchlist's embedding key; null for a watchlist stored before embeddings were encrypted (wiped within a day).</summary>
    private byte[]? WatchlistKey(SqliteConnection connection, WatchlistId watchlist)
    {
        using var command = Command(connection, "SELECT key FROM watchlist_keys WHERE watchlist = $w", ("$w", watchlist.Value));
        return command.ExecuteScalar() is byte[] wrapped ? Master.Unwrap(wrapped, Context(watchlist)) : null;
    }

    private static byte[] Context(WatchlistId watchlist) => Encoding.UTF8.GetBytes("watchlist\n" + watchlist.Value);

    private static byte[] Context(WatchlistId watchlist, WatchlistEntryId entry) =>
        Encoding.UTF8.GetBytes("embedding\n" + watchlist.Value + "\n" + entry.Value);

    /// <summary>Little-endian float32, whatever the machine, so a file moved between machines reads the same.</summary>
    private static byte[] EmbeddingBytes(float[] embedding)
    {
        var bytes = new byte[embedding.Length * sizeof(float)];
        for (var i = 0; i < embedding.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), embedding[i]);
        return bytes;
    }

    private static void AddColumnIfMissing(SqliteConnection connection, string table, string column, string definition)
    {
        using var command = Command(connection, $"SELECT count(*) FROM pragma_table_info('{table}') WHERE name = $c", ("$c", column));
        if (Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
            Execute(connection, $"ALTER TABLE {table} ADD COLUMN {column} {definition}");
    }

    private SqliteConnection Open() => _readOnly ? Sqlite.OpenReadOnly(Path) : Sqlite.OpenSecure(Path);
}
