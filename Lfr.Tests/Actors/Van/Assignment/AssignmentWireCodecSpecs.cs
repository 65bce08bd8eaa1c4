using Lfr.Actors.Van.Assignment;
using Lfr.Tests.Actors.Cluster;
using Xunit.Abstractions;
using static Lfr.Actors.Van.Assignment.AssignmentProtocol;

namespace Lfr.Tests.Actors.Van.Assignment;

/// <summary>Assignments on the wire: a full chunk of embeddings fits a remote frame with room to spare, and nothing else crosses.</summary>
public sealed class AssignmentWireCodecSpecs(ITestOutputHelper output) : SerializerSpecs(output)
{
    private readonly ITestOutputHelper _output = output;

    [Fact]
    public void A_full_chunk_should_round_trip_well_under_the_remote_frame()
    {
        var chunk = WireSamples.FullChunk();

        var bytes = Serializer.ToBinary(chunk);
        AssertRoundTrip(chunk);

        _output.WriteLine($"{EntriesPerChunk} entries: {bytes.Length} bytes; payload limit {Serializer.MaxPayloadBytes}");
        Assert.True(bytes.Length <= Serializer.MaxPayloadBytes / 2, $"{bytes.Length} bytes");
    }

    [Fact]
    public void A_drop_of_whatever_a_van_holds_should_round_trip_without_a_watchlist()
    {
        Assert.Null(AssertRoundTrip(new DropAssignment(null, "no live deployment covers this van")).Watchlist);
        Assert.Null(AssertRoundTrip(new AssignmentDropped("van-1", null, 0)).Watchlist);
    }

    [Fact]
    public void A_chunk_cut_short_should_be_refused_not_read_as_fewer_entries()
    {
        var bytes = AssignmentWireCodecs.Chunk.Encode(WireSamples.FullChunk());

        Assert.Throws<InvalidDataException>(() => AssignmentWireCodecs.Chunk.Decode(bytes.AsSpan(0, bytes.Length - 10)));
        Assert.Throws<InvalidDataException>(() => AssignmentWireCodecs.Chunk.Decode(bytes.AsSpan(0, 40)));
    }

    [Fact]
    public void A_chunk_of_more_entries_than_a_chunk_holds_should_be_refused_before_its_embeddings_are_read()
    {
        var full = WireSamples.FullChunk();
        var oversize = full with { Entries = [.. full.Entries, full.Entries[0]] };

        var e = Assert.Throws<InvalidDataException>(() => AssignmentWireCodecs.Chunk.Decode(AssignmentWireCodecs.Chunk.Encode(oversize)));
        Assert.Contains($"over the {EntriesPerChunk} a chunk holds", e.Message);
    }
}
