using RabbitMQ.Client.Events;

namespace Warren;

/// <summary>The broker did not take a published message; the subclass says why.</summary>
public abstract class PublishException : WarrenException
{
    private protected PublishException(string message) : base(message) { }

    /// <summary>The exchange the message was published to (empty for the default exchange).</summary>
    public string Exchange { get; private protected init; } = string.Empty;

    /// <summary>The routing key the message was published with.</summary>
    public string RoutingKey { get; private protected init; } = string.Empty;
}

/// <summary>The broker refused the message (<c>basic.nack</c>), for example because a queue's length limit rejects publishes.</summary>
public sealed class PublishNackedException : PublishException
{
    internal PublishNackedException(string exchange, string routingKey)
        : base($"The broker refused (nacked) the message published to '{exchange}' with routing key '{routingKey}'.")
    {
        Exchange = exchange;
        RoutingKey = routingKey;
    }
}

/// <summary>The broker returned a mandatory message because no queue was bound to take it (<c>basic.return</c>).</summary>
public sealed class PublishReturnedException : PublishException
{
    internal PublishReturnedException(string exchange, string routingKey, ushort replyCode, string replyText)
        : base($"The broker returned the message published to '{exchange}' with routing key '{routingKey}': {replyCode} {replyText}.")
    {
        Exchange = exchange;
        RoutingKey = routingKey;
        ReplyCode = replyCode;
        ReplyText = replyText;
    }

    /// <summary>The AMQP reply code, usually 312 (NO_ROUTE).</summary>
    public ushort ReplyCode { get; }

    /// <summary>The broker's reason.</summary>
    public string ReplyText { get; }
}

/// <summary>
/// The channel or connection closed before the broker confirmed the message: the broker may or may not have it.
/// </summary>
public sealed class PublishInterruptedException : PublishException
{
    internal PublishInterruptedException(string exchange, string routingKey, ShutdownEventArgs reason)
        : base($"The channel closed before the broker confirmed the message published to '{exchange}' with routing key '{routingKey}': " +
               $"{reason.ReplyCode} {reason.ReplyText}. The broker may or may not have taken it.")
    {
        Exchange = exchange;
        RoutingKey = routingKey;
        ReplyCode = reason.ReplyCode;
        ReplyText = reason.ReplyText;
    }

    /// <summary>The AMQP reply code of the closure, such as 404 (NOT_FOUND) or 320 (CONNECTION_FORCED).</summary>
    public ushort ReplyCode { get; }

    /// <summary>The broker's or the client's reason for the closure.</summary>
    public string ReplyText { get; }
}
