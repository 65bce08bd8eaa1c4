using System.Text.Json;
using Lfr.Tests.Fixtures;
using OpenCvSharp;

namespace Lfr.Tests.Host.Cli;

public sealed class DetectCommandSpecs : IDisposable
{
    private readonly LfrProcess _lfr = new();

    public void Dispose() => _lfr.Dispose();

    [Fact]
    public void Detect_should_report_each_image_in_order_and_carry_on_past_bad_files()
    {
        var group = SamplePhotos.Path(1);
        var empty = Write("empty.jpg", []);
        var truncated = Write("truncated.jpg", File.ReadAllBytes(group)[..20_000]);
        var text = Write("notes.jpg", "not a photo\n"u8.ToArray());
        using var photo = SamplePhotos.Load(1);
        var pngNamedJpg = Write("really-a-png.jpg", Encode(".png", photo));
        using var grey = new Mat(480, 640, MatType.CV_8UC3, Scalar.All(128));
        var greyPng = Write("grey.png", Encode(".png", grey));

        var result = _lfr.Run("detect", "--json", group, empty, truncated, text, pngNamedJpg, greyPng);

        Assert.True(result.ExitCode == 1, $"some images failed, so exit 1\n{result}");
        var images = result.Json.EnumerateArray().ToList();
        Assert.Equal([group, empty, truncated, text, pngNamedJpg, greyPng], images.Select(i => i.GetProperty("image").GetString()));

        AssertFaces(images[0], expected: 3);
        Assert.Contains("empty", Error(images[1]));
        Assert.NotEmpty(Error(images[2]));
        Assert.Contains("unsupported format", Error(images[3]));
        // the decoder goes by the bytes, not the name: the same three faces as the JPEG
        AssertFaces(images[4], expected: 3);
        AssertFaces(images[5], expected: 0);
    }

    [Fact]
    public void Lfr_should_print_usage_on_stderr_and_exit_2_without_arguments()
    {
        var result = _lfr.Run();

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("usage: lfr <command>", result.StdErr);
        Assert.Empty(result.StdOut);
    }

    [Fact]
    public void Detect_should_exit_2_naming_an_unknown_option()
    {
        var result = _lfr.Run("detect", "--min-fac", "20", SamplePhotos.Path(1));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("unknown option: --min-fac", result.StdErr);
        Assert.Empty(result.StdOut);
    }

    private static void AssertFaces(JsonElement image, int expected)
    {
        Assert.False(image.TryGetProperty("error", out var error), $"{image.GetProperty("image")}: {error}");
        var faces = image.GetProperty("faces").EnumerateArray().ToList();
        Assert.Equal(expected, faces.Count);
        foreach (var face in faces)
        {
            var box = face.GetProperty("box").EnumerateArray().Select(v => v.GetSingle()).ToArray();
            Assert.Equal(4, box.Length);
            Assert.True(box[2] > 20 && box[3] > 20, $"box {string.Join(",", box)} is [x, y, width, height]");
            Assert.InRange(face.GetProperty("score").GetSingle(), 0.5f, 1f);
            var landmarks = face.GetProperty("landmarks").EnumerateArray().ToList();
            Assert.Equal(5, landmarks.Count);
            foreach (var point in landmarks)
            {
                var (x, y) = (point[0].GetSingle(), point[1].GetSingle());
                Assert.InRange(x, box[0] - 2, box[0] + box[2] + 2);
                Assert.InRange(y, box[1] - 2, box[1] + box[3] + 2);
            }
        }
    }

    private static string Error(JsonElement image)
    {
        Assert.False(image.TryGetProperty("faces", out _), $"{image.GetProperty("image")} should have failed");
        return image.GetProperty("error").GetString()!;
    }

    private static byte[] Encode(string extension, Mat image)
    {
        Assert.True(Cv2.ImEncode(extension, image, out var bytes));
        return bytes;
    }

    private string Write(string name, byte[] bytes)
    {
        var path = _lfr.PathIn(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
