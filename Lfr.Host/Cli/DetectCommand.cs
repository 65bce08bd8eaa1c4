using Lfr.Vision;

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
        return ImageBatch.Run(args.Positional, json, (path, image) =>
        {
            var faces = engine.Detect(image);
            var result = new
            {
                image = path,
                faces = faces.Select(f => new
                {
                    box = ImageBatch.Box(f.Box),
                    score = CliJson.R(f.Score),
                    landmarks = Enumerable.Range(0, 5).Select(i => new[] { CliJson.R(f.Landmarks!.Value[i].X, 1), CliJson.R(f.Landmarks!.Value[i].Y, 1) }).ToList(),
                    liveness = engine.Liveness(image, f) is { } live ? CliJson.R(live) : (float?)null,
                }).ToList(),
            };
            var lines = faces.Select(f => $"  box {f.Box.X:0},{f.Box.Y:0} {f.Box.Width:0}x{f.Box.Height:0}  score {f.Score:0.000}")
                .Prepend(ImageBatch.Faces(path, faces.Count));
            return (result, lines);
        });
    }
}
