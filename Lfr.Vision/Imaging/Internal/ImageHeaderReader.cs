using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Lfr.Vision.Imaging.Internal;

/// <summary>What the container header says, read without decoding any pixels.</summary>
/// <param name="Truncated">The data visibly ends before the image does (no end marker, or shorter than the header says).</param>
internal readonly record struct ImageHeader(long Width, long Height, bool Truncated);

/// <summary>
/// Identifies the format by its magic bytes and reads the dimensions from the header itself, so that a
/// decompression bomb is refused before OpenCV allocates its pixels.
/// </summary>
internal static class ImageHeaderReader
{
    private static ReadOnlySpan<byte> JpegMagic => [0xFF, 0xD8, 0xFF];
    private static ReadOnlySpan<byte> JpegEndOfImage => [0xFF, 0xD9];
    private static ReadOnlySpan<byte> PngMagic => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private static ReadOnlySpan<byte> Vp8StartCode => [0x9D, 0x01, 0x2A];
    private static ReadOnlySpan<byte> MatroskaMagic => [0x1A, 0x45, 0xDF, 0xA3];
    private static ReadOnlySpan<byte> Jpeg2000CodestreamMagic => [0xFF, 0x4F, 0xFF, 0x51];
    private static ReadOnlySpan<byte> Jpeg2000Magic => [0, 0, 0, 0x0C, (byte)'j', (byte)'P'];

    public static ImageFormat Identify(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith(JpegMagic))
            return ImageFormat.Jpeg;
        if (data.StartsWith(PngMagic))
            return ImageFormat.Png;
        if (data.StartsWith("BM"u8))
            return ImageFormat.Bmp;
        if (data.Length >= 12 && data.StartsWith("RIFF"u8) && data[8..12].SequenceEqual("WEBP"u8))
            return ImageFormat.WebP;
        return ImageFormat.Unknown;
    }

    /// <summary>Reads the header of data that <see cref="Identify"/> found to be <paramref name="format"/>.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, ImageFormat format, out ImageHeader header, [NotNullWhen(false)] out ImageDecodeError? error) =>
        format switch
        {
            ImageFormat.Jpeg => TryReadJpeg(data, out header, out error),
            ImageFormat.Png => TryReadPng(data, out header, out error),
            ImageFormat.Bmp => TryReadBmp(data, out header, out error),
            ImageFormat.WebP => TryReadWebP(data, out header, out error),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "not a supported format"),
        };

    private static bool TryReadJpeg(ReadOnlySpan<byte> data, out ImageHeader header, [NotNullWhen(false)] out ImageDecodeError? error)
    {
        header = default;
        var pos = 2;
        while (true)
        {
            if (pos >= data.Length)
                return Fail(ImageDecodeErrorCode.Truncated, "JPEG ends before its frame header", out error);
            if (data[pos] != 0xFF)
                return Fail(ImageDecodeErrorCode.Corrupt, $"JPEG has no marker at byte {pos}", out error);
            while (pos < data.Length && data[pos] == 0xFF)
                pos++; // fill bytes may pad any marker
            if (pos >= data.Length)
                return Fail(ImageDecodeErrorCode.Truncated, "JPEG ends before its frame header", out error);

            var marker = data[pos++];
            if (marker is >= 0xD0 and <= 0xD7 or 0x01)
                continue; // RSTn and TEM stand alone, without a length
            if (marker is 0xD9 or 0xDA)
                return Fail(ImageDecodeErrorCode.Corrupt, "JPEG has no frame header before its image data", out error);
            if (pos + 2 > data.Length)
                return Fail(ImageDecodeErrorCode.Truncated, "JPEG ends inside a segment header", out error);

            if (IsStartOfFrame(marker))
            {
                if (pos + 7 > data.Length)
                    return Fail(ImageDecodeErrorCode.Truncated, "JPEG ends inside its frame header", out error);
                var height = BinaryPrimitives.ReadUInt16BigEndian(data[(pos + 3)..]);
                var width = BinaryPrimitives.ReadUInt16BigEndian(data[(pos + 5)..]);
                // Entropy-coded data can never hold FF D9, so an EOI after the frame header ends the main image;
                // an EXIF thumbnail's EOI comes before it. Bytes after the EOI (phones append some) are allowed.
                var truncated = data.LastIndexOf(JpegEndOfImage) < pos;
                header = new ImageHeader(width, height, truncated);
                error = null;
                return true;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(data[pos..]);
            if (length < 2)
                return Fail(ImageDecodeErrorCode.Corrupt, $"JPEG segment at byte {pos} has an invalid length", out error);
            pos += length;
        }
    }

    // SOF0-SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range.
    private static bool IsStartOfFrame(byte marker) => marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC);

    private static bool TryReadPng(ReadOnlySpan<byte> data, out ImageHeader header, [NotNullWhen(false)] out ImageDecodeError? error)
    {
        header = default;
        // signature (8), IHDR length (4), "IHDR" (4), width (4), height (4)
        if (data.Length < 24)
            return Fail(ImageDecodeErrorCode.Truncated, "PNG ends before its IHDR header", out error);
        if (!data[12..16].SequenceEqual("IHDR"u8))
            return Fail(ImageDecodeErrorCode.Corrupt, "PNG does not start with an IHDR chunk", out error);

        var width = BinaryPrimitives.ReadUInt32BigEndian(data[16..]);
        var height = BinaryPrimitives.ReadUInt32BigEndian(data[20..]);
        var truncated = data.LastIndexOf("IEND"u8) < 24;
        header = new ImageHeader(width, height, truncated);
        error = null;
        return true;
    }

    private static bool TryReadBmp(ReadOnlySpan<byte> data, out ImageHeader header, [NotNullWhen(false)] out ImageDecodeError? error)
    {
        header = default;
        if (data.Length < 26)
            return Fail(ImageDecodeErrorCode.Truncated, "BMP ends before its header", out error);

        var pixelOffset = BinaryPrimitives.ReadUInt32LittleEndian(data[10..]);
        var infoSize = BinaryPrimitives.ReadUInt32LittleEndian(data[14..]);
        long width, height;
        int bitsPerPixel;
        uint compression = 0;
        if (infoSize == 12)
        {
            // OS/2 BITMAPCOREHEADER: 16-bit sizes
            width = BinaryPrimitives.ReadUInt16LittleEndian(data[18..]);
            height = BinaryPrimitives.ReadUInt16LittleEndian(data[20..]);
            bitsPerPixel = BinaryPrimitives.ReadUInt16LittleEndian(data[24..]);
        }
        else if (infoSize is 40 or 52 or 56 or 64 or 108 or 124) // BITMAPINFOHEADER, its V2-V5 successors, OS/2 2.x
        {
            if (data.Length < 34)
                return Fail(ImageDecodeErrorCode.Truncated, "BMP ends before its header", out error);
            width = Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(data[18..]));
            height = Math.Abs((long)BinaryPrimitives.ReadInt32LittleEndian(data[22..])); // negative means top-down
            bitsPerPixel = BinaryPrimitives.ReadUInt16LittleEndian(data[28..]);
            compression = BinaryPrimitives.ReadUInt32LittleEndian(data[30..]);
        }
        else
        {
            return Fail(ImageDecodeErrorCode.Corrupt, $"BMP has an unknown info header size {infoSize}", out error);
        }

        // Uncompressed rows (BI_RGB, BI_BITFIELDS) have a known size, padded to 4 bytes; RLE data is checked by OpenCV.
        var uncompressed = compression is 0 or 3;
        var rowBytes = (width * bitsPerPixel + 31) / 32 * 4;
        var truncated = uncompressed && data.Length < pixelOffset + (double)rowBytes * height;
        header = new ImageHeader(width, height, truncated);
        error = null;
        return true;
    }

    private static bool TryReadWebP(ReadOnlySpan<byte> data, out ImageHeader header, [NotNullWhen(false)] out ImageDecodeError? error)
    {
        header = default;
        if (data.Length < 30)
            return Fail(ImageDecodeErrorCode.Truncated, "WebP ends before its header", out error);

        var truncated = data.Length < 8L + BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
        var chunk = data[12..16];
        long width, height;
        if (chunk.SequenceEqual("VP8 "u8))
        {
            // lossy: 3-byte frame tag, start code 9D 01 2A, then 14-bit sizes (the top 2 bits are scaling)
            if (!data[23..26].SequenceEqual(Vp8StartCode))
                return Fail(ImageDecodeErrorCode.Corrupt, "WebP VP8 frame has no start code", out error);
            width = BinaryPrimitives.ReadUInt16LittleEndian(data[26..]) & 0x3FFF;
            height = BinaryPrimitives.ReadUInt16LittleEndian(data[28..]) & 0x3FFF;
        }
        else if (chunk.SequenceEqual("VP8L"u8))
        {
            // lossless: signature 2F, then width-1 and height-1 in 14 bits each
            if (data[20] != 0x2F)
                return Fail(ImageDecodeErrorCode.Corrupt, "WebP VP8L stream has no signature", out error);
            var bits = BinaryPrimitives.ReadUInt32LittleEndian(data[21..]);
            width = (bits & 0x3FFF) + 1;
            height = ((bits >> 14) & 0x3FFF) + 1;
        }
        else if (chunk.SequenceEqual("VP8X"u8))
        {
            // extended: flags, 3 reserved bytes, then canvas width-1 and height-1 in 24 bits each
            if ((data[20] & 0x02) != 0)
            {
                error = new ImageDecodeError(ImageDecodeErrorCode.UnsupportedFormat,
                    "unsupported format: animated WebP; only still images are accepted");
                return false;
            }

            width = ReadUInt24LittleEndian(data[24..]) + 1;
            height = ReadUInt24LittleEndian(data[27..]) + 1;
        }
        else
        {
            return Fail(ImageDecodeErrorCode.Corrupt, $"WebP has an unknown first chunk '{Printable(chunk)}'", out error);
        }

        header = new ImageHeader(width, height, truncated);
        error = null;
        return true;
    }

    private static uint ReadUInt24LittleEndian(ReadOnlySpan<byte> data) => (uint)(data[0] | data[1] << 8 | data[2] << 16);

    private static bool Fail(ImageDecodeErrorCode code, string reason, out ImageDecodeError error)
    {
        error = new ImageDecodeError(code, reason);
        return false;
    }

    /// <summary>Names the commoner things people try to pass off as images.</summary>
    public static string DescribeUnsupported(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith("GIF8"u8))
            return "GIF";
        if (data.StartsWith("II*\0"u8) || data.StartsWith("MM\0*"u8))
            return "TIFF";
        if (data.StartsWith("%PDF"u8))
            return "PDF";
        if (data.StartsWith(MatroskaMagic))
            return "Matroska/WebM video";
        if (data.StartsWith(Jpeg2000CodestreamMagic) || data.StartsWith(Jpeg2000Magic))
            return "JPEG 2000";
        if (data.StartsWith("PK\u0003\u0004"u8))
            return "ZIP archive";
        if (data.Length >= 12 && data[4..8].SequenceEqual("ftyp"u8))
        {
            var brand = Printable(data[8..12]).Trim();
            return brand switch
            {
                "heic" or "heix" or "mif1" or "msf1" => "HEIF image",
                "avif" or "avis" => "AVIF image",
                "qt" => "QuickTime video",
                _ => $"MP4/ISO media (brand '{brand}')",
            };
        }

        if (data.Length >= 12 && data.StartsWith("RIFF"u8))
            return $"RIFF '{Printable(data[8..12]).Trim()}'";
        return LooksLikeText(data) ? "text" : "unrecognised data";
    }

    private static bool LooksLikeText(ReadOnlySpan<byte> data)
    {
        foreach (var b in data[..Math.Min(data.Length, 512)])
        {
            if (b < 0x09 || b is > 0x0D and < 0x20 || b == 0x7F)
                return false;
        }

        return true;
    }

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
            text.Append(b is >= 0x20 and < 0x7F ? (char)b : '?');
        return text.ToString();
    }
}
