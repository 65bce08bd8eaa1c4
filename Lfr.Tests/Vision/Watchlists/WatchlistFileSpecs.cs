using Lfr.Tests.Vision.Matching;
using Lfr.Vision.Matching;
using Lfr.Vision.Watchlists;

namespace Lfr.Tests.Vision.Watchlists;

public class WatchlistFileSpecs : IDisposable
{
    private const string Model = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static readonly DateTimeOffset Created = new(2025, 3, 14, 6, 30, 0, TimeSpan.Zero);

    private readonly string _folder = Directory.CreateTempSubdirectory("lfr-watchlist-").FullName;
    private readonly WatchlistSigningKey _key = WatchlistSigningKey.FromBytes(new byte[32]);
    private readonly WatchlistEntry[] _entries;

    public WatchlistFileSpecs()
    {
        var random = new Random(11);
        _entries =
        [
            new(new WatchlistEntryId("w-1"), WatchlistCategory.CourtWarrant, RandomEmbeddings.Unit(random))
            {
                Reason = "warrant 2025/0042", Source = "Westminster Magistrates' Court", RecordedOn = "2025-03-01", DisplayLabel = "Subject 1",
            },
            new(new WatchlistEntryId("w-2"), WatchlistCategory.SexOffenderWithConditions, RandomEmbeddings.Unit(random)),
        ];
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void File_should_round_trip_header_entries_and_embeddings()
    {
        var path = Write(_entries);
        var read = WatchlistFile.Read(path, Model, _key);

        Assert.Equal(Model, read.ModelSha256);
        Assert.Equal(Created, read.CreatedUtc);
        Assert.Equal(2, read.Entries.Count);
        for (var i = 0; i < 2; i++)
        {
            var (expected, actual) = (_entries[i], read.Entries[i]);
            Assert.Equal(expected.Id, actual.Id);
            Assert.Equal(expected.Category, actual.Category);
            Assert.Equal(expected.Embedding.ToArray(), actual.Embedding.ToArray());
            Assert.Equal((expected.Reason, expected.Source, expected.RecordedOn, expected.DisplayLabel),
                (actual.Reason, actual.Source, actual.RecordedOn, actual.DisplayLabel));
        }
        // written through a temporary file that is renamed into place
        Assert.Equal([path], Directory.GetFiles(_folder));
    }

    [Fact]
    public void Index_from_file_should_find_the_enrolled_faces()
    {
        var index = WatchlistIndex.FromFile(Write(_entries), Model, _key, VectorStorage.Int8);
        var best = index.Search(_entries[1].Embedding.Span, 1).Single();
        Assert.Equal((_entries[1].Id, WatchlistCategory.SexOffenderWithConditions), (best.EntryId, best.Category));
    }

    [Fact]
    public void File_should_carry_each_entrys_file_images_in_format_3()
    {
        var image = Enumerable.Range(0, 5_000).Select(i => (byte)(i * 17 + 3)).ToArray();
        byte[] second = [1, 2, 3], third = [.. Enumerable.Repeat((byte)9, WatchlistEntry.MaxFileImageBytes)];
        var path = Write([new WatchlistEntry(_entries[0].Id, _entries[0].Category, _entries[0].Embedding.Span)
            { FileImage = image, MoreFileImages = [second, third] }, _entries[1]]);

        var read = WatchlistFile.Read(path, Model, _key);

        Assert.Equal(3, read.FormatVersion);
        Assert.Equal(image, read.Entries[0].FileImage.ToArray());
        Assert.Equal([second, third], read.Entries[0].MoreFileImages.Select(i => i.ToArray()));
        Assert.True(read.Entries[1].FileImage.IsEmpty);
        Assert.Empty(read.Entries[1].MoreFileImages);
    }

    [Fact]
    public void File_should_carry_embeddings_of_the_size_its_model_gives_and_refuse_mixed_sizes()
    {
        var small = new float[128];
        small[3] = 1;
        var path = Write([new WatchlistEntry(new WatchlistEntryId("E-128"), WatchlistCategory.CourtWarrant, small)]);

        var read = WatchlistFile.Read(path, Model, _key);

        Assert.Equal(small, read.Entries[0].Embedding.ToArray());
        Assert.Equal(128, WatchlistIndex.Build(read.Entries, VectorStorage.Float32).Dimensions);
        Assert.Throws<ArgumentException>(() => Write([read.Entries[0], _entries[0]]));
    }

    [Fact]
    public void Entry_should_refuse_more_than_eight_file_images()
    {
        var nine = Enumerable.Range(0, 8).Select(_ => (ReadOnlyMemory<byte>)new byte[] { 1 }).ToArray();
        Assert.Throws<ArgumentException>(() => new WatchlistEntry(_entries[0].Id, _entries[0].Category, _entries[0].Embedding.Span)
            { FileImage = new byte[] { 1 }, MoreFileImages = nine });
    }

    [Fact]
    public void Read_should_still_read_a_format_1_file_without_file_images()
    {
        var path = Path.Combine(_folder, "format-1.lfrw");
        Format1File.Write(path, _entries, Model, Created, _key);

        var read = WatchlistFile.Read(path, Model, _key);

        Assert.Equal(1, read.FormatVersion);
        Assert.Equal(_entries.Select(e => e.Id), read.Entries.Select(e => e.Id));
        Assert.Equal(_entries[1].Embedding.ToArray(), read.Entries[1].Embedding.ToArray());
        Assert.Equal("Westminster Magistrates' Court", read.Entries[0].Source);
        Assert.All(read.Entries, e => Assert.True(e.FileImage.IsEmpty));
    }

    [Fact]
    public void Entry_should_refuse_a_file_image_over_64_KB()
    {
        Assert.Throws<ArgumentException>(() =>
            new WatchlistEntry(_entries[0].Id, _entries[0].Category, _entries[0].Embedding.Span) { FileImage = new byte[64 * 1024 + 1] });
    }

    [Fact]
    public void Wiped_watchlist_should_round_trip_and_match_nothing()
    {
        var index = WatchlistIndex.FromFile(Write([]), Model, _key, VectorStorage.Int8);
        Assert.Empty(index.Search(_entries[0].Embedding.Span, 1));
    }

    [Fact]
    public void Read_should_refuse_a_file_with_any_single_byte_changed()
    {
        var path = Write(_entries);
        var original = File.ReadAllBytes(path);
        for (var i = 0; i < original.Length; i++)
        {
            var tampered = (byte[])original.Clone();
            tampered[i] ^= 0xFF;
            File.WriteAllBytes(path, tampered);
            var error = Assert.Throws<WatchlistFileException>(() => WatchlistFile.Read(path, Model, _key));
            Assert.NotEqual(WatchlistFileError.Malformed, error.Error);
        }
    }

    [Fact]
    public void Read_should_refuse_a_truncated_file()
    {
        var path = Write(_entries);
        var original = File.ReadAllBytes(path);
        for (var length = 0; length < original.Length; length++)
        {
            File.WriteAllBytes(path, original[..length]);
            Assert.Throws<WatchlistFileException>(() => WatchlistFile.Read(path, Model, _key));
        }
    }

    [Fact]
    public void Read_should_refuse_a_file_signed_with_another_key()
    {
        var path = Write(_entries);
        var otherKey = WatchlistSigningKey.FromBytes(Enumerable.Repeat((byte)1, 32).ToArray());
        var error = Assert.Throws<WatchlistFileException>(() => WatchlistFile.Read(path, Model, otherKey));
        Assert.Equal(WatchlistFileError.SignatureMismatch, error.Error);
    }

    [Fact]
    public void Read_should_refuse_a_file_without_signature()
    {
        var path = Write(_entries);
        var signed = File.ReadAllBytes(path);
        File.WriteAllBytes(path, signed[..^40]);
        var error = Assert.Throws<WatchlistFileException>(() => WatchlistFile.Read(path, Model, _key));
        Assert.Equal(WatchlistFileError.Unsigned, error.Error);
    }

    [Fact]
    public void Read_should_refuse_a_file_enrolled_with_another_model()
    {
        var path = Write(_entries);
        var error = Assert.Throws<WatchlistFileException>(() => WatchlistFile.Read(path, new string('e', 64), _key));
        Assert.Equal(WatchlistFileError.ModelMismatch, error.Error);
    }

    [Fact]
    public void Write_should_refuse_duplicate_ids_and_leave_no_file()
    {
        var path = Path.Combine(_folder, "watchlist.lfrw");
        var twice = new[] { _entries[0], new WatchlistEntry(_entries[0].Id, WatchlistCategory.CourtWarrant, _entries[1].Embedding.Span) };
        Assert.Throws<ArgumentException>(() => WatchlistFile.Write(path, twice, Model, Created, _key));
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public void Entry_text_should_never_show_its_label_or_details()
    {
        var text = _entries[0].ToString();
        Assert.Equal("WatchlistEntry(w-1, CourtWarrant)", text);
        Assert.DoesNotContain("Subject", text);
    }

    private string Write(IReadOnlyCollection<WatchlistEntry> entries)
    {
        var path = Path.Combine(_folder, "watchlist.lfrw");
        WatchlistFile.Write(path, entries, Model, Created, _key);
        return path;
    }
}
