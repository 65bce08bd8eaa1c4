using System.Collections.Frozen;

namespace Lfr.Actors.Cluster.Serialization;

/// <summary>
/// Which wire messages exist and how each is written: type -> manifest -> codec. A manifest is part of the wire
/// format: once a version has shipped it never changes meaning (a new shape gets a new manifest).
/// </summary>
public sealed class WireRegistry
{
    private readonly FrozenDictionary<Type, (string Manifest, WireCodec Codec)> _byType;
    private readonly FrozenDictionary<string, WireCodec> _byManifest;

    public WireRegistry(IEnumerable<(string Manifest, WireCodec Codec)> entries)
    {
        var list = entries.ToList();
        foreach (var duplicate in list.GroupBy(e => e.Manifest).Where(g => g.Count() > 1))
            throw new ArgumentException($"manifest '{duplicate.Key}' is registered for {string.Join(" and ", duplicate.Select(e => e.Codec.MessageType.Name))}");
        foreach (var duplicate in list.GroupBy(e => e.Codec.MessageType).Where(g => g.Count() > 1))
            throw new ArgumentException($"{duplicate.Key.Name} is registered twice");
        _byType = list.ToFrozenDictionary(e => e.Codec.MessageType, e => (e.Manifest, e.Codec));
        _byManifest = list.ToFrozenDictionary(e => e.Manifest, e => e.Codec);
    }

    public IEnumerable<Type> Types => _byType.Keys;

    public bool TryGet(Type type, out string manifest, out WireCodec codec)
    {
        if (_byType.TryGetValue(type, out var entry))
        {
            (manifest, codec) = entry;
            return true;
        }
        (manifest, codec) = ("", null!);
        return false;
    }

    public bool TryGet(string manifest, out WireCodec codec) => _byManifest.TryGetValue(manifest, out codec!);
}
