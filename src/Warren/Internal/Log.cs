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

    [LoggerMessage(3, LogLevel.Warning, "Connection lost: {Reason}")]
    public static partial void ConnectionLost(ILogger logger, string reason);

    [LoggerMessage(4, LogLevel.Information, "Connection recovered")]
    public static partial void ConnectionRecovered(ILogger logger);

    [LoggerMessage(5, LogLevel.Warning, "Connection blocked by the broker: {Reason}")]
    public static partial void ConnectionBlocked(ILogger logger, string reason);

    [LoggerMessage(6, LogLevel.Information, "Connection unblocked")]
    public static partial void ConnectionUnblocked(ILogger logger);

    [LoggerMessage(10, LogLevel.Error, "Rejected message {MessageId} from queue '{Queue}': it is not a valid {MessageType} ({Reason})")]
    public static partial void RejectedUnreadable(ILogger logger, string? messageId, string queue, string messageType, string reason, Exception? exception);

    [LoggerMessage(11, LogLevel.Error, "Handler failed for message {MessageId} from queue '{Queue}'; message rejected")]
    public static partial void HandlerFailed(ILogger logger, string? messageId, string queue, Exception exception);

    [LoggerMessage(12, LogLevel.Warning, "Consumer channel of queue '{Queue}' closed: {Reason}")]
    public static partial void ConsumerChannelClosed(ILogger logger, string queue, string reason);

    [LoggerMessage(20, LogLevel.Error, "RPC method {Method} of service '{Queue}' failed (correlation id {CorrelationId}); an error reply was sent")]
    public static partial void RpcHandlerFailed(ILogger logger, string queue, string method, string? correlationId, Exception exception);

    [LoggerMessage(21, LogLevel.Warning, "RPC request to service '{Queue}' (correlation id {CorrelationId}) has no reply-to; it was handled but nobody gets the answer")]
    public static partial void RpcNoReplyTo(ILogger logger, string queue, string? correlationId);

    [LoggerMessage(13, LogLevel.Warning, "Shutdown of queue '{Queue}' timed out with {InFlight} handlers still running; they were cancelled")]
    public static partial void ShutdownTimedOut(ILogger logger, string queue, int inFlight);
}
