using Akka.Cluster;
using Lfr.Actors.Cluster;
using Lfr.Actors.Cluster.Serialization;
using Xunit.Abstractions;
using static Lfr.Actors.Console.Health.NodeHealthProtocol;

namespace Lfr.Tests.Actors.Cluster;

public sealed class LfrMessageSerializerSpecs(ITestOutputHelper output) : SerializerSpecs(output)
{
    [Fact]
    public void Payload_limit_should_sit_below_the_remote_frame_by_the_envelope_reserve()
    {
        Assert.Equal(128_000 - LfrMessageSerializer.EnvelopeReserveBytes, Serializer.MaxPayloadBytes);
    }

    [Fact]
    public void A_message_over_the_payload_limit_should_fail_loudly_with_its_size_and_the_limit()
    {
        var counters = Enumerable.Range(0, 6_000).ToDictionary(i => $"camera-{i:D5}-frames-dropped", i => (long)i);
        var huge = new NodeHealthReport(LfrRole.Van, "akka.tcp://lfr@10.0.0.9:4000", MemberStatus.Up, TimeSpan.FromHours(1), DateTimeOffset.UnixEpoch, counters);

        var e = Assert.Throws<WirePayloadTooLargeException>(() => Serializer.ToBinary(huge));

        Assert.Equal(typeof(NodeHealthReport), e.MessageType);
        Assert.True(e.Bytes > Serializer.MaxPayloadBytes);
        Assert.Contains($"over the {Serializer.MaxPayloadBytes}-byte wire limit", e.Message);
        Assert.Contains("not sent", e.Message);
    }

    [Fact]
    public void A_message_just_under_the_limit_should_still_round_trip()
    {
        // ~90 KB of counters: big, but inside one frame
        var counters = Enumerable.Range(0, 2_500).ToDictionary(i => $"camera-{i:D5}-frames-dropped", i => (long)i);
        var big = new NodeHealthReport(LfrRole.Van, "akka.tcp://lfr@10.0.0.9:4000", MemberStatus.Up, TimeSpan.FromHours(1), DateTimeOffset.UnixEpoch, counters);

        Assert.InRange(Serializer.ToBinary(big).Length, 80_000, Serializer.MaxPayloadBytes);
        AssertRoundTrip(big);
    }
}
