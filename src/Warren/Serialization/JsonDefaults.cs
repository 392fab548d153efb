using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Warren.Internal;

/// <summary>
/// The serializer options for types no <c>JsonSerializerContext</c> covers. Reflection-based metadata is used only
/// where the app allows it; trimmed and NativeAOT apps register a context, which the generated descriptors use instead.
/// </summary>
internal static class JsonDefaults
{
    public static JsonSerializerOptions Resolve(JsonSerializerOptions? configured)
    {
        JsonSerializerOptions options = configured ?? new JsonSerializerOptions(JsonSerializerDefaults.Web);
        if (options.TypeInfoResolver is null && !options.IsReadOnly)
        {
            // Without reflection (trimmed, NativeAOT) a resolver that knows nothing still lets the bus start: messages use
            // the JsonSerializerContext the generator found for them, and anything else fails where it is used, naming the type.
            options.TypeInfoResolver = JsonSerializer.IsReflectionEnabledByDefault ? CreateReflectionResolver() : JsonTypeInfoResolver.Combine();
        }

        options.MakeReadOnly();
        return options;
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Reached only when the app enables reflection-based serialization; AOT apps use their JsonSerializerContext.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Reached only when the app enables reflection-based serialization; AOT apps use their JsonSerializerContext.")]
    private static IJsonTypeInfoResolver CreateReflectionResolver() => new DefaultJsonTypeInfoResolver();
}
