using System.Numerics.Tensors;

namespace Lfr.Vision.Watchlists;

/// <summary>Identifies a watchlist record; it is a reference, never a name.</summary>
public readonly record struct WatchlistEntryId(string Value)
{
    public override string ToString() => Value;
}

/// <summary>
/// One enrolled person: an id, a category and the template embedding (L2-normalised; fr_feature's have 512 values, a
/// force's own embedder may give another size, the same for every entry of a watchlist).
/// The optional texts are for operators' screens only; <see cref="ToString"/> shows the id and the
/// category and nothing else, so an entry can never leak into a log by accident.
/// </summary>
public sealed class WatchlistEntry
{
    /// <summary>fr_feature's embedding size, the built-in model's.</summary>
    public const int DefaultEmbeddingLength = 512;

    /// <summary>The sizes an embedder may give (a force's own model set says which).</summary>
    public const int MinEmbeddingLength = 16, MaxEmbeddingLength = 4096;

    /// <summary>How many file images one entry may carry (custody images of different dates).</summary>
    public const int MaxFileImages = 8;
    internal const int MaxIdBytes = 128;
    internal const int MaxTextBytes = 1024;

    /// <summary>The largest file image an entry carries (a JPEG, shrunk to fit when it is made).</summary>
    public const int MaxFileImageBytes = 64 * 1024;

    /// <summary>How far the squared norm may stray from 1 before a vector is refused as not normalised.</summary>
    internal const float NormTolerance = 1e-3f;

    private readonly float[] _embedding;

    public WatchlistEntry(WatchlistEntryId id, WatchlistCategory category, ReadOnlySpan<float> embedding)
    {
        ValidateId(id);
        ValidateCategory(category);
        ValidateEmbedding(embedding);
        Id = id;
        Category = category;
        _embedding = embedding.ToArray();
    }

    public WatchlistEntryId Id { get; }
    public WatchlistCategory Category { get; }
    public ReadOnlyMemory<float> Embedding => _embedding;

    /// <summary>Why the person is wanted, e.g. the warrant reference.</summary>
    public string? Reason { get; init => field = ValidateText(value); }

    /// <summary>Where the record came from, e.g. the issuing court or system.</summary>
    public string? Source { get; init => field = ValidateText(value); }

    /// <summary>When the record or its file image was made, as the source wrote it.</summary>
    public string? RecordedOn { get; init => field = ValidateText(value); }

    /// <summary>A label shown only to operators adjudicating an alert; never logged.</summary>
    public string? DisplayLabel { get; init => field = ValidateText(value); }

    /// <summary>
    /// The best file image the embedding was made from (a JPEG of at most <see cref="MaxFileImageBytes"/>), for the
    /// control room, whose officers' taskings show it; empty when the entry carries none. It never goes to a van.
    /// </summary>
    public ReadOnlyMemory<byte> FileImage
    {
        get;
        init => field = ValidateImage(value);
    }

    /// <summary>The entry's other file images (its template is the mean of all of them), after <see cref="FileImage"/>.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> MoreFileImages
    {
        get;
        init => field = value.Count < MaxFileImages && value.All(i => !ValidateImage(i).IsEmpty)
            ? value
            : throw new ArgumentException($"An entry carries at most {MaxFileImages} file images, none of them empty.", nameof(value));
    } = [];

    private static ReadOnlyMemory<byte> ValidateImage(ReadOnlyMemory<byte> image) =>
        image.Length <= MaxFileImageBytes
            ? image
            : throw new ArgumentException($"A file image must fit in {MaxFileImageBytes} bytes, not {image.Length}.", nameof(image));

    public override string ToString() => $"WatchlistEntry({Id.Value}, {Category})";

    internal static void ValidateId(WatchlistEntryId id)
    {
        if (string.IsNullOrEmpty(id.Value))
            throw new ArgumentException("A watchlist entry id must not be empty.", nameof(id));
        if (System.Text.Encoding.UTF8.GetByteCount(id.Value) > MaxIdBytes)
            throw new ArgumentException($"A watchlist entry id must fit in {MaxIdBytes} UTF-8 bytes.", nameof(id));
    }

    internal static void ValidateCategory(WatchlistCategory category)
    {
        if (!Enum.IsDefined(category))
            throw new ArgumentOutOfRangeException(nameof(category), category, "Unknown watchlist category.");
    }

    /// <summary>Cosine is computed as a plain dot product, which is only right for unit vectors.</summary>
    internal static void ValidateEmbedding(ReadOnlySpan<float> embedding)
    {
        if (embedding.Length is < MinEmbeddingLength or > MaxEmbeddingLength)
            throw new ArgumentException($"An embedding has {MinEmbeddingLength} to {MaxEmbeddingLength} values, not {embedding.Length}.", nameof(embedding));
        var squaredNorm = TensorPrimitives.Dot(embedding, embedding);
        // written so that NaN fails too
        if (!(MathF.Abs(squaredNorm - 1f) <= NormTolerance))
            throw new ArgumentException($"An embedding must be L2-normalised (squared norm {squaredNorm}).", nameof(embedding));
    }

    private static string? ValidateText(string? text)
    {
        if (text is not null && System.Text.Encoding.UTF8.GetByteCount(text) > MaxTextBytes)
            throw new ArgumentException($"Watchlist entry texts must fit in {MaxTextBytes} UTF-8 bytes.", nameof(text));
        return string.IsNullOrEmpty(text) ? null : text;
    }
}
