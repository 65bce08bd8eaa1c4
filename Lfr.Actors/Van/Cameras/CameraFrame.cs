using OpenCvSharp;

namespace Lfr.Actors.Van.Cameras;

/// <summary>
/// One frame from a camera, owning its native image. Exactly one holder disposes it: the hand-off when it is
/// replaced, otherwise the last pipeline stage. Disposal releases the pixels at once instead of waiting for the GC.
/// </summary>
public sealed class CameraFrame : IDisposable
{
    private readonly CameraCounters _counters;
    private int _disposed;

    public CameraFrame(CameraId camera, long sequence, DateTimeOffset capturedAt, TimeSpan sourcePosition, Mat image, CameraCounters counters)
    {
        Camera = camera;
        Sequence = sequence;
        CapturedAt = capturedAt;
        SourcePosition = sourcePosition;
        Image = image;
        _counters = counters;
        _counters.FrameCreated();
    }

    public CameraId Camera { get; }
    public long Sequence { get; }

    /// <summary>Wall-clock time the frame was read from the source.</summary>
    public DateTimeOffset CapturedAt { get; }

    /// <summary>Position within the source (a file's timestamp, a scene's clock, time since connecting for a live feed).</summary>
    public TimeSpan SourcePosition { get; }

    public Mat Image { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        Image.Dispose();
        _counters.FrameReleased();
    }

    public override string ToString() => $"CameraFrame({Camera}, #{Sequence})";
}
