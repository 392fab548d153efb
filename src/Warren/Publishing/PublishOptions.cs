using System;
using System.Collections.Generic;

namespace Warren;

/// <summary>
/// What one publish sets beyond the message itself: AMQP properties and headers. Everything left unset gets Warren's
/// default: a new message id, the correlation id of the message being handled (inside a handler), no expiration, no
/// priority, the routing key of the message type's template.
/// </summary>
public sealed class PublishOptions
{
    /// <summary>Overrides the routing key computed from the message type's template.</summary>
    public string? RoutingKey { get; set; }

    /// <summary>The <c>message_id</c> property; a new GUID when null. Consumers see it as <see cref="MessageContext.MessageId"/>.</summary>
    public string? MessageId { get; set; }

    /// <summary>
    /// The <c>correlation_id</c> property. When null and the publish happens inside a handler, the correlation id of the
    /// message being handled is used, so that one conversation keeps one id across services.
    /// </summary>
    public string? CorrelationId { get; set; }

    /// <summary>
    /// How long the message may wait in a queue before the broker drops it (or dead-letters it): the <c>expiration</c>
    /// property, in whole milliseconds. Null for no expiration.
    /// </summary>
    public TimeSpan? Expiration { get; set; }

    /// <summary>The <c>priority</c> property (0-255); it orders messages only in a queue declared with <c>x-max-priority</c>.</summary>
    public byte? Priority { get; set; }

    /// <summary>
    /// Extra AMQP headers. Values may be strings, booleans, integers (but not ulong), floating-point numbers, decimals, byte arrays,
    /// <see cref="RabbitMQ.Client.AmqpTimestamp"/>, lists of those, or nested string-keyed dictionaries. A header that a
    /// headers exchange message sets from its own properties (<see cref="HeaderAttribute"/>) cannot be set here too.
    /// </summary>
    public IReadOnlyDictionary<string, object?>? Headers { get; set; }
}
