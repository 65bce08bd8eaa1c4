using Lfr.Vision.Watchlists;

namespace Lfr.Vision.Matching;

/// <summary>
/// The plain scalar search that <see cref="WatchlistIndex"/> must agree with: one loop, double
/// sums, a full sort. The yardstick for tests and <c>lfr bench</c>; never used to match.
/// </summary>
internal static class ReferenceSearch
{
    public static WatchlistCandidate[] Search(IReadOnlyList<WatchlistEntry> entries, ReadOnlySpan<float> probe, int k)
    {
        var scored = new (double Cosine, int Row)[entries.Count];
        for (var row = 0; row < entries.Count; row++)
        {
            var embedding = entries[row].Embedding.Span;
            var sum = 0.0;
            for (var i = 0; i < embedding.Length; i++)
                sum += (double)embedding[i] * probe[i];
            scored[row] = (sum, row);
        }
        Array.Sort(scored, static (a, b) => a.Cosine != b.Cosine ? b.Cosine.CompareTo(a.Cosine) : a.Row.CompareTo(b.Row));
        return scored.Take(k)
            .Select(s => new WatchlistCandidate(entries[s.Row].Id, entries[s.Row].Category, (float)s.Cosine))
            .ToArray();
    }
}
