using System.Threading.Channels;

namespace Lfr.Actors.Van.Cameras;

/// <summary>
/// Latest-frame-wins hand-off between a camera's reader thread and its recognition graph. It holds one frame:
/// when recognition is behind, a newer frame replaces the waiting one, which is counted as dropped and its
/// native image released on the spot. Dropping here, before detection, wastes no CPU on frames that would be
/// thrown away later. <see cref="HandOffPolicy.Lossless"/> makes the reader wait instead (benchmarks, replays).
/// </summary>
public sealed class FrameHandOff
{
    private readonly Channel<CameraFrame> _channel;

    public FrameHandOff(CameraCounters counters, HandOffPolicy policy = HandOffPolicy.LatestFrameWins)
    {
        var options = new BoundedChannelOptions(1)
        {
            FullMode = policy == HandOffPolicy.Lossless ? BoundedChannelFullMode.Wait : BoundedChannelFullMode.DropOldest,
            SingleReader = false, // Close() drains what the graph left behind
            SingleWriter = true,
        };
        _channel = Channel.CreateBounded<CameraFrame>(options, dropped =>
        {
            counters.FrameDropped();
            dropped.Dispose();
        });
    }

    public ChannelReader<CameraFrame> Reader => _channel.Reader;

    /// <summary>Offers a frame; waits only under <see cref="HandOffPolicy.Lossless"/>. A closed hand-off releases the frame.</summary>
    public async ValueTask OfferAsync(CameraFrame frame, CancellationToken cancel)
    {
        try
        {
            await _channel.Writer.WriteAsync(frame, cancel);
        }
        catch (Exception e) when (e is ChannelClosedException or OperationCanceledException)
        {
            frame.Dispose();
            throw;
        }
    }

    /// <summary>The source ended: the graph takes the frame still waiting, then completes.</summary>
    public void Complete() => _channel.Writer.TryComplete();

    /// <summary>The camera stopped: ends the stream and releases a frame still waiting.</summary>
    public void Close()
    {
        _channel.Writer.TryComplete();
        while (_channel.Reader.TryRead(out var left))
            left.Dispose();
    }
}

public enum HandOffPolicy
{
    /// <summary>A live camera: never wait for recognition; drop (and count) the frame it has not taken yet.</summary>
    LatestFrameWins,

    /// <summary>Every frame is processed; the reader waits. For measuring throughput over the same frames as a plain loop.</summary>
    Lossless,
}
