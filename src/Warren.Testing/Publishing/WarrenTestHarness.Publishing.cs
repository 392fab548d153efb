using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;
using Warren.Internal;
using Warren.Runtime;

namespace Warren.Testing;

public sealed partial class WarrenTestHarness
{
    /// <summary>The reply code and text of a mandatory message no queue took, as the broker returns it.</summary>
    private const ushort NoRoute = 312;

    /// <summary>
    /// Publishes as the bus does: the routing key from the generated template, the generated headers, the bus's properties,
    /// the body serialized through the generated descriptor. The message's exchange (or queue) is declared first. A
    /// message no queue takes is dropped, unless its type is <see cref="RoutingAttribute.Mandatory"/>: then
    /// <see cref="PublishReturnedException"/>, as the broker's return makes the bus throw.
    /// </summary>
    public ValueTask PublishAsync<TMessage>(TMessage message, string? routingKey = null, CancellationToken cancellationToken = default)
    {
        MessageDescriptor<TMessage> descriptor = Prepare(message);
        Publish(descriptor, message, routingKey ?? descriptor.GetRoutingKey(message), options: null);
        return ValueTask.CompletedTask;
    }

    /// <summary>Publishes with properties and headers of its own, as <see cref="Bus.PublishAsync{TMessage}(TMessage, PublishOptions, CancellationToken)"/> does.</summary>
    public ValueTask PublishAsync<TMessage>(TMessage message, PublishOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        MessageDescriptor<TMessage> descriptor = Prepare(message);
        PublishProperties.Validate(options);
        Publish(descriptor, message, options.RoutingKey ?? descriptor.GetRoutingKey(message), options);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Publishes raw bytes, as another client (or a broken one) would: to test what consumers do with a body or type they
    /// cannot read. Returns the queues it reached. Not recorded by <see cref="Published{TMessage}"/>.
    /// </summary>
    /// <param name="exchange">The exchange; empty for the default exchange (the routing key names the queue).</param>
    /// <param name="routingKey">The routing key.</param>
    /// <param name="body">The body.</param>
    /// <param name="properties">The properties; none when null.</param>
    public IReadOnlyList<string> PublishRaw(string exchange, string routingKey, ReadOnlyMemory<byte> body, BasicProperties? properties = null)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        ArgumentNullException.ThrowIfNull(routingKey);
        ThrowIfDisposed();
        return _core.Broker.Publish(new Envelope(exchange, routingKey, properties ?? new BasicProperties(), body.ToArray()));
    }

    private MessageDescriptor<TMessage> Prepare<TMessage>(TMessage message)
    {
        if (message is null)
        {
            throw new ArgumentNullException(nameof(message));
        }

        ThrowIfDisposed();
        return WarrenRegistry.Message<TMessage>();
    }

    private void Publish<TMessage>(MessageDescriptor<TMessage> descriptor, TMessage message, string routingKey, PublishOptions? options)
    {
        if (Encoding.UTF8.GetByteCount(routingKey) > MessageLimitException.MaxRoutingKeyBytes)
        {
            throw MessageLimitException.RoutingKeyTooLong(descriptor.MessageType, Encoding.UTF8.GetByteCount(routingKey));
        }

        BasicProperties properties = PublishProperties.For(descriptor, message, options, MessageFlow.Current);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            descriptor.Serialize(writer, message, _core.Json);
        }

        if (buffer.WrittenCount > Options.MaxMessageSize)
        {
            throw MessageLimitException.BodyTooLarge(descriptor.MessageType, $"message {descriptor.MessageType}", buffer.WrittenCount, Options.MaxMessageSize);
        }

        // What a consumer would read: the bytes, deserialized again; a message that cannot make the trip fails here.
        byte[] body = buffer.WrittenSpan.ToArray();
        TMessage sent = descriptor.Deserialize(body, _core.Json) ?? throw new JsonException($"{descriptor.MessageType} serialized as JSON null.");
        _core.DeclareFor(descriptor);
        var envelope = new Envelope(descriptor.Exchange, routingKey, properties, body);
        IReadOnlyList<string> queues = _core.Broker.Publish(envelope);
        _core.Record(new PublishedMessage<TMessage>(sent, envelope, queues));
        if (queues.Count == 0 && descriptor.Mandatory)
        {
            throw new PublishReturnedException(descriptor.Exchange, routingKey, NoRoute, "NO_ROUTE");
        }
    }
}
