using Lfr.Vision;
using Lfr.Vision.Imaging;

namespace Lfr.Host.Cli;

/// <summary>
/// <c>lfr detect IMAGE... [--json] [--min-face PX] [--liveness]</c>: faces with boxes, scores and five landmarks
/// per image; with --liveness, fr_liveness's probability that the face is live (information only).
/// </summary>
public static class DetectCommand
{
    public static int Run(CliArgs args)
    {
        var json = args.Flag("json");
        var minFace = args.Float("min-face", 32);
        var liveness = args.Flag("liveness");
        args.RejectUnknown();
        if (args.Positional.Count == 0) throw new CliException("usage: lfr detect IMAGE... [--json] [--min-face PX] [--liveness]");

        using var engine = FaceEngine.Load(new FaceEngineOptions
        {
            Parallelism = Environment.ProcessorCount,
            Detector = new() { MinFaceSize = minFace },
            Liveness = liveness,
        });
        var results = new List<object>();
        var failed = 0;
        foreach (var path in args.Positional)
        {
            using var decoded = SafeImageDecoder.DecodeFile(path);
            if (!decoded.IsSuccess)
            {
                failed++;
                results.Add(new { image = path, error = decoded.Error!.Reason });
                if (!json) Console.WriteLine($"{path}: error: {decoded.Error.Reason}");
                continue;
            }
            var faces = engine.Detect(decoded.Image!);
            results.Add(new
            {
                image = path,
                faces = faces.Select(f => new
                {
                    box = new[] { CliJson.R(f.Box.X, 1), CliJson.R(f.Box.Y, 1), CliJson.R(f.Box.Width, 1), CliJson.R(f.Box.Height, 1) },
                    score = CliJson.R(f.Score),
                    landmarks = Enumerable.Range(0, 5).Select(i => new[] { CliJson.R(f.Landmarks!.Value[i].X, 1), CliJson.R(f.Landmarks!.Value[i].Y, 1) }),
                    liveness = engine.Liveness(decoded.Image!, f) is { } live ? CliJson.R(live) : (float?)null,
                }).ToList(), // now: the image is disposed before the JSON is written
            });
            if (!json)
            {
                Console.WriteLine($"{path}: {faces.Count} face{(faces.Count == 1 ? "" : "s")}");
                foreach (var f in faces)
                    Console.WriteLine($"  box {f.Box.X:0},{f.Box.Y:0} {f.Box.Width:0}x{f.Box.Height:0}  score {f.Score:0.000}");
            }
        }
        if (json) CliJson.Write(results);
        return failed == 0 ? 0 : 1;
    }
}
