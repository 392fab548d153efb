using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Warren.Generators.Common;

/// <summary>
/// A tiny JSON document model for the contract documents the generator writes and the lock file it reads (a generator
/// cannot depend on System.Text.Json). Objects keep their members in insertion order; writers insert them sorted.
/// </summary>
internal abstract class JsonNode
{
    /// <summary>The 1-based line where the node starts in the text it was read from; 0 when built in code.</summary>
    public int Line { get; set; }

    /// <summary>
    /// The node as pretty-printed JSON (two-space indentation, "\n" newlines, no trailing newline); also the canonical
    /// form that compares two values.
    /// </summary>
    public string ToJson()
    {
        var builder = new StringBuilder();
        Write(builder, 0);
        return builder.ToString();
    }

    internal abstract void Write(StringBuilder builder, int depth);

    public static JsonNode Of(string? value) => value is null ? new JsonLiteral("null") : new JsonString(value);

    public static JsonNode Of(bool value) => new JsonLiteral(value ? "true" : "false");

    public static JsonNode Of(long value) => new JsonLiteral(value.ToString(CultureInfo.InvariantCulture));

    protected static void Indent(StringBuilder builder, int depth) => builder.Append('\n').Append(' ', depth * 2);
}

/// <summary>A number, true, false or null, kept as its JSON text.</summary>
internal sealed class JsonLiteral : JsonNode
{
    public JsonLiteral(string text) => Text = text;

    public string Text { get; }

    internal override void Write(StringBuilder builder, int depth) => builder.Append(Text);
}

internal sealed class JsonString : JsonNode
{
    public JsonString(string value) => Value = value;

    public string Value { get; }

    internal override void Write(StringBuilder builder, int depth) => WriteString(builder, Value);

    public static void WriteString(StringBuilder builder, string value)
    {
        builder.Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (c < ' ')
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
    }
}

internal sealed class JsonArray : JsonNode
{
    public List<JsonNode> Items { get; } = new();

    public JsonArray Add(JsonNode item)
    {
        Items.Add(item);
        return this;
    }

    public JsonArray AddRange(IEnumerable<JsonNode> items)
    {
        Items.AddRange(items);
        return this;
    }

    internal override void Write(StringBuilder builder, int depth)
    {
        if (Items.Count == 0)
        {
            builder.Append("[]");
            return;
        }

        builder.Append('[');
        for (int i = 0; i < Items.Count; i++)
        {
            builder.Append(i == 0 ? string.Empty : ",");
            Indent(builder, depth + 1);
            Items[i].Write(builder, depth + 1);
        }

        Indent(builder, depth);
        builder.Append(']');
    }
}

internal sealed class JsonObject : JsonNode
{
    public List<KeyValuePair<string, JsonNode>> Members { get; } = new();

    /// <summary>Adds a member (replacing one of the same name); a null value is left out.</summary>
    public JsonObject Add(string name, JsonNode? value)
    {
        if (value is null)
        {
            return this;
        }

        int existing = Members.FindIndex(m => m.Key == name);
        if (existing >= 0)
        {
            Members[existing] = new(name, value);
        }
        else
        {
            Members.Add(new(name, value));
        }

        return this;
    }

    /// <summary>An object of these members, sorted by name.</summary>
    public static JsonObject From<T>(IEnumerable<KeyValuePair<string, T>> members)
        where T : JsonNode
    {
        var result = new JsonObject();
        foreach (KeyValuePair<string, T> member in members)
        {
            result.Add(member.Key, member.Value);
        }

        return result.Sorted();
    }

    public JsonObject Add(string name, string? value) => value is null ? this : Add(name, new JsonString(value));

    public JsonObject Add(string name, bool value) => Add(name, Of(value));

    public JsonNode? this[string name] => Members.Find(m => m.Key == name).Value;

    /// <summary>The members sorted by name (ordinal), for documents that must not depend on declaration order.</summary>
    public JsonObject Sorted()
    {
        Members.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return this;
    }

    internal override void Write(StringBuilder builder, int depth)
    {
        if (Members.Count == 0)
        {
            builder.Append("{}");
            return;
        }

        builder.Append('{');
        for (int i = 0; i < Members.Count; i++)
        {
            builder.Append(i == 0 ? string.Empty : ",");
            Indent(builder, depth + 1);
            JsonString.WriteString(builder, Members[i].Key);
            builder.Append(": ");
            Members[i].Value.Write(builder, depth + 1);
        }

        Indent(builder, depth);
        builder.Append('}');
    }
}
