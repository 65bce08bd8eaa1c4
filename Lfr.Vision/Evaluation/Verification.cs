using System.Numerics.Tensors;

namespace Lfr.Vision.Evaluation;

public sealed record VerificationResult(
    double Accuracy, double AccuracyStd, double TarAtFar1e3, double[] FoldAccuracies, float[] FoldThresholds,
    int Pairs, int Unembedded);

/// <summary>
/// LFW verification: for each fold the threshold is chosen on the other folds (best accuracy), then applied
/// to it. A pair with a photo that yielded no embedding scores -1 (a failure, not a skip).
/// TAR at FAR 1e-3 pools all folds.
/// </summary>
public static class Verification
{
    public static VerificationResult Run(IReadOnlyList<FacePair> pairs, IReadOnlyDictionary<string, float[]> embeddings)
    {
        var scores = pairs.Select(p => Score(p, embeddings)).ToArray();
        var unembedded = pairs.Count(p => !embeddings.ContainsKey(p.PathA) || !embeddings.ContainsKey(p.PathB));
        var folds = pairs.Select(p => p.Fold).Distinct().Order().ToArray();
        if (folds.Length < 2)
            throw new ArgumentException("verification needs at least 2 folds: each fold's threshold is chosen on the others", nameof(pairs));
        var accuracies = new double[folds.Length];
        var thresholds = new float[folds.Length];
        for (var f = 0; f < folds.Length; f++)
        {
            var train = Enumerable.Range(0, pairs.Count).Where(i => pairs[i].Fold != folds[f]).ToArray();
            var test = Enumerable.Range(0, pairs.Count).Where(i => pairs[i].Fold == folds[f]).ToArray();
            thresholds[f] = BestThreshold(train.Select(i => (scores[i], pairs[i].Same)).ToArray());
            accuracies[f] = test.Count(i => scores[i] >= thresholds[f] == pairs[i].Same) / (double)test.Length;
        }
        var mean = accuracies.Average();
        var std = Math.Sqrt(accuracies.Sum(a => (a - mean) * (a - mean)) / accuracies.Length);
        return new VerificationResult(mean, std, TarAtFar(scores, pairs, 1e-3), accuracies, thresholds, pairs.Count, unembedded);
    }

    private static float Score(FacePair p, IReadOnlyDictionary<string, float[]> e) =>
        e.TryGetValue(p.PathA, out var a) && e.TryGetValue(p.PathB, out var b) ? TensorPrimitives.Dot(a, b) : -1f;

    /// <summary>The threshold maximising accuracy: candidates are midpoints between consecutive sorted scores.</summary>
    private static float BestThreshold((float Score, bool Same)[] items)
    {
        var sorted = items.OrderBy(x => x.Score).ToArray();
        // Start with everything accepted: correct = same pairs; moving the threshold past a score flips that pair.
        var correct = sorted.Count(x => x.Same);
        var best = correct;
        var bestThreshold = sorted[0].Score - 1e-4f;
        for (var i = 0; i < sorted.Length; i++)
        {
            correct += sorted[i].Same ? -1 : 1;
            if (correct > best && (i + 1 == sorted.Length || sorted[i + 1].Score > sorted[i].Score))
            {
                best = correct;
                bestThreshold = i + 1 < sorted.Length ? (sorted[i].Score + sorted[i + 1].Score) / 2 : sorted[i].Score + 1e-4f;
            }
        }
        return bestThreshold;
    }

    private static double TarAtFar(float[] scores, IReadOnlyList<FacePair> pairs, double far)
    {
        var impostors = Enumerable.Range(0, pairs.Count).Where(i => !pairs[i].Same).Select(i => scores[i]).OrderDescending().ToArray();
        var genuine = Enumerable.Range(0, pairs.Count).Where(i => pairs[i].Same).Select(i => scores[i]).ToArray();
        // The lowest threshold at which at most far * impostors are accepted.
        var allowed = (int)Math.Floor(far * impostors.Length);
        var threshold = allowed < impostors.Length ? impostors[allowed] + 1e-6f : float.NegativeInfinity;
        return genuine.Count(s => s >= threshold) / (double)genuine.Length;
    }
}
