using Lfr.Actors.Van;
using Lfr.Actors.Van.Assignment;
using Lfr.Vision.Watchlists;
using static Lfr.Actors.Van.Assignment.AssignmentProtocol;

namespace Lfr.Tests.Actors.Van.Assignment;

/// <summary>Signed assignments as the control room's dispatch makes them, with unit-length embeddings.</summary>
internal static class Assignments
{
    public const string Model = "3f1c9b2e7d6a5f4e3d2c1b0a9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c";

    private static long _issued;

    public static AssignmentSigner NewKey() => AssignmentSigner.Create();

    /// <summary>
    /// An assignment issued at <paramref name="issuedAt"/> (plus a millisecond per assignment made so far, so that each is
    /// newer than the one before, as the control room's are).
    /// </summary>
    public static (AssignmentOffer Offer, AssignmentChunk[] Chunks) Signed(AssignmentSigner key, DateTimeOffset issuedAt, string van, int count,
        DateTimeOffset windowEnd, string deployment = "d-1", string watchlist = "wl-1", string model = Model, TimeOnly? wipeAt = null,
        string wipeZone = "UTC")
    {
        var random = new Random(count);
        var entries = Enumerable.Range(0, count).Select(i =>
        {
            var embedding = Enumerable.Range(0, WatchlistEntry.DefaultEmbeddingLength).Select(_ => random.NextSingle() - 0.5f).ToArray();
            var norm = MathF.Sqrt(embedding.Sum(v => v * v));
            return new AssignedEntry(new WatchlistEntryId($"E{i}"), (WatchlistCategory)(1 + i % 3), [.. embedding.Select(v => v / norm)]);
        }).ToList();
        var chunks = entries.Chunk(EntriesPerChunk).ToList();
        var transfer = Guid.NewGuid();
        var offer = new AssignmentOffer(transfer, issuedAt.AddMilliseconds(Interlocked.Increment(ref _issued)), van, new DeploymentId(deployment), 0.6f, windowEnd, wipeAt ?? new TimeOnly(23, 0), wipeZone,
            watchlist, model, count, chunks.Count, []);
        offer = offer with { Signature = AssignmentSignature.Compute(key, offer, entries) };
        return (offer, [.. chunks.Select((c, i) => new AssignmentChunk(transfer, i, c))]);
    }

    /// <summary>The same chunk with one value of one embedding changed, as an attacker on the link might.</summary>
    public static AssignmentChunk Tampered(AssignmentChunk chunk)
    {
        var entries = chunk.Entries.Select(e => e with { Embedding = [.. e.Embedding] }).ToArray();
        entries[0].Embedding[7] += 0.001f;
        return chunk with { Entries = entries };
    }
}
