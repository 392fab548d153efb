using System.Collections.Generic;
using System.Linq;
using Warren.Generators.Common;
using Warren.Generators.Model;

namespace Warren.Generators.Contracts;

/// <summary>
/// The AsyncAPI 3.0.0 document of a compilation's contracts: a channel per exchange and per named queue (AMQP channel
/// binding 0.3.0), a send operation per message and RPC method, a receive operation per consumer and RPC server, the
/// messages with their payload and header schemas, and the payloads' JSON Schemas.
/// </summary>
internal sealed class AsyncApiDocument
{
    private const string BindingVersion = "0.3.0";
    private const string ReplyChannel = "rpc.replies";
    private readonly ContractSet _contracts;
    private readonly string _virtualHost;
    private readonly SortedDictionary<string, JsonObject> _channels = new(System.StringComparer.Ordinal);
    private readonly SortedDictionary<string, JsonObject> _operations = new(System.StringComparer.Ordinal);
    private readonly SortedDictionary<string, JsonObject> _messages = new(System.StringComparer.Ordinal);
    private readonly SortedDictionary<string, SchemaSpec> _schemas = new(System.StringComparer.Ordinal);

    private AsyncApiDocument(ContractSet contracts, string virtualHost)
    {
        _contracts = contracts;
        _virtualHost = virtualHost;
    }

    public static JsonObject Build(ContractSet contracts, ContractTopology topology, ContractOptions options)
    {
        var document = new AsyncApiDocument(contracts, options.VirtualHost);
        return document.Build(topology, options);
    }

    private JsonObject Build(ContractTopology topology, ContractOptions options)
    {
        foreach (ExchangeEntity exchange in topology.Exchanges)
        {
            _channels[ExchangeChannel(exchange.Name)] = Channel(exchange.Name, new JsonObject()
                .Add("is", "routingKey")
                .Add("exchange", new JsonObject()
                    .Add("name", exchange.Name)
                    .Add("type", exchange.Type)
                    .Add("durable", exchange.Durable)
                    .Add("autoDelete", false)
                    .Add("vhost", _virtualHost)));
        }

        foreach (QueueEntity queue in topology.Queues)
        {
            _channels[QueueChannel(queue.Name)] = Channel(queue.Name, new JsonObject()
                .Add("is", "queue")
                .Add("queue", new JsonObject()
                    .Add("name", queue.Name)
                    .Add("durable", queue.Durable)
                    .Add("exclusive", false)
                    .Add("autoDelete", false)
                    .Add("vhost", _virtualHost)));
        }

        foreach (MessageContract message in _contracts.Messages)
        {
            string channel = RouteChannel(message.Route);
            _operations["send." + Key(message.WireName)] = Operation("send", channel, message.ClrType + " is published here", new[] { AddMessage(channel, message) })
                .Add("bindings", Amqp(new JsonObject().Add("deliveryMode", JsonNode.Of(message.Route.Durable ? 2 : 1))));
        }

        foreach (ConsumerContract consumer in _contracts.Consumers)
        {
            string channel = ContractTopology.ConsumedQueue(consumer) is { } queue ? QueueChannel(queue) : RouteChannel(consumer.Message.Route);
            string summary = consumer.ClrType + (ContractTopology.ConsumedQueue(consumer) is null ? " consumes through a server-named queue bound here" : " consumes here");
            _operations["receive." + Key(consumer.ClrType)] = Operation("receive", channel, summary, new[] { AddMessage(channel, consumer.Message) })
                .Add("bindings", Amqp(new JsonObject().Add("ack", true)));
        }

        foreach (RpcServiceContract service in _contracts.RpcServices)
        {
            foreach (RpcMethodContract method in service.Methods)
            {
                _operations["call." + Key(service.ClrType) + "." + Key(method.WireName)] = RpcOperation("send", service, new[] { method }, service.ClrType + "." + method.WireName + " is called here");
            }
        }

        foreach (RpcServerContract server in _contracts.RpcServers)
        {
            foreach (RpcServiceContract service in server.Services)
            {
                _operations["serve." + Key(server.ClrType) + "." + Key(service.ClrType)] = RpcOperation("receive", service, service.Methods, server.ClrType + " serves " + service.ClrType);
            }
        }

        var schemas = new JsonObject();
        foreach (SchemaSpec schema in _schemas.Values)
        {
            schemas.Add(schema.Name, JsonSchemas.Object(schema, _schemas));
        }

        return new JsonObject()
            .Add("asyncapi", "3.0.0")
            .Add("info", new JsonObject()
                .Add("title", options.AssemblyName)
                .Add("version", options.Version)
                .Add("description", "The messages, queues, exchanges and RPC services of " + options.AssemblyName + ", generated by Warren."))
            .Add("defaultContentType", "application/json")
            .Add("channels", ToObject(_channels))
            .Add("operations", ToObject(_operations))
            .Add("components", new JsonObject()
                .Add("messages", ToObject(_messages))
                .Add("schemas", schemas));
    }

    /// <summary>An RPC call (send) or service (receive): the requests go to the service queue, the replies to the caller's reply-to.</summary>
    private JsonObject RpcOperation(string action, RpcServiceContract service, IEnumerable<RpcMethodContract> methods, string summary)
    {
        string channel = QueueChannel(service.Queue);
        if (!_channels.ContainsKey(ReplyChannel))
        {
            _channels[ReplyChannel] = new JsonObject()
                .Add("address", new JsonLiteral("null"))
                .Add("description", "The caller's reply queue, named by each request's reply-to (Direct Reply-to or a private queue).")
                .Add("messages", new JsonObject());
        }

        var requests = new List<string>();
        var replies = new List<string>();
        foreach (RpcMethodContract method in methods)
        {
            foreach (SchemaSpec schema in service.Schemas)
            {
                _schemas[schema.Name] = schema;
            }

            string name = Key(service.ClrType) + "." + Key(method.WireName);
            requests.Add(AddMessage(channel, name + ".request", RpcMessage(method.WireName, service.ClrType + "." + method.WireName + " request", RpcSchemas.Request(method))));
            replies.Add(AddMessage(ReplyChannel, name + ".reply", RpcMessage(null, service.ClrType + "." + method.WireName + " reply", RpcSchemas.Reply(method))));
        }

        return Operation(action, channel, summary, requests)
            .Add("reply", new JsonObject()
                .Add("address", new JsonObject()
                    .Add("description", "The request's reply-to property.")
                    .Add("location", "$message.header#/replyTo"))
                .Add("channel", Ref("#/channels/" + ReplyChannel))
                .Add("messages", new JsonArray().AddRange(replies.Select(id => Ref("#/channels/" + ReplyChannel + "/messages/" + id)))));
    }

    private static JsonObject RpcMessage(string? type, string title, JsonObject payload)
    {
        JsonObject message = new JsonObject()
            .Add("name", title)
            .Add("title", title)
            .Add("contentType", "application/json")
            .Add("payload", payload)
            .Add("correlationId", CorrelationId());
        return type is null ? message : message.Add("bindings", Amqp(new JsonObject().Add("messageType", type)));
    }

    /// <summary>Adds the message to the components and to the channel; returns its id in the channel.</summary>
    private string AddMessage(string channel, MessageContract message)
    {
        foreach (SchemaSpec schema in message.Schemas)
        {
            _schemas[schema.Name] = schema;
        }

        JsonObject component = new JsonObject()
            .Add("name", message.WireName)
            .Add("title", message.ClrType)
            .Add("contentType", "application/json")
            .Add("payload", Ref("#/components/schemas/" + message.SchemaName))
            .Add("correlationId", CorrelationId())
            .Add("bindings", Amqp(new JsonObject().Add("messageType", message.WireName)));
        if (message.Headers.Count > 0)
        {
            var headers = new JsonObject();
            foreach (HeaderSpec header in message.Headers)
            {
                headers.Add(header.HeaderName, new JsonObject().Add("type", "string").Add("description", "The value of " + header.PropertyName + "."));
            }

            component.Add("headers", new JsonObject().Add("type", "object").Add("properties", headers));
        }

        if (message.Aliases.Count > 0)
        {
            component.Add("description", "Also accepted under the earlier names: " + string.Join(", ", message.Aliases) + ".");
        }

        return AddMessage(channel, Key(message.WireName), component);
    }

    private string AddMessage(string channel, string id, JsonObject component)
    {
        _messages[id] = component;
        JsonObject messages = (JsonObject)_channels[channel]["messages"]!;
        messages.Add(id, Ref("#/components/messages/" + id)).Sorted();
        return id;
    }

    private static JsonObject Operation(string action, string channel, string summary, IEnumerable<string> messages) => new JsonObject()
        .Add("action", action)
        .Add("channel", Ref("#/channels/" + channel))
        .Add("summary", summary)
        .Add("messages", new JsonArray().AddRange(messages.Select(id => Ref("#/channels/" + channel + "/messages/" + id))));

    private static JsonObject Channel(string address, JsonObject binding) => new JsonObject()
        .Add("address", address)
        .Add("messages", new JsonObject())
        .Add("bindings", Amqp(binding));

    private static JsonObject Amqp(JsonObject binding) =>
        new JsonObject().Add("amqp", binding.Add("bindingVersion", BindingVersion));

    private static JsonObject CorrelationId() => new JsonObject()
        .Add("description", "The AMQP correlation-id property.")
        .Add("location", "$message.header#/correlation_id");

    private static JsonObject Ref(string target) => new JsonObject().Add("$ref", target);

    private static JsonObject ToObject(SortedDictionary<string, JsonObject> items)
    {
        var result = new JsonObject();
        foreach (KeyValuePair<string, JsonObject> item in items)
        {
            result.Add(item.Key, item.Value);
        }

        return result;
    }

    private static string RouteChannel(MessageRoute route) =>
        route.Kind == ExchangeKindSpec.Queue ? QueueChannel(route.Name) : ExchangeChannel(route.Name);

    private static string ExchangeChannel(string name) => "exchange." + Key(name);

    private static string QueueChannel(string name) => "queue." + Key(name);

    /// <summary>An id usable as a map key and in a JSON pointer: letters, digits, '.', '-' and '_' only.</summary>
    internal static string Key(string name) =>
        new string(name.Select(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '-' or '_' ? c : '_').ToArray());
}
