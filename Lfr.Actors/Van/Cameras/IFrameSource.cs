using OpenCvSharp;

namespace Lfr.Actors.Van.Cameras;

/// <summary>Where a camera's frames come from. Opened afresh on every (re)start of the camera; not thread-safe.</summary>
public interface IFrameSource : IDisposable
{
    /// <summary>Nominal frame rate; 0 when the source does not say.</summary>
    double FramesPerSecond { get; }

    /// <summary>A live feed delivers at its own pace; a file or a scene is paced by the reader to its frame rate.</summary>
    bool IsLive { get; }

    /// <summary>Reads the next frame into <paramref name="into"/>; false at the end of the source.</summary>
    /// <exception cref="CameraSourceException">the source broke (disconnected, unreadable).</exception>
    bool Read(Mat into, out TimeSpan position);

    /// <summary>
    /// Called from another thread when the camera stops: a source that can, makes a <see cref="Read"/> blocked on a
    /// silent camera return (it may then throw). Nothing by default.
    /// </summary>
    void Abort()
    {
    }
}

/// <summary>A camera source that cannot be opened or stopped working. Expected: the supervisor restarts it with backoff.</summary>
public sealed class CameraSourceException(string message, Exception? inner = null) : Exception(message, inner);
