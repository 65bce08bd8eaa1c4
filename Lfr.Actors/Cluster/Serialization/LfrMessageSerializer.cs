using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using Lfr.Actors.Telemetry;

namespace Lfr.Actors.Cluster.Serialization;

/// <summary>
/// The serializer bound to <see cref="ILfrWireMessage"/> (hocon/common.conf). It writes only registered types and
/// refuses a payload that would not fit the remote frame with a <see cref="WirePayloadTooLargeException"/>: Akka.Remote
/// would otherwise drop the frame, and an alert or a watchlist chunk must never vanish without a trace.
/// </summary>
public sealed class LfrMessageSerializer : SerializerWithStringManifest
{
    public const int SerializerId = 5810;

    /// <summary>Room left in a frame for what Akka.Remote wraps around the payload (actor paths, manifest, ids).</summary>
    public const int EnvelopeReserveBytes = 8 * 1024;

    private const string FrameSizePath = "akka.remote.dot-netty.tcp.maximum-frame-size";
    private const long DefaultFrameSize = 128000;

    private readonly WireRegistry _registry;

    public LfrMessageSerializer(ExtendedActorSystem system) : this(system, LfrWireMessages.Registry)
    {
    }

    internal LfrMessageSerializer(ExtendedActorSystem system, WireRegistry registry) : base(system)
    {
        _registry = registry;
        var frame = system.Settings.Config.GetByteSize(FrameSizePath, DefaultFrameSize) ?? DefaultFrameSize;
        MaxPayloadBytes = checked((int)frame) - EnvelopeReserveBytes;
    }

    public override int Identifier => SerializerId;

    /// <summary>The largest payload this serializer writes: the remote frame size less <see cref="EnvelopeReserveBytes"/>.</summary>
    public int MaxPayloadBytes { get; }

    public override string Manifest(object o) =>
        _registry.TryGet(o.GetType(), out var manifest, out _) ? manifest : throw Unregistered(o.GetType());

    public override byte[] ToBinary(object obj)
    {
        if (!_registry.TryGet(obj.GetType(), out _, out var codec)) throw Unregistered(obj.GetType());
        var bytes = codec.Encode(obj);
        if (bytes.Length > MaxPayloadBytes)
        {
            LfrTelemetry.WireOversized.Add(1, new KeyValuePair<string, object?>("type", obj.GetType().Name));
            throw new WirePayloadTooLargeException(obj.GetType(), bytes.Length, MaxPayloadBytes);
        }
        return bytes;
    }

    public override object FromBinary(byte[] bytes, string manifest) =>
        _registry.TryGet(manifest, out var codec)
            ? codec.Decode(bytes)
            : throw new SerializationException($"unknown wire manifest '{manifest}': the sending node runs a version with messages this one does not know");

    private static SerializationException Unregistered(Type type) =>
        new($"{type.FullName} is an {nameof(ILfrWireMessage)} but has no entry in {nameof(LfrWireMessages)}; register a manifest and codec for it");
}

/// <summary>
/// A wire message larger than the remote frame allows. A <see cref="SerializationException"/>, so Akka.Remote logs it
/// as an error and keeps the association up for the messages behind it.
/// </summary>
public sealed class WirePayloadTooLargeException(Type messageType, int bytes, int limit)
    : SerializationException($"{messageType.Name} serialized to {bytes} bytes, over the {limit}-byte wire limit (remote frame less envelope); it was not sent. Send images as JPEG crops under the limit, or in chunks.")
{
    public Type MessageType { get; } = messageType;
    public int Bytes { get; } = bytes;
    public int Limit { get; } = limit;
}
