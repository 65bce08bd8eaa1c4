using Lfr.Actors.Van;
using Lfr.Actors.Van.Cameras;
using OpenCvSharp;

namespace Lfr.Tests.Actors.Van;

public sealed class FrameHandOffSpecs
{
    [Fact]
    public async Task Hand_off_should_keep_only_the_newest_frame_and_release_the_replaced_ones_at_once()
    {
        var counters = new CameraCounters();
        var handOff = new FrameHandOff(counters);
        var frames = Enumerable.Range(0, 5).Select(i => Frame(i, counters)).ToList();

        foreach (var frame in frames) await handOff.OfferAsync(frame, CancellationToken.None);

        var snapshot = counters.Snapshot();
        Assert.Equal(4, snapshot.FramesDropped);
        Assert.Equal(1, snapshot.FramesAlive);
        Assert.All(frames.Take(4), f => Assert.True(f.Image.IsDisposed));
        Assert.True(handOff.Reader.TryRead(out var newest));
        Assert.Equal(4, newest!.Sequence);
        newest.Dispose();
        Assert.Equal(0, counters.Snapshot().FramesAlive);
    }

    [Fact]
    public async Task Lossless_hand_off_should_make_the_reader_wait_instead_of_dropping()
    {
        var counters = new CameraCounters();
        var handOff = new FrameHandOff(counters, HandOffPolicy.Lossless);
        await handOff.OfferAsync(Frame(0, counters), CancellationToken.None);
        var second = handOff.OfferAsync(Frame(1, counters), CancellationToken.None).AsTask();
        Assert.False(second.IsCompleted);

        Assert.True(handOff.Reader.TryRead(out var first));
        first!.Dispose();
        await second;
        Assert.Equal(0, counters.Snapshot().FramesDropped);
        handOff.Close();
        Assert.Equal(0, counters.Snapshot().FramesAlive);
    }

    private static CameraFrame Frame(int sequence, CameraCounters counters) =>
        new(new CameraId("cam"), sequence, DateTimeOffset.UnixEpoch, TimeSpan.Zero, new Mat(4, 4, MatType.CV_8UC3), counters);
}
