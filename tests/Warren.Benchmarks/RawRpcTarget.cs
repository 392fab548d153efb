using System;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Warren.Benchmarks;

/// <summary>
/// The RPC baseline: a RabbitMQ.Client 7.2.2 client and server written by hand the way RabbitMQ's tutorial six does it,
/// with direct reply-to instead of a declared reply queue, and doing the same work per call as Warren: the same
/// System.Text.Json bodies (the bare argument, the bare result), the same AMQP properties but for Warren's expiration,
/// and the request acked after the reply is published.
/// </summary>
internal sealed class RawRpcTarget(Uri uri) : IRpcTarget
{
    public const string QueueName = "bench.rpc.raw";

    private const string DirectReplyTo = "amq.rabbitmq.reply-to";
    private const string MethodName = "Fib";

    // Warren's serializer defaults, so that both write the same bytes.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ConcurrentDictionary<string, TaskCompletionSource<long>> _pending = new();
    // One channel sends every request: concurrent callers take turns, as Warren's reply channel makes them.
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private IConnection? _connection;
    private IChannel? _clientChannel;
    private IChannel? _serverChannel;

    public string Name => RawClientTarget.DisplayName;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = uri, ClientProvidedName = "raw-rpc-benchmarks" };
        _connection = await factory.CreateConnectionAsync(cancellationToken);
        await StartServerAsync(_connection, cancellationToken);
        await StartClientAsync(_connection, cancellationToken);
    }

    public async Task<long> CallAsync(int n)
    {
        IChannel channel = _clientChannel ?? throw new InvalidOperationException("Not started.");
        string correlationId = Guid.NewGuid().ToString();
        var properties = new BasicProperties
        {
            ContentType = "application/json",
            CorrelationId = correlationId,
            ReplyTo = DirectReplyTo,
            Type = MethodName,
            DeliveryMode = DeliveryModes.Transient,
        };
        var reply = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending.TryAdd(correlationId, reply);
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(n, Json);

        await _sendLock.WaitAsync();
        try
        {
            await channel.BasicPublishAsync(string.Empty, QueueName, mandatory: false, properties, body);
        }
        catch
        {
            _pending.TryRemove(correlationId, out _);
            throw;
        }
        finally
        {
            _sendLock.Release();
        }

        return await reply.Task;
    }

    public async Task DeleteTopologyAsync(BrokerAdmin admin) => await admin.DeleteQueueAsync(QueueName);

    public async ValueTask DisposeAsync()
    {
        foreach (IChannel? channel in new[] { _clientChannel, _serverChannel })
        {
            if (channel is not null)
            {
                await channel.CloseAsync();
                await channel.DisposeAsync();
            }
        }

        if (_connection is not null)
        {
            await _connection.CloseAsync();
            await _connection.DisposeAsync();
        }
    }

    /// <summary>The server's own channel: prefetch P, deserialize, compute, reply to ReplyTo with the CorrelationId, then ack.</summary>
    private async Task StartServerAsync(IConnection connection, CancellationToken cancellationToken)
    {
        IChannel channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        _serverChannel = channel;
        await channel.QueueDeclareAsync(QueueName, durable: false, exclusive: false, autoDelete: false, arguments: null, cancellationToken: cancellationToken);
        await channel.BasicQosAsync(prefetchSize: 0, prefetchCount: RpcHarness.ServerPrefetch, global: false, cancellationToken);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            int n = JsonSerializer.Deserialize<int>(delivery.Body.Span, Json);
            byte[] body = JsonSerializer.SerializeToUtf8Bytes(Fibonacci.Compute(n), Json);
            var properties = new BasicProperties { ContentType = "application/json", CorrelationId = delivery.BasicProperties.CorrelationId };
            await channel.BasicPublishAsync(string.Empty, delivery.BasicProperties.ReplyTo!, mandatory: false, properties, body);
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
        };
        await channel.BasicConsumeAsync(QueueName, autoAck: false, consumer, cancellationToken);
    }

    /// <summary>The client's channel consumes direct reply-to (auto-ack, before the first request) and sends the requests.</summary>
    private async Task StartClientAsync(IConnection connection, CancellationToken cancellationToken)
    {
        IChannel channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        _clientChannel = channel;
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            if (delivery.BasicProperties.CorrelationId is { } correlationId && _pending.TryRemove(correlationId, out TaskCompletionSource<long>? reply))
            {
                reply.TrySetResult(JsonSerializer.Deserialize<long>(delivery.Body.Span, Json));
            }

            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(DirectReplyTo, autoAck: true, consumer, cancellationToken);
    }
}
