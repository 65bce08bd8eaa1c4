using System.Runtime.Serialization;
using Lfr.Actors.Cluster;
using Lfr.Actors.Cluster.Serialization;
using Xunit.Abstractions;

namespace Lfr.Tests.Actors.Cluster;

/// <summary>Every message type that can cross nodes has a registration and a sample that survives the round trip.</summary>
public sealed class WireRegistrySpecs(ITestOutputHelper output) : SerializerSpecs(output)
{
    private static readonly IReadOnlyList<Type> WireTypes = typeof(ILfrWireMessage).Assembly.GetTypes()
        .Where(t => typeof(ILfrWireMessage).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
        .ToList();

    [Fact]
    public void Every_wire_message_type_in_Lfr_Actors_should_be_registered()
    {
        Assert.NotEmpty(WireTypes);
        var missing = WireTypes.Except(LfrWireMessages.Registry.Types).Select(t => t.FullName).ToList();
        Assert.True(missing.Count == 0, $"implement ILfrWireMessage but have no entry in LfrWireMessages: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_wire_message_type_should_have_a_sample_that_round_trips()
    {
        var sampled = WireSamples.All.Select(s => s.GetType()).ToHashSet();
        var missing = WireTypes.Where(t => !sampled.Contains(t)).Select(t => t.FullName).ToList();
        Assert.True(missing.Count == 0, $"no sample in WireSamples for: {string.Join(", ", missing)}");
        foreach (var sample in WireSamples.All) AssertRoundTrip(sample);
    }

    [Fact]
    public void A_wire_message_without_registration_should_fail_at_serialization_naming_the_type()
    {
        var e = Assert.Throws<SerializationException>(() => Serializer.ToBinary(new Unregistered()));
        Assert.Contains(nameof(Unregistered), e.Message);
        Assert.Contains(nameof(LfrWireMessages), e.Message);
    }

    [Fact]
    public void An_unknown_manifest_should_fail_deserialization_naming_the_manifest()
    {
        var e = Assert.Throws<SerializationException>(() => Serializer.FromBinary([1, 2, 3], "alert-candidate/99"));
        Assert.Contains("alert-candidate/99", e.Message);
    }

    [Fact]
    public void A_registry_should_refuse_one_manifest_for_two_types()
    {
        var e = Assert.Throws<ArgumentException>(() => new WireRegistry(
        [
            ("same/1", WireCodec.Json(TestWireJson.Default.First)),
            ("same/1", WireCodec.Json(TestWireJson.Default.Second)),
        ]));
        Assert.Contains("same/1", e.Message);
    }

    private sealed record Unregistered : ILfrWireMessage;
}

public sealed record First(int Value) : ILfrWireMessage;

public sealed record Second(string Value) : ILfrWireMessage;

[System.Text.Json.Serialization.JsonSerializable(typeof(First))]
[System.Text.Json.Serialization.JsonSerializable(typeof(Second))]
internal sealed partial class TestWireJson : System.Text.Json.Serialization.JsonSerializerContext;
