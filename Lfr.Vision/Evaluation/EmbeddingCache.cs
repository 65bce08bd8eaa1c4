using System.Text;
using Lfr.Vision.Files;

namespace Lfr.Vision.Evaluation;

/// <summary>
/// The embeddings of labelled evaluation photos, kept between runs of <c>lfr eval --embeddings FILE</c> so that a
/// second evaluation of the same photos with the same embedder skips minutes of embedding. For evaluation sets
/// only: operational captures never reach a disk. A photo is looked up by its full path and file size and time,
/// so a changed photo is embedded again; a file written for another embedder is ignored.
/// </summary>
public sealed class EmbeddingCache
{
    private const string Magic = "LFR-EVAL-EMBEDDINGS-1";
    private readonly Dictionary<string, float[]?> _entries;

    private EmbeddingCache(string modelSha256, Dictionary<string, float[]?> entries)
    {
        ModelSha256 = modelSha256;
        _entries = entries;
    }

    public string ModelSha256 { get; }

    public int Count => _entries.Count;

    /// <summary>The cache in <paramref name="path"/> for <paramref name="modelSha256"/>; empty when absent or for another model.</summary>
    public static EmbeddingCache Open(string path, string modelSha256)
    {
        var entries = new Dictionary<string, float[]?>(StringComparer.Ordinal);
        if (!File.Exists(path)) return new EmbeddingCache(modelSha256, entries);
        try
        {
            using var reader = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
            if (reader.ReadString() != Magic || reader.ReadString() != modelSha256)
                return new EmbeddingCache(modelSha256, entries);
            var count = reader.ReadInt32();
            for (var i = 0; i < count; i++)
            {
                var key = reader.ReadString();
                var length = reader.ReadInt32();
                float[]? embedding = null;
                if (length >= 0)
                {
                    embedding = new float[length];
                    for (var j = 0; j < length; j++) embedding[j] = reader.ReadSingle();
                }
                entries[key] = embedding;
            }
        }
        catch (EndOfStreamException)
        {
            entries.Clear(); // a cut-off file is as good as none
        }
        return new EmbeddingCache(modelSha256, entries);
    }

    /// <summary>True when <paramref name="photo"/> (unchanged since) was embedded before; <paramref name="embedding"/> is null for a photo with no face.</summary>
    public bool TryGet(string photo, out float[]? embedding) => _entries.TryGetValue(Key(photo), out embedding);

    public void Set(string photo, float[]? embedding) => _entries[Key(photo)] = embedding;

    public void Save(string path) =>
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            writer.Write(Magic);
            writer.Write(ModelSha256);
            writer.Write(_entries.Count);
            foreach (var (key, embedding) in _entries)
            {
                writer.Write(key);
                writer.Write(embedding?.Length ?? -1);
                if (embedding is null) continue;
                foreach (var v in embedding) writer.Write(v);
            }
        });

    private static string Key(string photo)
    {
        var info = new FileInfo(photo);
        return info.Exists ? $"{info.FullName}|{info.Length}|{info.LastWriteTimeUtc.Ticks}" : info.FullName;
    }
}
