using System;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Warren.Benchmarks;

/// <summary>
/// The baseline: RabbitMQ.Client 7.2.2 written by hand the way the client's PublisherConfirms sample does it,
/// doing the same work per message as Warren (System.Text.Json body, the same AMQP properties, ack per message).
/// </summary>
internal sealed class RawClientTarget(Uri uri) : IBenchTarget
{
    public const string DisplayName = "RabbitMQ.Client (hand-written)";

    public const string QueueName = "bench.raw";

    // Warren's serializer defaults, so that both write the same bytes.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly string MessageTypeName = typeof(BenchMessage).FullName!;

    private IConnection? _connection;
    private IChannel? _publishChannel;

    public string Name => DisplayName;

    public string Queue => QueueName;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = uri, ClientProvidedName = "raw-benchmarks" };
        _connection = await factory.CreateConnectionAsync(cancellationToken);
        _publishChannel = await _connection.CreateChannelAsync(
            new CreateChannelOptions(
                publisherConfirmationsEnabled: true,
                publisherConfirmationTrackingEnabled: true,
                // throttlingPercentage 0: without it the client delays each publish once half of the permits are taken.
                outstandingPublisherConfirmationsRateLimiter: new ThrottlingRateLimiter(Harness.PublishWindow, throttlingPercentage: 0)),
            cancellationToken);
        await _publishChannel.QueueDeclareAsync(QueueName, durable: true, exclusive: false, autoDelete: false, arguments: null, cancellationToken: cancellationToken);
    }

    public ValueTask PublishAsync(BenchMessage message)
    {
        IChannel channel = _publishChannel ?? throw new InvalidOperationException("Not started.");
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(message, Json);
        var properties = new BasicProperties
        {
            ContentType = "application/json",
            DeliveryMode = DeliveryModes.Persistent,
            MessageId = Guid.NewGuid().ToString(),
            Timestamp = new AmqpTimestamp(DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
            Type = MessageTypeName,
        };

        // With confirmation tracking on, this completes when the broker confirms the message.
        return channel.BasicPublishAsync(string.Empty, QueueName, mandatory: false, properties, body);
    }

    public async Task<IAsyncDisposable> SubscribeAsync(ReceiveCounter counter, CancellationToken cancellationToken)
    {
        IConnection connection = _connection ?? throw new InvalidOperationException("Not started.");
        IChannel channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await channel.BasicQosAsync(prefetchSize: 0, prefetchCount: Harness.Prefetch, global: false, cancellationToken);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            BenchMessage message = JsonSerializer.Deserialize<BenchMessage>(delivery.Body.Span, Json)
                ?? throw new JsonException("The body is JSON null.");
            counter.Record(message);
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
        };
        string consumerTag = await channel.BasicConsumeAsync(QueueName, autoAck: false, consumer, cancellationToken);
        return new Consumer(channel, consumerTag);
    }

    public async Task DeleteTopologyAsync(BrokerAdmin admin) => await admin.DeleteQueueAsync(QueueName);

    public async ValueTask DisposeAsync()
    {
        if (_publishChannel is not null)
        {
            await _publishChannel.CloseAsync();
            await _publishChannel.DisposeAsync();
        }

        if (_connection is not null)
        {
            await _connection.CloseAsync();
            await _connection.DisposeAsync();
        }
    }

    private sealed class Consumer(IChannel channel, string consumerTag) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await channel.BasicCancelAsync(consumerTag);
            await channel.CloseAsync();
            await channel.DisposeAsync();
        }
    }
}
