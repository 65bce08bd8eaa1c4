using System.Text;
using Lfr.Tests.Fixtures;
using Lfr.Vision.Imaging;
using OpenCvSharp;
using static Lfr.Tests.Vision.Imaging.TestImages;

namespace Lfr.Tests.Vision.Imaging;

public sealed class SafeImageDecoderSpecs : IDisposable
{
    private const string RealVideo = "face_recognition/video/short_hamilton_clip.mp4";
    private static readonly int[] LossyWebP = [(int)ImwriteFlags.WebPQuality, 80];
    private static readonly int[] LosslessWebP = [(int)ImwriteFlags.WebPQuality, 101];

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("lfr-imaging-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Theory]
    [InlineData(".jpg", ImageFormat.Jpeg)]
    [InlineData(".png", ImageFormat.Png)]
    [InlineData(".bmp", ImageFormat.Bmp)]
    [InlineData(".webp", ImageFormat.WebP)]
    public void Decode_should_read_each_supported_format_as_8bit_bgr(string extension, ImageFormat format)
    {
        var result = SafeImageDecoder.Decode(Bgr(extension, 64, 48));

        using var image = AssertBgr(result, 64, 48);
        Assert.Equal(format, result.Format);
    }

    [Theory]
    [InlineData("VP8 ")]
    [InlineData("VP8L")]
    [InlineData("VP8X")]
    public void Decode_should_read_each_webp_variant(string chunk)
    {
        using var source = Noise(64, 48, chunk == "VP8X" ? 4 : 3); // alpha needs the extended header
        var webp = Encode(source, ".webp", chunk == "VP8L" ? LosslessWebP : LossyWebP);
        Assert.Equal(chunk, Encoding.ASCII.GetString(webp, 12, 4));

        var result = SafeImageDecoder.Decode(webp);

        using var image = AssertBgr(result, 64, 48);
    }

    [Theory]
    [InlineData(".png")]
    [InlineData(".jpg")]
    public void Decode_should_turn_grey_images_into_bgr(string extension)
    {
        using var grey = new Mat(20, 30, MatType.CV_8UC1, Scalar.All(77));

        var result = SafeImageDecoder.Decode(Encode(grey, extension));

        using var image = AssertBgr(result, 30, 20);
        Assert.Equal(new Vec3b(77, 77, 77), image.At<Vec3b>(10, 15));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Decode_should_scale_16bit_png_to_8bit(int channels)
    {
        using var deep = new Mat(8, 8, MatType.MakeType(MatType.CV_16U, channels), new Scalar(65535, 32896, 0));

        var result = SafeImageDecoder.Decode(Encode(deep, ".png"));

        using var image = AssertBgr(result, 8, 8);
        Assert.Equal(channels == 1 ? new Vec3b(255, 255, 255) : new Vec3b(255, 128, 0), image.At<Vec3b>(4, 4));
    }

    [Theory]
    [InlineData(".png")]
    [InlineData(".webp")]
    public void Decode_should_composite_transparent_pixels_on_white(string extension)
    {
        using var bgra = new Mat(8, 12, MatType.CV_8UC4, new Scalar(0, 0, 255, 0)); // transparent red
        bgra.Rectangle(new Rect(4, 0, 4, 8), new Scalar(0, 255, 0, 255), Cv2.FILLED); // opaque green
        bgra.Rectangle(new Rect(8, 0, 4, 8), new Scalar(255, 0, 0, 128), Cv2.FILLED); // half-transparent blue

        var result = SafeImageDecoder.Decode(Encode(bgra, extension, extension == ".webp" ? LosslessWebP : []));

        using var image = AssertBgr(result, 12, 8);
        Assert.Equal(new Vec3b(255, 255, 255), image.At<Vec3b>(4, 1));
        Assert.Equal(new Vec3b(0, 255, 0), image.At<Vec3b>(4, 5));
        Assert.Equal(new Vec3b(255, 127, 127), image.At<Vec3b>(4, 9));
    }

    [Fact]
    public void Decode_should_convert_cmyk_jpeg_to_bgr()
    {
        var result = SafeImageDecoder.DecodeFile(Path.Combine(AppContext.BaseDirectory, "Fixtures", "images", "cmyk.jpg"));

        using var image = AssertBgr(result, 64, 48);
        AssertColour(image.At<Vec3b>(1, 5), blue: 0, green: 0, red: 255); // top: red
        AssertColour(image.At<Vec3b>(24, 32), blue: 0, green: 255, red: 255); // middle: the yellow disc
        AssertColour(image.At<Vec3b>(46, 5), blue: 255, green: 0, red: 0); // bottom: blue
    }

    [Theory]
    [InlineData(1, 40, 20)]
    [InlineData(3, 40, 20)]
    [InlineData(6, 20, 40)]
    [InlineData(8, 20, 40)]
    public void Decode_should_turn_jpegs_upright_by_their_exif_orientation(ushort orientation, int width, int height)
    {
        var jpeg = WithExifOrientation(Bgr(".jpg", 40, 20), orientation);

        var result = SafeImageDecoder.Decode(jpeg);

        using var image = AssertBgr(result, width, height);
    }

    [Fact]
    public void DecodeFile_should_identify_the_format_by_content_not_by_extension()
    {
        var pngNamedJpg = Write("photo.jpg", Bgr(".png"));
        var jpegNamedPng = Write("photo.png", Bgr(".jpg"));

        var png = SafeImageDecoder.DecodeFile(pngNamedJpg);
        var jpeg = SafeImageDecoder.DecodeFile(jpegNamedPng);

        using var pngImage = AssertBgr(png, 64, 48);
        using var jpegImage = AssertBgr(jpeg, 64, 48);
        Assert.Equal(ImageFormat.Png, png.Format);
        Assert.Equal(ImageFormat.Jpeg, jpeg.Format);
    }

    public static TheoryData<string, string> Unsupported => new()
    {
        { "gif", "GIF" },
        { "tiff", "TIFF" },
        { "jpeg2000", "JPEG 2000" },
        { "pdf", "PDF" },
        { "mp4", "MP4" },
        { "heic", "HEIF" },
        { "webm", "WebM" },
        { "avi", "RIFF 'AVI'" },
        { "animated-webp", "animated WebP" },
        { "text", "text" },
        { "random", "unrecognised" },
    };

    [Theory]
    [MemberData(nameof(Unsupported))]
    public void Decode_should_refuse_other_formats_and_name_them(string input, string detected)
    {
        var result = SafeImageDecoder.Decode(UnsupportedInput(input));

        AssertError(result, ImageDecodeErrorCode.UnsupportedFormat, detected);
    }

    [SharedDataFact(RealVideo)]
    public void DecodeFile_should_refuse_a_real_video()
    {
        var result = SafeImageDecoder.DecodeFile(SharedData.PathOf(RealVideo));

        AssertError(result, ImageDecodeErrorCode.UnsupportedFormat, "MP4");
    }

    [Fact]
    public void Decode_should_refuse_empty_input()
    {
        AssertError(SafeImageDecoder.Decode([]), ImageDecodeErrorCode.Empty, "empty");
        AssertError(SafeImageDecoder.DecodeFile(Write("empty.jpg", [])), ImageDecodeErrorCode.Empty, "empty");
    }

    [Theory]
    [InlineData(".jpg", 0.7)]
    [InlineData(".jpg", 0.98)]
    [InlineData(".png", 0.7)]
    [InlineData(".bmp", 0.7)]
    [InlineData(".webp", 0.7)]
    [InlineData(".jpg", 20)]
    [InlineData(".png", 20)]
    [InlineData(".bmp", 20)]
    [InlineData(".webp", 20)]
    public void Decode_should_report_truncated_files(string extension, double keep)
    {
        var whole = extension == ".webp" ? Bgr(extension, 64, 48, LossyWebP) : Bgr(extension);
        var length = keep < 1 ? (int)(whole.Length * keep) : (int)keep; // a fraction of the file, or a number of bytes

        var result = SafeImageDecoder.Decode(whole.AsSpan(0, length));

        AssertError(result, ImageDecodeErrorCode.Truncated, "");
    }

    public static TheoryData<string, string> Corrupt => new()
    {
        { "png-damaged-pixels", "could not be decoded" },
        { "png-without-ihdr", "IHDR" },
        { "png-zero-width", "0x48" },
        { "jpeg-garbage-after-magic", "marker" },
        { "jpeg-without-frame", "frame header" },
        { "bmp-unknown-header", "header size" },
        { "webp-unknown-chunk", "chunk" },
    };

    [Theory]
    [MemberData(nameof(Corrupt))]
    public void Decode_should_report_corrupt_files(string input, string reason)
    {
        var result = SafeImageDecoder.Decode(CorruptInput(input));

        AssertError(result, ImageDecodeErrorCode.Corrupt, reason);
    }

    [Theory]
    [InlineData(".png", 100_000, 100_000)]
    [InlineData(".png", 10_000, 6_000)] // each side allowed, 60 MP in all is not
    [InlineData(".jpg", 60_000, 60_000)]
    [InlineData(".bmp", 30_000, 30_000)]
    public void Decode_should_refuse_headers_claiming_too_many_pixels(string extension, int width, int height)
    {
        var small = Bgr(extension);
        var bomb = extension switch
        {
            ".png" => WithPngSize(small, (uint)width, (uint)height),
            ".jpg" => WithJpegSize(small, (ushort)width, (ushort)height),
            _ => WithBmpSize(small, width, height),
        };

        var result = SafeImageDecoder.Decode(bomb);

        AssertError(result, ImageDecodeErrorCode.DimensionsExceedLimit, $"{width}x{height}");
    }

    [Fact]
    public void Decode_should_refuse_input_over_the_byte_limit()
    {
        var png = Bgr(".png");
        var limits = new ImageDecodeLimits { MaxBytes = png.Length - 1 };

        AssertError(SafeImageDecoder.Decode(png, limits), ImageDecodeErrorCode.FileTooLarge, $"{png.Length} bytes");
        AssertError(SafeImageDecoder.DecodeFile(Write("big.png", png), limits), ImageDecodeErrorCode.FileTooLarge, $"{png.Length} bytes");
    }

    [Fact]
    public void DecodeFile_should_report_a_missing_file()
    {
        var result = SafeImageDecoder.DecodeFile(Path.Combine(_dir.FullName, "nobody.jpg"));

        AssertError(result, ImageDecodeErrorCode.Unreadable, "nobody.jpg");
    }

    [Fact]
    public void DecodeFile_should_decode_the_good_files_of_a_mixed_batch_in_parallel()
    {
        var files = new Dictionary<string, ImageDecodeErrorCode?>
        {
            [Write("a.jpg", Bgr(".jpg"))] = null,
            [Write("b.png", Bgr(".png"))] = null,
            [Write("c.bmp", Bgr(".bmp"))] = null,
            [Write("d.webp", Bgr(".webp"))] = null,
            [Write("e.jpg", Bgr(".png"))] = null,
            [Write("f.jpg", [])] = ImageDecodeErrorCode.Empty,
            [Write("g.jpg", Bgr(".jpg")[..100])] = ImageDecodeErrorCode.Truncated,
            [Write("h.jpg", UnsupportedInput("mp4"))] = ImageDecodeErrorCode.UnsupportedFormat,
            [Write("i.png", WithPngSize(Bgr(".png"), 100_000, 100_000))] = ImageDecodeErrorCode.DimensionsExceedLimit,
            [Write("j.png", CorruptInput("png-damaged-pixels"))] = ImageDecodeErrorCode.Corrupt,
            [Path.Combine(_dir.FullName, "k.jpg")] = ImageDecodeErrorCode.Unreadable,
        };

        var results = files.Keys.AsParallel().Select(path => (path, result: SafeImageDecoder.DecodeFile(path))).ToList();

        foreach (var (path, result) in results)
        {
            Assert.Equal(files[path], result.Error?.Code);
            result.Image?.Dispose();
        }
    }

    [Theory]
    [InlineData(".jpg")]
    [InlineData(".png")]
    [InlineData(".bmp")]
    [InlineData(".webp")]
    public void Decode_should_never_throw_on_damaged_files(string extension)
    {
        var whole = Bgr(extension, 32, 24);
        var random = new Random(7);
        for (var i = 0; i < 300; i++)
        {
            var damaged = whole.AsSpan(0, random.Next(2) == 0 ? whole.Length : random.Next(whole.Length)).ToArray();
            for (var flips = random.Next(1, 9); flips > 0 && damaged.Length > 0; flips--)
                damaged[random.Next(damaged.Length)] ^= (byte)random.Next(1, 256);

            var result = SafeImageDecoder.Decode(damaged);

            if (result.IsSuccess)
            {
                Assert.Equal(MatType.CV_8UC3, result.Image.Type());
                result.Image.Dispose();
            }
        }
    }

    private static byte[] UnsupportedInput(string name) => name switch
    {
        "gif" => [.. "GIF89a"u8, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x3B],
        "tiff" => Bgr(".tiff"),
        "jpeg2000" => Bgr(".jp2"),
        "pdf" => "%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"u8.ToArray(),
        "mp4" => [0x00, 0x00, 0x00, 0x20, .. "ftypisom"u8, 0x00, 0x00, 0x02, 0x00, .. "isomiso2avc1mp41"u8, 0x00, 0x00, 0x00, 0x08, .. "free"u8],
        "heic" => [0x00, 0x00, 0x00, 0x18, .. "ftypheic"u8, 0x00, 0x00, 0x00, 0x00, .. "mif1heic"u8],
        "webm" => [0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 0x01, .. "webm"u8],
        "avi" => [.. "RIFF"u8, 0x00, 0x10, 0x00, 0x00, .. "AVI LIST"u8, 0x00, 0x00, 0x00, 0x00],
        "animated-webp" => WithByte(Bgra(".webp", LossyWebP), 20, 0x12), // VP8X flags: alpha + animation
        "text" => "name,identity\nalice.jpg,alice\n"u8.ToArray(),
        "random" => RandomBytes(1000),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static byte[] CorruptInput(string name)
    {
        switch (name)
        {
            case "png-damaged-pixels":
                var png = Bgr(".png");
                for (var i = png.Length / 2; i < png.Length / 2 + 8; i++)
                    png[i] ^= 0x5A;
                return png;
            case "png-without-ihdr":
                return WithByte(Bgr(".png"), 15, (byte)'X');
            case "png-zero-width":
                return WithPngSize(Bgr(".png"), 0, 48);
            case "jpeg-garbage-after-magic":
                return [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, .. "not a marker"u8];
            case "jpeg-without-frame":
                return [0xFF, 0xD8, 0xFF, 0xD9];
            case "bmp-unknown-header":
                return WithByte(Bgr(".bmp"), 14, 99);
            case "webp-unknown-chunk":
                return WithByte(Bgr(".webp"), 15, (byte)'?');
            default:
                throw new ArgumentOutOfRangeException(nameof(name));
        }
    }

    private static byte[] Bgra(string extension, int[] parameters)
    {
        using var image = Noise(16, 16, 4);
        return Encode(image, extension, parameters);
    }

    private static byte[] WithBmpSize(byte[] bmp, int width, int height)
    {
        var patched = (byte[])bmp.Clone();
        BitConverter.TryWriteBytes(patched.AsSpan(18), width);
        BitConverter.TryWriteBytes(patched.AsSpan(22), height);
        return patched;
    }

    private static byte[] WithByte(byte[] data, int index, byte value)
    {
        data[index] = value;
        return data;
    }

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(42).NextBytes(bytes);
        return bytes;
    }

    private string Write(string name, byte[] data)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllBytes(path, data);
        return path;
    }

    /// <summary>Asserts a successful decode and hands over its image, for the caller to dispose.</summary>
    private static Mat AssertBgr(ImageDecodeResult result, int width, int height)
    {
        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(MatType.CV_8UC3, result.Image.Type());
        Assert.Equal(new Size(width, height), result.Image.Size());
        return result.Image;
    }

    private static void AssertError(ImageDecodeResult result, ImageDecodeErrorCode code, string reason)
    {
        Assert.False(result.IsSuccess, result.ToString());
        Assert.Equal(code, result.Error.Code);
        Assert.Contains(reason, result.Error.Reason);
    }

    private static void AssertColour(Vec3b pixel, byte blue, byte green, byte red)
    {
        const int tolerance = 40; // JPEG and the CMYK round trip move colours a little
        Assert.True(Math.Abs(pixel.Item0 - blue) < tolerance && Math.Abs(pixel.Item1 - green) < tolerance && Math.Abs(pixel.Item2 - red) < tolerance,
            $"expected about ({blue}, {green}, {red}), got {pixel}");
    }
}
