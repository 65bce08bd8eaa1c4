using Lfr.Vision.Watchlists;

namespace Lfr.Vision.Matching;

/// <summary>A watchlist entry close to a probe face, with their cosine similarity (-1..1).</summary>
public readonly record struct WatchlistCandidate(WatchlistEntryId EntryId, WatchlistCategory Category, float Cosine);

/// <summary>How a <see cref="WatchlistIndex"/> keeps its vectors.</summary>
public enum VectorStorage
{
    /// <summary>2 KB per entry; exact cosines.</summary>
    Float32,
    /// <summary>512 bytes per entry, a quarter of the memory traffic; cosines off by 0.0005 rms, 0.003 at worst.</summary>
    Int8,
}
