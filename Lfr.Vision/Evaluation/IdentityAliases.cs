namespace Lfr.Vision.Evaluation;

/// <summary>
/// Identities that are one person filed under two names (LFW has a few: Hassan Wirajuda / Hasan Wirayuda): every
/// name of a person maps to one canonical name (the first in ordinal order), so a "false alert" between them is not
/// counted and a probe under one name is mated with an entry under the other.
/// File: one pair a line, <c>identity,identity</c>; blank lines and lines starting with <c>#</c> are ignored.
/// </summary>
public sealed class IdentityAliases
{
    private readonly Dictionary<string, string> _canonical;

    private IdentityAliases(Dictionary<string, string> canonical) => _canonical = canonical;

    public static IdentityAliases None { get; } = new([]);

    public int Count => _canonical.Count;

    public string Canonical(string identity) => _canonical.GetValueOrDefault(identity, identity);

    public static IdentityAliases Read(string path) => Parse(File.ReadAllLines(path), path);

    public static IdentityAliases Parse(IEnumerable<string> lines, string source = "aliases")
    {
        var parent = new Dictionary<string, string>(StringComparer.Ordinal);
        string Find(string x)
        {
            while (parent.TryGetValue(x, out var p) && p != x) x = p;
            return x;
        }
        var n = 0;
        foreach (var raw in lines)
        {
            n++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var parts = line.Split(',', StringSplitOptions.TrimEntries);
            if (parts.Length < 2 || parts[0].Length == 0 || parts[1].Length == 0)
                throw new FormatException($"{source}:{n}: expected 'identity,identity'");
            foreach (var p in parts.Take(2)) parent.TryAdd(p, p);
            var (a, b) = (Find(parts[0]), Find(parts[1]));
            if (a == b) continue;
            if (string.CompareOrdinal(a, b) < 0) parent[b] = a;
            else parent[a] = b;
        }
        return new IdentityAliases(parent.Keys.ToDictionary(k => k, Find, StringComparer.Ordinal));
    }
}
