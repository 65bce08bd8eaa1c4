using Lfr.Vision.Alignment;
using Lfr.Vision.Detection;
using Lfr.Vision.Embedding;
using Lfr.Vision.Landmarks;
using Lfr.Vision.Liveness;
using Lfr.Vision.Models;
using Lfr.Vision.Quality;
using OpenCvSharp;

namespace Lfr.Vision;

public sealed record FaceEngineOptions
{
    public DetectorOptions Detector { get; init; } = new();
    public QualityGate Quality { get; init; } = new();

    /// <summary>Model runs in flight at once for one image (detector tiles, faces). 1 leaves parallelism to the caller.</summary>
    public int Parallelism { get; init; } = 1;

    /// <summary>Embed each face and its mirror image and average them (see <see cref="FaceEmbedder.FlipAverage"/>).</summary>
    public bool FlipAverage { get; init; } = true;

    /// <summary>Load fr_liveness too (reported only, never gates an alert).</summary>
    public bool Liveness { get; init; }
}

/// <summary>A face ready for matching: where it is, how good it is, and its embedding.</summary>
public sealed record EmbeddedFace(DetectedFace Face, FaceQuality Quality, float[] Embedding);

/// <summary>
/// The face engine: detect, locate landmarks, align, embed. Owns one session per model; every method is
/// safe to call from several threads at once.
/// </summary>
public sealed class FaceEngine : IDisposable
{
    private readonly FaceDetector _detector;
    private readonly LandmarkLocator _landmarks;
    private readonly FaceEmbedder _embedder;
    private readonly LivenessScorer? _liveness;

    private FaceEngine(ModelFiles models, FaceEngineOptions options)
    {
        Options = options;
        Models = models;
        _detector = new FaceDetector(models[ModelFiles.Detector], options.Detector with { Parallelism = options.Parallelism }, models.DetectorInput);
        _landmarks = new LandmarkLocator(models[ModelFiles.Landmarks], models.LandmarksInput);
        _embedder = new FaceEmbedder(models[ModelFiles.Embedder], models.EmbedderInput) { FlipAverage = options.FlipAverage };
        _liveness = options.Liveness ? new LivenessScorer(models[ModelFiles.Liveness]) : null;
    }

    /// <summary>Locates, verifies and loads the models, and runs each once (<see cref="SelfCheck"/>).</summary>
    /// <exception cref="ModelException">A model is missing, refused, or does not fit its settings; the message says which and why.</exception>
    public static FaceEngine Load(FaceEngineOptions? options = null, string? modelFolder = null) =>
        Load(ModelFiles.Locate(modelFolder), options);

    /// <summary>Loads models already located and verified, and runs each once (<see cref="SelfCheck"/>).</summary>
    public static FaceEngine Load(ModelFiles models, FaceEngineOptions? options = null)
    {
        var engine = new FaceEngine(models, options ?? new FaceEngineOptions());
        try
        {
            engine.SelfCheck();
            return engine;
        }
        catch
        {
            engine.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs each model once on a blank image, so that settings which do not fit a model (a force's input size, tensor
    /// names, embedding size) stop the start with the model's name and the reason, not the first face of a deployment.
    /// </summary>
    public void SelfCheck()
    {
        var input = Models.DetectorInput;
        using var blank = new Mat(input.Height, input.Width, MatType.CV_8UC3, Scalar.All(128));
        Check(ModelFiles.Detector, () => _detector.Detect(blank));
        Check(ModelFiles.Landmarks, () => _landmarks.Locate(blank, new FaceBox(input.Width / 4f, input.Height / 4f, input.Width / 2f, input.Height / 2f)));
        using var aligned = new Mat(112, 112, MatType.CV_8UC3, Scalar.All(128));
        Check(ModelFiles.Embedder, () => _embedder.Embed(aligned, mirrorAlongside: false));
    }

    private void Check(string model, Action run)
    {
        try
        {
            run();
        }
        catch (Exception e) when (e is ModelException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException or ArgumentException)
        {
            throw new ModelException($"model {Models[model].Path} does not run with its settings{(Models.Set is null ? "" : " (the model set's)")}: {e.Message}");
        }
    }

    public FaceEngineOptions Options { get; }
    public ModelFiles Models { get; }
    public string EmbeddingModelSha256 => _embedder.ModelSha256;

    /// <summary>How many values an embedding of this engine has (512 for fr_feature).</summary>
    public int EmbeddingDimensions => _embedder.Dimensions;

    /// <summary>Faces with their five landmarks, strongest first.</summary>
    public IReadOnlyList<DetectedFace> Detect(Mat bgr)
    {
        var faces = _detector.Detect(bgr);
        var located = new DetectedFace[faces.Count];
        ForEach(faces.Count, i => located[i] = faces[i] with { Landmarks = _landmarks.Locate(bgr, faces[i].Box) });
        return located;
    }

    /// <summary>One camera frame's faces with their landmarks, the detector looking where <paramref name="schedule"/> says; and what it cost.</summary>
    public (IReadOnlyList<DetectedFace> Faces, DetectionCost Cost) Detect(Mat bgr, DetectionSchedule schedule, TimeSpan at)
    {
        var (faces, cost) = _detector.Detect(bgr, schedule, at);
        var located = new DetectedFace[faces.Count];
        ForEach(faces.Count, i => located[i] = faces[i] with { Landmarks = _landmarks.Locate(bgr, faces[i].Box) });
        return (located, cost);
    }

    /// <summary>Boxes only: the detector without landmarks (for pixelation and counting).</summary>
    public IReadOnlyList<DetectedFace> DetectBoxes(Mat bgr) => _detector.Detect(bgr);

    public DetectedFace Locate(Mat bgr, DetectedFace face) => face with { Landmarks = _landmarks.Locate(bgr, face.Box) };

    /// <summary>The aligned 112x112 crop; the caller disposes it.</summary>
    public static Mat Align(Mat bgr, DetectedFace face) =>
        FaceAligner.Align(bgr, face.Landmarks ?? throw new ArgumentException("the face needs landmarks", nameof(face)));

    public float[] Embed(Mat aligned) => _embedder.Embed(aligned);

    /// <summary>Embeds several aligned crops, <see cref="FaceEngineOptions.Parallelism"/> at a time.</summary>
    public float[][] Embed(IReadOnlyList<Mat> aligned)
    {
        var embeddings = new float[aligned.Count][];
        ForEach(aligned.Count, i => embeddings[i] = _embedder.Embed(aligned[i], MirrorAlongside(aligned.Count)));
        return embeddings;
    }

    /// <summary>Aligns, measures and embeds each face; faces the quality gate rejects are returned in <c>rejected</c> with the reason.</summary>
    public (IReadOnlyList<EmbeddedFace> Accepted, IReadOnlyList<(DetectedFace Face, string Reason)> Rejected) Embed(
        Mat bgr, IReadOnlyList<DetectedFace> faces, bool applyQualityGate = true)
    {
        var results = new (EmbeddedFace? Ok, string? Reason)[faces.Count];
        ForEach(faces.Count, i =>
        {
            using var aligned = Align(bgr, faces[i]);
            var quality = FaceQuality.Measure(faces[i], aligned);
            var reason = applyQualityGate ? Options.Quality.Reject(quality) : null;
            results[i] = reason is null ? (new EmbeddedFace(faces[i], quality, _embedder.Embed(aligned, MirrorAlongside(faces.Count))), null) : (null, reason);
        });
        var accepted = new List<EmbeddedFace>();
        var rejected = new List<(DetectedFace, string)>();
        for (var i = 0; i < faces.Count; i++)
        {
            if (results[i].Ok is { } ok) accepted.Add(ok);
            else rejected.Add((faces[i], results[i].Reason!));
        }
        return (accepted, rejected);
    }

    /// <summary>Liveness probability, or null when the engine was loaded without it.</summary>
    public float? Liveness(Mat bgr, DetectedFace face) => _liveness?.Score(bgr, face.Box);

    /// <summary>A lone face leaves a thread of the engine's parallelism free: its mirror image runs there (same embedding, sooner).</summary>
    private bool MirrorAlongside(int faces) => faces == 1 && Options.Parallelism > 1;

    private void ForEach(int count, Action<int> body)
    {
        if (Options.Parallelism <= 1 || count <= 1)
            for (var i = 0; i < count; i++) body(i);
        else
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Options.Parallelism }, body);
    }

    public void Dispose()
    {
        _detector.Dispose();
        _landmarks.Dispose();
        _embedder.Dispose();
        _liveness?.Dispose();
    }
}
