using System;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Warren.Runtime;

namespace Warren.Internal;

/// <summary>
/// The consume loop of one subscription: reads each delivery as <typeparamref name="TMessage"/>, calls the handler,
/// acks after success and rejects (without requeue, so there is no hot redelivery loop) what cannot be read or fails.
/// </summary>
internal sealed class ConsumerPump<TMessage> : AsyncDefaultBasicConsumer
{
    private readonly MessageDescriptor<TMessage> _message;
    private readonly IConsumer<TMessage> _consumer;
    private readonly Subscription _subscription;
    private readonly JsonTypeInfo<TMessage> _typeInfo;
    private readonly ILogger _logger;

    public ConsumerPump(IChannel channel, MessageDescriptor<TMessage> message, IConsumer<TMessage> consumer, Subscription subscription, JsonSerializerOptions json, ILogger logger)
        : base(channel)
    {
        _message = message;
        _consumer = consumer;
        _subscription = subscription;
        _typeInfo = message.GetTypeInfo(json);
        _logger = logger;
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

        try
        {
            if (!TryRead(properties, body.Span, out TMessage? message, out string? problem, out Exception? error))
            {
                Log.RejectedUnreadable(_logger, properties.MessageId, _subscription.Queue, _message.MessageType, problem, error);
                await Channel.BasicRejectAsync(deliveryTag, requeue: false, CancellationToken.None).ConfigureAwait(false);
                return;
            }

            var context = new MessageContext(exchange, routingKey, redelivered, _subscription.Queue, properties);
            try
            {
                await _consumer.HandleAsync(message, context, _subscription.HandlerToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_subscription.HandlerToken.IsCancellationRequested)
            {
                // Shutdown outlasted its timeout: give the message back rather than lose or ack it.
                await Channel.BasicNackAsync(deliveryTag, multiple: false, requeue: true, CancellationToken.None).ConfigureAwait(false);
                return;
            }
            catch (Exception ex)
            {
                Log.HandlerFailed(_logger, properties.MessageId, _subscription.Queue, ex);
                await Channel.BasicRejectAsync(deliveryTag, requeue: false, CancellationToken.None).ConfigureAwait(false);
                return;
            }

            await Channel.BasicAckAsync(deliveryTag, multiple: false, CancellationToken.None).ConfigureAwait(false);
        }
        catch (AlreadyClosedException)
        {
            // The channel closed under the handler; the broker redelivers the message to another consumer.
        }
        finally
        {
            _subscription.Exit();
        }
    }

    private bool TryRead(IReadOnlyBasicProperties properties, ReadOnlySpan<byte> body, out TMessage message, out string problem, out Exception? error)
    {
        message = default!;
        error = null;
        if (properties.ContentType is { Length: > 0 } contentType && !IsJson(contentType))
        {
            problem = $"content type '{contentType}' is not JSON";
            return false;
        }

        if (properties.Type is { Length: > 0 } type && !string.Equals(type, _message.MessageType, StringComparison.Ordinal))
        {
            problem = $"its type is '{type}'";
            return false;
        }

        if (body.IsEmpty)
        {
            problem = "the body is empty";
            return false;
        }

        try
        {
            TMessage? value = JsonSerializer.Deserialize(body, _typeInfo);
            if (value is null)
            {
                problem = "the body is JSON null";
                return false;
            }

            message = value;
            problem = string.Empty;
            return true;
        }
        catch (JsonException ex)
        {
            problem = ex.Message;
            error = ex;
            return false;
        }
        catch (NotSupportedException ex)
        {
            problem = ex.Message;
            error = ex;
            return false;
        }
    }

    private static bool IsJson(string contentType)
    {
        ReadOnlySpan<char> mediaType = contentType.AsSpan();
        int parameters = mediaType.IndexOf(';');
        if (parameters >= 0)
        {
            mediaType = mediaType[..parameters];
        }

        mediaType = mediaType.Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("text/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }
}
