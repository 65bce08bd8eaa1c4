namespace Lfr.Vision.Evaluation;

/// <summary>One labelled photo: absolute path and identity (empty when unlabelled).</summary>
public sealed record ManifestRow(string Path, string Identity, bool Derived);

/// <summary>
/// A manifest CSV: a header, then <c>relative_path,identity[,notes]</c>; paths are relative to the CSV's folder.
/// Rows whose notes say DERIVED are crops or resized copies of another photo.
/// </summary>
public static class Manifest
{
    public static IReadOnlyList<ManifestRow> Read(string csvPath)
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(csvPath))!;
        var lines = File.ReadAllLines(csvPath);
        if (lines.Length == 0 || !lines[0].StartsWith("relative_path", StringComparison.OrdinalIgnoreCase))
            throw new FormatException($"{csvPath}: expected a header 'relative_path,identity'");
        var rows = new List<ManifestRow>();
        for (var i = 1; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            var parts = lines[i].Split(',');
            if (parts.Length < 2) throw new FormatException($"{csvPath}:{i + 1}: expected 'relative_path,identity'");
            var derived = parts.Length > 2 && parts[2].Contains("DERIVED", StringComparison.OrdinalIgnoreCase);
            rows.Add(new ManifestRow(System.IO.Path.Combine(folder, parts[0].Trim()), parts[1].Trim(), derived));
        }
        return rows;
    }
}
