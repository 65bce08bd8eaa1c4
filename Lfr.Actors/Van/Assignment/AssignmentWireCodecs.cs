using Lfr.Actors.Cluster.Serialization;
using Lfr.Vision.Watchlists;
using static Lfr.Actors.Van.Assignment.AssignmentProtocol;

namespace Lfr.Actors.Van.Assignment;

/// <summary>
/// Binary codecs of the assignment messages: embeddings go as raw little-endian float32 (JSON would triple them).
/// Every count read is checked against the bytes left, so a corrupt message fails to decode instead of allocating.
/// </summary>
public static class AssignmentWireCodecs
{
    public static WireCodec Hello { get; } = WireCodec.Binary<VanHello>((w, m) => w.Write(m.Van), r => new VanHello(r.ReadString()));

    public static WireCodec Offer { get; } = WireCodec.Binary<AssignmentOffer>(
        (w, m) =>
        {
            w.Write(m.Transfer.ToByteArray());
            w.Write(m.IssuedAt.ToUnixTimeMilliseconds());
            w.Write(m.Van);
            w.Write(m.Deployment.Value);
            w.Write(m.Threshold);
            w.Write(m.WindowEnd.ToUnixTimeMilliseconds());
            w.Write(m.DailyWipeAt.Ticks);
            w.Write(m.DailyWipeZone);
            w.Write(m.Watchlist);
            w.Write(m.ModelSha256);
            w.Write(m.Count);
            w.Write(m.Chunks);
            w.Write(m.Signature.Length);
            w.Write(m.Signature);
        },
        r => new AssignmentOffer(ReadGuid(r), DateTimeOffset.FromUnixTimeMilliseconds(r.ReadInt64()), r.ReadString(), new DeploymentId(r.ReadString()), r.ReadSingle(),
            DateTimeOffset.FromUnixTimeMilliseconds(r.ReadInt64()), ReadTime(r), r.ReadString(), r.ReadString(), r.ReadString(), r.ReadInt32(), r.ReadInt32(),
            ReadBytes(r, r.ReadInt32())));

    public static WireCodec Chunk { get; } = WireCodec.Binary<AssignmentChunk>(
        (w, m) =>
        {
            w.Write(m.Transfer.ToByteArray());
            w.Write(m.Index);
            w.Write(m.Entries.Count);
            foreach (var entry in m.Entries)
            {
                w.Write(entry.Id.Value);
                w.Write((byte)entry.Category);
                w.Write(entry.Embedding.Length);
                foreach (var value in entry.Embedding) w.Write(value);
            }
        },
        r =>
        {
            var transfer = ReadGuid(r);
            var index = r.ReadInt32();
            var count = ReadCount(r, r.ReadInt32(), 1 + 1 + 4);
            // a chunk is never larger than the dispatch makes it: refused before its embeddings are read
            if (count > EntriesPerChunk) throw new InvalidDataException($"a chunk of {count} entries is over the {EntriesPerChunk} a chunk holds");
            var entries = new AssignedEntry[count];
            for (var i = 0; i < count; i++)
            {
                var id = new WatchlistEntryId(r.ReadString());
                var category = (WatchlistCategory)r.ReadByte();
                var embedding = new float[ReadCount(r, r.ReadInt32(), sizeof(float))];
                for (var k = 0; k < embedding.Length; k++) embedding[k] = r.ReadSingle();
                entries[i] = new AssignedEntry(id, category, embedding);
            }
            return new AssignmentChunk(transfer, index, entries);
        });

    public static WireCodec Loaded { get; } = WireCodec.Binary<AssignmentLoaded>(
        (w, m) =>
        {
            w.Write(m.Transfer.ToByteArray());
            w.Write(m.Van);
            w.Write(m.Entries);
        },
        r => new AssignmentLoaded(ReadGuid(r), r.ReadString(), r.ReadInt32()));

    public static WireCodec Refused { get; } = WireCodec.Binary<AssignmentRefused>(
        (w, m) =>
        {
            w.Write(m.Transfer.ToByteArray());
            w.Write(m.Van);
            w.Write(m.Reason);
        },
        r => new AssignmentRefused(ReadGuid(r), r.ReadString(), r.ReadString()));

    public static WireCodec Drop { get; } = WireCodec.Binary<DropAssignment>(
        (w, m) =>
        {
            WriteOptional(w, m.Watchlist);
            w.Write(m.Reason);
        },
        r => new DropAssignment(ReadOptional(r), r.ReadString()));

    public static WireCodec Dropped { get; } = WireCodec.Binary<AssignmentDropped>(
        (w, m) =>
        {
            w.Write(m.Van);
            WriteOptional(w, m.Watchlist);
            w.Write(m.Entries);
        },
        r => new AssignmentDropped(r.ReadString(), ReadOptional(r), r.ReadInt32()));

    private static TimeOnly ReadTime(BinaryReader r)
    {
        var ticks = r.ReadInt64();
        return ticks is >= 0 and < TimeSpan.TicksPerDay ? new TimeOnly(ticks) : throw new InvalidDataException($"{ticks} ticks is not a time of day");
    }

    private static Guid ReadGuid(BinaryReader r) => new(ReadBytes(r, 16));

    private static byte[] ReadBytes(BinaryReader r, int count) => r.ReadBytes(ReadCount(r, count, 1));

    /// <summary>A count that the bytes left can hold, each item at least <paramref name="minBytes"/> long.</summary>
    private static int ReadCount(BinaryReader r, int count, int minBytes)
    {
        if (count < 0 || (long)count * minBytes > r.BaseStream.Length - r.BaseStream.Position)
            throw new InvalidDataException($"a count of {count} does not fit the message");
        return count;
    }

    private static void WriteOptional(BinaryWriter w, string? text)
    {
        w.Write(text is not null);
        if (text is not null) w.Write(text);
    }

    private static string? ReadOptional(BinaryReader r) => r.ReadBoolean() ? r.ReadString() : null;
}
