using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Lfr.Vision.Matching;
using Lfr.Vision.Watchlists;
using static Lfr.Actors.Van.Assignment.AssignmentProtocol;

namespace Lfr.Actors.Van.Assignment;

/// <summary>
/// The control room's ECDSA P-256 signature that binds an assignment together, over a SHA-256 of: the transfer id and
/// issue time, the van's name, the deployment, threshold, window end, daily wipe, watchlist, model and count, then every
/// entry (id, category, embedding) in order, each field length-prefixed, little-endian. A changed value, a missing,
/// extra or reordered entry, an assignment meant for another van, or an old one with a new id or time all fail it.
/// </summary>
public static class AssignmentSignature
{
    public static byte[] Compute(AssignmentSigner key, AssignmentOffer offer, IEnumerable<AssignedEntry> entries) =>
        key.SignHash(Digest(offer, entries));

    public static bool Verify(AssignmentVerifier key, AssignmentOffer offer, IEnumerable<AssignedEntry> entries) =>
        key.VerifyHash(Digest(offer, entries), offer.Signature);

    private static byte[] Digest(AssignmentOffer offer, IEnumerable<AssignedEntry> entries)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(offer.Transfer.ToByteArray());
        Span<byte> issued = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(issued, offer.IssuedAt.ToUnixTimeMilliseconds());
        sha.AppendData(issued);
        Text(sha, offer.Van);
        Text(sha, offer.Deployment.Value);
        Span<byte> number = stackalloc byte[8];
        BinaryPrimitives.WriteSingleLittleEndian(number, offer.Threshold);
        sha.AppendData(number[..4]);
        BinaryPrimitives.WriteInt64LittleEndian(number, offer.WindowEnd.ToUnixTimeMilliseconds());
        sha.AppendData(number);
        BinaryPrimitives.WriteInt64LittleEndian(number, offer.DailyWipeAt.Ticks);
        sha.AppendData(number);
        Text(sha, offer.DailyWipeZone);
        Text(sha, offer.Watchlist);
        Text(sha, offer.ModelSha256);
        BinaryPrimitives.WriteInt32LittleEndian(number, offer.Count);
        BinaryPrimitives.WriteInt32LittleEndian(number[4..], offer.Chunks);
        sha.AppendData(number);
        var floats = new byte[WatchlistEntry.MaxEmbeddingLength * sizeof(float)];
        foreach (var entry in entries)
        {
            Text(sha, entry.Id.Value);
            sha.AppendData([(byte)entry.Category]);
            BinaryPrimitives.WriteInt32LittleEndian(number, entry.Embedding.Length);
            sha.AppendData(number[..4]);
            var bytes = floats.AsSpan(0, Math.Min(floats.Length, entry.Embedding.Length * sizeof(float)));
            for (var i = 0; i < bytes.Length / sizeof(float); i++)
                BinaryPrimitives.WriteSingleLittleEndian(bytes[(i * sizeof(float))..], entry.Embedding[i]);
            sha.AppendData(bytes);
        }
        CryptographicOperations.ZeroMemory(floats);
        return sha.GetHashAndReset();
    }

    private static void Text(IncrementalHash sha, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
        sha.AppendData(length);
        sha.AppendData(bytes);
    }
}

/// <summary>
/// Collects one transfer's chunks on the van and checks the whole before anything is swapped: every chunk there, the
/// entry count as announced, meant for this van, made with this van's model, and signed with the control room's key.
/// Only then does it build the <see cref="WatchlistIndex"/>; its own copies of the embeddings are zeroed either way.
/// </summary>
public sealed class AssignmentAssembler(AssignmentOffer offer)
{
    private readonly Dictionary<int, IReadOnlyList<AssignedEntry>> _chunks = [];

    public AssignmentOffer Offer { get; } = offer;

    public bool IsComplete => _chunks.Count == Offer.Chunks;

    /// <summary>False for a chunk of another transfer, out of range, already received (a resend), or over the chunk size.</summary>
    public bool Add(AssignmentChunk chunk)
    {
        if (chunk.Transfer != Offer.Transfer || chunk.Index < 0 || chunk.Index >= Offer.Chunks || _chunks.ContainsKey(chunk.Index)
            || chunk.Entries.Count > EntriesPerChunk)
            return false;
        _chunks[chunk.Index] = chunk.Entries;
        return true;
    }

    /// <summary>The index to swap in, or why the transfer is refused.</summary>
    public (WatchlistIndex? Index, string? Problem) Verify(AssignmentVerifier key, string van, string modelSha256)
    {
        try
        {
            if (!string.Equals(Offer.Van, van, StringComparison.Ordinal))
                return (null, $"the assignment is for {Offer.Van}, not for this van ({van})");
            if (!IsComplete)
                return (null, $"{Offer.Chunks - _chunks.Count} of {Offer.Chunks} chunks are missing");
            if (!string.Equals(Offer.ModelSha256, modelSha256, StringComparison.OrdinalIgnoreCase))
                return (null, $"the watchlist was enrolled with model {Offer.ModelSha256}, this van runs {modelSha256}");
            var entries = Entries().ToList();
            if (entries.Count != Offer.Count)
                return (null, $"{entries.Count} entries arrived, {Offer.Count} were announced");
            if (!AssignmentSignature.Verify(key, Offer, entries))
                return (null, "the signature does not match: the assignment was altered on the way or signed with another key");
            try
            {
                // straight into the index's storage: no other copy of the embeddings is left behind for the GC
                var builder = new WatchlistIndexBuilder(VectorStorage.Float32, entries.Count,
                    entries.Count > 0 ? entries[0].Embedding.Length : WatchlistEntry.DefaultEmbeddingLength);
                foreach (var entry in entries)
                    builder.Add(entry.Id, entry.Category, entry.Embedding);
                return (builder.Build(), null);
            }
            catch (ArgumentException e)
            {
                return (null, "a signed entry is not well formed: " + e.Message);
            }
        }
        finally
        {
            Discard();
        }
    }

    /// <summary>Zeroes the embeddings received so far.</summary>
    public void Discard()
    {
        foreach (var entry in Entries())
            Array.Clear(entry.Embedding);
        _chunks.Clear();
    }

    private IEnumerable<AssignedEntry> Entries() => _chunks.OrderBy(c => c.Key).SelectMany(c => c.Value);
}
