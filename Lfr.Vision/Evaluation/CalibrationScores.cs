using System.Numerics.Tensors;

namespace Lfr.Vision.Evaluation;

/// <summary>Every comparison a labelled set offers, split by what the labels say it is.</summary>
/// <param name="Impostor">Pairs of photos filed under different names (label errors included: the calibration is fitted on all of them).</param>
/// <param name="Genuine">Pairs of photos of the same name.</param>
/// <param name="LabelErrors">The impostor pairs between two names of one person (<see cref="IdentityAliases"/>): a subset of <paramref name="Impostor"/>.</param>
public sealed record ComparisonScores(float[] Impostor, float[] Genuine, float[] LabelErrors)
{
    /// <summary>Impostor pairs at or above <paramref name="cosine"/>: all of them, and those left once the label errors are excluded.</summary>
    public (long All, long WithoutLabelErrors) ImpostorsAtOrAbove(float cosine)
    {
        long all = 0, errors = 0;
        foreach (var s in Impostor) if (s >= cosine) all++;
        foreach (var s in LabelErrors) if (s >= cosine) errors++;
        return (all, all - errors);
    }
}

public static class CalibrationScores
{
    /// <summary>
    /// Every comparison a labelled set offers: all pairs of photos of different identities (impostor) and of
    /// the same identity (genuine). 4,500 photos give ~10 million impostor scores.
    /// </summary>
    public static ComparisonScores AllPairs(IReadOnlyList<(string Identity, float[] Embedding)> faces, IdentityAliases? aliases = null)
    {
        aliases ??= IdentityAliases.None;
        var canonical = faces.Select(f => aliases.Canonical(f.Identity)).ToArray();
        var impostor = new List<float>(faces.Count * (faces.Count - 1) / 2);
        var genuine = new List<float>();
        var labelErrors = new List<float>();
        for (var i = 0; i < faces.Count; i++)
            for (var j = i + 1; j < faces.Count; j++)
            {
                var s = TensorPrimitives.Dot(faces[i].Embedding, faces[j].Embedding);
                if (string.Equals(faces[i].Identity, faces[j].Identity, StringComparison.Ordinal)) genuine.Add(s);
                else
                {
                    impostor.Add(s);
                    if (string.Equals(canonical[i], canonical[j], StringComparison.Ordinal)) labelErrors.Add(s);
                }
            }
        return new ComparisonScores(impostor.ToArray(), genuine.ToArray(), labelErrors.ToArray());
    }
}
