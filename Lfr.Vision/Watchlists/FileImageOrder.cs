using System.Numerics.Tensors;

namespace Lfr.Vision.Watchlists;

/// <summary>
/// The order an entry's file images are shown in: the image whose embedding is nearest the entry's template (the mean
/// of them all) first, as the most typical likeness of the person; an outlier (an old or poor image) last.
/// </summary>
public static class FileImageOrder
{
    /// <summary>Indexes into <paramref name="embeddings"/>, best first; ties keep their given order.</summary>
    public static int[] BestFirst(ReadOnlySpan<float> template, IReadOnlyList<float[]> embeddings)
    {
        var scores = new float[embeddings.Count];
        for (var i = 0; i < scores.Length; i++)
            scores[i] = TensorPrimitives.Dot(template, embeddings[i]);
        return [.. Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i])];
    }
}
