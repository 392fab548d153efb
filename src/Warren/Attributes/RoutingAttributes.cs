using System;

namespace Warren;

/// <summary>
/// Base of the attributes that say where a message type is published. Exactly one of them goes on a message type.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
public abstract class RoutingAttribute : Attribute
{
    private protected RoutingAttribute(string name) => Name = name;

    /// <summary>The queue or exchange name.</summary>
    public string Name { get; }

    /// <summary>
    /// Publish with the AMQP <c>mandatory</c> flag: a message no queue takes is returned by the broker and the publish
    /// throws <see cref="PublishReturnedException"/>, instead of being dropped as RabbitMQ does by default. For a queue
    /// message whose queue was deleted, Warren declares the queue again and publishes once more.
    /// </summary>
    public bool Mandatory { get; set; }
}

/// <summary>
/// Publishes the message to a queue through the default exchange; the routing key is the queue name
/// (tutorials one and two). Consumers of the message consume that queue.
/// </summary>
public sealed class QueueAttribute : RoutingAttribute
{
    /// <param name="name">The queue name.</param>
    public QueueAttribute(string name) : base(name) { }
}

/// <summary>Publishes the message to a fanout exchange: every bound queue gets every message (tutorial three).</summary>
public sealed class FanoutAttribute : RoutingAttribute
{
    /// <param name="name">The exchange name.</param>
    public FanoutAttribute(string name) : base(name) { }
}

/// <summary>Publishes the message to a direct exchange: queues whose binding key equals the routing key get it (tutorial four).</summary>
public sealed class DirectAttribute : RoutingAttribute
{
    /// <param name="name">The exchange name.</param>
    public DirectAttribute(string name) : base(name) { }

    /// <summary>
    /// The routing key, either constant or a template naming the message's properties in braces, such as <c>"{Severity}"</c>.
    /// The generator turns the template into code at compile time.
    /// </summary>
    public string? RoutingKey { get; set; }
}

/// <summary>Publishes the message to a topic exchange: binding keys may use <c>*</c> (one word) and <c>#</c> (zero or more words) (tutorial five).</summary>
public sealed class TopicAttribute : RoutingAttribute
{
    /// <param name="name">The exchange name.</param>
    public TopicAttribute(string name) : base(name) { }

    /// <summary>
    /// The routing key, either constant or a template naming the message's properties in braces, such as <c>"{Facility}.{Severity}"</c>.
    /// </summary>
    public string? RoutingKey { get; set; }
}

/// <summary>
/// Publishes the message to a headers exchange. Properties marked <see cref="HeaderAttribute"/> become AMQP headers,
/// which <see cref="BindHeadersAttribute"/> on a consumer matches.
/// </summary>
public sealed class HeadersAttribute : RoutingAttribute
{
    /// <param name="name">The exchange name.</param>
    public HeadersAttribute(string name) : base(name) { }
}

/// <summary>The kind of RabbitMQ queue Warren declares for a queue that <see cref="DurableAttribute"/> makes durable.</summary>
public enum QueueType
{
    /// <summary>A classic queue, RabbitMQ's default (no <c>x-queue-type</c> argument).</summary>
    Classic = 0,

    /// <summary>
    /// A quorum queue (<c>x-queue-type: quorum</c>): replicated with Raft and always durable. Warren declares it with a
    /// delivery limit (<see cref="DurableAttribute.DeliveryLimit"/>) and dead-letters what exceeds it to the queue's error
    /// queue (<see cref="ErrorQueues.NameFor(string)"/>), so a message that keeps crashing its consumers cannot loop forever.
    /// </summary>
    Quorum = 1,

    /// <summary>
    /// A stream queue (<c>x-queue-type: stream</c>): an append-only, replicated log, always durable and never exclusive or
    /// auto-delete. Its retention comes from <see cref="QueueArgumentsAttribute.MaxAge"/>,
    /// <see cref="QueueArgumentsAttribute.MaxLengthBytes"/> and <see cref="QueueArgumentsAttribute.MaxSegmentSizeBytes"/>;
    /// the broker refuses the other queue arguments on a stream (error WARREN014). Warren declares stream queues and
    /// publishes to them; subscribing to one is not supported yet and throws <see cref="System.NotSupportedException"/>.
    /// </summary>
    Stream = 2,
}

/// <summary>
/// On a message: its exchange (or queue) is durable and its messages persistent (delivery mode 2).
/// On a consumer: its named queue is durable. On an RPC service interface: its request queue is durable.
/// <c>[Durable(QueueType.Quorum)]</c> makes that queue a quorum queue, <c>[Durable(QueueType.Stream)]</c> a stream queue.
/// Further queue arguments (TTL, length limits, priority, single active consumer, stream retention) come from
/// <see cref="QueueArgumentsAttribute"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Interface, AllowMultiple = false, Inherited = false)]
public sealed class DurableAttribute : Attribute
{
    /// <summary>The <see cref="DeliveryLimit"/> of a quorum queue that does not set one.</summary>
    public const int DefaultDeliveryLimit = 5;

    /// <summary>A durable classic queue (or exchange).</summary>
    public DurableAttribute()
    {
    }

    /// <summary>A durable queue of the given type.</summary>
    /// <param name="queueType">
    /// <see cref="QueueType.Quorum"/> for a quorum queue, <see cref="QueueType.Stream"/> for a stream queue. Only a queue has a type: on a message published to an exchange,
    /// or on a consumer without a named queue, it has no effect (warning WARREN010).
    /// </param>
    public DurableAttribute(QueueType queueType) => QueueType = queueType;

    /// <summary>The type of the queue; <see cref="QueueType.Classic"/> unless the constructor says otherwise.</summary>
    public QueueType QueueType { get; }

    /// <summary>
    /// For a quorum queue (<c>x-delivery-limit</c>): how many times the broker may take a message back unacknowledged (the
    /// consumer's channel or connection closed, its process crashed) and deliver it again. A message taken back once more
    /// is dead-lettered to the queue's error queue (<c>&lt;queue&gt;.error</c>), so it is delivered at most
    /// <c>DeliveryLimit + 1</c> times. <see cref="DefaultDeliveryLimit"/> (5) unless set; 0 dead-letters a message the
    /// first time it comes back. Only quorum queues have a delivery limit (warning WARREN010 elsewhere); a negative value
    /// is error WARREN012.
    /// </summary>
    public int DeliveryLimit { get; set; } = DefaultDeliveryLimit;
}

/// <summary>Sends the property as an AMQP header with the given name (its value as an invariant-culture string).</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class HeaderAttribute : Attribute
{
    /// <param name="name">The header name.</param>
    public HeaderAttribute(string name) => Name = name;

    /// <summary>The header name.</summary>
    public string Name { get; }
}
