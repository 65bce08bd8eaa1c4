using Lfr.Actors.Van.Outbox;
using Lfr.Tests.Actors.Cluster;
using Lfr.Tests.Actors.ControlRoom;

namespace Lfr.Tests.Actors.Van.Outbox;

/// <summary>The outbox file: what it keeps across a restart, and that a delivered crop is gone from it, not just unlinked.</summary>
public sealed class OutboxStoreSpecs
{
    [Fact]
    public void Outbox_file_should_hold_no_trace_of_a_crop_once_its_alert_is_deleted()
    {
        using var data = new TempFolder();
        var path = data.File("van.db");
        var alert = WireSamples.Candidate(jpegBytes: 20_000);
        using (var store = new OutboxStore(path))
        {
            store.Add(alert);
            Assert.True(Contains(File.ReadAllBytes(path), alert.FaceJpeg.AsSpan(4_000, 64)));
            store.Delete(alert.Id);
        }

        // secure_delete overwrites the freed pages; without it the crop would still be readable in the file
        Assert.False(Contains(File.ReadAllBytes(path), alert.FaceJpeg.AsSpan(4_000, 64)));
        using var reopened = new OutboxStore(path);
        Assert.Empty(reopened.Pending());
    }

    [Fact]
    public void Outbox_file_should_give_back_every_alert_in_the_order_taken_after_a_reopen_and_each_once()
    {
        using var data = new TempFolder();
        var path = data.File("van.db");
        var first = WireSamples.Candidate(jpegBytes: 100);
        var second = first with { Id = Lfr.Actors.Van.AlertId.New(), Track = new Lfr.Actors.Van.TrackId(9) };
        using (var store = new OutboxStore(path))
        {
            store.Add(first);
            store.Add(second);
            store.Add(first);
        }

        using var reopened = new OutboxStore(path);
        var pending = reopened.Pending();
        Assert.Equal([first.Id, second.Id], pending.Select(p => p.Id));
        Assert.Equivalent(first, pending[0], strict: true);
    }

    private static bool Contains(byte[] haystack, ReadOnlySpan<byte> needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
