using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;

namespace Lfr.Actors.Cluster.Serialization;

/// <summary>
/// Takes the place of Akka's default JSON serializer (hocon/common.conf binds it as <c>json</c>, under JSON's identifier
/// 1): a message with no binding of its own is refused when it would be sent, instead of written as JSON with its type
/// name, and a peer's JSON payload is refused on arrival, instead of handed to a reflection-based deserializer that
/// builds whatever type the bytes name. Lfr's wire messages have <see cref="LfrMessageSerializer"/>, its journal events
/// their own serializer, and Akka's own messages theirs.
/// </summary>
public sealed class NoReflectionSerializer(ExtendedActorSystem system) : Serializer(system)
{
    /// <summary>What Akka calls, since the default configuration has settings for the serializer named <c>json</c>.</summary>
    public NoReflectionSerializer(ExtendedActorSystem system, Config settings) : this(system) => _ = settings;

    public override int Identifier => 1;

    public override bool IncludeManifest => true;

    public override byte[] ToBinary(object obj) =>
        throw new SerializationException(
            $"{obj.GetType().FullName} has no serializer binding: only {nameof(ILfrWireMessage)}s registered in {nameof(LfrWireMessages)} cross nodes; it was not sent");

    public override object FromBinary(byte[] bytes, Type type) =>
        throw new SerializationException($"refused a {bytes.Length}-byte JSON payload naming {type?.FullName ?? "no type"}: this node reads no JSON from other nodes");
}
