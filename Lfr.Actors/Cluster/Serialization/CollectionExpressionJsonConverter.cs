using System.Collections;
using Newtonsoft.Json;

namespace Lfr.Actors.Cluster.Serialization;

/// <summary>
/// The web's asks to a control-room singleton on another control room, and their answers, go through Akka's JSON
/// serializer (no explicit codecs for them yet: README "Several control rooms"). It writes a list made by a C#
/// collection expression under the compiler's own type (<c>&lt;&gt;z__ReadOnlyArray</c> and kin), which it cannot build
/// again when reading; this writes such a list as a plain JSON array, read back into the declared <c>IReadOnlyList</c>.
/// Registered in <c>hocon/control-room.conf</c>.
/// </summary>
public sealed class CollectionExpressionJsonConverter : JsonConverter
{
    public override bool CanRead => false;

    public override bool CanConvert(Type objectType) =>
        objectType.Name.StartsWith("<>z__", StringComparison.Ordinal) && typeof(IEnumerable).IsAssignableFrom(objectType);

    public override void WriteJson(JsonWriter writer, object? value, JsonSerializer serializer)
    {
        writer.WriteStartArray();
        foreach (var item in (IEnumerable)value!)
            serializer.Serialize(writer, item);
        writer.WriteEndArray();
    }

    public override object ReadJson(JsonReader reader, Type objectType, object? existingValue, JsonSerializer serializer) =>
        throw new NotSupportedException("written as a plain array, read as the declared list type");
}
