using System.Numerics.Tensors;
using Lfr.Vision.Matching;
using Lfr.Vision.Watchlists;

namespace Lfr.Tests.Vision.Matching;

/// <summary>Random unit vectors, seeded so that every run sees the same data.</summary>
internal static class RandomEmbeddings
{
    /// <summary>A direction uniform on the sphere (normalised Gaussian), like real embeddings of strangers.</summary>
    public static float[] Unit(Random random)
    {
        var v = new float[WatchlistEntry.DefaultEmbeddingLength];
        for (var i = 0; i < v.Length; i++)
            v[i] = (float)Gaussian(random);
        Normalise(v);
        return v;
    }

    /// <summary>A unit vector at exactly <paramref name="cosine"/> to <paramref name="v"/>: another photo of the same face.</summary>
    public static float[] Near(float[] v, float cosine, Random random)
    {
        var w = Unit(random);
        var along = TensorPrimitives.Dot(w, v);
        for (var i = 0; i < w.Length; i++)
            w[i] -= along * v[i];
        Normalise(w);
        var sine = MathF.Sqrt(1 - cosine * cosine);
        for (var i = 0; i < w.Length; i++)
            w[i] = cosine * v[i] + sine * w[i];
        Normalise(w);
        return w;
    }

    /// <summary>Cheap and less uniform on the sphere: for filling a million rows quickly.</summary>
    public static void FillQuickly(Random random, Span<float> into, Span<byte> scratch)
    {
        random.NextBytes(scratch);
        for (var i = 0; i < into.Length; i++)
            into[i] = (sbyte)scratch[i];
        Normalise(into);
    }

    public static WatchlistEntry[] Entries(int count, Random random) =>
        Enumerable.Range(0, count)
            .Select(i => new WatchlistEntry(new WatchlistEntryId($"w-{i}"), (WatchlistCategory)(1 + i % 3), Unit(random)))
            .ToArray();

    public static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static void Normalise(Span<float> v) => TensorPrimitives.Divide(v, TensorPrimitives.Norm(v), v);
}
