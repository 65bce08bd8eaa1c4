using System.Security.Cryptography;
using Lfr.Actors.ControlRoom.Persistence;
using Lfr.Vision.Files;
using Microsoft.Data.Sqlite;
using static Lfr.Actors.ControlRoom.Persistence.Sqlite;

namespace Lfr.Actors.ControlRoom.Retention;

/// <summary>A stored image by reference; journal events and messages carry this, never the bytes.</summary>
public readonly record struct ImageRef(string Value)
{
    public static ImageRef New(string prefix) => new(prefix + "-" + Guid.NewGuid().ToString("N"));
    public override string ToString() => Value;
}

/// <summary>A capture held for evidence: by whom, when, under which case, and when retention would have deleted it.</summary>
public sealed record EvidenceHold(ImageRef Image, string Deployment, string Alert, string CaseReference, string HeldBy, DateTimeOffset HeldAt,
    DateTimeOffset? PurgeWas = null);

public enum ImageKind
{
    /// <summary>A camera's crop of a face that matched; kept for the retention period.</summary>
    Capture = 1,

    /// <summary>A watchlist entry's file image; wiped with its watchlist.</summary>
    FileImage = 2,
}

/// <summary>
/// Alert captures and watchlist file images, each encrypted (AES-256-GCM) under a key of its own, in a SQLite
/// file apart from the journal; each image's key is stored wrapped by the <see cref="MasterKey"/>, which is kept outside
/// the data folder, so the file alone decrypts nothing. Deleting an image destroys its key and its row
/// ("crypto-shredding"); with <c>secure_delete</c> on and a rollback journal SQLite overwrites the freed cells and pages
/// with zeros, so neither the key nor the ciphertext stays in the database file. Safe to call from several actors at once.
/// </summary>
public sealed class EncryptedImageStore
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    private readonly MasterKey _master;

    public EncryptedImageStore(string path, MasterKey master)
    {
        Path = PrivateFiles.File(path);
        _master = master;
        using var connection = Open();
        Execute(connection, """
            PRAGMA journal_mode = DELETE;
            CREATE TABLE IF NOT EXISTS images (
              ref TEXT PRIMARY KEY, kind INTEGER NOT NULL, owner TEXT NOT NULL, purge_after INTEGER NULL,
              nonce BLOB NOT NULL, tag BLOB NOT NULL, cipher BLOB NOT NULL);
            CREATE INDEX IF NOT EXISTS images_owner ON images(owner);
            CREATE INDEX IF NOT EXISTS images_purge_after ON images(purge_after);
            CREATE TABLE IF NOT EXISTS image_keys (ref TEXT PRIMARY KEY, key BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS evidence_holds (
              ref TEXT PRIMARY KEY, deployment TEXT NOT NULL, alert TEXT NOT NULL, case_ref TEXT NOT NULL,
              held_by TEXT NOT NULL, held_at INTEGER NOT NULL, purge_was INTEGER NULL);
            """);
        WrapPlainKeys(connection);
    }

    public string Path { get; }

    /// <summary>
    /// Stores <paramref name="plain"/> encrypted under a fresh key. <paramref name="owner"/> groups images that are
    /// deleted together (a deployment's captures, a watchlist's file images); <paramref name="purgeAfter"/> is when
    /// retention deletes it, or null for images that only a wipe deletes.
    /// </summary>
    public void Put(ImageRef image, ImageKind kind, string owner, byte[] plain, DateTimeOffset? purgeAfter) =>
        PutMany(kind, owner, [(image, plain)], purgeAfter);

    /// <summary>Stores many images of one owner in one transaction: a 17,000-entry watchlist in seconds, not minutes.</summary>
    public void PutMany(ImageKind kind, string owner, IEnumerable<(ImageRef Image, byte[] Plain)> images, DateTimeOffset? purgeAfter)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        using var insertKey = Command(connection, "INSERT INTO image_keys(ref, key) VALUES ($ref, $key)", ("$ref", ""), ("$key", Array.Empty<byte>()));
        using var insertImage = Command(connection, """
            INSERT INTO images(ref, kind, owner, purge_after, nonce, tag, cipher)
            VALUES ($ref, $kind, $owner, $purge, $nonce, $tag, $cipher)
            """,
            ("$ref", ""), ("$kind", (int)kind), ("$owner", owner), ("$purge", purgeAfter?.ToUnixTimeMilliseconds()),
            ("$nonce", Array.Empty<byte>()), ("$tag", Array.Empty<byte>()), ("$cipher", Array.Empty<byte>()));
        foreach (var (image, plain) in images)
        {
            var (key, wrapped) = _master.NewKey(AssociatedData(image));
            var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
            var tag = new byte[TagBytes];
            var cipher = new byte[plain.Length];
            using (var aes = new AesGcm(key, TagBytes))
                aes.Encrypt(nonce, plain, cipher, tag, AssociatedData(image));

            insertKey.Parameters["$ref"].Value = image.Value;
            insertKey.Parameters["$key"].Value = wrapped;
            insertKey.ExecuteNonQuery();
            insertImage.Parameters["$ref"].Value = image.Value;
            insertImage.Parameters["$nonce"].Value = nonce;
            insertImage.Parameters["$tag"].Value = tag;
            insertImage.Parameters["$cipher"].Value = cipher;
            insertImage.ExecuteNonQuery();
            CryptographicOperations.ZeroMemory(key);
        }

        transaction.Commit();
    }

    /// <summary>The decrypted image, or null once it has been deleted.</summary>
    public byte[]? Get(ImageRef image)
    {
        using var connection = Open();
        using var command = Command(connection, """
            SELECT k.key, i.nonce, i.tag, i.cipher FROM images i JOIN image_keys k ON k.ref = i.ref WHERE i.ref = $ref
            """, ("$ref", image.Value));
        using var reader = command.ExecuteReader();
        if (!reader.Read())
            return null;
        var key = UnwrapKey((byte[])reader[0], image);
        var cipher = (byte[])reader[3];
        var plain = new byte[cipher.Length];
        using (var aes = new AesGcm(key, TagBytes))
            aes.Decrypt((byte[])reader[1], cipher, (byte[])reader[2], plain, AssociatedData(image));
        CryptographicOperations.ZeroMemory(key);
        return plain;
    }

    /// <summary>Brings an image's purge forward (never back), e.g. when its alert is dismissed; a held capture keeps its hold.</summary>
    public void PurgeNoLaterThan(ImageRef image, DateTimeOffset purgeAfter)
    {
        using var connection = Open();
        Execute(connection, """
            UPDATE images SET purge_after = $purge WHERE ref = $ref AND (purge_after IS NULL OR purge_after > $purge)
              AND ref NOT IN (SELECT ref FROM evidence_holds)
            """, ("$ref", image.Value), ("$purge", purgeAfter.ToUnixTimeMilliseconds()));
        using var held = Command(connection, "UPDATE evidence_holds SET purge_was = $purge WHERE ref = $ref AND (purge_was IS NULL OR purge_was > $purge)",
            ("$ref", image.Value), ("$purge", purgeAfter.ToUnixTimeMilliseconds()));
        held.ExecuteNonQuery();
    }

    /// <summary>
    /// Holds a stored capture for evidence under a case reference: retention leaves it until <see cref="Release"/>.
    /// Null when it was held; otherwise why not (deleted already, not a capture, or held under another case).
    /// </summary>
    public string? Hold(ImageRef image, EvidenceHold hold)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        using (var select = Command(connection, "SELECT kind, purge_after FROM images WHERE ref = $ref", ("$ref", image.Value)))
        using (var reader = select.ExecuteReader())
        {
            if (!reader.Read()) return "the capture has been deleted (its retention period is over)";
            if (reader.GetInt32(0) != (int)ImageKind.Capture) return "only a capture can be held for evidence";
            if (Holds(connection, image).FirstOrDefault() is { } already) return $"the capture is already held under case {already.CaseReference}";
            Execute(connection, """
                INSERT INTO evidence_holds(ref, deployment, alert, case_ref, held_by, held_at, purge_was)
                VALUES ($ref, $d, $a, $case, $by, $at, $was)
                """, ("$ref", image.Value), ("$d", hold.Deployment), ("$a", hold.Alert), ("$case", hold.CaseReference), ("$by", hold.HeldBy),
                ("$at", hold.HeldAt.ToUnixTimeMilliseconds()), ("$was", reader.IsDBNull(1) ? null : reader.GetInt64(1)));
        }

        Execute(connection, "UPDATE images SET purge_after = NULL WHERE ref = $ref", ("$ref", image.Value));
        transaction.Commit();
        return null;
    }

    /// <summary>Ends a hold: the capture's retention runs again from where it was (so one past it goes at the next purge). Null if not held.</summary>
    public EvidenceHold? Release(ImageRef image, DateTimeOffset now)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        if (Holds(connection, image).FirstOrDefault() is not { } hold) return null;
        Execute(connection, "UPDATE images SET purge_after = coalesce((SELECT purge_was FROM evidence_holds WHERE ref = $ref), $now) WHERE ref = $ref",
            ("$ref", image.Value), ("$now", now.ToUnixTimeMilliseconds()));
        Execute(connection, "DELETE FROM evidence_holds WHERE ref = $ref", ("$ref", image.Value));
        transaction.Commit();
        return hold;
    }

    /// <summary>How many of <paramref name="images"/> are still stored.</summary>
    public int CountStored(IEnumerable<ImageRef> images)
    {
        using var connection = Open();
        using var command = Command(connection, "SELECT count(*) FROM images WHERE ref = $ref", ("$ref", ""));
        var stored = 0;
        foreach (var image in images)
        {
            command.Parameters["$ref"].Value = image.Value;
            stored += Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }
        return stored;
    }

    /// <summary>Every capture held for evidence, oldest hold first.</summary>
    public List<EvidenceHold> Holds()
    {
        using var connection = Open();
        return Holds(connection, null);
    }

    private static List<EvidenceHold> Holds(SqliteConnection connection, ImageRef? image)
    {
        using var command = Command(connection, "SELECT ref, deployment, alert, case_ref, held_by, held_at, purge_was FROM evidence_holds " +
            (image is null ? "ORDER BY held_at" : "WHERE ref = $ref"), ("$ref", image?.Value));
        using var reader = command.ExecuteReader();
        var holds = new List<EvidenceHold>();
        while (reader.Read())
            holds.Add(new EvidenceHold(new ImageRef(reader.GetString(0)), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)), reader.IsDBNull(6) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6))));
        return holds;
    }

    /// <summary>Deletes every image whose purge time has come; returns how many.</summary>
    public int PurgeDue(DateTimeOffset now) =>
        Delete("purge_after IS NOT NULL AND purge_after <= $now", ("$now", now.ToUnixTimeMilliseconds()));

    /// <summary>Deletes one image (its key and row); false when it was already gone.</summary>
    public bool Delete(ImageRef image) => Delete("ref = $ref", ("$ref", image.Value)) > 0;

    /// <summary>Deletes every image of one owner; returns how many.</summary>
    public int DeleteOwner(string owner) => Delete("owner = $owner", ("$owner", owner));

    public int Count(string? owner = null)
    {
        using var connection = Open();
        using var command = owner is null
            ? Command(connection, "SELECT (SELECT count(*) FROM images) + (SELECT count(*) FROM image_keys)")
            : Command(connection, "SELECT count(*) FROM images WHERE owner = $owner", ("$owner", owner));
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private int Delete(string where, params (string Name, object? Value)[] parameters)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        Execute(connection, $"DELETE FROM image_keys WHERE ref IN (SELECT ref FROM images WHERE {where})", parameters);
        var deleted = Execute(connection, $"DELETE FROM images WHERE {where}", parameters);
        transaction.Commit();
        return deleted;
    }

    /// <summary>
    /// A file from before keys were wrapped holds them as 32 plain bytes: wraps them in place (secure_delete overwrites the
    /// old cells), so that from the first start on no image key lies in the file in the clear.
    /// </summary>
    private void WrapPlainKeys(SqliteConnection connection)
    {
        var plain = new List<(string Ref, byte[] Key)>();
        using (var select = Command(connection, $"SELECT ref, key FROM image_keys WHERE length(key) = {MasterKey.KeyBytes}"))
        using (var reader = select.ExecuteReader())
            while (reader.Read())
                plain.Add((reader.GetString(0), (byte[])reader[1]));
        if (plain.Count == 0)
            return;
        using var transaction = connection.BeginTransaction();
        foreach (var (reference, key) in plain)
        {
            Execute(connection, "UPDATE image_keys SET key = $key WHERE ref = $ref",
                ("$ref", reference), ("$key", _master.Wrap(key, AssociatedData(new ImageRef(reference)))));
            CryptographicOperations.ZeroMemory(key);
        }
        transaction.Commit();
    }

    private byte[] UnwrapKey(byte[] stored, ImageRef image) =>
        stored.Length == MasterKey.KeyBytes ? stored : _master.Unwrap(stored, AssociatedData(image));

    /// <summary>Binds each ciphertext to its reference, so that rows swapped between references fail to decrypt.</summary>
    private static byte[] AssociatedData(ImageRef image) => System.Text.Encoding.UTF8.GetBytes(image.Value);

    private SqliteConnection Open() => Sqlite.OpenSecure(Path);
}
