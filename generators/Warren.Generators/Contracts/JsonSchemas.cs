using System.Linq;
using Warren.Generators.Common;
using Warren.Generators.Model;

namespace Warren.Generators.Contracts;

/// <summary>JSON Schema (the AsyncAPI 3.0 schema format, a superset of draft 07) of the contract model's types.</summary>
internal static class JsonSchemas
{
    /// <summary>An object type's schema: its properties, and those that must be present.</summary>
    public static JsonObject Object(SchemaSpec schema, System.Collections.Generic.IReadOnlyDictionary<string, SchemaSpec> all)
    {
        if (schema.Derived.Count == 0)
        {
            return PlainObject(schema);
        }

        // System.Text.Json writes a listed derived type with its discriminator first; the base itself (unless abstract) without.
        var variants = new JsonArray();
        if (!schema.IsAbstract)
        {
            variants.Add(PlainObject(schema));
        }

        foreach (DerivedSchema derived in schema.Derived)
        {
            JsonObject variant = PlainObject(all[derived.Schema]);
            ((JsonObject)variant["properties"]!).Add(schema.DiscriminatorProperty!, new JsonObject().Add("const", JsonReader.Parse(derived.Discriminator)));
            JsonArray required = variant["required"] as JsonArray ?? new JsonArray();
            variant.Add("required", required.Add(JsonNode.Of(schema.DiscriminatorProperty)));
            variants.Add(variant);
        }

        return new JsonObject().Add("title", schema.ClrType).Add("oneOf", variants);
    }

    private static JsonObject PlainObject(SchemaSpec schema)
    {
        var properties = new JsonObject();
        foreach (SchemaProperty property in schema.Properties)
        {
            properties.Add(property.JsonName, Of(property.Type));
        }

        JsonObject result = new JsonObject()
            .Add("type", "object")
            .Add("title", schema.ClrType)
            .Add("properties", properties);
        string[] required = schema.Properties.Where(p => p.Required).Select(p => p.JsonName).ToArray();
        return required.Length == 0 ? result : result.Add("required", new JsonArray().AddRange(required.Select(JsonNode.Of)));
    }

    /// <summary>The schema of a value: <c>type</c> lists "null" too when null is a value, a reference is wrapped in a oneOf.</summary>
    public static JsonObject Of(JsonType type)
    {
        if (type.Kind == "any")
        {
            return new JsonObject();
        }

        if (type.Kind == "ref")
        {
            JsonObject reference = new JsonObject().Add("$ref", "#/components/schemas/" + type.Ref);
            return type.Nullable
                ? new JsonObject().Add("oneOf", new JsonArray().Add(reference).Add(new JsonObject().Add("type", "null")))
                : reference;
        }

        string kind = type.Kind == "map" ? "object" : type.Kind;
        var result = new JsonObject().Add("type", type.Nullable ? new JsonArray().Add(JsonNode.Of(kind)).Add(JsonNode.Of("null")) : JsonNode.Of(kind));
        result.Add("format", type.Format);
        if (type.EnumValues.Count > 0)
        {
            var values = new JsonArray().AddRange(type.EnumValues.Select(JsonNode.Of));
            result.Add("enum", type.Nullable ? values.Add(JsonNode.Of((string?)null)) : values);
        }

        if (type.Kind == "array")
        {
            result.Add("items", Of(type.Items!));
        }
        else if (type.Kind == "map")
        {
            result.Add("additionalProperties", Of(type.Items!));
        }

        return result;
    }
}

/// <summary>The bodies of RPC requests and replies, as the generated proxy writes them.</summary>
internal static class RpcSchemas
{
    /// <summary>No parameters: an empty object; one: its bare value; more: an object of them by parameter name.</summary>
    public static JsonObject Request(RpcMethodContract method)
    {
        if (method.Parameters.Count == 1)
        {
            return JsonSchemas.Of(method.Parameters[0].Type);
        }

        var properties = new JsonObject();
        foreach (RpcParameterContract parameter in method.Parameters)
        {
            properties.Add(parameter.Name, JsonSchemas.Of(parameter.Type));
        }

        JsonObject result = new JsonObject().Add("type", "object").Add("properties", properties);
        return method.Parameters.Count == 0
            ? result
            : result.Add("required", new JsonArray().AddRange(method.Parameters.Select(p => JsonNode.Of(p.Name))));
    }

    /// <summary>The result's bare value, or null for a method without one.</summary>
    public static JsonObject Reply(RpcMethodContract method) =>
        method.Returns is { } returns ? JsonSchemas.Of(returns) : new JsonObject().Add("type", "null");
}
