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

/// <summary>
/// On a message: its exchange (or queue) is durable and its messages persistent (delivery mode 2).
/// On a consumer: its named queue is durable.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Interface, AllowMultiple = false, Inherited = false)]
public sealed class DurableAttribute : Attribute
{
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
