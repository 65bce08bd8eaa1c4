using System.Numerics.Tensors;
using Lfr.Vision.Matching;
using Lfr.Vision.Watchlists;

namespace Lfr.Tests.Vision.Matching;

public class WatchlistIndexSpecs
{
    private static readonly WatchlistEntry[] Enrolled = RandomEmbeddings.Entries(5000, new Random(7));

    /// <summary>Half the probes are other photos of enrolled people, half are strangers.</summary>
    private static readonly float[][] Probes = Probe(new Random(8), 100);

    [Fact]
    public void Float32_search_should_return_the_reference_top_k_in_order()
    {
        var index = WatchlistIndex.Build(Enrolled, VectorStorage.Float32);
        foreach (var probe in Probes)
        {
            var expected = ReferenceSearch.Search(Enrolled, probe, 10);
            var found = index.Search(probe, 10);
            Assert.Equal(expected.Select(c => c.EntryId), found.Select(c => c.EntryId));
            Assert.Equal(expected.Select(c => c.Category), found.Select(c => c.Category));
            Assert.All(expected.Zip(found), pair => Assert.Equal(pair.Item1.Cosine, pair.Item2.Cosine, 1e-5f));
        }
    }

    [Fact]
    public void Int8_search_should_agree_with_the_reference_within_quantisation_error()
    {
        var index = WatchlistIndex.Build(Enrolled, VectorStorage.Int8);
        var byId = Enrolled.ToDictionary(e => e.Id);
        var sameTop1 = new[] { 0, 0 };
        for (var p = 0; p < Probes.Length; p++)
        {
            var expected = ReferenceSearch.Search(Enrolled, Probes[p], 10);
            var found = index.Search(Probes[p], 10);
            Assert.Equal(10, found.Count);
            foreach (var candidate in found)
                Assert.Equal(TensorPrimitives.Dot(byId[candidate.EntryId].Embedding.Span, Probes[p]), candidate.Cosine, 0.003f);
            if (found[0].EntryId == expected[0].EntryId)
                sameTop1[p % 2]++;
        }
        // another photo of an enrolled person is found every time; among strangers, whose best
        // candidates are near ties, quantisation may swap a few
        Assert.Equal(Probes.Length / 2, sameTop1[0]);
        Assert.True(sameTop1[1] >= Probes.Length / 2 * 9 / 10, $"top-1 agreed for {sameTop1[1]} of {Probes.Length / 2} strangers");
    }

    [Theory]
    [InlineData(VectorStorage.Float32)]
    [InlineData(VectorStorage.Int8)]
    public void Search_should_find_an_enrolled_face_with_cosine_near_1(VectorStorage storage)
    {
        var index = WatchlistIndex.Build(Enrolled, storage);
        foreach (var entry in Enrolled.Take(50))
        {
            var best = index.Search(entry.Embedding.Span, 1).Single();
            Assert.Equal(entry.Id, best.EntryId);
            Assert.Equal(entry.Category, best.Category);
            Assert.Equal(1f, best.Cosine, 0.005f);
        }
    }

    [Theory]
    [InlineData(VectorStorage.Float32)]
    [InlineData(VectorStorage.Int8)]
    public void Search_should_return_every_entry_best_first_when_k_exceeds_the_count(VectorStorage storage)
    {
        var index = WatchlistIndex.Build(Enrolled.Take(7), storage);
        var found = index.Search(Probes[0], 50);
        Assert.Equal(Enrolled.Take(7).Select(e => e.Id.Value).Order(), found.Select(c => c.EntryId.Value).Order());
        Assert.Equal(found.OrderByDescending(c => c.Cosine), found);
    }

    [Theory]
    [InlineData(VectorStorage.Float32)]
    [InlineData(VectorStorage.Int8)]
    public void Empty_index_should_match_nothing(VectorStorage storage)
    {
        var index = WatchlistIndex.Build([], storage);
        Assert.Empty(index.Search(Probes[0], 5));
        Assert.All(index.SearchBatch(Probes[0].Concat(Probes[1]).ToArray(), 5), Assert.Empty);
    }

    [Theory]
    [InlineData(VectorStorage.Float32)]
    [InlineData(VectorStorage.Int8)]
    public void SearchBatch_should_equal_one_search_per_probe(VectorStorage storage)
    {
        // more rows than one parallel chunk, so the batch is split and merged
        var entries = RandomEmbeddings.Entries(40_000, new Random(9));
        var index = WatchlistIndex.Build(entries, storage);
        var batch = index.SearchBatch(Probes.Take(6).SelectMany(p => p).ToArray(), 5);
        for (var p = 0; p < 6; p++)
            Assert.Equal(index.Search(Probes[p], 5), batch[p]);
    }

    [Fact]
    public void Concurrent_searches_should_see_the_same_results_as_sequential_ones()
    {
        var index = WatchlistIndex.Build(Enrolled, VectorStorage.Int8);
        var sequential = Probes.Select(p => index.Search(p, 3)).ToArray();
        var concurrent = new IReadOnlyList<WatchlistCandidate>[Probes.Length];
        Parallel.For(0, Probes.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, p => concurrent[p] = index.Search(Probes[p], 3));
        for (var p = 0; p < Probes.Length; p++)
            Assert.Equal(sequential[p], concurrent[p]);
    }

    [Fact]
    public void Builder_should_refuse_an_embedding_that_is_not_normalised()
    {
        var builder = new WatchlistIndexBuilder(VectorStorage.Int8, 1);
        var doubled = Enrolled[0].Embedding.ToArray().Select(x => 2 * x).ToArray();
        Assert.Throws<ArgumentException>(() => builder.Add(new WatchlistEntryId("w-x"), WatchlistCategory.CourtWarrant, doubled));
    }

    [Theory]
    [InlineData(512)]
    [InlineData(40)]
    [InlineData(7)]
    public void Int8_dot_products_should_equal_the_scalar_sum(int length)
    {
        var random = new Random(length);
        var row = new sbyte[length];
        var query = new short[length];
        var expected = 0;
        for (var i = 0; i < length; i++)
        {
            row[i] = (sbyte)random.Next(-127, 128);
            query[i] = (short)random.Next(-127, 128);
            expected += row[i] * query[i];
        }
        Assert.Equal(expected, Int8Vectors.DotPortable(row, query));
        if (System.Runtime.Intrinsics.X86.Avx2.IsSupported)
            Assert.Equal(expected, Int8Vectors.DotAvx2(row, query));
    }

    [Fact]
    [Trait("Category", "Scale")]
    public void Int8_index_should_hold_and_search_a_million_entries()
    {
        const int count = 1_000_000;
        var random = new Random(10);
        var planted = new Dictionary<int, float[]> { [123_456] = RandomEmbeddings.Unit(random), [987_654] = RandomEmbeddings.Unit(random) };
        var builder = new WatchlistIndexBuilder(VectorStorage.Int8, count);
        var row = new float[WatchlistEntry.DefaultEmbeddingLength];
        var scratch = new byte[WatchlistEntry.DefaultEmbeddingLength];
        for (var i = 0; i < count; i++)
        {
            if (planted.TryGetValue(i, out var vector))
                vector.CopyTo(row, 0);
            else
                RandomEmbeddings.FillQuickly(random, row, scratch);
            builder.Add(new WatchlistEntryId($"w-{i}"), WatchlistCategory.WantedWithPowerOfArrest, row);
        }
        var index = builder.Build();

        Assert.Equal(count, index.Count);
        foreach (var (at, vector) in planted)
        {
            var best = index.Search(RandomEmbeddings.Near(vector, 0.7f, random), 3);
            Assert.Equal(new WatchlistEntryId($"w-{at}"), best[0].EntryId);
            Assert.Equal(0.7f, best[0].Cosine, 0.01f);
            Assert.True(best[1].Cosine < 0.4f);
        }
    }

    private static float[][] Probe(Random random, int count) =>
        Enumerable.Range(0, count)
            .Select(p => p % 2 == 0 ? RandomEmbeddings.Near(Enrolled[p * 37 % Enrolled.Length].Embedding.ToArray(), 0.5f, random) : RandomEmbeddings.Unit(random))
            .ToArray();
}
