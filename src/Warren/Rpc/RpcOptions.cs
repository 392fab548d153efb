using System;

namespace Warren;

/// <summary>Where a client receives its replies.</summary>
public enum RpcReplyQueue
{
    /// <summary>RabbitMQ's direct reply-to pseudo-queue (<c>amq.rabbitmq.reply-to</c>): no queue to declare, the fastest.</summary>
    DirectReplyTo = 0,

    /// <summary>An exclusive, auto-delete queue of the connection, as the tutorial's client declares (named by Warren, so that it survives a connection recovery under the same name).</summary>
    Private = 1,
}

/// <summary>How a client proxy calls its service.</summary>
public sealed class RpcClientOptions
{
    /// <summary>The default <see cref="Timeout"/>.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a call waits for its reply before it throws <see cref="TimeoutException"/>. The request's AMQP expiration
    /// is set to it too, so that a request nobody took in time is dropped rather than executed after its caller gave up.
    /// </summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>Where replies come back; direct reply-to unless a private queue is asked for.</summary>
    public RpcReplyQueue ReplyQueue { get; init; } = RpcReplyQueue.DirectReplyTo;
}

/// <summary>How a server takes requests.</summary>
public sealed class ServeOptions
{
    /// <summary>How many unacknowledged requests the broker sends this server at once; the tutorial uses 1 so that several servers share the load.</summary>
    public ushort Prefetch { get; init; } = 1;

    /// <summary>How many requests this server handles at once (1, the default, handles them in order).</summary>
    public ushort ConcurrentRequests { get; init; } = 1;

    /// <summary>Send the server-side stack trace with error replies; off by default, as stack traces reveal internals.</summary>
    public bool IncludeExceptionDetails { get; init; }
}
