using System;
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
/// The channel or connection closed before the broker confirmed the message, and the publish was not sent again: the
/// broker's reason names its exchange (such as 404 NOT_FOUND), the message kept breaking the channel, or the bus was
/// disposed. (Any other interruption is sent again until <see cref="BusOptions.PublishTimeout"/>.) The broker may or may not have it.
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

/// <summary>Why a publish gave up waiting (<see cref="PublishTimeoutException.Reason"/>).</summary>
public enum PublishTimeoutReason
{
    /// <summary>The connection to the broker was down (or the publish channel was being reopened) until the timeout.</summary>
    ConnectionDown,

    /// <summary>The broker was blocking publishers (a memory or disk alarm) until the timeout.</summary>
    ConnectionBlocked,

    /// <summary>The message was sent but the broker did not confirm it in time.</summary>
    NoConfirm,
}

/// <summary>
/// A publish did not get the broker's confirmation within <see cref="BusOptions.PublishTimeout"/>: the connection stayed
/// down, the broker kept blocking publishers, or no confirm came. <see cref="MayHaveBeenPublished"/> says whether the
/// broker may nevertheless have taken the message (so publishing it again may duplicate it).
/// </summary>
public sealed class PublishTimeoutException : PublishException
{
    internal PublishTimeoutException(
        string exchange, string routingKey, TimeSpan timeout, PublishTimeoutReason reason, string? brokerReason, bool mayHaveBeenPublished)
        : base(Describe(exchange, routingKey, timeout, reason, brokerReason, mayHaveBeenPublished))
    {
        Exchange = exchange;
        RoutingKey = routingKey;
        Timeout = timeout;
        Reason = reason;
        BrokerReason = brokerReason;
        MayHaveBeenPublished = mayHaveBeenPublished;
    }

    /// <summary>The publish timeout that expired.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>What the publish was waiting for when the timeout expired.</summary>
    public PublishTimeoutReason Reason { get; }

    /// <summary>The broker's or the client's words for the outage or the alarm, such as <c>low on disk</c>, when known.</summary>
    public string? BrokerReason { get; }

    /// <summary>
    /// True when the message was written to the broker at least once without being confirmed, so the broker may have it;
    /// false when it was never sent (the connection was down or blocked the whole time).
    /// </summary>
    public bool MayHaveBeenPublished { get; }

    private static string Describe(string exchange, string routingKey, TimeSpan timeout, PublishTimeoutReason reason, string? brokerReason, bool mayHaveBeenPublished)
    {
        string why = reason switch
        {
            PublishTimeoutReason.ConnectionDown => "the connection to the broker was down",
            PublishTimeoutReason.ConnectionBlocked => "the broker was blocking publishers",
            _ => "the broker did not confirm it",
        };
        string detail = brokerReason is { Length: > 0 } ? $" ({brokerReason})" : string.Empty;
        string outcome = mayHaveBeenPublished
            ? "It was sent, so the broker may have taken it."
            : "It was not sent.";
        return $"The message published to '{exchange}' with routing key '{routingKey}' was not confirmed within {timeout}: {why}{detail}. {outcome} " +
               "BusOptions.PublishTimeout sets how long a publish waits.";
    }
}

/// <summary>Which limit a message broke (<see cref="MessageLimitException.Limit"/>).</summary>
public enum MessageLimit
{
    /// <summary>The serialized body is larger than <see cref="BusOptions.MaxMessageSize"/>.</summary>
    BodySize,

    /// <summary>The routing key is longer than the 255 bytes AMQP allows.</summary>
    RoutingKeyLength,
}

/// <summary>
/// A message was refused before it was sent because it breaks a limit: its body is larger than
/// <see cref="BusOptions.MaxMessageSize"/>, or its routing key is longer than the 255 bytes AMQP allows.
/// </summary>
public sealed class MessageLimitException : WarrenException
{
    /// <summary>The routing key limit of AMQP 0-9-1 (a short string): it cannot be raised.</summary>
    public const int MaxRoutingKeyBytes = 255;

    private MessageLimitException(string message, MessageLimit limit, string messageType, long actualBytes, long allowedBytes)
        : base(message)
    {
        Limit = limit;
        MessageType = messageType;
        ActualBytes = actualBytes;
        AllowedBytes = allowedBytes;
    }

    /// <summary>Which limit was broken.</summary>
    public MessageLimit Limit { get; }

    /// <summary>The message type (its AMQP <c>type</c>), or the RPC method, that broke it.</summary>
    public string MessageType { get; }

    /// <summary>The size of the body or routing key, in bytes.</summary>
    public long ActualBytes { get; }

    /// <summary>The most the limit allows, in bytes.</summary>
    public long AllowedBytes { get; }

    /// <param name="messageType">The message type or RPC method.</param>
    /// <param name="what">What is too large, for the message: "message Orders.Placed", "request to svc.Method".</param>
    /// <param name="actualBytes">Its serialized size.</param>
    /// <param name="allowedBytes">The limit.</param>
    internal static MessageLimitException BodyTooLarge(string messageType, string what, long actualBytes, long allowedBytes) => new(
        $"The {what} is {actualBytes} bytes serialized; BusOptions.MaxMessageSize allows at most {allowedBytes}. " +
        "Send less (for example a reference to the data), or raise BusOptions.MaxMessageSize on every bus that sends or receives it, " +
        "and the broker's max_message_size if that is lower.",
        MessageLimit.BodySize, messageType, actualBytes, allowedBytes);

    internal static MessageLimitException RoutingKeyTooLong(string messageType, long actualBytes) => new(
        $"The routing key of {messageType} is {actualBytes} bytes; AMQP allows at most {MaxRoutingKeyBytes}, a limit of the protocol " +
        "that cannot be raised: shorten the key (or the properties its template uses).",
        MessageLimit.RoutingKeyLength, messageType, actualBytes, MaxRoutingKeyBytes);
}
