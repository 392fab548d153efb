using System;
using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Warren.Runtime;

/// <summary>
/// Serialization of RPC arguments and results with the bus's options: metadata resolved once per type and options, so
/// that a call looks nothing up by reflection after the first.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class RpcJson
{
    internal RpcJson(JsonSerializerOptions options) => Options = options;

    /// <summary>The bus's serializer options.</summary>
    public JsonSerializerOptions Options { get; }

    /// <summary>Writes one value.</summary>
    public void Write<T>(Utf8JsonWriter writer, T value) => JsonSerializer.Serialize(writer, value, TypeInfo<T>());

    /// <summary>Writes one named value of an arguments object.</summary>
    public void WriteProperty<T>(Utf8JsonWriter writer, string name, T value)
    {
        writer.WritePropertyName(name);
        JsonSerializer.Serialize(writer, value, TypeInfo<T>());
    }

    /// <summary>Reads one bare value.</summary>
    public T Read<T>(ReadOnlySpan<byte> json) => JsonSerializer.Deserialize(json, TypeInfo<T>())!;

    /// <summary>Reads one value of a parsed arguments object.</summary>
    public T Read<T>(JsonElement element) => element.Deserialize(TypeInfo<T>())!;

    /// <summary>The metadata of <typeparamref name="T"/> for these options.</summary>
    public JsonTypeInfo<T> TypeInfo<T>()
    {
        Cache<T>? cache = Cache<T>.Last;
        if (cache is null || !ReferenceEquals(cache.Options, Options))
        {
            cache = new Cache<T>(Options, (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T)));
            Cache<T>.Last = cache;
        }

        return cache.TypeInfo;
    }

    /// <summary>The last metadata resolved for <typeparamref name="T"/>; one bus (one options instance) is the common case.</summary>
    private sealed record Cache<T>(JsonSerializerOptions Options, JsonTypeInfo<T> TypeInfo)
    {
        public static Cache<T>? Last;
    }
}
