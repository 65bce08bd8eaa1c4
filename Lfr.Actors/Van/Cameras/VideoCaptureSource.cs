using System.Globalization;
using System.Diagnostics;
using OpenCvSharp;

namespace Lfr.Actors.Van.Cameras;

/// <summary>
/// OpenCV <see cref="VideoCapture"/> over a video file or a device number. Not for network cameras: the FFmpeg inside
/// OpenCvSharp's runtime has no network protocols (<see cref="FfmpegSource"/> reads those).
/// </summary>
public sealed class VideoCaptureSource : IFrameSource
{
    private readonly VideoCapture _capture;
    private readonly Stopwatch _sinceOpen = Stopwatch.StartNew();
    private long _frames;

    public VideoCaptureSource(string fileUrlOrDevice)
    {
        IsLive = int.TryParse(fileUrlOrDevice, NumberStyles.None, CultureInfo.InvariantCulture, out _)
                 || fileUrlOrDevice.Contains("://", StringComparison.Ordinal);
        _capture = int.TryParse(fileUrlOrDevice, NumberStyles.None, CultureInfo.InvariantCulture, out var device)
            ? new VideoCapture(device)
            : new VideoCapture(fileUrlOrDevice);
        if (!_capture.IsOpened())
        {
            _capture.Dispose();
            // the address may hold credentials (rtsp://user:pass@...), so it stays out of the message
            throw new CameraSourceException(IsLive ? "the camera could not be opened" : "the video file could not be opened");
        }
        var fps = _capture.Get(VideoCaptureProperties.Fps);
        FramesPerSecond = double.IsFinite(fps) && fps is > 0 and < 1000 ? fps : 0;
    }

    public double FramesPerSecond { get; }
    public bool IsLive { get; }

    public bool Read(Mat into, out TimeSpan position)
    {
        if (!_capture.Read(into) || into.Empty())
        {
            position = default;
            // a file simply ends; a live feed that returns nothing has dropped
            if (IsLive) throw new CameraSourceException("the camera stopped delivering frames");
            return false;
        }
        // a file's position is its frame number over its rate, so "at" in alerts matches the video's timeline
        position = !IsLive && FramesPerSecond > 0 ? TimeSpan.FromSeconds(_frames / FramesPerSecond) : _sinceOpen.Elapsed;
        _frames++;
        return true;
    }

    public void Dispose() => _capture.Dispose();
}
