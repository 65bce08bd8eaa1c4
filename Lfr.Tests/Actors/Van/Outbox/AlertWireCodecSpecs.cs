using Lfr.Actors.Van.Outbox;
using Lfr.Tests.Actors.Cluster;
using Xunit.Abstractions;

namespace Lfr.Tests.Actors.Van.Outbox;

/// <summary>The alert on the wire: the crop travels as raw bytes, so a 64 KB crop fits a remote frame with room to spare.</summary>
public sealed class AlertWireCodecSpecs(ITestOutputHelper output) : SerializerSpecs(output)
{
    [Fact]
    public void An_alert_with_a_64_KB_crop_should_round_trip_with_a_few_hundred_bytes_of_overhead()
    {
        var alert = WireSamples.Candidate(jpegBytes: 64 * 1024);

        var bytes = Serializer.ToBinary(alert);
        AssertRoundTrip(alert);

        // base64 would make the crop alone 87 KB
        Assert.InRange(bytes.Length - alert.FaceJpeg.Length, 1, 300);
        Assert.True(bytes.Length <= Serializer.MaxPayloadBytes);
    }

    [Fact]
    public void A_cut_short_alert_should_be_refused_not_read_as_a_smaller_crop()
    {
        var bytes = AlertWireCodecs.Candidate.Encode(WireSamples.Candidate(jpegBytes: 1_000));

        Assert.Throws<InvalidDataException>(() => AlertWireCodecs.Candidate.Decode(bytes.AsSpan(0, bytes.Length - 10)));
    }
}
