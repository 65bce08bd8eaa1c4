using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Lfr.Vision.Files;

namespace Lfr.Vision.Watchlists;

/// <summary>Why a watchlist file was refused.</summary>
public enum WatchlistFileError
{
    NotAWatchlistFile,
    /// <summary>No signature at the end: never signed, or cut short.</summary>
    Unsigned,
    /// <summary>Tampered with, truncated, or signed with another key; these are deliberately not told apart.</summary>
    SignatureMismatch,
    UnsupportedVersion,
    /// <summary>Enrolled with another embedding model, so its vectors cannot be compared with ours.</summary>
    ModelMismatch,
    /// <summary>Correctly signed but not well formed: a writer bug, or a leaked key.</summary>
    Malformed,
}

public sealed class WatchlistFileException(WatchlistFileError error, string message) : Exception(message)
{
    public WatchlistFileError Error { get; } = error;
}

/// <summary>What a verified watchlist file holds.</summary>
public sealed record WatchlistFileContents(string ModelSha256, DateTimeOffset CreatedUtc, IReadOnlyList<WatchlistEntry> Entries)
{
    /// <summary>The format the file was written in: 1 carries no file images, 2 one per entry, 3 several per entry.</summary>
    public int FormatVersion { get; init; } = WatchlistFile.FormatVersion;

    public override string ToString() => $"WatchlistFileContents({Entries.Count} entries, model {ModelSha256[..12]}, {CreatedUtc:O})";
}

/// <summary>
/// The signed watchlist file. Little-endian layout:
/// <code>
/// header  "LFRWLIST" | u16 format version (3) | 32 bytes embedding model SHA-256 | i64 created (Unix ms)
///         | u8 storage kind (1 = float32) | u16 dimensions (512 for fr_feature) | i32 entry count
/// entry   str id | u8 category | f32[dimensions] embedding | str reason | str source | str recorded-on | str display label
///         | i32 file image length (0 = none; at most 64 KB) | file image bytes (a JPEG)       -- formats 2 and 3
///         | u8 more images (at most 7) | that many (i32 length | JPEG bytes), the entry's other file images -- format 3
/// trailer "LFRSIG01" | 32 bytes HMAC-SHA256(key, header and entries)
/// str     u16 UTF-8 byte length | bytes (length 0 = absent)
/// </code>
/// <see cref="Read"/> checks the signature over the whole file before it interprets a single
/// field, so a tampered file is refused as tampered rather than parsed.
/// </summary>
public static class WatchlistFile
{
    public const ushort FormatVersion = 3;

    /// <summary>The first format, without file images: still read.</summary>
    public const ushort FormatVersionWithoutImages = 1;

    /// <summary>The second format, with one file image per entry: still read.</summary>
    public const ushort FormatVersionOneImage = 2;

    private const byte StorageFloat32 = 1;
    private const int TagBytes = 32;
    private static ReadOnlySpan<byte> Magic => "LFRWLIST"u8;
    private static ReadOnlySpan<byte> SignatureMarker => "LFRSIG01"u8;
    private static int TrailerBytes => SignatureMarker.Length + TagBytes;

    public static void Write(string path, IReadOnlyCollection<WatchlistEntry> entries, string modelSha256,
        DateTimeOffset createdUtc, WatchlistSigningKey key)
    {
        var model = ParseSha256(modelSha256);
        var dimensions = entries.FirstOrDefault()?.Embedding.Length ?? WatchlistEntry.DefaultEmbeddingLength;
        if (entries.Any(e => e.Embedding.Length != dimensions))
            throw new ArgumentException("Every entry of a watchlist has an embedding of the same size (one embedding model).", nameof(entries));
        AtomicFile.Write(path, stream =>
        {
            using var writer = new SigningWriter(new BufferedStream(stream, 1 << 16), key);
            writer.Bytes(Magic);
            writer.UInt16(FormatVersion);
            writer.Bytes(model);
            writer.Int64(createdUtc.ToUnixTimeMilliseconds());
            writer.Byte(StorageFloat32);
            writer.UInt16((ushort)dimensions);
            writer.Int32(entries.Count);
            var ids = new HashSet<WatchlistEntryId>();
            foreach (var entry in entries)
            {
                if (!ids.Add(entry.Id))
                    throw new ArgumentException("Watchlist entry ids must be unique.", nameof(entries));
                writer.Text(entry.Id.Value);
                writer.Byte((byte)entry.Category);
                writer.Floats(entry.Embedding.Span);
                writer.Text(entry.Reason);
                writer.Text(entry.Source);
                writer.Text(entry.RecordedOn);
                writer.Text(entry.DisplayLabel);
                writer.Int32(entry.FileImage.Length);
                writer.Bytes(entry.FileImage.Span);
                writer.Byte((byte)entry.MoreFileImages.Count);
                foreach (var image in entry.MoreFileImages)
                {
                    writer.Int32(image.Length);
                    writer.Bytes(image.Span);
                }
            }
            writer.Sign(SignatureMarker);
        });
    }

    /// <exception cref="WatchlistFileException">The file is not an intact watchlist signed with
    /// <paramref name="key"/> for the model <paramref name="expectedModelSha256"/>.</exception>
    public static WatchlistFileContents Read(string path, string expectedModelSha256, WatchlistSigningKey key)
    {
        // FileShare.Read keeps writers out between the verifying and the parsing pass
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(stream, expectedModelSha256, key);
    }

    /// <summary>A watchlist file already in memory, e.g. uploaded to the control room.</summary>
    /// <exception cref="WatchlistFileException">As for a file on disk.</exception>
    public static WatchlistFileContents Read(byte[] file, string expectedModelSha256, WatchlistSigningKey key)
    {
        using var stream = new MemoryStream(file, writable: false);
        return Read(stream, expectedModelSha256, key);
    }

    private static WatchlistFileContents Read(Stream stream, string expectedModelSha256, WatchlistSigningKey key)
    {
        var expectedModel = ParseSha256(expectedModelSha256);
        var contentLength = Verify(stream, key);
        stream.Position = 0;
        return Parse(new BufferedStream(stream, 1 << 16), contentLength, expectedModel);
    }

    private static long Verify(Stream stream, WatchlistSigningKey key)
    {
        Span<byte> head = stackalloc byte[Magic.Length];
        if (stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) < head.Length || !head.SequenceEqual(Magic))
            throw new WatchlistFileException(WatchlistFileError.NotAWatchlistFile, "This is not an Lfr watchlist file.");

        var contentLength = stream.Length - TrailerBytes;
        Span<byte> trailer = stackalloc byte[TrailerBytes];
        if (contentLength < Magic.Length || !ReadAt(stream, contentLength, trailer) || !trailer[..SignatureMarker.Length].SequenceEqual(SignatureMarker))
            throw new WatchlistFileException(WatchlistFileError.Unsigned, "The watchlist file has no signature: it was never signed, or it was cut short.");

        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key.Bytes);
        var buffer = new byte[1 << 16];
        stream.Position = 0;
        for (var left = contentLength; left > 0;)
        {
            var read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (read == 0)
                throw new WatchlistFileException(WatchlistFileError.SignatureMismatch, "The watchlist file changed while it was being read.");
            hmac.AppendData(buffer, 0, read);
            left -= read;
        }
        Span<byte> expected = stackalloc byte[TagBytes];
        hmac.GetHashAndReset(expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, trailer[SignatureMarker.Length..]))
            throw new WatchlistFileException(WatchlistFileError.SignatureMismatch,
                "The watchlist file's signature does not match: it was altered or truncated, or it was signed with another key.");
        return contentLength;
    }

    private static bool ReadAt(Stream stream, long position, Span<byte> into)
    {
        stream.Position = position;
        return stream.ReadAtLeast(into, into.Length, throwOnEndOfStream: false) == into.Length;
    }

    private static WatchlistFileContents Parse(Stream stream, long contentLength, byte[] expectedModel)
    {
        var reader = new BoundedReader(stream, contentLength);
        reader.Skip(Magic.Length);
        var version = reader.UInt16();
        if (version is not (FormatVersion or FormatVersionOneImage or FormatVersionWithoutImages))
            throw new WatchlistFileException(WatchlistFileError.UnsupportedVersion,
                $"Watchlist file format {version} is not supported; this build reads formats {FormatVersionWithoutImages} to {FormatVersion}.");
        var model = reader.Bytes(expectedModel.Length);
        if (!model.AsSpan().SequenceEqual(expectedModel))
            throw new WatchlistFileException(WatchlistFileError.ModelMismatch,
                $"The watchlist was enrolled with embedding model {Convert.ToHexStringLower(model)}, but the model in use is {Convert.ToHexStringLower(expectedModel)}; enrol it again.");
        var created = DateTimeOffset.FromUnixTimeMilliseconds(reader.Int64());
        if (reader.Byte() != StorageFloat32)
            throw Malformed("unknown storage kind");
        var dimensions = reader.UInt16();
        if (dimensions is < WatchlistEntry.MinEmbeddingLength or > WatchlistEntry.MaxEmbeddingLength
            || (version != FormatVersion && dimensions != WatchlistEntry.DefaultEmbeddingLength))
            throw Malformed($"embeddings of {dimensions} values");
        var count = reader.Int32();
        if (count < 0)
            throw Malformed("negative entry count");

        var entries = new List<WatchlistEntry>();
        var ids = new HashSet<WatchlistEntryId>();
        var embedding = new float[dimensions];
        for (var i = 0; i < count; i++)
        {
            try
            {
                var id = new WatchlistEntryId(reader.Text() ?? "");
                if (!ids.Add(id))
                    throw Malformed($"entry {i}: a duplicate id");
                var category = (WatchlistCategory)reader.Byte();
                reader.Floats(embedding);
                entries.Add(new WatchlistEntry(id, category, embedding)
                {
                    Reason = reader.Text(),
                    Source = reader.Text(),
                    RecordedOn = reader.Text(),
                    DisplayLabel = reader.Text(),
                    FileImage = version == FormatVersionWithoutImages ? ReadOnlyMemory<byte>.Empty : reader.Bytes(ImageLength(reader.Int32())),
                    MoreFileImages = version == FormatVersion ? MoreImages(reader) : [],
                });
            }
            catch (ArgumentException e)
            {
                throw Malformed($"entry {i}: {e.Message}");
            }
        }
        if (!reader.AtEnd)
            throw Malformed("bytes after the last entry");
        return new WatchlistFileContents(Convert.ToHexStringLower(model), created, entries) { FormatVersion = version };
    }

    private static byte[] ParseSha256(string hex)
    {
        if (hex.Length != 64)
            throw new ArgumentException("A model SHA-256 is 64 hex digits.", nameof(hex));
        try
        {
            return Convert.FromHexString(hex);
        }
        catch (FormatException e)
        {
            throw new ArgumentException("A model SHA-256 is 64 hex digits.", nameof(hex), e);
        }
    }

    private static ReadOnlyMemory<byte>[] MoreImages(BoundedReader reader)
    {
        var count = reader.Byte();
        if (count >= WatchlistEntry.MaxFileImages)
            throw Malformed($"{count + 1} file images for one entry");
        var images = new ReadOnlyMemory<byte>[count];
        for (var i = 0; i < count; i++)
            images[i] = reader.Bytes(ImageLength(reader.Int32()));
        return images;
    }

    private static int ImageLength(int length) =>
        length is >= 0 and <= WatchlistEntry.MaxFileImageBytes ? length : throw Malformed($"a file image of {length} bytes");

    private static WatchlistFileException Malformed(string what) =>
        new(WatchlistFileError.Malformed, $"The watchlist file is signed but malformed ({what}).");

    /// <summary>Writes little-endian fields and feeds every byte to the HMAC as well.</summary>
    private sealed class SigningWriter(Stream stream, WatchlistSigningKey key) : IDisposable
    {
        private readonly IncrementalHash _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key.Bytes);
        private readonly byte[] _floats = new byte[WatchlistEntry.MaxEmbeddingLength * sizeof(float)];

        public void Bytes(ReadOnlySpan<byte> bytes)
        {
            _hmac.AppendData(bytes);
            stream.Write(bytes);
        }

        public void Byte(byte value) => Bytes([value]);

        public void UInt16(ushort value)
        {
            Span<byte> b = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(b, value);
            Bytes(b);
        }

        public void Int32(int value)
        {
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(b, value);
            Bytes(b);
        }

        public void Int64(long value)
        {
            Span<byte> b = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(b, value);
            Bytes(b);
        }

        public void Floats(ReadOnlySpan<float> values)
        {
            for (var i = 0; i < values.Length; i++)
                BinaryPrimitives.WriteSingleLittleEndian(_floats.AsSpan(i * sizeof(float)), values[i]);
            Bytes(_floats.AsSpan(0, values.Length * sizeof(float)));
        }

        public void Text(string? text)
        {
            var bytes = Encoding.UTF8.GetBytes(text ?? "");
            UInt16(checked((ushort)bytes.Length));
            Bytes(bytes);
        }

        /// <summary>The trailer is the marker and the tag; neither is part of what is signed.</summary>
        public void Sign(ReadOnlySpan<byte> marker)
        {
            stream.Write(marker);
            stream.Write(_hmac.GetHashAndReset());
            stream.Flush();
        }

        public void Dispose() => _hmac.Dispose();
    }

    /// <summary>Reads little-endian fields, never past the signed content.</summary>
    private sealed class BoundedReader(Stream stream, long length)
    {
        private readonly byte[] _scratch = new byte[Math.Max(WatchlistEntry.MaxEmbeddingLength * sizeof(float), WatchlistEntry.MaxFileImageBytes)];
        private long _position;

        public bool AtEnd => _position == length;

        public void Skip(int count) => Fill(count);
        public byte Byte() => Fill(1)[0];
        public ushort UInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Fill(2));
        public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Fill(4));
        public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Fill(8));
        public byte[] Bytes(int count) => Fill(count).ToArray();

        public void Floats(Span<float> into)
        {
            var bytes = Fill(into.Length * sizeof(float));
            for (var i = 0; i < into.Length; i++)
                into[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * sizeof(float))..]);
        }

        public string? Text()
        {
            var count = UInt16();
            return count == 0 ? null : Encoding.UTF8.GetString(Fill(count));
        }

        private ReadOnlySpan<byte> Fill(int count)
        {
            if (count > length - _position)
                throw Malformed("a field runs past the end");
            if (count > _scratch.Length)
                throw Malformed("a field is too long");
            var span = _scratch.AsSpan(0, count);
            stream.ReadExactly(span);
            _position += count;
            return span;
        }
    }
}
