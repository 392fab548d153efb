using System;
using System.Collections.Generic;
using System.Text;
using RabbitMQ.Client;

namespace Warren;

/// <summary>
/// Where a delivered message came from and its AMQP properties. A small struct over what the client already decoded,
/// so handing it to a handler allocates nothing.
/// </summary>
public readonly struct MessageContext
{
    private static readonly IReadOnlyDictionary<string, object?> NoHeaders = new Dictionary<string, object?>();
    private readonly IReadOnlyBasicProperties? _properties;

    /// <summary>Creates a context for the first call of a handler; the consume loop does this for every delivery.</summary>
    public MessageContext(string exchange, string routingKey, bool redelivered, string queue, IReadOnlyBasicProperties? properties)
        : this(exchange, routingKey, redelivered, queue, properties, attempt: 1)
    {
    }

    /// <summary>Creates a context for call number <paramref name="attempt"/> (1-based) of a handler for one delivery.</summary>
    public MessageContext(string exchange, string routingKey, bool redelivered, string queue, IReadOnlyBasicProperties? properties, int attempt)
    {
        Exchange = exchange;
        RoutingKey = routingKey;
        Redelivered = redelivered;
        Queue = queue;
        _properties = properties;
        Attempt = attempt;
    }

    /// <summary>The exchange the message was published to; empty for the default exchange.</summary>
    public string Exchange { get; }

    /// <summary>The routing key the message was published with.</summary>
    public string RoutingKey { get; }

    /// <summary>True when the broker delivered this message before without an acknowledgement.</summary>
    public bool Redelivered { get; }

    /// <summary>The queue the message was consumed from.</summary>
    public string Queue { get; }

    /// <summary>
    /// Which call of the handler for this delivery this is: 1 the first time, 2 for the first retry after the handler threw,
    /// up to <see cref="RetryPolicy.MaxRetries"/> + 1 (see <see cref="BusOptions.Retry"/>).
    /// </summary>
    public int Attempt { get; }

    /// <summary>The AMQP headers; empty when the message had none. String values arrive as UTF-8 bytes: see <see cref="GetHeader"/>.</summary>
    public IReadOnlyDictionary<string, object?> Headers =>
        _properties?.Headers as IReadOnlyDictionary<string, object?> ?? NoHeaders;

    /// <summary>The <c>message_id</c> property.</summary>
    public string? MessageId => _properties?.MessageId;

    /// <summary>The <c>correlation_id</c> property.</summary>
    public string? CorrelationId => _properties?.CorrelationId;

    /// <summary>
    /// The message id of the message whose handler published this one (header <see cref="MessageHeaders.CausationId"/>),
    /// or null when it was not published from a handler.
    /// </summary>
    public string? CausationId => GetHeader(MessageHeaders.CausationId);

    /// <summary>The <c>reply_to</c> property.</summary>
    public string? ReplyTo => _properties?.ReplyTo;

    /// <summary>The <c>type</c> property: Warren puts the message type's name there.</summary>
    public string? MessageType => _properties?.Type;

    /// <summary>The <c>content_type</c> property.</summary>
    public string? ContentType => _properties?.ContentType;

    /// <summary>True when the message was published persistent (delivery mode 2).</summary>
    public bool Persistent => _properties?.Persistent ?? false;

    /// <summary>The <c>timestamp</c> property, or null when the publisher did not set one.</summary>
    public DateTimeOffset? Timestamp =>
        _properties is { } p && p.IsTimestampPresent() ? DateTimeOffset.FromUnixTimeSeconds(p.Timestamp.UnixTime) : null;

    /// <summary>
    /// The message's offset in the stream (the <c>x-stream-offset</c> header the broker adds to every delivery from a
    /// stream queue), or null when it was not consumed from a stream.
    /// </summary>
    public long? StreamOffset => StreamOffsetOf(_properties);

    /// <summary>The <c>x-stream-offset</c> header of a delivery, when it is a whole number.</summary>
    internal static long? StreamOffsetOf(IReadOnlyBasicProperties? properties) =>
        properties?.Headers is { } headers && headers.TryGetValue("x-stream-offset", out object? value)
            ? value switch
            {
                long l => l,
                int i => i,
                short s => s,
                byte b => b,
                _ => null,
            }
            : null;

    /// <summary>The raw AMQP properties, for anything the members above do not cover.</summary>
    public IReadOnlyBasicProperties? Properties => _properties;

    /// <summary>A header's value as a string (AMQP long strings arrive as UTF-8 bytes), or null when absent.</summary>
    public string? GetHeader(string name)
    {
        if (_properties?.Headers is not { } headers || !headers.TryGetValue(name, out object? value))
        {
            return null;
        }

        return value switch
        {
            null => null,
            byte[] bytes => Encoding.UTF8.GetString(bytes),
            string text => text,
            _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Queue} <- {Exchange}/{RoutingKey} (id {MessageId})";
}
