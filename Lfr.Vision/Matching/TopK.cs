namespace Lfr.Vision.Matching;

/// <summary>
/// The k best (score, row) pairs seen so far, in a heap with the worst on top, so that most rows
/// cost one comparison. Equal scores prefer the lower row, which keeps results deterministic.
/// </summary>
internal sealed class TopK(int k)
{
    private readonly float[] _scores = new float[k];
    private readonly int[] _rows = new int[k];
    private int _count;

    public void Offer(float score, int row)
    {
        if (_count < k)
        {
            _scores[_count] = score;
            _rows[_count] = row;
            SiftUp(_count++);
        }
        else if (Better(score, row, 0))
        {
            _scores[0] = score;
            _rows[0] = row;
            SiftDown(0);
        }
    }

    public void OfferAllTo(TopK other)
    {
        for (var i = 0; i < _count; i++)
            other.Offer(_scores[i], _rows[i]);
    }

    /// <summary>Best first.</summary>
    public (float Score, int Row)[] ToSortedArray()
    {
        var result = new (float Score, int Row)[_count];
        for (var i = 0; i < _count; i++)
            result[i] = (_scores[i], _rows[i]);
        Array.Sort(result, static (a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Row.CompareTo(b.Row));
        return result;
    }

    private bool Better(float score, int row, int slot) =>
        score > _scores[slot] || (score == _scores[slot] && row < _rows[slot]);

    private void SiftUp(int slot)
    {
        while (slot > 0)
        {
            var parent = (slot - 1) / 2;
            if (!Better(_scores[parent], _rows[parent], slot))
                return;
            Swap(slot, parent);
            slot = parent;
        }
    }

    private void SiftDown(int slot)
    {
        while (true)
        {
            var worst = slot;
            var left = 2 * slot + 1;
            if (left < _count && Better(_scores[worst], _rows[worst], left))
                worst = left;
            if (left + 1 < _count && Better(_scores[worst], _rows[worst], left + 1))
                worst = left + 1;
            if (worst == slot)
                return;
            Swap(slot, worst);
            slot = worst;
        }
    }

    private void Swap(int a, int b)
    {
        (_scores[a], _scores[b]) = (_scores[b], _scores[a]);
        (_rows[a], _rows[b]) = (_rows[b], _rows[a]);
    }
}
