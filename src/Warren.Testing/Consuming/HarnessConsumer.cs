using System;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;
using Warren.Internal;
using Warren.Runtime;

namespace Warren.Testing.Consuming;

/// <summary>
/// The in-process consume loop of one subscription, step for step the bus's (ConsumerPump): the delivery is read by the
/// runtime's own reader; a handler that throws is called again per the retry policy; when the retries are spent, or the
/// message cannot be read, a copy with the runtime's reason headers goes to the error queue and the delivery is acked.
/// </summary>
internal sealed class HarnessConsumer<TMessage>(
    HarnessCore core, MessageDescriptor<TMessage> message, IConsumer<TMessage> consumer, RetryPolicy retry, string queue, string errorQueue)
{
    private readonly JsonTypeInfo<TMessage>? _typeInfo = message.SerializesAsOtherType ? null : message.GetTypeInfo(core.Json);
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Cancelled when the subscription stops: ends a retry back-off, as the bus's does.</summary>
    public void Stop() => _stopping.Cancel();

    public async Task DeliverAsync(Envelope delivery)
    {
        if (_stopping.IsCancellationRequested)
        {
            // Stopping: the bus leaves such a delivery unacknowledged and it returns to the queue.
            core.Broker.Requeue(queue, delivery);
            return;
        }

        IReadOnlyBasicProperties properties = delivery.Properties;
        MessageFlow.Enter(properties.MessageId, properties.CorrelationId);
        if (!DeliveryReader.TryRead(message, _typeInfo, core.Json, core.MaxMessageSize, properties, delivery.Body.Span, out TMessage? read, out string problem, out _))
        {
            MoveToErrorQueue(delivery, default, ErrorQueues.UnreadableMessage, problem, attempts: 0);
            return;
        }

        for (int attempt = 1; ; attempt++)
        {
            var context = new MessageContext(delivery.Exchange, delivery.RoutingKey, redelivered: false, queue, properties, attempt);
            try
            {
                await consumer.HandleAsync(read, context, core.Disposing.Token).ConfigureAwait(false);
                core.Record(new ConsumedMessage<TMessage>(read, context));
                return;
            }
            catch (Exception) when (attempt <= retry.MaxRetries)
            {
                if (core.UseRetryDelays)
                {
                    try
                    {
                        await Task.Delay(retry.DelayBefore(attempt), _stopping.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        core.Broker.Requeue(queue, delivery);
                        return;
                    }
                }
            }
            catch (Exception ex)
            {
                MoveToErrorQueue(delivery, read, ex.GetType().FullName ?? ex.GetType().Name, ex.Message, attempt);
                return;
            }
        }
    }

    /// <summary>Publishes the error copy as the bus does (same headers, persistent, no expiration, no user id) and records it.</summary>
    private void MoveToErrorQueue(Envelope delivery, TMessage? read, string exceptionType, string reason, int attempts)
    {
        IReadOnlyBasicProperties original = delivery.Properties;
        var copy = new BasicProperties(original)
        {
            Headers = ErrorQueues.FailureHeaders(original.Headers, exceptionType, reason, delivery.Exchange, delivery.RoutingKey, queue, attempts),
            DeliveryMode = DeliveryModes.Persistent,
            Expiration = null,
            UserId = null,
            MessageId = original.MessageId ?? Guid.NewGuid().ToString(),
        };
        var envelope = new Envelope(string.Empty, errorQueue, copy, delivery.Body);
        if (!core.Broker.QueueExists(errorQueue))
        {
            // Deleted under the subscription: the bus declares it again and sends once more.
            core.Broker.DeclareQueue(errorQueue);
        }

        core.Broker.Publish(envelope);
        string recordedReason = (string)copy.Headers[ErrorQueues.ExceptionMessageHeader]!;
        core.Record(new ErrorQueuedMessage<TMessage>(read, errorQueue, queue, exceptionType, recordedReason, attempts, envelope));
    }
}
