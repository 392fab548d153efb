using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Warren.Runtime;

/// <summary>
/// What the generator knows about one message type: where it is published and how it is declared.
/// Generated code derives from <see cref="MessageDescriptor{TMessage}"/>; users do not.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class MessageDescriptor
{
    private readonly string[] _aliases;

    private protected MessageDescriptor(string messageType, ExchangeKind kind, string name, bool durable, bool mandatory, QueueType queueType, int deliveryLimit, QueueArgumentValues? arguments, string[]? aliases)
    {
        MessageType = messageType;
        _aliases = aliases is { Length: > 0 } ? aliases : [];
        Kind = kind;
        Name = name;
        Durable = durable;
        Mandatory = mandatory;
        // Only a queue has a type: an exchange message's queues belong to its consumers.
        QueueSettings = kind == ExchangeKind.Queue ? QueueSettings.Of(durable, queueType, deliveryLimit, arguments) : QueueSettings.Classic(durable);
    }

    /// <summary>
    /// The message's wire name, the value of the AMQP <c>type</c> property: <see cref="MessageAttribute.Name"/>, else the
    /// message type's CLR full name.
    /// </summary>
    public string MessageType { get; }

    /// <summary>Older wire names (<see cref="MessageAttribute.Aliases"/>) that consumers accept besides <see cref="MessageType"/>; empty when none.</summary>
    public IReadOnlyList<string> Aliases => _aliases;

    /// <summary>
    /// True when a delivery whose <c>type</c> property is <paramref name="type"/> is this message: the wire name or one of
    /// its aliases, compared ordinally. An array, not the interface, so the per-delivery check allocates nothing.
    /// </summary>
    internal bool Accepts(string type)
    {
        if (string.Equals(type, MessageType, StringComparison.Ordinal))
        {
            return true;
        }

        foreach (string alias in _aliases)
        {
            if (string.Equals(type, alias, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What <see cref="Accepts"/> takes, for an error message: <c>'orders.placed'</c> or <c>'orders.placed' (or 'Shop.OrderPlaced')</c>.</summary>
    internal string DescribeAcceptedNames() =>
        _aliases.Length == 0 ? $"'{MessageType}'" : $"'{MessageType}' (or {string.Join(", ", Array.ConvertAll(_aliases, a => $"'{a}'"))})";

    /// <summary>Where the message is published.</summary>
    public ExchangeKind Kind { get; }

    /// <summary>The queue name for <see cref="ExchangeKind.Queue"/>, otherwise the exchange name.</summary>
    public string Name { get; }

    /// <summary>Whether the exchange (or queue) is durable and messages persistent.</summary>
    public bool Durable { get; }

    /// <summary>For a queue message, the type of its queue (<see cref="DurableAttribute.QueueType"/>); otherwise <see cref="QueueType.Classic"/>.</summary>
    public QueueType QueueType => QueueSettings.Type;

    /// <summary>For a message on a quorum queue, the queue's delivery limit (<see cref="DurableAttribute.DeliveryLimit"/>); otherwise 0.</summary>
    public int DeliveryLimit => QueueSettings.DeliveryLimit;

    /// <summary>For a queue message, the optional arguments of its queue (<see cref="QueueArgumentsAttribute"/>); otherwise null.</summary>
    public QueueArgumentValues? QueueArguments => QueueSettings.Arguments;

    /// <summary>How the message's queue is declared (for queue messages).</summary>
    internal QueueSettings QueueSettings { get; }

    /// <summary>Whether messages are published with the <c>mandatory</c> flag (<see cref="RoutingAttribute.Mandatory"/>).</summary>
    public bool Mandatory { get; }

    /// <summary>The exchange to publish to: empty (the default exchange) for queue messages.</summary>
    public string Exchange => Kind == ExchangeKind.Queue ? string.Empty : Name;

    /// <summary>The AMQP exchange type name, or null for queue messages.</summary>
    public string? ExchangeType => Kind switch
    {
        ExchangeKind.Fanout => RabbitMQ.Client.ExchangeType.Fanout,
        ExchangeKind.Direct => RabbitMQ.Client.ExchangeType.Direct,
        ExchangeKind.Topic => RabbitMQ.Client.ExchangeType.Topic,
        ExchangeKind.Headers => RabbitMQ.Client.ExchangeType.Headers,
        _ => null,
    };

    /// <summary>The CLR type of the message.</summary>
    public abstract Type ClrType { get; }

    /// <summary>A small number unique to this descriptor in the process; buses index per-type state by it.</summary>
    internal int Id { get; set; } = -1;

    /// <summary>
    /// The descriptor whose exchange (or queue) this message is published to and declared with: itself, or for a
    /// <see cref="DerivedMessageDescriptor{TDerived, TBase}"/> its base's, so a shared exchange is declared once.
    /// </summary>
    internal virtual MessageDescriptor Declaration => this;

    /// <inheritdoc/>
    public override string ToString() => Kind == ExchangeKind.Queue
        ? $"{MessageType} -> queue '{Name}'"
        : $"{MessageType} -> {Kind.ToString().ToLowerInvariant()} exchange '{Name}'";
}

/// <summary>The generated description of <typeparamref name="TMessage"/>: routing key, headers and serialization.</summary>
/// <typeparam name="TMessage">The message type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class MessageDescriptor<TMessage> : MessageDescriptor
{
    private TypeInfoCache? _typeInfo;

    /// <summary>Creates the descriptor; called by generated code.</summary>
    /// <param name="messageType">The AMQP <c>type</c> property: the wire name.</param>
    /// <param name="kind">Where the message is published.</param>
    /// <param name="name">The queue or exchange name.</param>
    /// <param name="durable">Whether the exchange (or queue) is durable and messages persistent.</param>
    /// <param name="mandatory">Whether messages are published with the <c>mandatory</c> flag.</param>
    /// <param name="queueType">For a queue message, the type of its queue.</param>
    /// <param name="deliveryLimit">For a message on a quorum queue, the queue's delivery limit.</param>
    /// <param name="arguments">For a queue message, its queue's <see cref="QueueArgumentsAttribute"/> arguments, or null.</param>
    /// <param name="aliases">Older wire names consumers also accept (<see cref="MessageAttribute.Aliases"/>), or null.</param>
    protected MessageDescriptor(
        string messageType, ExchangeKind kind, string name, bool durable, bool mandatory = false,
        QueueType queueType = QueueType.Classic, int deliveryLimit = 0, QueueArgumentValues? arguments = null, string[]? aliases = null)
        : base(messageType, kind, name, durable, mandatory, queueType, deliveryLimit, arguments, aliases)
    {
    }

    /// <inheritdoc/>
    public sealed override Type ClrType => typeof(TMessage);

    /// <summary>True when the message has properties marked <see cref="HeaderAttribute"/>.</summary>
    public virtual bool HasHeaders => false;

    /// <summary>The routing key of one message, computed by generated code from the template.</summary>
    public abstract string GetRoutingKey(TMessage message);

    /// <summary>Writes the message's <see cref="HeaderAttribute"/> properties as AMQP headers.</summary>
    public virtual void WriteHeaders(TMessage message, IDictionary<string, object?> headers)
    {
    }

    /// <summary>
    /// The type's metadata from a <c>JsonSerializerContext</c> in the user's compilation, so that trimmed and NativeAOT
    /// apps serialize without reflection; null when the compilation registers none for this type.
    /// </summary>
    protected virtual JsonTypeInfo<TMessage>? GetGeneratedTypeInfo() => null;

    /// <summary>
    /// True when the message is read and written through another type's metadata (a derived message, as its base), so
    /// <see cref="GetTypeInfo"/> is not what <see cref="Serialize"/> and <see cref="Deserialize"/> use.
    /// </summary>
    internal virtual bool SerializesAsOtherType => false;

    /// <summary>Writes the message's JSON body.</summary>
    internal virtual void Serialize(Utf8JsonWriter writer, TMessage message, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, message, GetTypeInfo(options));

    /// <summary>Reads a JSON body; null for JSON <c>null</c>.</summary>
    internal virtual TMessage? Deserialize(ReadOnlySpan<byte> body, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize(body, GetTypeInfo(options));

    /// <summary>The serialization metadata to use with the bus's options; resolved once and cached.</summary>
    internal JsonTypeInfo<TMessage> GetTypeInfo(JsonSerializerOptions options)
    {
        TypeInfoCache? cache = _typeInfo;
        if (cache is not null && (cache.FromContext || ReferenceEquals(cache.Options, options)))
        {
            return cache.TypeInfo;
        }

        JsonTypeInfo<TMessage>? generated = GetGeneratedTypeInfo();
        cache = generated is not null
            ? new TypeInfoCache(options, generated, FromContext: true)
            : new TypeInfoCache(options, (JsonTypeInfo<TMessage>)options.GetTypeInfo(typeof(TMessage)), FromContext: false);
        _typeInfo = cache;
        return cache.TypeInfo;
    }

    private sealed record TypeInfoCache(JsonSerializerOptions Options, JsonTypeInfo<TMessage> TypeInfo, bool FromContext);
}
