using System.Collections.Immutable;
using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using Akka.Util;
using Newtonsoft.Json;
using Newtonsoft.Json.Serialization;

namespace Lfr.Actors.Cluster.Serialization;

/// <summary>
/// Takes the place of Akka's default JSON serializer (hocon/common.conf binds it as <c>json</c>, under JSON's identifier
/// 1). Lfr's wire messages have <see cref="LfrMessageSerializer"/>, its journal events their own serializer and Akka's
/// own messages theirs; what is left is the control room's own asks between control-room nodes (the web on one node,
/// the singletons on the oldest). Those go as JSON, but only for Lfr's types and plain values: every type a payload
/// names, nested ones included, must be on the allow-list, so a peer cannot make this node build an arbitrary .NET type
/// (the reflection gadgets of type-naming JSON), and a message of any other type is refused when it would be sent.
/// </summary>
public sealed class AllowListJsonSerializer : Serializer
{
    private readonly NewtonSoftJsonSerializer _json;

    /// <summary>What Akka calls, with the settings of the serializer named <c>json</c> (its converters).</summary>
    public AllowListJsonSerializer(ExtendedActorSystem system, Config settings) : base(system)
    {
        _json = new NewtonSoftJsonSerializer(system, settings);
        var binder = new AllowListBinder();
        _json.Settings.SerializationBinder = binder;
        if (_json.Serializer is JsonSerializer serializer) serializer.SerializationBinder = binder;
    }

    public AllowListJsonSerializer(ExtendedActorSystem system) : this(system, ConfigurationFactory.Empty) { }

    public override int Identifier => 1;

    public override bool IncludeManifest => true;

    public override byte[] ToBinary(object obj)
    {
        if (!AllowListBinder.Allowed(obj.GetType()))
            throw new SerializationException(
                $"{obj.GetType().FullName} has no serializer binding: only {nameof(ILfrWireMessage)}s registered in {nameof(LfrWireMessages)} and the control room's own types cross nodes; it was not sent");
        return _json.ToBinary(obj);
    }

    public override object FromBinary(byte[] bytes, Type type)
    {
        if (type is null || !AllowListBinder.Allowed(type))
            throw new SerializationException($"refused a {bytes.Length}-byte JSON payload naming {type?.FullName ?? "no type"}: not a type this node reads from other nodes");
        return _json.FromBinary(bytes, type);
    }

    /// <summary>The types of Lfr.Actors and Lfr.Vision, Akka's actor-reference surrogates, and plain values and collections of them.</summary>
    internal sealed class AllowListBinder : ISerializationBinder
    {
        private static readonly DefaultSerializationBinder Default = new();

        private static readonly HashSet<Type> Plain =
        [
            typeof(string), typeof(decimal), typeof(DateTime), typeof(DateTimeOffset), typeof(TimeSpan), typeof(Guid), typeof(DateOnly),
            typeof(TimeOnly), typeof(Nullable<>), typeof(List<>), typeof(Dictionary<,>), typeof(HashSet<>), typeof(SortedDictionary<,>),
            typeof(KeyValuePair<,>), typeof(ImmutableArray<>), typeof(ImmutableList<>), typeof(ImmutableDictionary<,>),
            typeof(ImmutableHashSet<>), typeof(ValueTuple<,>), typeof(ValueTuple<,,>), typeof(Tuple<,>), typeof(Tuple<,,>),
        ];

        public static bool Allowed(Type type)
        {
            if (type.IsArray) return Allowed(type.GetElementType()!);
            if (type.IsGenericType && !type.IsGenericTypeDefinition)
                return Allowed(type.GetGenericTypeDefinition()) && type.GetGenericArguments().All(Allowed);
            if (type.IsPrimitive || Plain.Contains(type)) return true;
            var assembly = type.Assembly.GetName().Name ?? "";
            return assembly is "Lfr.Actors" or "Lfr.Vision" || (assembly == "Akka" && typeof(ISurrogate).IsAssignableFrom(type));
        }

        public Type BindToType(string? assemblyName, string typeName)
        {
            var type = Default.BindToType(assemblyName, typeName);
            return Allowed(type) ? type : throw new SerializationException($"refused JSON naming {typeName}: not a type this node reads from other nodes");
        }

        public void BindToName(Type serializedType, out string? assemblyName, out string? typeName)
        {
            if (!Allowed(serializedType))
                throw new SerializationException($"{serializedType.FullName} is not a type that crosses nodes; not sent");
            Default.BindToName(serializedType, out assemblyName, out typeName);
        }
    }
}
