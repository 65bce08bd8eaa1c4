using Akka.Serialization;
using Lfr.Actors.Cluster;
using Lfr.Actors.Cluster.Serialization;
using Xunit.Abstractions;

namespace Lfr.Tests.Actors.Cluster;

/// <summary>
/// Base of the serializer specs: an ActorSystem with the nodes' HOCON (hocon/common.conf), so messages are serialized by
/// whatever the real binding picks. <see cref="AssertRoundTrip{T}"/> is the check every wire message must pass.
/// </summary>
public abstract class SerializerSpecs(ITestOutputHelper output)
    : Akka.TestKit.Xunit2.TestKit(LfrHocon.Load(LfrRole.ControlRoom), output: output)
{
    protected LfrMessageSerializer Serializer => Assert.IsType<LfrMessageSerializer>(Sys.Serialization.FindSerializerForType(typeof(ILfrWireMessage)));

    /// <summary>
    /// Serializes <paramref name="message"/> as a remote send would and reads it back: the binding must pick
    /// <see cref="LfrMessageSerializer"/>, the copy must be of the same type and equal field by field (collections too),
    /// and writing the copy must give the same bytes (so no field is lost on the way back).
    /// </summary>
    protected T AssertRoundTrip<T>(T message) where T : ILfrWireMessage
    {
        var serializer = Sys.Serialization.FindSerializerFor(message);
        Assert.IsType<LfrMessageSerializer>(serializer);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
        Assert.False(string.IsNullOrEmpty(manifest), $"{typeof(T).Name} has no manifest");
        var bytes = serializer.ToBinary(message);

        var copy = Sys.Serialization.Deserialize(bytes, serializer.Identifier, manifest);
        Assert.IsType(message.GetType(), copy);

        Assert.Equivalent(message, copy, strict: true);
        Assert.Equal(bytes, serializer.ToBinary(copy));
        return (T)copy;
    }
}
