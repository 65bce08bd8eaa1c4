using Lfr.Actors.LiveView;
using Lfr.Tests.Actors.Cluster;
using Xunit.Abstractions;

namespace Lfr.Tests.Actors.LiveView;

/// <summary>Live view frames on the wire: the JPEG travels as raw bytes, and a frame at the relay's limit fits a remote frame.</summary>
public sealed class LiveViewWireCodecSpecs(ITestOutputHelper output) : SerializerSpecs(output)
{
    [Fact]
    public void A_frame_at_the_relay_limit_should_round_trip_within_the_wire_limit()
    {
        var frame = WireSamples.Frame(jpegBytes: new LiveViewSettings().MaxFrameBytes);

        var bytes = Serializer.ToBinary(frame);
        AssertRoundTrip(frame);

        Assert.InRange(bytes.Length - frame.Jpeg.Length, 1, 200);
        Assert.True(bytes.Length <= Serializer.MaxPayloadBytes);
    }

    [Fact]
    public void Camera_health_should_round_trip_with_and_without_its_optional_fields()
    {
        AssertRoundTrip(new LiveViewProtocol.CameraHealthUpdate("van-07", WireSamples.Health("source not open after 30 s")));
        AssertRoundTrip(new LiveViewProtocol.CameraHealthUpdate("van-07", WireSamples.Health(null) with { LastFrameAt = null }));
    }

    [Fact]
    public void Camera_health_from_a_van_that_sends_no_latencies_should_still_decode()
    {
        var health = new LiveViewProtocol.CameraHealthUpdate("van-07", WireSamples.Health(null) with { Latencies = null, Detector = null });
        var bytes = LiveViewWireCodecs.Health.Encode(health);

        // the previous version wrote nothing after the last error: no latencies flag
        var old = (LiveViewProtocol.CameraHealthUpdate)LiveViewWireCodecs.Health.Decode(bytes.AsSpan(0, bytes.Length - 1));

        Assert.Equal(health, old);
    }

    [Fact]
    public void Camera_health_from_a_van_before_the_detector_schedule_should_decode_with_its_latencies()
    {
        var health = new LiveViewProtocol.CameraHealthUpdate("van-07", WireSamples.Health(null) with { Detector = null });
        var bytes = LiveViewWireCodecs.Health.Encode(health);

        // that version wrote nothing after the latencies: no detector flag
        var old = (LiveViewProtocol.CameraHealthUpdate)LiveViewWireCodecs.Health.Decode(bytes.AsSpan(0, bytes.Length - 1));

        Assert.Equal(health, old);
        Assert.NotNull(old.Health.Latencies);
    }

    [Fact]
    public void A_cut_short_frame_should_be_refused()
    {
        var bytes = LiveViewWireCodecs.Frame.Encode(WireSamples.Frame(jpegBytes: 1_000));

        Assert.Throws<InvalidDataException>(() => LiveViewWireCodecs.Frame.Decode(bytes.AsSpan(0, bytes.Length - 10)));
    }
}
