using System;
using Microsoft.Extensions.Logging;

namespace Warren.Internal;

/// <summary>Every log line the runtime writes, with stable event ids.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Connected to {Endpoint} as '{ClientName}'")]
    public static partial void Connected(ILogger logger, string endpoint, string clientName);

    [LoggerMessage(2, LogLevel.Warning, "Connection to {Endpoint} failed (attempt {Attempt}: {Reason}); retrying in {Delay}")]
    public static partial void ConnectRetry(ILogger logger, string endpoint, int attempt, TimeSpan delay, string reason);

    [LoggerMessage(3, LogLevel.Warning, "Connection to {Node} lost: {Reason}")]
    public static partial void ConnectionLost(ILogger logger, string node, string reason);

    [LoggerMessage(4, LogLevel.Information, "Connection recovered on {Node} after {Downtime}, with its declarations and consumers")]
    public static partial void ConnectionRecovered(ILogger logger, string node, TimeSpan downtime);

    [LoggerMessage(5, LogLevel.Warning, "Connection blocked by the broker: {Reason}")]
    public static partial void ConnectionBlocked(ILogger logger, string reason);

    [LoggerMessage(6, LogLevel.Information, "Connection unblocked after {BlockedFor}")]
    public static partial void ConnectionUnblocked(ILogger logger, TimeSpan blockedFor);

    [LoggerMessage(30, LogLevel.Warning, "Reconnecting failed ({Reason}); trying again in {Interval}")]
    public static partial void ConnectionRecoveryFailed(ILogger logger, string reason, TimeSpan interval);

    [LoggerMessage(31, LogLevel.Error, "A {Event} event handler threw; the bus carries on")]
    public static partial void EventHandlerFailed(ILogger logger, string @event, Exception exception);

    [LoggerMessage(32, LogLevel.Information, "Server-named queue '{Before}' was declared again as '{After}' after the connection recovered")]
    public static partial void QueueRenamed(ILogger logger, string before, string after);

    [LoggerMessage(33, LogLevel.Warning, "The broker cancelled the consumer of queue '{Queue}' (the queue was deleted, or its node went down); declaring the queue and consuming again")]
    public static partial void ConsumerCancelledByBroker(ILogger logger, string queue);

    [LoggerMessage(34, LogLevel.Information, "Consumer of queue '{Queue}' resumed {How} after {Downtime}")]
    public static partial void ConsumerResumed(ILogger logger, string queue, string how, TimeSpan downtime);

    [LoggerMessage(35, LogLevel.Warning, "Could not resume the consumer of queue '{Queue}' ({Reason}); trying again in {Delay}")]
    public static partial void ConsumerResumeFailed(ILogger logger, string queue, string reason, TimeSpan delay);

    [LoggerMessage(10, LogLevel.Error, "Message {MessageId} from queue '{Queue}' is not a valid {MessageType} ({Reason}); it went to error queue '{ErrorQueue}' without retries")]
    public static partial void RejectedUnreadable(ILogger logger, string? messageId, string queue, string messageType, string reason, string errorQueue, Exception? exception);

    [LoggerMessage(11, LogLevel.Error, "Handler failed for message {MessageId} from queue '{Queue}' with no retries left ({Attempts} attempts); it went to error queue '{ErrorQueue}'")]
    public static partial void HandlerFailed(ILogger logger, string? messageId, string queue, int attempts, string errorQueue, Exception exception);

    [LoggerMessage(14, LogLevel.Warning, "Handler failed for message {MessageId} from queue '{Queue}' (attempt {Attempt} of {MaxAttempts}); retrying in {Delay}")]
    public static partial void HandlerRetrying(ILogger logger, string? messageId, string queue, int attempt, int maxAttempts, TimeSpan delay, Exception exception);

    [LoggerMessage(15, LogLevel.Error, "Could not move message {MessageId} from queue '{Queue}' to error queue '{ErrorQueue}' ({Failure}); it goes back to the queue in {Delay}")]
    public static partial void ErrorQueuePublishFailed(ILogger logger, string? messageId, string queue, string errorQueue, string failure, TimeSpan delay, Exception exception);

    [LoggerMessage(16, LogLevel.Information, "Subscription to queue '{Queue}' stopped during the retry back-off of message {MessageId}; the message went back to the queue")]
    public static partial void RetryAbandonedForShutdown(ILogger logger, string? messageId, string queue);

    [LoggerMessage(12, LogLevel.Warning, "Consumer channel of queue '{Queue}' closed by a channel-level error ({Reason}); opening a new one")]
    public static partial void ConsumerChannelClosed(ILogger logger, string queue, string reason);

    [LoggerMessage(20, LogLevel.Error, "RPC method {Method} of service '{Queue}' failed (correlation id {CorrelationId}); an error reply was sent")]
    public static partial void RpcHandlerFailed(ILogger logger, string queue, string method, string? correlationId, Exception exception);

    [LoggerMessage(21, LogLevel.Warning, "RPC request to service '{Queue}' (correlation id {CorrelationId}) has no reply-to; it was handled but nobody gets the answer")]
    public static partial void RpcNoReplyTo(ILogger logger, string queue, string? correlationId);

    [LoggerMessage(13, LogLevel.Warning, "Shutdown of queue '{Queue}' timed out with {InFlight} handlers still running; they were cancelled")]
    public static partial void ShutdownTimedOut(ILogger logger, string queue, int inFlight);

    [LoggerMessage(40, LogLevel.Warning, "The publish channel closed with {Count} publishes unconfirmed ({Reason}); they are sent again once it is back")]
    public static partial void PublishesInterrupted(ILogger logger, int count, string reason);

    [LoggerMessage(50, LogLevel.Information, "Started {Endpoint} on queue '{Queue}'")]
    public static partial void HostedStarted(ILogger logger, string endpoint, string queue);

    [LoggerMessage(51, LogLevel.Information, "Stopped the host's consumers and RPC servers ({Count} in all)")]
    public static partial void HostedStopped(ILogger logger, int count);

    [LoggerMessage(60, LogLevel.Information, "DeclareMode.Verify: {Entity} exists; its type, durability and arguments were not verified, since the user has no configure permission on it ({Reason})")]
    public static partial void TopologyNotFullyVerified(ILogger logger, string entity, string reason);

    [LoggerMessage(17, LogLevel.Information, "Stream consumer '{Consumer}' of stream '{Stream}' starts at {Start} ({Why})")]
    public static partial void StreamConsumerStarting(ILogger logger, string consumer, string stream, string start, string why);

    [LoggerMessage(18, LogLevel.Warning, "Could not store offset {Offset} of stream consumer '{Consumer}' in queue '{OffsetsQueue}'; trying again at the next commit")]
    public static partial void StreamOffsetCommitFailed(ILogger logger, long offset, string consumer, string offsetsQueue, Exception exception);

    [LoggerMessage(19, LogLevel.Warning, "The offsets queue '{OffsetsQueue}' holds '{Body}', which is not an offset; stream consumer '{Consumer}' starts at {Start}")]
    public static partial void StreamOffsetUnreadable(ILogger logger, string offsetsQueue, string body, string consumer, string start);

    [LoggerMessage(7, LogLevel.Warning, "Connection recovery skipped {Entity} on {Node}: its node is down or unreachable ({Reason}); the rest recovered, and it is taken up again once that node is back")]
    public static partial void RecoverySkippedUnavailable(ILogger logger, string entity, string? node, string reason);
}
