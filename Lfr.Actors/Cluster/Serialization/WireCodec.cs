using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Lfr.Actors.Cluster.Serialization;

/// <summary>Turns one registered message type into bytes and back.</summary>
public abstract class WireCodec
{
    public abstract Type MessageType { get; }

    public abstract byte[] Encode(object message);

    public abstract object Decode(ReadOnlySpan<byte> bytes);

    /// <summary>
    /// A codec over System.Text.Json source-generated metadata (no reflection at run time). Messages that carry
    /// images should get a binary codec instead: JSON writes a byte[] as base64, a third larger.
    /// </summary>
    public static WireCodec Json<T>(JsonTypeInfo<T> typeInfo) where T : ILfrWireMessage => new JsonCodec<T>(typeInfo);

    private sealed class JsonCodec<T>(JsonTypeInfo<T> typeInfo) : WireCodec where T : ILfrWireMessage
    {
        public override Type MessageType => typeof(T);

        public override byte[] Encode(object message) => JsonSerializer.SerializeToUtf8Bytes((T)message, typeInfo);

        public override object Decode(ReadOnlySpan<byte> bytes) =>
            JsonSerializer.Deserialize(bytes, typeInfo) ?? throw new JsonException($"null {typeof(T).Name}");
    }
}
