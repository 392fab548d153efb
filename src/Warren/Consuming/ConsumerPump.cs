using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;
using Warren.Runtime;

namespace Warren.Internal;

/// <summary>
/// The consume loop of one subscription: reads each delivery as <typeparamref name="TMessage"/>, calls the handler and
/// acks after success. A handler that throws is called again, with back-off, while the delivery stays unacknowledged;
/// when the retries are spent, or when the message cannot be read at all, the message is published to the error queue
/// and only acked once the broker confirmed that copy. Nothing is requeued in a loop, and nothing is dropped.
/// </summary>
internal sealed class ConsumerPump<TMessage> : AsyncDefaultBasicConsumer, IBatchedAcks
{
    /// <summary>The wait before giving back a message that could not be moved to its error queue, so a broker that keeps refusing it is not hammered.</summary>
    private static readonly TimeSpan ErrorQueueRetryDelay = TimeSpan.FromSeconds(2);

    private readonly ConsumerPumpContext _context;
    private readonly MessageDescriptor<TMessage> _message;
    private readonly IConsumer<TMessage> _consumer;
    private readonly Subscription _subscription;
    private readonly RetryPolicy _retry;
    private readonly string _errorQueue;
    private readonly int _maxMessageSize;
    // Null for a derived message, which the descriptor reads through its base's metadata.
    private readonly JsonTypeInfo<TMessage>? _typeInfo;
    private readonly JsonSerializerOptions _json;
    private readonly ILogger _logger;
    // For a stream queue: where the subscription is in the stream, and this channel's deliveries. Nothing is requeued
    // on a stream: a message left unacknowledged is read again after the stored offset by the next subscription.
    private readonly StreamCursor? _stream;
    private readonly StreamCursor.Epoch? _epoch;
    // Null where each message is acked on its own (handlers in parallel, a stream, a small prefetch).
    private readonly AckBatch? _acks;

    public ConsumerPump(
        IChannel channel, ConsumerPumpContext context, MessageDescriptor<TMessage> message, IConsumer<TMessage> consumer, Subscription subscription, RetryPolicy retry, string errorQueue,
        StreamCursor? stream = null, AckBatch? acks = null)
        : base(channel)
    {
        _stream = stream;
        _acks = acks;
        _epoch = stream?.NewEpoch();
        _context = context;
        _message = message;
        _consumer = consumer;
        _subscription = subscription;
        _retry = retry;
        _errorQueue = errorQueue;
        _maxMessageSize = context.MaxMessageSize;
        _json = context.Json;
        _typeInfo = message.SerializesAsOtherType ? null : message.GetTypeInfo(context.Json);
        _logger = context.Logger;
    }

    public override async Task HandleBasicDeliverAsync(
        string consumerTag, ulong deliveryTag, bool redelivered, string exchange, string routingKey,
        IReadOnlyBasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        if (!_subscription.TryEnter())
        {
            // Stopping: leave the message unacknowledged; closing the channel returns it to the queue.
            return;
        }

        // What the handler publishes keeps this message's correlation id and names it as its cause, and (traced) runs
        // under this delivery's process span; async-local, so both end with this method.
        MessageFlow.Enter(properties.MessageId, properties.CorrelationId);
        WarrenActivities.ForgetStaleAmbient();
        DeliveryTelemetry? telemetry = DeliveryTelemetry.Start(_subscription.Queue, exchange, routingKey, deliveryTag, properties, body.Length);

        // Read once, while counted in flight: the subscription disposes its token sources after draining.
        CancellationToken handlerToken = _subscription.HandlerToken;
        CancellationToken stoppingToken = _subscription.StoppingToken;
        var delivery = new Delivery(deliveryTag, exchange, routingKey, properties, body);
        try
        {
            if (_stream is not null)
            {
                long offset = MessageContext.StreamOffsetOf(properties) ?? -1;
                _epoch!.Delivered(deliveryTag, offset);
                if (offset >= 0 && _stream.AlreadyProcessed(offset))
                {
                    // Before the offset this consume asked for (the broker starts at the start of a chunk): done already.
                    await Channel.BasicAckAsync(deliveryTag, multiple: false, CancellationToken.None).ConfigureAwait(false);
                    _epoch.Completed(deliveryTag);
                    telemetry?.Acked();
                    return;
                }
            }

            if (!TryRead(properties, body.Span, out TMessage? message, out string? problem, out Exception? error))
            {
                // Bad input does not get better by retrying: straight to the error queue.
                await MoveToErrorQueueAsync(delivery, ErrorQueues.UnreadableMessage, problem, attempts: 0, error, telemetry, handlerToken, stoppingToken).ConfigureAwait(false);
                return;
            }

            for (int attempt = 1; ; attempt++)
            {
                var context = new MessageContext(exchange, routingKey, redelivered, _subscription.Queue, properties, attempt);
                try
                {
                    await _consumer.HandleAsync(message, context, handlerToken).ConfigureAwait(false);
                    break;
                }
                catch (OperationCanceledException) when (handlerToken.IsCancellationRequested)
                {
                    // Shutdown outlasted its timeout: give the message back rather than lose or ack it.
                    await GiveBackAsync(deliveryTag, telemetry).ConfigureAwait(false);
                    return;
                }
                catch (Exception ex) when (attempt <= _retry.MaxRetries)
                {
                    TimeSpan delay = _retry.DelayBefore(attempt);
                    Log.HandlerRetrying(_logger, properties.MessageId, _subscription.Queue, attempt, _retry.MaxRetries + 1, delay, ex);
                    telemetry?.Retrying(attempt, delay, ex);
                    if (!await WaitAsync(delay, stoppingToken).ConfigureAwait(false))
                    {
                        // Disposed during the back-off: the message was neither handled nor failed for good, so it goes back.
                        await GiveBackAsync(deliveryTag, telemetry).ConfigureAwait(false);
                        Log.RetryAbandonedForShutdown(_logger, properties.MessageId, _subscription.Queue);
                        return;
                    }

                    if (!Channel.IsOpen)
                    {
                        // The channel closed during the back-off, so the broker already gave the message to another consumer.
                        return;
                    }
                }
                catch (Exception ex)
                {
                    await MoveToErrorQueueAsync(delivery, ex.GetType().FullName ?? ex.GetType().Name, ex.Message, attempt, ex, telemetry, handlerToken, stoppingToken)
                        .ConfigureAwait(false);
                    return;
                }
            }

            await AckBatch.AckAsync(_acks, Channel, deliveryTag).ConfigureAwait(false);

            _epoch?.Completed(deliveryTag);
            telemetry?.Acked();
        }
        catch (AlreadyClosedException)
        {
            // The channel closed under the handler; the broker redelivers the message to another consumer.
        }
        finally
        {
            telemetry?.Stop();
            _subscription.Exit();
        }
    }

    /// <summary>Sends the acks still waiting in the batch: the subscription is about to close the channel.</summary>
    public ValueTask CloseAcksAsync() => _acks?.CloseAsync(send: true) ?? default;

    public override async Task HandleChannelShutdownAsync(object channel, ShutdownEventArgs reason)
    {
        await AckBatch.ChannelClosedAsync(_acks).ConfigureAwait(false);
        await base.HandleChannelShutdownAsync(channel, reason).ConfigureAwait(false);
    }

    /// <summary>
    /// Publishes a copy of the delivery to the error queue and acks the original once the broker confirmed the copy. If the
    /// copy cannot be published, the original goes back to the queue after a pause: never lost, never in a hot loop.
    /// </summary>
    private async Task MoveToErrorQueueAsync(
        Delivery delivery, string exceptionType, string reason, int attempts, Exception? cause, DeliveryTelemetry? telemetry,
        CancellationToken handlerToken, CancellationToken stoppingToken)
    {
        if (!Channel.IsOpen)
        {
            // The consumer channel is gone, so the broker already put the message back; a copy now would be a duplicate.
            return;
        }

        BasicProperties copy = ErrorCopy(delivery, exceptionType, reason, attempts);
        while (true)
        {
            try
            {
                try
                {
                    // Bounded at shutdown by the handler token, which fires when the shutdown timeout runs out.
                    await SendErrorCopyAsync(copy, delivery.Body, handlerToken).ConfigureAwait(false);
                }
                catch (PublishReturnedException)
                {
                    // Someone deleted the error queue after the subscription declared it: declare it again and send once more.
                    await _context.Topology.DeclareErrorQueueAsync(_errorQueue, handlerToken).ConfigureAwait(false);
                    await SendErrorCopyAsync(copy, delivery.Body, handlerToken).ConfigureAwait(false);
                }

                break;
            }
            catch (Exception ex) when (ex is not AlreadyClosedException)
            {
                Log.ErrorQueuePublishFailed(_logger, delivery.Properties.MessageId, _subscription.Queue, _errorQueue, $"{exceptionType}: {reason}", ErrorQueueRetryDelay, ex);
                bool waited = await WaitAsync(ErrorQueueRetryDelay, stoppingToken).ConfigureAwait(false);
                if (_stream is not null && waited && Channel.IsOpen)
                {
                    // A stream cannot take the message back: try the copy again, so the offset never moves past a lost message.
                    continue;
                }

                await GiveBackAsync(delivery.Tag, telemetry).ConfigureAwait(false);
                return;
            }
        }

        await Channel.BasicAckAsync(delivery.Tag, multiple: false, CancellationToken.None).ConfigureAwait(false);
        _epoch?.Completed(delivery.Tag);
        telemetry?.MovedToErrorQueue(_errorQueue, exceptionType, reason, cause);
        if (attempts == 0)
        {
            Log.RejectedUnreadable(_logger, delivery.Properties.MessageId, _subscription.Queue, _message.MessageType, reason, _errorQueue, cause);
        }
        else
        {
            Log.HandlerFailed(_logger, delivery.Properties.MessageId, _subscription.Queue, attempts, _errorQueue, cause!);
        }
    }

    /// <summary>
    /// Sends the copy byte for byte and completes when the broker confirmed it. Mandatory, so a copy that no queue takes
    /// fails with <see cref="PublishReturnedException"/> rather than vanishing (the copy always has a message id, which
    /// the publisher matches returns by). The bus's publisher takes it even while the bus is disposing: subscriptions,
    /// which stop first, still move their last failures.
    /// </summary>
    private ValueTask SendErrorCopyAsync(BasicProperties copy, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        _context.Publisher.PublishAsync(string.Empty, _errorQueue, mandatory: true, copy, body, cancellationToken);

    /// <summary>
    /// The original properties and headers plus the failure headers of <see cref="ErrorQueues"/>. The copy is persistent,
    /// whatever the original was, and never expires: it is kept until someone looks at it. It carries no user id (the
    /// broker checks that against the publishing connection's user) and always a message id (the publisher matches a
    /// return by it).
    /// </summary>
    private BasicProperties ErrorCopy(Delivery delivery, string exceptionType, string reason, int attempts)
    {
        IReadOnlyBasicProperties original = delivery.Properties;
        Dictionary<string, object?> headers = ErrorQueues.FailureHeaders(original.Headers, exceptionType, reason, delivery.Exchange, delivery.RoutingKey, _subscription.Queue, attempts);
        return new BasicProperties(original)
        {
            Headers = headers,
            DeliveryMode = DeliveryModes.Persistent,
            Expiration = null,
            UserId = null,
            MessageId = original.MessageId ?? Guid.NewGuid().ToString(),
        };
    }

    /// <summary>
    /// Returns an unfinished message to its queue. A stream has no requeue: the message is left unacknowledged, so the
    /// stream offset stops before it and the next subscription under the same name reads it again.
    /// </summary>
    private async Task GiveBackAsync(ulong deliveryTag, DeliveryTelemetry? telemetry)
    {
        if (_stream is not null)
        {
            return;
        }

        await Channel.BasicNackAsync(deliveryTag, multiple: false, requeue: true, CancellationToken.None).ConfigureAwait(false);
        telemetry?.Requeued();
    }

    /// <summary>Waits, or returns false as soon as the subscription starts stopping.</summary>
    private static async Task<bool> WaitAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private bool TryRead(IReadOnlyBasicProperties properties, ReadOnlySpan<byte> body, out TMessage message, out string problem, out Exception? error) =>
        DeliveryReader.TryRead(_message, _typeInfo, _json, _maxMessageSize, properties, body, out message, out problem, out error);

    /// <summary>What the error queue copy needs of one delivery; valid only until the delivery handler returns.</summary>
    private readonly record struct Delivery(ulong Tag, string Exchange, string RoutingKey, IReadOnlyBasicProperties Properties, ReadOnlyMemory<byte> Body);
}
