using Lfr.Actors.Van.Outbox;
using Lfr.Tests.Actors.Cluster;
using Lfr.Tests.Actors.ControlRoom;
using Lfr.Vision.Files;

namespace Lfr.Tests.Actors.Van.Outbox;

/// <summary>The outbox file: what it keeps across a restart, and that a delivered crop is gone from it, not just unlinked.</summary>
public sealed class OutboxStoreSpecs
{
    private static readonly MasterKey Master = MasterKey.Ephemeral();

    [Fact]
    public void Outbox_file_should_hold_a_crop_only_encrypted_and_no_trace_of_it_once_its_alert_is_deleted()
    {
        using var data = new TempFolder();
        var path = data.File("van.db");
        var alert = WireSamples.Candidate(jpegBytes: 20_000);
        byte[][] stored;
        using (var store = new OutboxStore(path, Master))
        {
            store.Add(alert);
            // the crop never reaches the file in the clear: only its ciphertext and its wrapped key, until delivered
            Assert.False(Contains(File.ReadAllBytes(path), alert.FaceJpeg.AsSpan(4_000, 64)));
            stored = StoredRow(path);
            Assert.All(stored, column => Assert.True(Contains(File.ReadAllBytes(path), column)));
            store.Delete(alert.Id);
        }

        // secure_delete overwrites the freed pages; without it the encrypted crop and its key would still be in the file
        Assert.All(stored, column => Assert.False(Contains(File.ReadAllBytes(path), column)));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(PrivateFiles.FileMode, File.GetUnixFileMode(path));
        using var reopened = new OutboxStore(path, Master);
        Assert.Empty(reopened.Pending());
    }

    [Fact]
    public void Outbox_file_should_be_unreadable_without_its_master_key()
    {
        using var data = new TempFolder();
        var path = data.File("van.db");
        using (var store = new OutboxStore(path, Master))
            store.Add(WireSamples.Candidate(jpegBytes: 100));

        using var stolen = new OutboxStore(path, MasterKey.Ephemeral());
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => stolen.Pending());
    }

    [Fact]
    public void Outbox_file_should_give_back_every_alert_in_the_order_taken_after_a_reopen_and_each_once()
    {
        using var data = new TempFolder();
        var path = data.File("van.db");
        var first = WireSamples.Candidate(jpegBytes: 100);
        var second = first with { Id = Lfr.Actors.Van.AlertId.New(), Track = new Lfr.Actors.Van.TrackId(9) };
        using (var store = new OutboxStore(path, Master))
        {
            store.Add(first);
            store.Add(second);
            store.Add(first);
        }

        using var reopened = new OutboxStore(path, Master);
        var pending = reopened.Pending();
        Assert.Equal([first.Id, second.Id], pending.Select(p => p.Id));
        Assert.Equivalent(first, pending[0], strict: true);
    }

    /// <summary>The first 32 bytes of the stored (encrypted) candidate, and its wrapped key.</summary>
    private static byte[][] StoredRow(string path)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT substr(candidate, 1, 32), key FROM outbox";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        return [(byte[])reader[0], (byte[])reader[1]];
    }

    private static bool Contains(byte[] haystack, ReadOnlySpan<byte> needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
