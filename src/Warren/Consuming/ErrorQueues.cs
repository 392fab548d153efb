using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Warren.Internal;

namespace Warren;

/// <summary>
/// Where a consumer puts what it cannot handle: the message that failed every retry, or that could not be read at all,
/// is published to the error queue of its queue (<c>&lt;queue&gt;.error</c>) with these headers, and only then acked.
/// </summary>
public static class ErrorQueues
{
    /// <summary>Appended to a queue's name to name its error queue.</summary>
    public const string Suffix = ".error";

    /// <summary>Header: the full name of the exception type (or <see cref="UnreadableMessage"/>).</summary>
    public const string ExceptionTypeHeader = "x-warren-exception-type";

    /// <summary>Header: the exception message, or why the message could not be read.</summary>
    public const string ExceptionMessageHeader = "x-warren-exception-message";

    /// <summary>Header: the exchange the message was first published to (empty for the default exchange).</summary>
    public const string OriginalExchangeHeader = "x-warren-original-exchange";

    /// <summary>Header: the routing key the message was first published with.</summary>
    public const string OriginalRoutingKeyHeader = "x-warren-original-routing-key";

    /// <summary>Header: the queue the message was consumed from.</summary>
    public const string OriginalQueueHeader = "x-warren-original-queue";

    /// <summary>Header: how many times the handler was called (0 for a message that could not be read).</summary>
    public const string AttemptsHeader = "x-warren-attempts";

    /// <summary>The <see cref="ExceptionTypeHeader"/> of a message that could not be read as its type: not JSON, the wrong shape, the wrong type header or too large.</summary>
    public const string UnreadableMessage = "Warren.UnreadableMessage";

    /// <summary>Exception messages longer than this are cut: all headers must fit in one AMQP frame.</summary>
    private const int MaxHeaderTextLength = 4096;

    /// <summary>
    /// The headers of a failed message's error-queue copy: its own headers plus why and where it failed. One place, so the
    /// bus's consumers and Warren.Testing's in-process ones write the same.
    /// </summary>
    internal static Dictionary<string, object?> FailureHeaders(
        IDictionary<string, object?>? original, string exceptionType, string reason, string exchange, string routingKey, string queue, int attempts)
    {
        var headers = original is not null
            ? new Dictionary<string, object?>(original, StringComparer.Ordinal)
            : new Dictionary<string, object?>(StringComparer.Ordinal);
        headers[ExceptionTypeHeader] = exceptionType;
        headers[ExceptionMessageHeader] = reason.Length > MaxHeaderTextLength ? reason[..MaxHeaderTextLength] : reason;
        headers[OriginalExchangeHeader] = exchange;
        headers[OriginalRoutingKeyHeader] = routingKey;
        headers[OriginalQueueHeader] = queue;
        headers[AttemptsHeader] = attempts;
        return headers;
    }

    /// <summary>The error queue of <paramref name="queue"/>.</summary>
    public static string NameFor(string queue) => queue + Suffix;

    /// <summary>
    /// Declares an error queue: durable, classic, no arguments. Every declaration of an error queue goes through here, so
    /// that the consumer that moves failed messages and a quorum queue that dead-letters into it agree on its properties.
    /// </summary>
    internal static async Task DeclareAsync(IChannel channel, string errorQueue, CancellationToken cancellationToken)
    {
        try
        {
            await channel.QueueDeclareAsync(errorQueue, durable: true, exclusive: false, autoDelete: false, arguments: null, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
        }
        catch (OperationInterruptedException ex)
        {
            throw Errors.Topology($"error queue '{errorQueue}'", ex);
        }
    }
}
