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

    /// <summary>
    /// A hand-written little-endian binary codec, for messages that carry bytes (JPEG crops): the bytes go as they are.
    /// <paramref name="read"/> must consume exactly what <paramref name="write"/> wrote; trailing bytes are refused.
    /// </summary>
    public static WireCodec Binary<T>(Action<BinaryWriter, T> write, Func<BinaryReader, T> read) where T : ILfrWireMessage =>
        new BinaryCodec<T>(write, read);

    private sealed class BinaryCodec<T>(Action<BinaryWriter, T> write, Func<BinaryReader, T> read) : WireCodec where T : ILfrWireMessage
    {
        public override Type MessageType => typeof(T);

        public override byte[] Encode(object message)
        {
            using var stream = new MemoryStream();
            using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
                write(writer, (T)message);
            return stream.ToArray();
        }

        public override object Decode(ReadOnlySpan<byte> bytes)
        {
            using var stream = new MemoryStream(bytes.ToArray(), writable: false);
            using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8);
            var message = read(reader);
            if (stream.Position != stream.Length)
                throw new InvalidDataException($"{stream.Length - stream.Position} trailing bytes after a {typeof(T).Name}");
            return message!;
        }
    }

    private sealed class JsonCodec<T>(JsonTypeInfo<T> typeInfo) : WireCodec where T : ILfrWireMessage
    {
        public override Type MessageType => typeof(T);

        public override byte[] Encode(object message) => JsonSerializer.SerializeToUtf8Bytes((T)message, typeInfo);

        public override object Decode(ReadOnlySpan<byte> bytes) =>
            JsonSerializer.Deserialize(bytes, typeInfo) ?? throw new JsonException($"null {typeof(T).Name}");
    }
}
