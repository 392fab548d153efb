using System.Collections.Generic;
using System.Linq;
using Warren.Generators.Common;
using Warren.Generators.Model;

namespace Warren.Generators.Contracts;

/// <summary>
/// The contract lock (<c>warren.contracts.json</c>): what other services rely on, one fact per line and sorted, so that a
/// change shows as a small diff. Version 1:
/// <code>
/// { "version": 1,
///   "messages":    { wire name: { aliases, clrType, kind, exchange | queue, routingKey, durable, queueType, arguments, headers, properties: { json path: type } } },
///   "consumers":   { class: { message, queue (null when server-named), durable, queueType, arguments, bindings, headerBindings, offsetsQueue } },
///   "rpcServices": { interface: { queue, durable, queueType, arguments, methods: { wire name: { parameters, returns, properties } } } } }
/// </code>
/// Types are JSON types: <c>string</c>, <c>integer(int32)</c>, <c>array&lt;object&gt;?</c>; the members of objects are flattened
/// into paths (<c>lines[].sku</c>, <c>prices{}.amount</c>). It also records where each entry is declared, for diagnostics.
/// </summary>
internal sealed class LockDocument
{
    public const int Version = 1;

    private readonly Dictionary<string, LocationInfo?> _locations = new(System.StringComparer.Ordinal);

    private LockDocument(JsonObject json) => Json = json;

    public JsonObject Json { get; }

    /// <summary>Where the entry at <paramref name="path"/> (such as <c>messages/orders.placed/properties/total</c>) is declared, or null.</summary>
    public LocationInfo? LocationOf(string path) => _locations.TryGetValue(path, out LocationInfo? location) ? location : null;

    public static LockDocument Build(ContractSet contracts)
    {
        var json = new JsonObject().Add("version", JsonNode.Of(Version));
        var document = new LockDocument(json);
        var messages = new JsonObject();
        foreach (MessageContract message in contracts.Messages)
        {
            messages.Add(message.WireName, document.Message(message));
        }

        var consumers = new JsonObject();
        foreach (ConsumerContract consumer in contracts.Consumers)
        {
            consumers.Add(consumer.ClrType, document.Consumer(consumer));
        }

        var services = new JsonObject();
        foreach (RpcServiceContract service in contracts.RpcServices.Concat(contracts.RpcServers.SelectMany(s => s.Services)))
        {
            if (services[service.ClrType] is null)
            {
                services.Add(service.ClrType, document.Service(service));
            }
        }

        json.Add("messages", messages.Sorted()).Add("consumers", consumers.Sorted()).Add("rpcServices", services.Sorted());
        return document;
    }

    /// <summary>A type as the lock writes it: an object type by its shape (its members are listed as paths), not its CLR name.</summary>
    public static string TypeText(JsonType type)
    {
        string core = type.Kind switch
        {
            "ref" => "object",
            "array" => "array<" + TypeText(type.Items!) + ">",
            "map" => "map<" + TypeText(type.Items!) + ">",
            _ => type.Display().TrimEnd('?'),
        };
        return type.Nullable ? core + "?" : core;
    }

    private JsonObject Message(MessageContract message)
    {
        string path = "messages/" + message.WireName;
        _locations[path] = message.Location;
        var schemas = message.Schemas.ToDictionary(s => s.Name, System.StringComparer.Ordinal);
        var properties = new JsonObject();
        Flatten(path + "/properties/", string.Empty, schemas[message.SchemaName], schemas, properties, new HashSet<string>());
        JsonObject entry = new JsonObject()
            .Add("aliases", message.Aliases.Count == 0 ? null : new JsonArray().AddRange(message.Aliases.Select(JsonNode.Of)))
            .Add("clrType", message.ClrType)
            .Add("kind", message.Route.Kind.ToString().ToLowerInvariant())
            .Add(message.Route.Kind == ExchangeKindSpec.Queue ? "queue" : "exchange", message.Route.Name)
            .Add("routingKey", message.RoutingKey)
            .Add("durable", message.Route.Kind == ExchangeKindSpec.Queue ? ContractTopology.IsDurable(message.Route.Queue) : message.Route.Durable)
            .Add("headers", message.Headers.Count == 0 ? null : new JsonArray().AddRange(message.Headers.Select(h => JsonNode.Of(h.HeaderName))))
            .Add("properties", properties.Sorted());
        if (message.Route.Kind == ExchangeKindSpec.Queue)
        {
            AddQueue(entry, message.Route.Name, message.Route.Queue);
        }

        return entry.Sorted();
    }

    private JsonObject Consumer(ConsumerContract consumer)
    {
        _locations["consumers/" + consumer.ClrType] = consumer.Location;
        string? queue = ContractTopology.ConsumedQueue(consumer);
        JsonObject entry = new JsonObject()
            .Add("message", consumer.Message.WireName)
            .Add("queue", JsonNode.Of(queue))
            .Add("bindings", new JsonArray().AddRange(consumer.BindingKeys.Distinct().OrderBy(k => k, System.StringComparer.Ordinal).Select(JsonNode.Of)))
            .Add("headerBindings", new JsonArray().AddRange(consumer.HeaderBindings
                .Select(b => (JsonNode)JsonObject.From(ContractTopology.HeaderArguments(b).Select(a => new KeyValuePair<string, JsonNode>(a.Key, JsonNode.Of(a.Value)))))));
        // A queue message's queue is the message's, locked with it; a stored stream offset lives in its offsets queue.
        if (queue is not null && consumer.Message.Route.Kind != ExchangeKindSpec.Queue)
        {
            AddQueue(entry, queue, consumer.QueueShape);
        }

        entry.Add("offsetsQueue", ContractTopology.OffsetsQueue(consumer));

        return entry.Sorted();
    }

    private JsonObject Service(RpcServiceContract service)
    {
        string path = "rpcServices/" + service.ClrType;
        _locations[path] = service.Location;
        var schemas = service.Schemas.ToDictionary(s => s.Name, System.StringComparer.Ordinal);
        var methods = new JsonObject();
        foreach (RpcMethodContract method in service.Methods)
        {
            string methodPath = path + "/methods/" + method.WireName;
            _locations[methodPath] = method.Location;
            var properties = new JsonObject();
            foreach (RpcParameterContract parameter in method.Parameters)
            {
                FlattenValue(methodPath + "/properties/", "parameters." + parameter.Name, parameter.Type, schemas, properties, new HashSet<string>());
            }

            if (method.Returns is { } returns)
            {
                FlattenValue(methodPath + "/properties/", "returns", returns, schemas, properties, new HashSet<string>());
            }

            methods.Add(method.WireName, new JsonObject()
                .Add("parameters", new JsonArray().AddRange(method.Parameters.Select(p => JsonNode.Of(p.Name + ": " + TypeText(p.Type)))))
                .Add("returns", method.Returns is { } type ? TypeText(type) : "none")
                .Add("properties", properties.Sorted())
                .Sorted());
        }

        JsonObject entry = new JsonObject().Add("methods", methods.Sorted());
        AddQueue(entry, service.Queue, service.QueueShape);
        return entry.Sorted();
    }

    private static void AddQueue(JsonObject entry, string queue, QueueShape shape) => entry
        .Add("queue", queue)
        .Add("durable", ContractTopology.IsDurable(shape))
        .Add("queueType", shape.Type.ToString().ToLowerInvariant())
        .Add("arguments", JsonObject.From(ContractTopology.ArgumentsFor(queue, shape)));

    /// <summary>Lists the members of an object schema as paths, recursing into objects, arrays and maps (not into a type already on the path).</summary>
    private void Flatten(string locationPrefix, string prefix, SchemaSpec schema, Dictionary<string, SchemaSpec> schemas, JsonObject into, HashSet<string> onPath)
    {
        onPath.Add(schema.Name);
        foreach (SchemaProperty property in schema.Properties)
        {
            string path = prefix.Length == 0 ? property.JsonName : prefix + "." + property.JsonName;
            _locations[locationPrefix + path] = property.Location;
            FlattenValue(locationPrefix, path, property.Type, schemas, into, onPath);
        }

        // A derived type written in place of this one: "(discriminator)" and its own members, such as "(refund).reason".
        foreach (DerivedSchema derived in schema.Derived)
        {
            string variant = (prefix.Length == 0 ? string.Empty : prefix + ".") + "(" + derived.Discriminator.Trim('"') + ")";
            into.Add(variant, "object");
            if (schemas.TryGetValue(derived.Schema, out SchemaSpec? derivedSchema) && !onPath.Contains(derivedSchema.Name))
            {
                var own = new SchemaSpec(derivedSchema.Name, derivedSchema.ClrType, derivedSchema.Properties
                    .Where(p => !schema.Properties.Any(b => b.JsonName == p.JsonName)).ToEquatableArray(), derivedSchema.DiscriminatorProperty, derivedSchema.Derived);
                Flatten(locationPrefix, variant, own, schemas, into, onPath);
            }
        }

        onPath.Remove(schema.Name);
    }

    private void FlattenValue(string locationPrefix, string path, JsonType type, Dictionary<string, SchemaSpec> schemas, JsonObject into, HashSet<string> onPath)
    {
        into.Add(path, TypeText(type));
        JsonType element = type;
        string elementPath = path;
        while (element.Kind is "array" or "map")
        {
            elementPath += element.Kind == "array" ? "[]" : "{}";
            element = element.Items!;
        }

        if (element.Kind == "ref" && schemas.TryGetValue(element.Ref!, out SchemaSpec? nested) && !onPath.Contains(nested.Name))
        {
            Flatten(locationPrefix, elementPath, nested, schemas, into, onPath);
        }
    }
}
