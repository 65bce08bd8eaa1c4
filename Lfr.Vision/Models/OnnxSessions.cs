using Microsoft.ML.OnnxRuntime;

namespace Lfr.Vision.Models;

/// <summary>
/// Creates ONNX Runtime sessions. Each session gets one intra-op thread: ONNX Runtime's own pools
/// oversubscribe a small machine when several sessions run at once, and parallelism across frames and
/// faces (callers run <see cref="InferenceSession.Run(IReadOnlyCollection{NamedOnnxValue})"/> concurrently; it is thread-safe) measured faster.
/// </summary>
public static class OnnxSessions
{
    /// <summary>
    /// Shared, never disposed: a RunOptions created inline in a Run call can be finalised by the GC while the
    /// native run still uses it (seen here as a segfault in libonnxruntime).
    /// </summary>
    public static readonly RunOptions RunOptions = new();

    public static InferenceSession Create(ModelFile model, int intraOpThreads = 1)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        // Spinning threads burn the core that the other stages need.
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return new InferenceSession(model.Path, options);
    }
}
