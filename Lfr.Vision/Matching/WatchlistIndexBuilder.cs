using Lfr.Vision.Watchlists;

namespace Lfr.Vision.Matching;

/// <summary>
/// Fills a <see cref="WatchlistIndex"/> entry by entry, straight into its contiguous storage, so a
/// large index never needs every embedding as a separate array first (1M int8 entries: 512 MB).
/// </summary>
public sealed class WatchlistIndexBuilder
{
    private readonly VectorStorage _storage;
    private readonly WatchlistEntryId[] _ids;
    private readonly WatchlistCategory[] _categories;
    private readonly float[] _floats;
    private readonly sbyte[] _int8;
    private readonly float[] _scales;
    private readonly int _dimensions;
    private bool _built;

    /// <param name="dimensions">The embedding size (the embedder's; fr_feature gives 512); every entry must have it.</param>
    public WatchlistIndexBuilder(VectorStorage storage, int capacity, int dimensions = WatchlistEntry.DefaultEmbeddingLength)
    {
        if (!Enum.IsDefined(storage))
            throw new ArgumentOutOfRangeException(nameof(storage), storage, "Unknown vector storage.");
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, WatchlistEntry.MinEmbeddingLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dimensions, WatchlistEntry.MaxEmbeddingLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, WatchlistIndex.MaxEntries(dimensions));
        _storage = storage;
        _dimensions = dimensions;
        _ids = new WatchlistEntryId[capacity];
        _categories = new WatchlistCategory[capacity];
        // every row is written before it is read, so the large arrays need no zeroing
        var values = capacity * dimensions;
        _floats = storage == VectorStorage.Float32 ? GC.AllocateUninitializedArray<float>(values) : [];
        _int8 = storage == VectorStorage.Int8 ? GC.AllocateUninitializedArray<sbyte>(values) : [];
        _scales = storage == VectorStorage.Int8 ? new float[capacity] : [];
    }

    public int Count { get; private set; }

    public void Add(WatchlistEntryId id, WatchlistCategory category, ReadOnlySpan<float> embedding)
    {
        if (_built)
            throw new InvalidOperationException("The index was built already; start a new builder.");
        if (Count == _ids.Length)
            throw new InvalidOperationException($"The builder holds {_ids.Length} entries, its capacity.");
        WatchlistEntry.ValidateId(id);
        WatchlistEntry.ValidateCategory(category);
        WatchlistEntry.ValidateEmbedding(embedding);
        if (embedding.Length != _dimensions)
            throw new ArgumentException($"This index holds embeddings of {_dimensions} values, not {embedding.Length} (another embedding model).", nameof(embedding));

        var row = Count;
        _ids[row] = id;
        _categories[row] = category;
        var offset = row * _dimensions;
        if (_storage == VectorStorage.Float32)
            embedding.CopyTo(_floats.AsSpan(offset, _dimensions));
        else
            _scales[row] = Int8Vectors.Quantize(embedding, _int8.AsSpan(offset, _dimensions));
        Count++;
    }

    /// <summary>Hands the storage over to the index, which is why the builder cannot be used afterwards.</summary>
    public WatchlistIndex Build()
    {
        if (_built)
            throw new InvalidOperationException("The index was built already; start a new builder.");
        _built = true;
        return new WatchlistIndex(_storage, Count, _dimensions, _ids, _categories, _floats, _int8, _scales);
    }
}
