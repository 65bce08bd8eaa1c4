using Lfr.Vision.Detection;
using Lfr.Vision.Landmarks;
using Lfr.Vision.Models;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;

namespace Lfr.Vision.Liveness;

/// <summary>
/// fr_liveness (a MiniFASNet-style anti-spoofing model): the face box enlarged 2.7x, 128x128, raw BGR 0-255,
/// three classes. Reported for information only: it rated only 16 of 22 real candid faces as live in a
/// prototype, so alerts are never gated on it.
/// </summary>
public sealed class LivenessScorer : IDisposable
{
    private const int Side = 128;
    // Class 0 is "live": the package JS reports softmax[0], and it is the top class for 24 of 31 real faces in
    // the sample and portrait photos here (class 1 for 7).
    private const int LiveClass = 0;
    private static readonly long[] InputShape = [1, 3, Side, Side];
    private readonly InferenceSession _session;

    public LivenessScorer(ModelFile model) => _session = OnnxSessions.Create(model);

    /// <summary>Probability (softmax) that the face is a live person rather than a print or screen.</summary>
    public float Score(Mat bgr, FaceBox box)
    {
        var side = Math.Min(Math.Max(box.Width, box.Height) * 2.7f, Math.Min(bgr.Width, bgr.Height));
        var c = box.Center;
        var x = Math.Clamp(c.X - side / 2, 0, bgr.Width - side);
        var y = Math.Clamp(c.Y - side / 2, 0, bgr.Height - side);
        using var patch = LandmarkLocator.CropResize(bgr, new Rect2f(x, y, side, side), Side);

        var input = new float[3 * Side * Side];
        for (var row = 0; row < Side; row++)
            for (var col = 0; col < Side; col++)
            {
                var px = patch.At<Vec3b>(row, col);
                for (var ch = 0; ch < 3; ch++)
                    input[ch * Side * Side + row * Side + col] = px[ch];
            }

        using var value = OrtValue.CreateTensorValueFromMemory(input, InputShape);
        using var outputs = _session.Run(OnnxSessions.RunOptions, ["input"], [value], ["output"]);
        var logits = outputs[0].GetTensorDataAsSpan<float>();
        var max = Math.Max(logits[0], Math.Max(logits[1], logits[2]));
        double sum = 0;
        for (var i = 0; i < 3; i++) sum += Math.Exp(logits[i] - max);
        return (float)(Math.Exp(logits[LiveClass] - max) / sum);
    }

    public void Dispose() => _session.Dispose();
}
