namespace Lfr.Vision.Evaluation;

public sealed record FacePair(string PathA, string PathB, bool Same, int Fold);

/// <summary>
/// The LFW pairs protocol: a first line "folds count", then per fold <c>count</c> same-person lines
/// (name, n1, n2) and <c>count</c> different-person lines (name1, n1, name2, n2).
/// Images are at <c>ROOT/images/NAME/NAME_NNNN.jpg</c>.
/// </summary>
public static class LfwPairs
{
    public static IReadOnlyList<FacePair> Read(string pairsPath, string root)
    {
        var lines = File.ReadAllLines(pairsPath).Where(l => l.Trim().Length > 0).ToList();
        var head = lines[0].Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
        if (head.Length < 2 || !int.TryParse(head[0], out var folds) || !int.TryParse(head[1], out var perSide))
            throw new FormatException($"{pairsPath}: first line must be 'folds pairs-per-side'");
        if (lines.Count - 1 != folds * perSide * 2)
            throw new FormatException($"{pairsPath}: expected {folds * perSide * 2} pairs, found {lines.Count - 1}");

        string Image(string name, string n) =>
            System.IO.Path.Combine(root, "images", name, $"{name}_{int.Parse(n):0000}.jpg");

        var pairs = new List<FacePair>();
        for (var i = 1; i < lines.Count; i++)
        {
            var p = lines[i].Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            var fold = (i - 1) / (2 * perSide);
            pairs.Add(p.Length switch
            {
                3 => new FacePair(Image(p[0], p[1]), Image(p[0], p[2]), true, fold),
                4 => new FacePair(Image(p[0], p[1]), Image(p[2], p[3]), false, fold),
                _ => throw new FormatException($"{pairsPath}:{i + 1}: expected 3 or 4 fields"),
            });
        }
        return pairs;
    }
}
