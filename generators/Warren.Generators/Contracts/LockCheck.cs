using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis.Text;
using Warren.Generators.Common;
using Warren.Generators.Diagnostics;
using Warren.Generators.Model;

namespace Warren.Generators.Contracts;

/// <summary>
/// Compares the contract lock with the current contracts: every change that can break a sender, a consumer or the broker's
/// declarations is one WARREN023, at the current declaration (or, for what was removed, at its line in the lock);
/// additions are fine. An unreadable lock is one WARREN024.
/// </summary>
internal sealed class LockCheck
{
    private readonly LockDocument _current;
    private readonly LockFile _file;
    private readonly List<DiagnosticInfo> _diagnostics = new();
    private int[]? _lineStarts;

    private LockCheck(LockDocument current, LockFile file)
    {
        _current = current;
        _file = file;
    }

    public static EquatableArray<DiagnosticInfo> Run(ContractSet contracts, LockFile file)
    {
        var check = new LockCheck(LockDocument.Build(contracts), file);
        check.Compare();
        return check._diagnostics.ToEquatableArray();
    }

    private void Compare()
    {
        JsonObject locked;
        try
        {
            locked = JsonReader.Parse(_file.Text) as JsonObject ?? throw new FormatException("line 1: the lock is not a JSON object");
        }
        catch (FormatException ex)
        {
            Unreadable(ex.Message + " (not valid JSON)", 1);
            return;
        }

        if (locked["version"] is not JsonLiteral { Text: "1" })
        {
            Unreadable($"its version is {(locked["version"] is { } v ? v.ToJson() : "missing")}, and this Warren reads version {LockDocument.Version}", locked["version"]?.Line ?? 1);
            return;
        }

        CompareMessages(Section(locked, "messages"), Section(_current.Json, "messages"));
        CompareConsumers(Section(locked, "consumers"), Section(_current.Json, "consumers"));
        CompareServices(Section(locked, "rpcServices"), Section(_current.Json, "rpcServices"));
    }

    private void CompareMessages(JsonObject locked, JsonObject current)
    {
        foreach (KeyValuePair<string, JsonNode> entry in locked.Members)
        {
            string name = entry.Key;
            KeyValuePair<string, JsonNode> found = current.Members.FirstOrDefault(m => m.Key == name);
            if (found.Value is null)
            {
                found = current.Members.FirstOrDefault(m => m.Value is JsonObject o && o["aliases"] is JsonArray aliases && aliases.Items.Any(a => a is JsonString s && s.Value == name));
            }

            if (found.Value is not JsonObject now || entry.Value is not JsonObject was)
            {
                Breaking($"message '{name}' was removed or renamed (no message has this wire name or lists it in [Message(Aliases = ...)])", entry.Value);
                continue;
            }

            string path = "messages/" + found.Key;
            string what = $"message '{name}'";
            CompareFields(what, was, now, path, "kind", "exchange", "queue", "routingKey", "durable", "queueType");
            CompareArguments(what, was, now, path);
            CompareRemovedItems(what, "header", was, now, path);
            CompareProperties(what, was, now, path, "property");
        }
    }

    private void CompareConsumers(JsonObject locked, JsonObject current)
    {
        foreach (KeyValuePair<string, JsonNode> entry in locked.Members)
        {
            JsonObject? was = entry.Value as JsonObject;
            KeyValuePair<string, JsonNode> found = FindByNameOrQueue(current, entry.Key, was);

            if (found.Value is not JsonObject now || was is null)
            {
                string queueText = was?["queue"] is JsonString q ? $" of queue '{q.Value}'" : string.Empty;
                Breaking($"consumer '{entry.Key}'{queueText} was removed", entry.Value);
                continue;
            }

            string path = "consumers/" + found.Key;
            string what = $"consumer '{entry.Key}'";
            if (!SameMessage(was["message"], now["message"]))
            {
                CompareFields(what, was, now, path, "message");
            }

            CompareFields(what, was, now, path, "queue", "offsetsQueue");
            if (now["queueType"] is not null)
            {
                // The consumer declares its queue; a queue message's queue is the message's, compared with the message.
                CompareFields(what, was, now, path, "durable", "queueType");
                CompareArguments(what, was, now, path);
            }

            CompareRemovedItems(what, "binding", was, now, path, "bindings");
            CompareRemovedItems(what, "header binding", was, now, path, "headerBindings");
        }
    }

    private void CompareServices(JsonObject locked, JsonObject current)
    {
        foreach (KeyValuePair<string, JsonNode> entry in locked.Members)
        {
            JsonObject? was = entry.Value as JsonObject;
            KeyValuePair<string, JsonNode> found = FindByNameOrQueue(current, entry.Key, was);

            if (found.Value is not JsonObject now || was is null)
            {
                Breaking($"RPC service '{entry.Key}' was removed", entry.Value);
                continue;
            }

            string path = "rpcServices/" + found.Key;
            string what = $"RPC service '{entry.Key}'";
            CompareFields(what, was, now, path, "queue", "durable", "queueType");
            CompareArguments(what, was, now, path);
            JsonObject nowMethods = Section(now, "methods");
            foreach (KeyValuePair<string, JsonNode> method in Section(was, "methods").Members)
            {
                string methodWhat = $"RPC method '{entry.Key}.{method.Key}'";
                if (nowMethods[method.Key] is not JsonObject nowMethod || method.Value is not JsonObject wasMethod)
                {
                    Breaking($"{methodWhat} was removed or renamed", method.Value, _current.LocationOf(path));
                    continue;
                }

                string methodPath = path + "/methods/" + method.Key;
                CompareFields(methodWhat, wasMethod, nowMethod, methodPath, "parameters", "returns");
                CompareProperties(methodWhat, wasMethod, nowMethod, methodPath, "value");
            }
        }
    }

    /// <summary>The current entry of a consumer or service: by its type's name, else (a renamed type) the one on the same named queue.</summary>
    private static KeyValuePair<string, JsonNode> FindByNameOrQueue(JsonObject current, string name, JsonObject? was)
    {
        KeyValuePair<string, JsonNode> found = current.Members.FirstOrDefault(m => m.Key == name);
        return found.Value is null && was?["queue"] is JsonString { Value: var queue }
            ? current.Members.FirstOrDefault(m => m.Value is JsonObject o && o["queue"] is JsonString s && s.Value == queue)
            : found;
    }

    /// <summary>The same wire name, or the new message's wire name replaced the old one and keeps it as an alias.</summary>
    private bool SameMessage(JsonNode? was, JsonNode? now) =>
        Text(was) == Text(now)
        || (was is JsonString old && now is JsonString current
            && Section(Section(_current.Json, "messages"), current.Value)["aliases"] is JsonArray aliases
            && aliases.Items.Any(a => a is JsonString s && s.Value == old.Value));

    /// <summary>Each field whose value changed (a field that was absent reads as "none").</summary>
    private void CompareFields(string what, JsonObject was, JsonObject now, string path, params string[] fields)
    {
        foreach (string field in fields)
        {
            string before = Text(was[field]);
            string after = Text(now[field]);
            if (before != after)
            {
                Breaking($"{what}: {field} changed from {before} to {after}", was[field] ?? was, _current.LocationOf(path));
            }
        }
    }

    /// <summary>The queue arguments, one by one: adding one breaks a redeclaration as much as removing or changing one.</summary>
    private void CompareArguments(string what, JsonObject was, JsonObject now, string path)
    {
        JsonObject before = Section(was, "arguments");
        JsonObject after = Section(now, "arguments");
        foreach (string name in before.Members.Select(m => m.Key).Union(after.Members.Select(m => m.Key)).OrderBy(n => n, StringComparer.Ordinal))
        {
            string from = Text(before[name]);
            string to = Text(after[name]);
            if (from != to)
            {
                Breaking($"{what}: queue argument '{name}' changed from {from} to {to}", before[name] ?? was, _current.LocationOf(path));
            }
        }
    }

    /// <summary>Items of a list (headers, binding keys, header bindings) that are gone; new ones are additive.</summary>
    private void CompareRemovedItems(string what, string noun, JsonObject was, JsonObject now, string path, string? field = null)
    {
        field ??= noun + "s";
        HashSet<string> after = new((now[field] as JsonArray)?.Items.Select(Text) ?? Enumerable.Empty<string>(), StringComparer.Ordinal);
        foreach (JsonNode item in (was[field] as JsonArray)?.Items ?? new List<JsonNode>())
        {
            if (!after.Contains(Text(item)))
            {
                Breaking($"{what}: {noun} {Text(item)} was removed", item, _current.LocationOf(path));
            }
        }
    }

    /// <summary>The flattened members of a payload: a path that is gone was removed or renamed; one with another type changed type.</summary>
    private void CompareProperties(string what, JsonObject was, JsonObject now, string path, string noun)
    {
        JsonObject after = Section(now, "properties");
        foreach (KeyValuePair<string, JsonNode> property in Section(was, "properties").Members)
        {
            LocationInfo? location = _current.LocationOf(path + "/properties/" + property.Key) ?? _current.LocationOf(path);
            if (after[property.Key] is not { } type)
            {
                Breaking($"{what}: {noun} '{property.Key}' was removed or renamed", property.Value, _current.LocationOf(path));
            }
            else if (Text(type) != Text(property.Value))
            {
                Breaking($"{what}: {noun} '{property.Key}' changed type from {Text(property.Value)} to {Text(type)}", property.Value, location);
            }
        }
    }

    private static JsonObject Section(JsonObject json, string name) => json[name] as JsonObject ?? new JsonObject();

    /// <summary>A value as a diagnostic quotes it: 'text', true, 5, ["a", "b"] on one line, or none.</summary>
    private static string Text(JsonNode? node) => node switch
    {
        null => "none",
        JsonString s => "'" + s.Value + "'",
        JsonLiteral { Text: "null" } => "none",
        _ => node.ToJson().Replace("\n", " ").Replace("  ", string.Empty),
    };

    /// <summary>Reports at the current declaration, or at the lock entry's line when there is none (the entry was removed).</summary>
    private void Breaking(string change, JsonNode lockEntry, LocationInfo? current = null) =>
        _diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.ContractBreaksLock.Id, change, current ?? LockLine(lockEntry.Line)));

    private void Unreadable(string problem, int line) =>
        _diagnostics.Add(new DiagnosticInfo(DiagnosticDescriptors.UnreadableContractLock.Id, problem, LockLine(line)));

    private LocationInfo LockLine(int line)
    {
        _lineStarts ??= LineStarts(_file.Text);
        int index = Math.Max(0, Math.Min(line, _lineStarts.Length) - 1);
        int start = _lineStarts[index];
        int end = index + 1 < _lineStarts.Length ? _lineStarts[index + 1] - 1 : _file.Text.Length;
        while (end > start && _file.Text[end - 1] is '\r' or '\n')
        {
            end--;
        }

        int indent = start;
        while (indent < end && _file.Text[indent] is ' ' or '\t')
        {
            indent++;
        }

        var span = TextSpan.FromBounds(indent, end);
        return new LocationInfo(_file.Path, span, new LinePositionSpan(new LinePosition(index, indent - start), new LinePosition(index, end - start)));
    }

    private static int[] LineStarts(string text)
    {
        var starts = new List<int> { 0 };
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                starts.Add(i + 1);
            }
        }

        return starts.ToArray();
    }
}
