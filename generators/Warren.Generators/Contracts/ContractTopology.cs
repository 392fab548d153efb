using System.Collections.Generic;
using System.Linq;
using Warren.Generators.Common;
using Warren.Generators.Model;

namespace Warren.Generators.Contracts;

/// <summary>An exchange as Warren declares it: never auto-deleted, internal or with arguments.</summary>
internal sealed record ExchangeEntity(string Name, string Type, bool Durable);

/// <summary>A queue as Warren declares it, with its <c>queue.declare</c> arguments (sorted by name).</summary>
internal sealed record QueueEntity(string Name, bool Durable, IReadOnlyList<KeyValuePair<string, JsonNode>> Arguments);

/// <summary>A binding of a queue to an exchange, with its arguments (a headers binding's <c>x-match</c> and headers).</summary>
internal sealed record BindingEntity(string Source, string Destination, string RoutingKey, IReadOnlyList<KeyValuePair<string, string>> Arguments);

/// <summary>
/// The broker topology of a <see cref="ContractSet"/>, exactly as the runtime declares it (TopologyDeclarations,
/// QueueSettings.ArgumentsFor, SubscriptionPlan, ErrorQueues, StreamPlan): every exchange, named queue, error queue,
/// stream offsets queue and binding, but no client-private temporaries (server-named subscription queues, reply queues),
/// which Warren declares in every <c>DeclareMode</c>. The first declaration of a name wins; the analyzers report conflicts.
/// </summary>
internal sealed class ContractTopology
{
    private const string ErrorSuffix = ".error";
    private readonly SortedDictionary<string, ExchangeEntity> _exchanges = new(System.StringComparer.Ordinal);
    private readonly SortedDictionary<string, QueueEntity> _queues = new(System.StringComparer.Ordinal);
    private readonly List<BindingEntity> _bindings = new();

    public ContractTopology(ContractSet contracts)
    {
        foreach (MessageContract message in contracts.Messages)
        {
            AddRoute(message.Route);
        }

        foreach (ConsumerContract consumer in contracts.Consumers)
        {
            AddConsumer(consumer);
        }

        foreach (RpcServiceContract service in contracts.RpcServices.Concat(contracts.RpcServers.SelectMany(s => s.Services)))
        {
            AddQueueWithDeadLetters(service.Queue, service.QueueShape);
        }
    }

    public IEnumerable<ExchangeEntity> Exchanges => _exchanges.Values;

    public IEnumerable<QueueEntity> Queues => _queues.Values;

    public IEnumerable<BindingEntity> Bindings => _bindings
        .Distinct(BindingComparer.Instance)
        .OrderBy(b => b.Source, System.StringComparer.Ordinal)
        .ThenBy(b => b.Destination, System.StringComparer.Ordinal)
        .ThenBy(b => b.RoutingKey, System.StringComparer.Ordinal)
        .ThenBy(b => ArgumentsText(b.Arguments), System.StringComparer.Ordinal);

    /// <summary>The exchange type's name, as AMQP and RabbitMQ spell it.</summary>
    public static string ExchangeType(ExchangeKindSpec kind) => kind switch
    {
        ExchangeKindSpec.Fanout => "fanout",
        ExchangeKindSpec.Direct => "direct",
        ExchangeKindSpec.Topic => "topic",
        _ => "headers",
    };

    /// <summary>The queue a consumer consumes from: its message's queue, its named queue, or null for a server-named one.</summary>
    public static string? ConsumedQueue(ConsumerContract consumer) =>
        consumer.Message.Route.Kind == ExchangeKindSpec.Queue ? consumer.Message.Route.Name : consumer.Queue;

    /// <summary>The shape of the queue a consumer consumes from (SubscriptionPlan.NamedQueueSettings without options).</summary>
    public static QueueShape ConsumedShape(ConsumerContract consumer) =>
        consumer.Message.Route.Kind == ExchangeKindSpec.Queue ? consumer.Message.Route.Queue : consumer.QueueShape;

    /// <summary>
    /// The queue where a stream consumer that tracks its offset stores it (StreamPlan.OffsetsQueueName):
    /// <c>&lt;stream&gt;.offsets.&lt;consumer name&gt;</c>, the name defaulting to the class's; null for other consumers.
    /// </summary>
    public static string? OffsetsQueue(ConsumerContract consumer) =>
        ConsumedQueue(consumer) is { } queue && ConsumedShape(consumer).Type == QueueTypeSpec.Stream && consumer.TrackStreamOffset
            ? queue + ".offsets." + (consumer.StreamConsumerName ?? consumer.ClassName)
            : null;

    /// <summary>
    /// The <c>queue.declare</c> arguments of a queue (QueueSettings.ArgumentsFor): a quorum queue's type, delivery limit and
    /// dead-lettering to its error queue unless it dead-letters elsewhere; a stream's type; then the optional arguments.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, JsonNode>> ArgumentsFor(string queue, QueueShape shape)
    {
        var arguments = new SortedDictionary<string, JsonNode>(System.StringComparer.Ordinal);
        if (shape.Type == QueueTypeSpec.Quorum)
        {
            arguments["x-queue-type"] = JsonNode.Of("quorum");
            arguments["x-delivery-limit"] = JsonNode.Of(shape.DeliveryLimit);
            if (DeadLettersToErrorQueue(shape))
            {
                arguments["x-dead-letter-exchange"] = JsonNode.Of(string.Empty);
                arguments["x-dead-letter-routing-key"] = JsonNode.Of(queue + ErrorSuffix);
            }
        }
        else if (shape.Type == QueueTypeSpec.Stream)
        {
            arguments["x-queue-type"] = JsonNode.Of("stream");
        }

        if (shape.Arguments is { } a)
        {
            void Set(string name, JsonNode? value)
            {
                if (value is not null)
                {
                    arguments[name] = value;
                }
            }

            Set("x-message-ttl", a.MessageTtlMilliseconds is { } ttl ? JsonNode.Of(ttl) : null);
            Set("x-expires", a.ExpiresMilliseconds is { } expires ? JsonNode.Of(expires) : null);
            Set("x-max-length", a.MaxLength is { } length ? JsonNode.Of(length) : null);
            Set("x-max-length-bytes", a.MaxLengthBytes is { } bytes ? JsonNode.Of(bytes) : null);
            Set("x-overflow", a.Overflow is > 0 and < 4 ? JsonNode.Of(QueueArgumentsSpec.OverflowNames[a.Overflow]) : null);
            Set("x-dead-letter-exchange", a.DeadLetterExchange is { } exchange ? JsonNode.Of(exchange) : null);
            Set("x-dead-letter-routing-key", a.DeadLetterRoutingKey is { } key ? JsonNode.Of(key) : null);
            Set("x-max-priority", a.MaxPriority > 0 ? JsonNode.Of(a.MaxPriority) : null);
            Set("x-single-active-consumer", a.SingleActiveConsumer ? JsonNode.Of(true) : null);
            Set("x-max-age", a.MaxAgeSeconds is { } age ? JsonNode.Of(age.ToString(System.Globalization.CultureInfo.InvariantCulture) + "s") : null);
            Set("x-stream-max-segment-size-bytes", a.MaxSegmentSizeBytes is { } segment ? JsonNode.Of(segment) : null);
        }

        return arguments.ToList();
    }

    /// <summary>Quorum and stream queues are always durable (QueueSettings.Of).</summary>
    public static bool IsDurable(QueueShape shape) => shape.Type != QueueTypeSpec.Classic || shape.Durable;

    private static bool DeadLettersToErrorQueue(QueueShape shape) =>
        shape.Arguments is not { DeadLetterExchange: not null } and not { DeadLetterRoutingKey: not null };

    /// <summary>A message's exchange, or its queue with the queue's error queue when it is a quorum queue.</summary>
    private void AddRoute(MessageRoute route)
    {
        if (route.Kind == ExchangeKindSpec.Queue)
        {
            AddQueueWithDeadLetters(route.Name, route.Queue);
        }
        else if (!_exchanges.ContainsKey(route.Name))
        {
            _exchanges[route.Name] = new ExchangeEntity(route.Name, ExchangeType(route.Kind), route.Durable);
        }
    }

    /// <summary>
    /// What a consumer's subscription declares (TopologyDeclarations.DeclareSubscriptionQueueAsync): its message's exchange or
    /// queue; a named queue with its bindings; the error queue (<c>&lt;queue&gt;.error</c>, or <c>&lt;exchange&gt;.error</c> for a
    /// server-named queue, declared on the first failure); and a tracking stream consumer's offsets queue.
    /// </summary>
    private void AddConsumer(ConsumerContract consumer)
    {
        MessageRoute message = consumer.Message.Route;
        AddRoute(message);
        string? queue = ConsumedQueue(consumer);
        AddErrorQueue((queue ?? message.Name) + ErrorSuffix);
        if (queue is null)
        {
            return;
        }

        if (message.Kind != ExchangeKindSpec.Queue)
        {
            AddQueueWithDeadLetters(queue, consumer.QueueShape);
            AddBindings(consumer, queue);
        }

        if (OffsetsQueue(consumer) is { } offsets)
        {
            // StreamPlan.OffsetsQueueSettings: durable, classic, holding the newest offset only.
            AddQueue(offsets, new QueueShape(true, QueueTypeSpec.Classic, 0, new QueueArgumentsSpec(null, null, 1, null, 1, null, null, 0, false, null, null)));
        }
    }

    /// <summary>SubscriptionPlan.Create's bindings: fanout binds "", topic defaults to "#", headers to x-match all.</summary>
    private void AddBindings(ConsumerContract consumer, string queue)
    {
        string exchange = consumer.Message.Route.Name;
        var none = new List<KeyValuePair<string, string>>();
        switch (consumer.Message.Route.Kind)
        {
            case ExchangeKindSpec.Fanout:
                _bindings.Add(new BindingEntity(exchange, queue, string.Empty, none));
                break;
            case ExchangeKindSpec.Direct:
            case ExchangeKindSpec.Topic:
                IEnumerable<string> keys = consumer.BindingKeys.Count > 0 || consumer.Message.Route.Kind == ExchangeKindSpec.Direct ? consumer.BindingKeys : new[] { "#" };
                _bindings.AddRange(keys.Select(key => new BindingEntity(exchange, queue, key, none)));
                break;
            case ExchangeKindSpec.Headers:
                IEnumerable<HeaderBindingSpec> bindings = consumer.HeaderBindings.Count > 0
                    ? consumer.HeaderBindings
                    : new[] { new HeaderBindingSpec(0, EquatableArray<string>.Empty) };
                _bindings.AddRange(bindings.Select(b => new BindingEntity(exchange, queue, string.Empty, HeaderArguments(b))));
                break;
        }
    }

    /// <summary>HeadersBinding.ToArguments: x-match, then the headers (a repeated name keeps its last value).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> HeaderArguments(HeaderBindingSpec binding)
    {
        var arguments = new SortedDictionary<string, string>(System.StringComparer.Ordinal) { ["x-match"] = binding.Match == 1 ? "any" : "all" };
        for (int i = 0; i + 1 < binding.NamesAndValues.Count; i += 2)
        {
            arguments[binding.NamesAndValues[i]] = binding.NamesAndValues[i + 1];
        }

        return arguments.ToList();
    }

    /// <summary>TopologyExpectation.QueueWithDeadLetters: a quorum queue's error queue comes with it.</summary>
    private void AddQueueWithDeadLetters(string queue, QueueShape shape)
    {
        if (shape.Type == QueueTypeSpec.Quorum)
        {
            AddErrorQueue(queue + ErrorSuffix);
        }

        AddQueue(queue, shape);
    }

    /// <summary>ErrorQueues.DeclareAsync: durable, classic, no arguments.</summary>
    private void AddErrorQueue(string name) => AddQueue(name, new QueueShape(true, QueueTypeSpec.Classic, 0, null));

    private void AddQueue(string name, QueueShape shape)
    {
        if (!_queues.ContainsKey(name))
        {
            _queues[name] = new QueueEntity(name, IsDurable(shape), ArgumentsFor(name, shape));
        }
    }

    private static string ArgumentsText(IReadOnlyList<KeyValuePair<string, string>> arguments) =>
        string.Join("\n", arguments.Select(a => a.Key + "=" + a.Value));

    private sealed class BindingComparer : IEqualityComparer<BindingEntity>
    {
        public static readonly BindingComparer Instance = new();

        public bool Equals(BindingEntity? x, BindingEntity? y) =>
            x is not null && y is not null && x.Source == y.Source && x.Destination == y.Destination && x.RoutingKey == y.RoutingKey
            && ArgumentsText(x.Arguments) == ArgumentsText(y.Arguments);

        public int GetHashCode(BindingEntity obj) => (obj.Source + "\n" + obj.Destination + "\n" + obj.RoutingKey).GetHashCode();
    }
}
