using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;
using Warren.Internal;
using Warren.Runtime;

namespace Warren;

public sealed partial class Bus
{
    private readonly ConfirmingPublisher _publisher;
    private readonly JsonWriterPool _writers;

    /// <summary>
    /// Publishes a message and completes when the broker has confirmed it. The exchange (or queue) is declared on the
    /// first publish of each type on this connection. Inside a handler, the message carries the handled message's
    /// correlation id and names it as its cause (<see cref="MessageHeaders.CausationId"/>).
    /// </summary>
    /// <param name="message">The message; its type carries a routing attribute.</param>
    /// <param name="routingKey">Overrides the routing key computed from the type's template.</param>
    /// <param name="cancellationToken">Cancels waiting for the declaration, a channel or the confirmation.</param>
    public ValueTask PublishAsync<TMessage>(TMessage message, string? routingKey = null, CancellationToken cancellationToken = default)
    {
        MessageDescriptor<TMessage> descriptor = Prepare(message);
        string key = CheckRoutingKey(descriptor, routingKey ?? descriptor.GetRoutingKey(message));
        return PublishCoreAsync(descriptor, message, key, options: null, _topology.EnsureDeclaredAsync(descriptor), cancellationToken);
    }

    /// <summary>
    /// Publishes a message with properties and headers of its own (<see cref="PublishOptions"/>) and completes when the
    /// broker has confirmed it. What the options leave unset gets the defaults of <see cref="PublishAsync{TMessage}(TMessage, string?, CancellationToken)"/>.
    /// </summary>
    /// <param name="message">The message; its type carries a routing attribute.</param>
    /// <param name="options">The message id, correlation id, expiration, priority, headers or routing key of this publish.</param>
    /// <param name="cancellationToken">Cancels waiting for the declaration, a channel or the confirmation.</param>
    /// <exception cref="ArgumentException">An option is out of range, or a header has a value AMQP cannot carry.</exception>
    public ValueTask PublishAsync<TMessage>(TMessage message, PublishOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        MessageDescriptor<TMessage> descriptor = Prepare(message);
        PublishProperties.Validate(options);
        string key = CheckRoutingKey(descriptor, options.RoutingKey ?? descriptor.GetRoutingKey(message));
        return PublishCoreAsync(descriptor, message, key, options, _topology.EnsureDeclaredAsync(descriptor), cancellationToken);
    }

    private MessageDescriptor<TMessage> Prepare<TMessage>(TMessage message)
    {
        if (message is null)
        {
            // Not ArgumentNullException.ThrowIfNull: that boxes struct messages on every publish.
            throw new ArgumentNullException(nameof(message));
        }

        ThrowIfDisposed();
        return WarrenRegistry.Message<TMessage>();
    }

    private static string CheckRoutingKey(MessageDescriptor descriptor, string key)
    {
        // Counted only when it could be too long: a UTF-8 character takes at most 3 bytes.
        if (key.Length > MessageLimitException.MaxRoutingKeyBytes / 3 && Encoding.UTF8.GetByteCount(key) > MessageLimitException.MaxRoutingKeyBytes)
        {
            throw MessageLimitException.RoutingKeyTooLong(descriptor.MessageType, Encoding.UTF8.GetByteCount(key));
        }

        return key;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask PublishCoreAsync<TMessage>(
        MessageDescriptor<TMessage> descriptor, TMessage message, string routingKey, PublishOptions? options, Task declared, CancellationToken cancellationToken)
    {
        // The span (when someone listens) covers the declaration wait and the confirm, and is the context the message carries.
        PublishTelemetry? telemetry = PublishTelemetry.Start(descriptor.Exchange, routingKey, descriptor.MessageType);
        try
        {
            long deadline = 0;
            if (!declared.IsCompletedSuccessfully)
            {
                deadline = _publisher.Deadline();
                await DeclareForPublishAsync(descriptor, routingKey, declared, deadline, cancellationToken).ConfigureAwait(false);
            }

            BasicProperties properties = PublishProperties.For(descriptor, message, options, MessageFlow.Current);
            PooledJsonWriter body = _writers.Rent();
            try
            {
                descriptor.Serialize(body.Writer, message, _json);
                if (body.WrittenMemory.Length > Options.MaxMessageSize)
                {
                    throw MessageLimitException.BodyTooLarge(descriptor.MessageType, $"message {descriptor.MessageType}", body.WrittenMemory.Length, Options.MaxMessageSize);
                }

                telemetry?.Sending(properties, body.WrittenMemory.Length);
                TraceContext.InjectCurrent(properties);

                try
                {
                    await _publisher.PublishAsync(descriptor.Exchange, routingKey, descriptor.Mandatory, properties, body.WrittenMemory, cancellationToken, deadline).ConfigureAwait(false);
                }
                catch (Exception ex) when (IsMissingDestination(ex, descriptor))
                {
                    // The exchange or queue was deleted after this connection declared it, so the broker took nothing: declare it
                    // again and publish once more. Only a miss naming this message's own destination is retried, so this cannot duplicate.
                    _topology.Forget(descriptor);
                    deadline = deadline == 0 ? _publisher.Deadline() : deadline;
                    await DeclareForPublishAsync(descriptor, routingKey, _topology.EnsureDeclaredAsync(descriptor), deadline, cancellationToken).ConfigureAwait(false);
                    await _publisher.PublishAsync(descriptor.Exchange, routingKey, descriptor.Mandatory, properties, body.WrittenMemory, cancellationToken, deadline).ConfigureAwait(false);
                }
            }
            finally
            {
                // The client copies the body into its frame before the publish completes or fails, so the buffer is free again.
                _writers.Return(body);
            }
        }
        catch (Exception ex) when (telemetry is not null)
        {
            telemetry.Stop(ex);
            throw;
        }

        telemetry?.Stop(error: null);
    }

    /// <summary>
    /// Waits for the declaration a publish needs; when a connection loss interrupted it, waits for the connection to come
    /// back and declares again, until the publish's deadline.
    /// </summary>
    private async Task DeclareForPublishAsync(MessageDescriptor descriptor, string routingKey, Task declared, long deadline, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await declared.WaitAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (Errors.IsConnectionFault(ex))
            {
                await _publisher.WaitForConnectionAsync(descriptor.Exchange, routingKey, deadline, cancellationToken).ConfigureAwait(false);
                // A short pause, in case the connection only looks open while it goes down.
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
                declared = _topology.EnsureDeclaredAsync(descriptor);
            }
        }
    }

    private static bool IsMissingDestination(Exception exception, MessageDescriptor descriptor) => exception switch
    {
        PublishReturnedException returned => descriptor.Kind == ExchangeKind.Queue && returned.ReplyCode == Constants.NoRoute
            && returned.RoutingKey == descriptor.Name,
        PublishInterruptedException interrupted => descriptor.Kind != ExchangeKind.Queue && interrupted.ReplyCode == Constants.NotFound
            && Errors.NamesExchange(interrupted.ReplyText, descriptor.Exchange),
        _ => false,
    };
}
