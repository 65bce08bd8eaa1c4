using Lfr.Vision.Imaging;
using OpenCvSharp;
using static Lfr.Tests.Vision.Imaging.TestImages;

namespace Lfr.Tests.Vision.Imaging;

public sealed class JpegEncoderSpecs
{
    private const int CropCap = 64 * 1024;

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void EncodeUnder_should_fit_a_large_noisy_image_under_the_cap_by_shrinking_it(int channels)
    {
        using var noise = Noise(1920, 1080, channels);

        var jpeg = JpegEncoder.EncodeUnder(noise, CropCap);

        Assert.InRange(jpeg.Length, 1, CropCap);
        var result = SafeImageDecoder.Decode(jpeg);
        Assert.True(result.IsSuccess, result.ToString());
        using var image = result.Image;
        Assert.InRange(image.Width, 16, 1919);
        Assert.InRange((double)image.Width / image.Height, 1.7, 1.85); // the aspect ratio is kept
    }

    [Fact]
    public void EncodeUnder_should_keep_size_and_quality_90_when_the_image_fits()
    {
        using var face = new Mat(112, 112, MatType.CV_8UC3, new Scalar(90, 120, 200));
        face.Circle(new Point(56, 56), 30, new Scalar(40, 60, 110), Cv2.FILLED);

        var jpeg = JpegEncoder.EncodeUnder(face, CropCap);

        Assert.Equal(Encode(face, ".jpg", (int)ImwriteFlags.JpegQuality, 90), jpeg);
    }

    [Fact]
    public void EncodeUnder_should_lower_the_quality_before_shrinking_the_image()
    {
        using var noise = Noise(160, 120, 3);
        var atQuality60 = Encode(noise, ".jpg", (int)ImwriteFlags.JpegQuality, 60);

        var jpeg = JpegEncoder.EncodeUnder(noise, atQuality60.Length);

        Assert.Equal(atQuality60, jpeg);
    }

    [Fact]
    public void EncodeUnder_should_refuse_a_cap_below_the_jpeg_headers()
    {
        using var image = Noise(16, 16, 3);

        Assert.Throws<ArgumentOutOfRangeException>(() => JpegEncoder.EncodeUnder(image, 500));
    }
}
