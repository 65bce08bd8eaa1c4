using Lfr.Vision.Detection;
using Lfr.Vision.Imaging;
using OpenCvSharp;

namespace Lfr.Host.Cli;

/// <summary>
/// The loop of the commands that take image files: each is decoded safely; one that cannot be is reported with
/// its reason and the rest go on. Returns the exit code: 0 all well, 1 some files failed.
/// </summary>
public static class ImageBatch
{
    /// <param name="analyse">The JSON object for one decoded image (built before the image is disposed) and its text lines.</param>
    public static int Run(IReadOnlyList<string> paths, bool json, Func<string, Mat, (object Json, IEnumerable<string> Lines)> analyse)
    {
        var results = new List<object>();
        var failed = 0;
        foreach (var path in paths)
        {
            using var decoded = SafeImageDecoder.DecodeFile(path);
            if (!decoded.IsSuccess)
            {
                failed++;
                results.Add(new { image = path, error = decoded.Error.Reason });
                if (!json) Console.WriteLine($"{path}: error: {decoded.Error.Reason}");
                continue;
            }
            var (result, lines) = analyse(path, decoded.Image);
            results.Add(result);
            if (!json)
                foreach (var line in lines) Console.WriteLine(line);
        }
        if (json) CliJson.Write(results);
        return failed == 0 ? 0 : 1;
    }

    public static float[] Box(FaceBox b) => [CliJson.R(b.X, 1), CliJson.R(b.Y, 1), CliJson.R(b.Width, 1), CliJson.R(b.Height, 1)];

    public static string Faces(string path, int count) => $"{path}: {count} face{(count == 1 ? "" : "s")}";
}
