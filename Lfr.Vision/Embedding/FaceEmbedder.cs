using Lfr.Vision.Models;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;
using OpenCvSharp.Dnn;
using System.Numerics.Tensors;

namespace Lfr.Vision.Embedding;

public interface IFaceEmbedder
{
    /// <summary>The L2-normalised embedding of an aligned 112x112 BGR face.</summary>
    float[] Embed(Mat aligned);
}

/// <summary>
/// fr_feature: 512-d embedding of an aligned 112x112 face, input planar BGR (v-127)/128.
/// BGR order measured better than RGB on LFW. The graph's batch dimension is fixed at 1, so a batch is
/// several runs of the one thread-safe session, in parallel when the caller allows it.
/// </summary>
public sealed class FaceEmbedder : IFaceEmbedder, IDisposable
{
    public const int Dimension = 512;
    private const int Side = 112;
    private static readonly long[] InputShape = [1, 3, Side, Side];
    private readonly InferenceSession _session;

    public FaceEmbedder(ModelFile model)
    {
        _session = OnnxSessions.Create(model);
        ModelSha256 = model.Sha256;
    }

    /// <summary>Embeddings are only comparable with embeddings of the same model; watchlists and calibrations record this.</summary>
    public string ModelSha256 { get; }

    public unsafe float[] Embed(Mat aligned)
    {
        if (aligned.Width != Side || aligned.Height != Side || aligned.Type() != MatType.CV_8UC3)
            throw new ArgumentException("expected an aligned 112x112 BGR face", nameof(aligned));
        using var blob = CvDnn.BlobFromImage(aligned, 1.0 / 128, new Size(), new Scalar(127, 127, 127), swapRB: false, crop: false);
        var input = new float[3 * Side * Side];
        new ReadOnlySpan<float>((void*)blob.Data, input.Length).CopyTo(input);

        using var value = OrtValue.CreateTensorValueFromMemory(input, InputShape);
        using var outputs = _session.Run(OnnxSessions.RunOptions, ["input"], [value], ["output"]);
        var embedding = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        Normalise(embedding);
        return embedding;
    }

    /// <summary>Embeds several faces (one frame's faces), up to <paramref name="parallelism"/> at once.</summary>
    public float[][] EmbedBatch(IReadOnlyList<Mat> aligned, int parallelism = 1)
    {
        var result = new float[aligned.Count][];
        if (parallelism <= 1 || aligned.Count <= 1)
        {
            for (var i = 0; i < aligned.Count; i++) result[i] = Embed(aligned[i]);
        }
        else
        {
            Parallel.For(0, aligned.Count, new ParallelOptions { MaxDegreeOfParallelism = parallelism },
                i => result[i] = Embed(aligned[i]));
        }
        return result;
    }

    public static void Normalise(Span<float> v)
    {
        var norm = TensorPrimitives.Norm(v);
        if (norm > 0) TensorPrimitives.Divide(v, norm, v);
    }

    public void Dispose() => _session.Dispose();
}
