namespace Lfr.Vision.Imaging;

/// <summary>
/// What <see cref="SafeImageDecoder"/> refuses before it lets OpenCV allocate anything. The defaults admit any camera
/// or phone photo, a 48 MP phone shot (8064x6048) included, and refuse headers that would make OpenCV allocate gigabytes.
/// </summary>
public sealed record ImageDecodeLimits
{
    public static ImageDecodeLimits Default { get; } = new();

    /// <summary>Largest file or buffer accepted, in bytes.</summary>
    public long MaxBytes { get; init; } = 50L * 1024 * 1024;

    /// <summary>Largest width or height, in pixels.</summary>
    public int MaxSide { get; init; } = 16_384;

    /// <summary>Largest width x height; 50 MP is 150 MB once decoded to BGR.</summary>
    public long MaxPixels { get; init; } = 50_000_000;
}
