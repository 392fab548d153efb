using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Warren.Reliability;

/// <summary>A message taken from a queue by hand, copied out of the client's buffers.</summary>
public sealed record RawMessage(byte[] Body, IReadOnlyBasicProperties Properties, bool Redelivered, string Exchange, string RoutingKey)
{
    /// <summary>A header's value as a string (AMQP long strings arrive as UTF-8 bytes), or null when absent.</summary>
    public string? Header(string name) =>
        Properties.Headers is { } headers && headers.TryGetValue(name, out object? value)
            ? value switch
            {
                null => null,
                byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes),
                _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
            }
            : null;
}

/// <summary>
/// A plain RabbitMQ.Client connection to the private node for what the suite does by hand, outside Warren: emptying and
/// deleting queues, counting and draining them, and publishing the foreign messages of the bad-input scenarios.
/// </summary>
public sealed class RawNode : IAsyncDisposable
{
    private readonly IConnection _connection;

    private RawNode(IConnection connection) => _connection = connection;

    /// <summary>Connects without automatic recovery: every use is short and happens while the node is up.</summary>
    public static async Task<RawNode> ConnectAsync(Uri uri, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = uri, ClientProvidedName = "reliability-raw", AutomaticRecoveryEnabled = false };
        return new RawNode(await factory.CreateConnectionAsync(cancellationToken));
    }

    /// <summary>Deletes the queues (a missing queue is fine).</summary>
    public async Task DeleteQueuesAsync(IEnumerable<string> queues, CancellationToken cancellationToken)
    {
        await using IChannel channel = await _connection.CreateChannelAsync(cancellationToken: cancellationToken);
        foreach (string queue in queues)
        {
            await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false, cancellationToken: cancellationToken);
        }
    }

    /// <summary>Messages ready in the queue, or null when the queue does not exist.</summary>
    public async Task<uint?> ReadyCountAsync(string queue, CancellationToken cancellationToken)
    {
        await using IChannel channel = await _connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue, cancellationToken)).MessageCount;
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == Constants.NotFound)
        {
            return null;
        }
    }

    /// <summary>Takes every message in the queue (acknowledging it); none when the queue does not exist.</summary>
    public async Task<List<RawMessage>> DrainAsync(string queue, CancellationToken cancellationToken)
    {
        var messages = new List<RawMessage>();
        if (await ReadyCountAsync(queue, cancellationToken) is null)
        {
            return messages;
        }

        await using IChannel channel = await _connection.CreateChannelAsync(cancellationToken: cancellationToken);
        while (await channel.BasicGetAsync(queue, autoAck: true, cancellationToken) is { } message)
        {
            messages.Add(new RawMessage(message.Body.ToArray(), message.BasicProperties, message.Redelivered, message.Exchange, message.RoutingKey));
        }

        return messages;
    }

    /// <summary>Publishes as a foreign program would, with publisher confirms, and waits for the confirm.</summary>
    public async Task PublishAsync(string exchange, string routingKey, BasicProperties properties, byte[] body, CancellationToken cancellationToken)
    {
        await using IChannel channel = await _connection.CreateChannelAsync(new CreateChannelOptions(true, true), cancellationToken);
        await channel.BasicPublishAsync(exchange, routingKey, mandatory: false, properties, body, cancellationToken);
    }

    /// <summary>Closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _connection.CloseAsync();
        }
        catch (Exception ex) when (ex is AlreadyClosedException or OperationCanceledException or System.IO.IOException)
        {
            // The node went away first; nothing left to close.
        }

        _connection.Dispose();
    }
}
