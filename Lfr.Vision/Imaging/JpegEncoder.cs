using OpenCvSharp;

namespace Lfr.Vision.Imaging;

/// <summary>JPEG encoding under a byte budget, for face crops that cross nodes (Akka.Remote drops messages over 128 KB).</summary>
public static class JpegEncoder
{
    /// <summary>Smallest budget accepted: any image fits at 1 KB once shrunk far enough (the JPEG headers alone take ~600 bytes).</summary>
    public const int MinimumMaxBytes = 1024;

    // Below quality 40 the blocking hurts a human's comparison of two faces more than a smaller picture does.
    private static readonly int[] Qualities = [90, 75, 60, 50, 40];

    /// <summary>
    /// Encodes an 8-bit BGR or grey <paramref name="image"/> as a JPEG of at most <paramref name="maxBytes"/>:
    /// at the best quality that fits, and shrunk (keeping its aspect ratio) only when even quality 40 does not fit.
    /// </summary>
    public static byte[] EncodeUnder(Mat image, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, MinimumMaxBytes);
        if (image.Empty())
            throw new ArgumentException("The image is empty.", nameof(image));

        var current = image;
        try
        {
            while (true)
            {
                var bytes = Array.Empty<byte>();
                foreach (var quality in Qualities)
                {
                    bytes = Encode(current, quality);
                    if (bytes.Length <= maxBytes)
                        return bytes;
                }

                // JPEG size grows about with the area, so shrink both sides by the square root of the overshoot, and a bit more
                var scale = Math.Sqrt((double)maxBytes / bytes.Length) * 0.9;
                var size = new Size(Math.Max(1, (int)(current.Width * scale)), Math.Max(1, (int)(current.Height * scale)));
                var smaller = image.Resize(size, interpolation: InterpolationFlags.Area);
                if (!ReferenceEquals(current, image))
                    current.Dispose();
                current = smaller;
            }
        }
        finally
        {
            if (!ReferenceEquals(current, image))
                current.Dispose();
        }
    }

    private static byte[] Encode(Mat image, int quality)
    {
        if (!Cv2.ImEncode(".jpg", image, out var bytes, [(int)ImwriteFlags.JpegQuality, quality]))
            throw new InvalidOperationException($"OpenCV could not encode a {image.Type()} image as JPEG.");
        return bytes;
    }
}
