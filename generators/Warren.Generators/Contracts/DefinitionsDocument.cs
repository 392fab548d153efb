using System.Collections.Generic;
using System.Linq;
using Warren.Generators.Common;

namespace Warren.Generators.Contracts;

/// <summary>
/// The RabbitMQ definitions file (<c>rabbitmqctl import_definitions</c>, management UI import) of the compilation's
/// topology, for one virtual host: what an operator imports to run the application with <c>DeclareMode.None</c> or
/// <c>DeclareMode.Verify</c>.
/// </summary>
internal static class DefinitionsDocument
{
    public static JsonObject Build(ContractTopology topology, string virtualHost)
    {
        var exchanges = new JsonArray();
        foreach (ExchangeEntity exchange in topology.Exchanges)
        {
            exchanges.Add(new JsonObject()
                .Add("name", exchange.Name)
                .Add("vhost", virtualHost)
                .Add("type", exchange.Type)
                .Add("durable", exchange.Durable)
                .Add("auto_delete", false)
                .Add("internal", false)
                .Add("arguments", new JsonObject()));
        }

        var queues = new JsonArray();
        foreach (QueueEntity queue in topology.Queues)
        {
            queues.Add(new JsonObject()
                .Add("name", queue.Name)
                .Add("vhost", virtualHost)
                .Add("durable", queue.Durable)
                .Add("auto_delete", false)
                .Add("arguments", JsonObject.From(queue.Arguments)));
        }

        var bindings = new JsonArray();
        foreach (BindingEntity binding in topology.Bindings)
        {
            bindings.Add(new JsonObject()
                .Add("source", binding.Source)
                .Add("vhost", virtualHost)
                .Add("destination", binding.Destination)
                .Add("destination_type", "queue")
                .Add("routing_key", binding.RoutingKey)
                .Add("arguments", JsonObject.From(binding.Arguments.Select(a => new KeyValuePair<string, JsonNode>(a.Key, JsonNode.Of(a.Value))))));
        }

        return new JsonObject()
            .Add("vhosts", new JsonArray().Add(new JsonObject().Add("name", virtualHost)))
            .Add("exchanges", exchanges)
            .Add("queues", queues)
            .Add("bindings", bindings);
    }
}
