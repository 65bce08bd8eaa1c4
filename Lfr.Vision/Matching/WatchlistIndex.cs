using System.Numerics.Tensors;
using Lfr.Vision.Watchlists;

namespace Lfr.Vision.Matching;

/// <summary>
/// An immutable snapshot of a watchlist, searched by cosine similarity. All vectors sit in one
/// row-major array; a search scans it with SIMD dot products, over several cores when the index
/// is large. Searches may run concurrently. An empty index (a wiped watchlist) matches nothing.
/// </summary>
public sealed class WatchlistIndex
{
    /// <summary>The most rows of <paramref name="dimensions"/> values one array of floats can hold.</summary>
    public static int MaxEntries(int dimensions = WatchlistEntry.DefaultEmbeddingLength) => Array.MaxLength / dimensions;

    // One parallel work item: 8 MB of int8 rows, large enough to amortise scheduling.
    private const int RowsPerChunk = 16_384;

    // In a batch, each probe scans the same block of rows while it is still in L2 (128 KB of int8).
    private const int RowsPerBlock = 256;

    private static readonly IReadOnlyList<WatchlistCandidate> NoCandidates = [];

    private readonly WatchlistEntryId[] _ids;
    private readonly WatchlistCategory[] _categories;
    private readonly float[] _floats;
    private readonly sbyte[] _int8;
    private readonly float[] _scales;

    internal WatchlistIndex(VectorStorage storage, int count, int dimensions, WatchlistEntryId[] ids, WatchlistCategory[] categories,
        float[] floats, sbyte[] int8, float[] scales)
    {
        Storage = storage;
        Count = count;
        Dimensions = dimensions;
        _ids = ids;
        _categories = categories;
        _floats = floats;
        _int8 = int8;
        _scales = scales;
    }

    public VectorStorage Storage { get; }
    public int Count { get; }

    /// <summary>The size of every embedding in the index (the embedding model's).</summary>
    public int Dimensions { get; }

    public static WatchlistIndex Build(IEnumerable<WatchlistEntry> entries, VectorStorage storage)
    {
        var all = entries as IReadOnlyCollection<WatchlistEntry> ?? entries.ToList();
        var builder = new WatchlistIndexBuilder(storage, all.Count, all.FirstOrDefault()?.Embedding.Length ?? WatchlistEntry.DefaultEmbeddingLength);
        foreach (var entry in all)
            builder.Add(entry.Id, entry.Category, entry.Embedding.Span);
        return builder.Build();
    }

    /// <summary>Reads and verifies a signed watchlist file (see <see cref="WatchlistFile.Read"/>) and indexes it.</summary>
    public static WatchlistIndex FromFile(string path, string modelSha256, WatchlistSigningKey key, VectorStorage storage) =>
        Build(WatchlistFile.Read(path, modelSha256, key).Entries, storage);

    /// <summary>The <paramref name="k"/> entries most similar to <paramref name="probe"/>, best first.</summary>
    public IReadOnlyList<WatchlistCandidate> Search(ReadOnlySpan<float> probe, int k) => Count == 0 ? NoCandidates : SearchBatch(probe, k)[0];

    /// <summary>
    /// Searches several probes (row-major, <see cref="Dimensions"/> values each) in one pass over
    /// the index; each row is read from memory once for all of them.
    /// </summary>
    public IReadOnlyList<WatchlistCandidate>[] SearchBatch(ReadOnlySpan<float> probes, int k)
    {
        if (probes.Length == 0 || probes.Length % Dimensions != 0)
            throw new ArgumentException($"Probes are {Dimensions} values each.", nameof(probes));
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var probeCount = probes.Length / Dimensions;
        if (Count == 0)
            return Enumerable.Repeat(NoCandidates, probeCount).ToArray();

        var queries = new Queries(probes, Storage, Dimensions);
        var chunks = (Count + RowsPerChunk - 1) / RowsPerChunk;
        var found = new TopK[chunks][];
        if (chunks == 1)
            found[0] = Scan(0, Count, queries, k);
        else
            Parallel.For(0, chunks, c => found[c] = Scan(c * RowsPerChunk, Math.Min(Count, (c + 1) * RowsPerChunk), queries, k));

        var results = new IReadOnlyList<WatchlistCandidate>[probeCount];
        for (var p = 0; p < probeCount; p++)
        {
            var best = new TopK(k);
            foreach (var chunk in found)
                chunk[p].OfferAllTo(best);
            results[p] = Array.ConvertAll(best.ToSortedArray(), hit => new WatchlistCandidate(_ids[hit.Row], _categories[hit.Row], hit.Score));
        }
        return results;
    }

    /// <summary>
    /// Overwrites every vector with zeros, so a dropped watchlist's embeddings do not linger in memory until the GC
    /// reuses it. A search running meanwhile only finds scores of 0; the owner stops searching it first.
    /// </summary>
    public void Wipe()
    {
        Array.Clear(_floats);
        Array.Clear(_int8);
        Array.Clear(_scales);
    }

    public override string ToString() => $"WatchlistIndex({Storage}, {Count} entries)";

    private TopK[] Scan(int start, int end, Queries queries, int k)
    {
        var best = new TopK[queries.Count];
        for (var p = 0; p < best.Length; p++)
            best[p] = new TopK(k);
        for (var block = start; block < end; block += RowsPerBlock)
        {
            var blockEnd = Math.Min(end, block + RowsPerBlock);
            for (var p = 0; p < best.Length; p++)
            {
                if (Storage == VectorStorage.Float32)
                    ScanFloat32(block, blockEnd, queries.Float32(p), best[p]);
                else
                    ScanInt8(block, blockEnd, queries.Int8(p), queries.Scale(p), best[p]);
            }
        }
        return best;
    }

    private void ScanFloat32(int start, int end, ReadOnlySpan<float> query, TopK best)
    {
        for (var row = start; row < end; row++)
            best.Offer(TensorPrimitives.Dot(_floats.AsSpan(row * Dimensions, Dimensions), query), row);
    }

    private void ScanInt8(int start, int end, ReadOnlySpan<short> query, float queryScale, TopK best)
    {
        for (var row = start; row < end; row++)
            best.Offer(Int8Vectors.Dot(_int8.AsSpan(row * Dimensions, Dimensions), query) * (_scales[row] * queryScale), row);
    }

    /// <summary>The probes in the form the storage compares against.</summary>
    private sealed class Queries
    {
        private readonly float[] _floats = [];
        private readonly short[] _int8 = [];
        private readonly float[] _scales = [];
        private readonly int _dimensions;

        public Queries(ReadOnlySpan<float> probes, VectorStorage storage, int dimensions)
        {
            _dimensions = dimensions;
            Count = probes.Length / dimensions;
            if (storage == VectorStorage.Float32)
            {
                _floats = probes.ToArray();
                return;
            }
            _int8 = new short[probes.Length];
            _scales = new float[Count];
            Span<sbyte> quantised = stackalloc sbyte[dimensions];
            for (var p = 0; p < Count; p++)
            {
                _scales[p] = Int8Vectors.Quantize(probes.Slice(p * dimensions, dimensions), quantised);
                for (var i = 0; i < dimensions; i++)
                    _int8[p * dimensions + i] = quantised[i];
            }
        }

        public int Count { get; }
        public ReadOnlySpan<float> Float32(int probe) => _floats.AsSpan(probe * _dimensions, _dimensions);
        public ReadOnlySpan<short> Int8(int probe) => _int8.AsSpan(probe * _dimensions, _dimensions);
        public float Scale(int probe) => _scales[probe];
    }
}
