using System.Diagnostics.CodeAnalysis;
using OpenCvSharp;

namespace Lfr.Vision.Imaging;

/// <summary>The image containers <see cref="SafeImageDecoder"/> recognises by their magic bytes.</summary>
public enum ImageFormat
{
    Unknown,
    Jpeg,
    Png,
    Bmp,
    WebP,
}

public enum ImageDecodeErrorCode
{
    /// <summary>No bytes at all.</summary>
    Empty,

    /// <summary>The file or buffer is over <see cref="ImageDecodeLimits.MaxBytes"/>; nothing was decoded.</summary>
    FileTooLarge,

    /// <summary>Not JPEG, PNG, BMP or WebP (a GIF, a video, a PDF, text...).</summary>
    UnsupportedFormat,

    /// <summary>The header claims more pixels than <see cref="ImageDecodeLimits"/> allow (a decompression bomb, or just too big).</summary>
    DimensionsExceedLimit,

    /// <summary>The data ends before the image does.</summary>
    Truncated,

    /// <summary>A recognised format whose header or pixel data cannot be decoded.</summary>
    Corrupt,

    /// <summary>The file could not be read (missing, no permission, I/O error).</summary>
    Unreadable,
}

/// <summary>Why one file or buffer was not decoded.</summary>
public sealed record ImageDecodeError(ImageDecodeErrorCode Code, string Reason)
{
    public override string ToString() => $"{Code}: {Reason}";
}

/// <summary>
/// Either an 8-bit, 3-channel BGR <see cref="Image"/> or an <see cref="Error"/>. Disposing the result
/// disposes the image; a caller that keeps the image past the result takes it with <see cref="TakeImage"/>.
/// </summary>
public sealed class ImageDecodeResult : IDisposable
{
    private ImageDecodeResult(Mat? image, ImageFormat format, ImageDecodeError? error)
    {
        Image = image;
        Format = format;
        Error = error;
        IsSuccess = image is not null;
    }

    [MemberNotNullWhen(true, nameof(Image))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess { get; }

    public Mat? Image { get; private set; }

    /// <summary>Hands the image to the caller, who then disposes it.</summary>
    public Mat TakeImage()
    {
        var image = Image ?? throw new InvalidOperationException($"nothing was decoded: {Error}");
        Image = null;
        return image;
    }

    public void Dispose() => Image?.Dispose();

    /// <summary>The container detected from the magic bytes; <see cref="ImageFormat.Unknown"/> when none was recognised.</summary>
    public ImageFormat Format { get; }

    public ImageDecodeError? Error { get; }

    internal static ImageDecodeResult Success(Mat image, ImageFormat format) => new(image, format, null);

    internal static ImageDecodeResult Failure(ImageDecodeErrorCode code, string reason, ImageFormat format = ImageFormat.Unknown) =>
        new(null, format, new ImageDecodeError(code, reason));

    public override string ToString() =>
        IsSuccess ? $"{Format} {Image?.Width}x{Image?.Height}" : $"{Format} {Error}";
}
