using System;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Warren.Internal;

/// <summary>
/// What connection recovery does with a queue whose node is down. A durable classic queue (an error queue, say) lives on
/// one node of a cluster; while that node is down the broker answers 404 NOT_FOUND ("home node ... is down or
/// inaccessible") to declaring, binding or consuming it. RabbitMQ.Client would abandon the whole recovery over it and
/// try again every interval until that node is back, so the bus stayed down on a healthy node, quorum queues and all.
/// Skipped instead, and logged: a subscription on such a queue finds its consumer missing after the recovery and resumes
/// on its own, with back-off, once the queue is reachable again (see <see cref="Subscription"/>).
/// </summary>
internal static class UnavailableQueueRecovery
{
    public static TopologyRecoveryExceptionHandler Handler(ILogger logger) => new()
    {
        QueueRecoveryExceptionCondition = (_, error) => IsUnavailable(error),
        QueueRecoveryExceptionHandlerAsync = (queue, error, connection) => Skip(logger, connection, $"queue '{queue.Name}'", error),
        BindingRecoveryExceptionCondition = (_, error) => IsUnavailable(error),
        BindingRecoveryExceptionHandlerAsync = (binding, error, connection) =>
            Skip(logger, connection, $"the binding of '{binding.Destination}' to '{binding.Source}'", error),
        ConsumerRecoveryExceptionCondition = (_, error) => IsUnavailable(error),
        ConsumerRecoveryExceptionHandlerAsync = (consumer, error, connection) => Skip(logger, connection, $"the consumer of queue '{consumer.Queue}'", error),
    };

    /// <summary>404 while recovering an entity that was there before the connection was lost: its node is gone, not the entity.</summary>
    private static bool IsUnavailable(Exception error) =>
        error is OperationInterruptedException { ShutdownReason.ReplyCode: Constants.NotFound };

    private static Task Skip(ILogger logger, IConnection connection, string entity, Exception error)
    {
        Log.RecoverySkippedUnavailable(logger, entity, $"{connection.Endpoint.HostName}:{connection.Endpoint.Port}", error is OperationInterruptedException { ShutdownReason: { } reason } ? reason.ReplyText : error.Message);
        return Task.CompletedTask;
    }
}
