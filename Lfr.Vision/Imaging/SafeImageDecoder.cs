using Lfr.Vision.Imaging.Internal;
using OpenCvSharp;

namespace Lfr.Vision.Imaging;

/// <summary>
/// Decodes untrusted image files (watchlist file images, uploads, CLI arguments) into 8-bit, 3-channel BGR
/// <see cref="Mat"/>s, or says per file why not; bad input never throws.
/// </summary>
/// <remarks>
/// <para>The format is identified by magic bytes, never by the file name: JPEG, PNG, BMP and WebP are accepted;
/// GIF, TIFF, videos and everything else are refused, although OpenCV could open some of them.</para>
/// <para>Width and height are read from the header here and checked against <see cref="ImageDecodeLimits"/> before
/// OpenCV allocates anything, so a small file that claims 100000x100000 pixels costs nothing.</para>
/// <para>A file whose end marker is missing (JPEG EOI, PNG IEND) or that is shorter than its header says (BMP, WebP)
/// is refused as <see cref="ImageDecodeErrorCode.Truncated"/>. OpenCV 4.13 fails on such files too, but older libjpeg
/// builds returned the top of the picture over grey, and a bare failure does not say what went wrong. Damaged data
/// inside a complete JPEG, BMP or lossy WebP is accepted as the codec decodes it (with visible artefacts): nothing
/// tells it apart from an odd picture. PNG carries checksums, and a damaged one is refused as
/// <see cref="ImageDecodeErrorCode.Corrupt"/>.</para>
/// <para>Grey images become BGR, 16-bit images are scaled to 8 bits, CMYK JPEGs are converted by libjpeg, and
/// transparent PNG/WebP pixels are composited on white (what lies under a transparent pixel is arbitrary, often black).
/// JPEGs are turned upright by their EXIF orientation (OpenCV does it unless told not to), as a viewer shows them.</para>
/// <para>Stateless and thread-safe.</para>
/// </remarks>
public static class SafeImageDecoder
{
    public static ImageDecodeResult DecodeFile(string path, ImageDecodeLimits? limits = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        limits ??= ImageDecodeLimits.Default;
        byte[] data;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.Length > limits.MaxBytes)
                return TooLarge(stream.Length, limits);
            data = new byte[stream.Length];
            stream.ReadExactly(data);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ImageDecodeResult.Failure(ImageDecodeErrorCode.Unreadable, e.Message);
        }

        return Decode(data, limits);
    }

    public static ImageDecodeResult Decode(ReadOnlySpan<byte> data, ImageDecodeLimits? limits = null)
    {
        limits ??= ImageDecodeLimits.Default;
        if (data.IsEmpty)
            return ImageDecodeResult.Failure(ImageDecodeErrorCode.Empty, "the file is empty");
        if (data.Length > limits.MaxBytes)
            return TooLarge(data.Length, limits);
        var format = ImageHeaderReader.Identify(data);
        if (format == ImageFormat.Unknown)
        {
            return ImageDecodeResult.Failure(ImageDecodeErrorCode.UnsupportedFormat,
                $"unsupported format: {ImageHeaderReader.DescribeUnsupported(data)}; only JPEG, PNG, BMP and WebP are accepted");
        }

        if (!ImageHeaderReader.TryRead(data, format, out var header, out var headerError))
            return ImageDecodeResult.Failure(headerError.Code, headerError.Reason, format);
        if (header.Width == 0 || header.Height == 0)
            return ImageDecodeResult.Failure(ImageDecodeErrorCode.Corrupt, $"{format} header claims {header.Width}x{header.Height} pixels", format);
        if (header.Width > limits.MaxSide || header.Height > limits.MaxSide || header.Width * header.Height > limits.MaxPixels)
        {
            return ImageDecodeResult.Failure(ImageDecodeErrorCode.DimensionsExceedLimit,
                $"{format} header claims {header.Width}x{header.Height} pixels; the limit is {limits.MaxSide} a side and {limits.MaxPixels} in all",
                format);
        }

        if (header.Truncated)
            return ImageDecodeResult.Failure(ImageDecodeErrorCode.Truncated, $"{format} data ends before the image does", format);

        // PNG and WebP are read unchanged so that alpha survives to be composited; JPEG and BMP with ANYCOLOR|ANYDEPTH,
        // which keeps 16-bit and grey data for the explicit conversions below and applies the EXIF orientation.
        var mode = format is ImageFormat.Png or ImageFormat.WebP ? ImreadModes.Unchanged : ImreadModes.AnyDepth | ImreadModes.AnyColor;
        Mat decoded;
        try
        {
            decoded = Cv2.ImDecode(data, mode);
        }
        catch (OpenCVException e)
        {
            return ImageDecodeResult.Failure(ImageDecodeErrorCode.Corrupt, $"{format} data could not be decoded: {e.Message}", format);
        }

        if (decoded.Empty())
        {
            decoded.Dispose();
            return ImageDecodeResult.Failure(ImageDecodeErrorCode.Corrupt, $"{format} data could not be decoded", format);
        }

        var bgr = ToBgr8(decoded);
        if (!ReferenceEquals(bgr, decoded))
            decoded.Dispose();
        return bgr is null
            ? ImageDecodeResult.Failure(ImageDecodeErrorCode.Corrupt, $"{format} decoded to an unsupported pixel type", format)
            : ImageDecodeResult.Success(bgr, format);
    }

    private static ImageDecodeResult TooLarge(long length, ImageDecodeLimits limits) =>
        ImageDecodeResult.Failure(ImageDecodeErrorCode.FileTooLarge, $"{length} bytes is over the limit of {limits.MaxBytes}");

    /// <summary>The image as 8-bit BGR: <paramref name="decoded"/> itself when it already is, null for a pixel type no supported format yields.</summary>
    private static Mat? ToBgr8(Mat decoded)
    {
        if (decoded.Depth() == MatType.CV_16U)
        {
            var eightBit = new Mat();
            decoded.ConvertTo(eightBit, MatType.CV_8U, 1.0 / 257); // 65535 -> 255
            var bgr = ToBgr8(eightBit);
            if (!ReferenceEquals(bgr, eightBit))
                eightBit.Dispose();
            return bgr;
        }

        if (decoded.Depth() != MatType.CV_8U)
            return null;
        return decoded.Channels() switch
        {
            1 => decoded.CvtColor(ColorConversionCodes.GRAY2BGR),
            3 => decoded,
            4 => CompositeOnWhite(decoded),
            _ => null,
        };
    }

    // out = a*bgr + (1-a)*255 = 255 - a*(255 - bgr), all in 8 bits
    private static Mat CompositeOnWhite(Mat bgra)
    {
        using var bgr = bgra.CvtColor(ColorConversionCodes.BGRA2BGR);
        using var alpha = bgra.ExtractChannel(3);
        using var alpha3 = alpha.CvtColor(ColorConversionCodes.GRAY2BGR);
        using var inverse = new Mat();
        Cv2.Subtract(Scalar.All(255), bgr, inverse);
        using var covered = new Mat();
        Cv2.Multiply(inverse, alpha3, covered, 1.0 / 255);
        var result = new Mat();
        Cv2.Subtract(Scalar.All(255), covered, result);
        return result;
    }
}
