using System;
using System.Collections.Generic;
using Warren.Internal;

namespace Warren;

/// <summary>Where a client receives its replies.</summary>
public enum RpcReplyQueue
{
    /// <summary>RabbitMQ's direct reply-to pseudo-queue (<c>amq.rabbitmq.reply-to</c>): no queue to declare, the fastest.</summary>
    DirectReplyTo = 0,

    /// <summary>An exclusive, auto-delete queue of the connection, as the tutorial's client declares (named by Warren, so that it survives a connection recovery under the same name).</summary>
    Private = 1,
}

/// <summary>How a client proxy calls its service. In a host, they can come from configuration, under <c>RpcClients:&lt;interface name&gt;</c> of Warren's section.</summary>
public sealed class RpcClientOptions
{
    /// <summary>The default <see cref="Timeout"/>.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a call waits for its reply before it throws <see cref="TimeoutException"/>. The request's AMQP expiration
    /// is set to it too, so that a request nobody took in time is dropped rather than executed after its caller gave up.
    /// </summary>
    public TimeSpan Timeout { get; set; } = DefaultTimeout;

    /// <summary>What cannot work in these options, each as the setting and what is wrong with it.</summary>
    internal IEnumerable<(string Setting, string Problem)> Problems()
    {
        if (Timeout <= TimeSpan.Zero)
        {
            yield return (nameof(Timeout), $"must be positive (is {Timeout})");
        }
    }

    /// <summary>Where replies come back; direct reply-to unless a private queue is asked for.</summary>
    public RpcReplyQueue ReplyQueue { get; set; } = RpcReplyQueue.DirectReplyTo;
}

/// <summary>How a server takes requests. In a host, they can come from configuration, under <c>RpcServers:&lt;interface name&gt;</c> of Warren's section.</summary>
public sealed class ServeOptions
{
    /// <summary>How many unacknowledged requests the broker sends this server at once; the tutorial uses 1 so that several servers share the load.</summary>
    public ushort Prefetch { get; set; } = 1;

    /// <summary>How many requests this server handles at once (1, the default, handles them in order).</summary>
    public ushort ConcurrentRequests { get; set; } = 1;

    /// <summary>Send the server-side stack trace with error replies; off by default, as stack traces reveal internals.</summary>
    public bool IncludeExceptionDetails { get; set; }

    /// <summary>What cannot work in these options, each as the setting and what is wrong with it.</summary>
    internal IEnumerable<(string Setting, string Problem)> Problems()
    {
        if (Prefetch == 0)
        {
            yield return (nameof(Prefetch), OptionProblems.ZeroPrefetch);
        }

        if (ConcurrentRequests == 0)
        {
            yield return (nameof(ConcurrentRequests), "must be at least 1");
        }
    }
}
