using System.Buffers.Binary;
using System.Runtime.InteropServices;
using OpenCvSharp;

namespace Lfr.Tests.Vision.Imaging;

/// <summary>Builds the image files the imaging specs feed to the decoder, good and bad, with OpenCV.</summary>
internal static class TestImages
{
    /// <summary>8-bit noise: the worst case for compression, and the same for a given seed.</summary>
    public static Mat Noise(int width, int height, int channels, int seed = 1)
    {
        var pixels = new byte[width * height * channels];
        new Random(seed).NextBytes(pixels);
        var image = new Mat(height, width, MatType.MakeType(MatType.CV_8U, channels));
        Marshal.Copy(pixels, 0, image.Data, pixels.Length);
        return image;
    }

    public static byte[] Encode(Mat image, string extension, params int[] parameters)
    {
        Assert.True(Cv2.ImEncode(extension, image, out var bytes, parameters), $"OpenCV could not write {extension}");
        return bytes;
    }

    public static byte[] Bgr(string extension, int width = 64, int height = 48, params int[] parameters)
    {
        using var image = Noise(width, height, 3);
        return Encode(image, extension, parameters);
    }

    /// <summary>A valid PNG whose IHDR claims other dimensions, with its CRC fixed so that only the size is wrong.</summary>
    public static byte[] WithPngSize(byte[] png, uint width, uint height)
    {
        var patched = (byte[])png.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(patched.AsSpan(16), width);
        BinaryPrimitives.WriteUInt32BigEndian(patched.AsSpan(20), height);
        BinaryPrimitives.WriteUInt32BigEndian(patched.AsSpan(29), Crc32(patched.AsSpan(12, 17))); // over "IHDR" and its 13 bytes
        return patched;
    }

    /// <summary>A valid baseline JPEG whose SOF0 claims other dimensions.</summary>
    public static byte[] WithJpegSize(byte[] jpeg, ushort width, ushort height)
    {
        var patched = (byte[])jpeg.Clone();
        var sof = patched.AsSpan().IndexOf([(byte)0xFF, (byte)0xC0]);
        Assert.True(sof > 0, "no SOF0 marker");
        BinaryPrimitives.WriteUInt16BigEndian(patched.AsSpan(sof + 5), height);
        BinaryPrimitives.WriteUInt16BigEndian(patched.AsSpan(sof + 7), width);
        return patched;
    }

    /// <summary>Inserts an EXIF APP1 segment holding only an orientation tag right after SOI.</summary>
    public static byte[] WithExifOrientation(byte[] jpeg, ushort orientation)
    {
        byte[] app1 =
        [
            0xFF, 0xE1, 0x00, 0x22, // APP1, length 34
            (byte)'E', (byte)'x', (byte)'i', (byte)'f', 0, 0,
            (byte)'M', (byte)'M', 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08, // big-endian TIFF header, IFD0 at 8
            0x00, 0x01, // one entry
            0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, (byte)(orientation >> 8), (byte)orientation, 0x00, 0x00, // Orientation, SHORT, 1
            0x00, 0x00, 0x00, 0x00, // no next IFD
        ];
        return [.. jpeg.AsSpan(0, 2), .. app1, .. jpeg.AsSpan(2)];
    }

    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }

        return ~crc;
    }
}
