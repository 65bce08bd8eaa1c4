using Lfr.Vision.Detection;
using Lfr.Vision.Imaging;
using Lfr.Vision.Quality;
using OpenCvSharp;

namespace Lfr.Vision.Photos;

/// <summary>How to pick the one face a photo is about.</summary>
public enum SubjectRule
{
    /// <summary>The face nearest the centre, whatever its quality (evaluation photos such as LFW are centred on their subject).</summary>
    CentreMost,

    /// <summary>
    /// Enrolment: exactly one good face. Faces failing the quality gate do not count, nor does a face less than
    /// half as wide as the largest (a bystander far behind); two comparable good faces are ambiguous and rejected.
    /// </summary>
    SingleGoodFace,
}

/// <summary>The subject's face of one photo and its embedding, or why there is none.</summary>
public sealed record SubjectFace(string Path, DetectedFace? Face, FaceQuality? Quality, float[]? Embedding, string? Error)
{
    public bool Ok => Embedding is not null;

    public static SubjectFace From(FaceEngine engine, string path, SubjectRule rule)
    {
        using var decoded = SafeImageDecoder.DecodeFile(path);
        if (!decoded.IsSuccess) return new SubjectFace(path, null, null, null, decoded.Error!.Reason);
        return From(engine, decoded.Image!, path, rule);
    }

    public static SubjectFace From(FaceEngine engine, Mat bgr, string label, SubjectRule rule)
    {
        var faces = engine.Detect(bgr);
        if (faces.Count == 0) return new SubjectFace(label, null, null, null, "no face found");

        if (rule == SubjectRule.CentreMost)
        {
            var centre = new Point2f(bgr.Width / 2f, bgr.Height / 2f);
            var face = faces.MinBy(f => Point2f.Distance(f.Box.Center, centre));
            var (accepted, _) = engine.Embed(bgr, [face], applyQualityGate: false);
            return new SubjectFace(label, face, accepted[0].Quality, accepted[0].Embedding, null);
        }

        var (good, rejected) = engine.Embed(bgr, faces, applyQualityGate: true);
        if (good.Count == 0)
            return new SubjectFace(label, null, null, null, $"no usable face: {rejected[0].Reason}");
        var ordered = good.OrderByDescending(f => f.Face.Box.Width).ToList();
        if (ordered.Count > 1 && ordered[1].Face.Box.Width >= 0.5f * ordered[0].Face.Box.Width)
            return new SubjectFace(label, null, null, null, $"{ordered.Count} faces of similar size: enrol a photo of one person");
        return new SubjectFace(label, ordered[0].Face, ordered[0].Quality, ordered[0].Embedding, null);
    }

    /// <summary>Many photos, <paramref name="parallelism"/> at a time, in input order; progress counts finished photos.</summary>
    public static SubjectFace[] FromMany(FaceEngine engine, IReadOnlyList<string> paths, SubjectRule rule,
        int parallelism, IProgress<int>? progress = null)
    {
        var results = new SubjectFace[paths.Count];
        var done = 0;
        Parallel.For(0, paths.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) }, i =>
        {
            SubjectFace result;
            try
            {
                result = From(engine, paths[i], rule);
            }
            catch (Exception e) when (e is OpenCVException or ArgumentException or IOException)
            {
                result = new SubjectFace(paths[i], null, null, null, e.Message);
            }
            results[i] = result;
            progress?.Report(Interlocked.Increment(ref done));
        });
        return results;
    }
}
