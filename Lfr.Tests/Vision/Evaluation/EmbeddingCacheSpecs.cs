using Lfr.Vision.Evaluation;

namespace Lfr.Tests.Vision.Evaluation;

/// <summary><c>lfr eval --embeddings FILE</c>: evaluation embeddings kept between runs, for one embedder only.</summary>
public sealed class EmbeddingCacheSpecs : IDisposable
{
    private static readonly string ModelA = new('a', 64), ModelB = new('b', 64);
    private readonly string _folder = Directory.CreateTempSubdirectory("lfr-cache-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Cache_should_give_back_embeddings_of_unchanged_photos_for_the_same_embedder_only()
    {
        var photo = Path.Combine(_folder, "a.jpg");
        var faceless = Path.Combine(_folder, "b.jpg");
        File.WriteAllBytes(photo, [1, 2, 3]);
        File.WriteAllBytes(faceless, [4]);
        var file = Path.Combine(_folder, "eval.emb");
        var cache = EmbeddingCache.Open(file, ModelA);
        cache.Set(photo, [0.6f, 0.8f]);
        cache.Set(faceless, null);
        cache.Save(file);

        var again = EmbeddingCache.Open(file, ModelA);
        Assert.True(again.TryGet(photo, out var embedding));
        Assert.Equal([0.6f, 0.8f], embedding!);
        Assert.True(again.TryGet(faceless, out var none));
        Assert.Null(none);
        Assert.Equal(0, EmbeddingCache.Open(file, ModelB).Count);

        // a photo that changed is embedded again
        File.WriteAllBytes(photo, [1, 2, 3, 4]);
        Assert.False(EmbeddingCache.Open(file, ModelA).TryGet(photo, out _));
    }
}
