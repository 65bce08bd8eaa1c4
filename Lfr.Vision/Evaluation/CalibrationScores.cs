using System.Numerics.Tensors;

namespace Lfr.Vision.Evaluation;

public static class CalibrationScores
{
    /// <summary>
    /// Every comparison a labelled set offers: all pairs of photos of different identities (impostor) and of
    /// the same identity (genuine). 4,500 photos give ~10 million impostor scores.
    /// </summary>
    public static (float[] Impostor, float[] Genuine) AllPairs(IReadOnlyList<(string Identity, float[] Embedding)> faces)
    {
        var impostor = new List<float>(faces.Count * (faces.Count - 1) / 2);
        var genuine = new List<float>();
        for (var i = 0; i < faces.Count; i++)
            for (var j = i + 1; j < faces.Count; j++)
            {
                var s = TensorPrimitives.Dot(faces[i].Embedding, faces[j].Embedding);
                if (string.Equals(faces[i].Identity, faces[j].Identity, StringComparison.Ordinal)) genuine.Add(s);
                else impostor.Add(s);
            }
        return (impostor.ToArray(), genuine.ToArray());
    }
}
