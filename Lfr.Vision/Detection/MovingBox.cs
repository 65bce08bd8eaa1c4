using OpenCvSharp;

namespace Lfr.Vision.Detection;

/// <summary>
/// A face's last box and the smoothed velocity of its centre (pixels per second over the last few sightings), so that
/// where it will be at a later frame can be predicted: a face that moves half its width per frame is still found there.
/// </summary>
public sealed class MovingBox(FaceBox box, TimeSpan seen)
{
    private Point2f _velocity;

    public FaceBox Box { get; private set; } = box;
    public TimeSpan Seen { get; private set; } = seen;

    public FaceBox PredictedAt(TimeSpan at)
    {
        var dt = (float)(at - Seen).TotalSeconds;
        return Box with { X = Box.X + _velocity.X * dt, Y = Box.Y + _velocity.Y * dt };
    }

    public void See(FaceBox box, TimeSpan at)
    {
        var dt = (float)(at - Seen).TotalSeconds;
        if (dt > 0)
        {
            var step = (box.Center - Box.Center) * (1 / dt);
            _velocity = _velocity == default ? step : (_velocity + step) * 0.5f;
        }
        Box = box;
        Seen = at;
    }
}
