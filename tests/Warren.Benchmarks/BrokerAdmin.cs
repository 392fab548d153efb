using System;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Warren.Benchmarks;

/// <summary>The harness's own connection, for purging and deleting between measurements; never used while timing.</summary>
internal sealed class BrokerAdmin : IAsyncDisposable
{
    private readonly IConnection _connection;
    private IChannel _channel;

    private BrokerAdmin(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    /// <summary>The broker's product and version, as it announced them on connect.</summary>
    public string BrokerVersion
    {
        get
        {
            string product = ServerProperty("product") ?? "broker";
            string version = ServerProperty("version") ?? "unknown version";
            return $"{product} {version}";
        }
    }

    public static async Task<BrokerAdmin> ConnectAsync(Uri uri, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory { Uri = uri, ClientProvidedName = "warren-benchmarks-admin" };
        IConnection connection = await factory.CreateConnectionAsync(cancellationToken);
        IChannel channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        return new BrokerAdmin(connection, channel);
    }

    public async Task PurgeAsync(string queue)
    {
        try
        {
            await _channel.QueuePurgeAsync(queue);
        }
        catch (OperationInterruptedException)
        {
            // The queue does not exist yet (the broker closed the channel): nothing to purge.
            await ReopenAsync();
        }
    }

    /// <summary>The messages ready in <paramref name="queue"/>, by a passive declare.</summary>
    public async Task<uint> MessageCountAsync(string queue) => (await _channel.QueueDeclarePassiveAsync(queue)).MessageCount;

    public async Task DeleteQueueAsync(string queue)
    {
        await _channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false);
    }

    public async Task DeleteExchangeAsync(string exchange)
    {
        await _channel.ExchangeDeleteAsync(exchange, ifUnused: false);
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.CloseAsync();
        await _channel.DisposeAsync();
        await _connection.CloseAsync();
        await _connection.DisposeAsync();
    }

    private async Task ReopenAsync()
    {
        await _channel.DisposeAsync();
        _channel = await _connection.CreateChannelAsync();
    }

    private string? ServerProperty(string name) =>
        _connection.ServerProperties is { } properties && properties.TryGetValue(name, out object? value)
            ? value switch
            {
                byte[] bytes => Encoding.UTF8.GetString(bytes),
                string text => text,
                _ => value?.ToString(),
            }
            : null;
}
