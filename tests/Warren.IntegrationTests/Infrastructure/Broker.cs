using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;

namespace Warren.IntegrationTests.Infrastructure;

/// <summary>
/// The shared test broker: <c>WARREN_AMQP_URI</c>, else the local one the test script starts. A missing broker fails
/// the test that needs it; nothing is skipped.
/// </summary>
public static class Broker
{
    public static Uri Uri { get; } = new(Environment.GetEnvironmentVariable("WARREN_AMQP_URI") is { Length: > 0 } uri ? uri : BusOptions.DefaultUri);

    public static BusOptions Options(string clientName, Action<BusOptions>? configure = null)
    {
        var options = new BusOptions { Uri = Uri, ClientName = clientName, ShutdownTimeout = TimeSpan.FromSeconds(5) };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>Connects a bus, failing (not hanging) within 20 s when no broker answers.</summary>
    public static async Task<Bus> ConnectAsync(string clientName, Action<BusOptions>? configure = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            return await Bus.ConnectAsync(Options(clientName, configure), timeout.Token);
        }
        catch (OperationCanceledException ex)
        {
            throw new InvalidOperationException($"No RabbitMQ broker answered at {BusOptions.Redact(Uri)} within 20 s; start one (scripts/broker.sh) or set WARREN_AMQP_URI.", ex);
        }
    }

    /// <summary>A plain RabbitMQ.Client connection for what the test does by hand: raw publishes, inspection, clean-up.</summary>
    public static async Task<RawBroker> RawAsync() => new(await new ConnectionFactory { Uri = Uri, ClientProvidedName = "warren-tests-raw" }.CreateConnectionAsync());

    /// <summary>Runs <c>rabbitmqctl</c> against the shared node and returns its output; throws when it fails.</summary>
    public static string Ctl(params string[] arguments) => Process.Run("rabbitmqctl", arguments);

    /// <summary>
    /// A virtual host of the test's own on the shared node, for tests that declare everything the assembly knows:
    /// deleting it at dispose removes every queue and exchange they made, without touching other tests' names.
    /// </summary>
    public static TemporaryVirtualHost TemporaryVirtualHost(string purpose)
    {
        string name = $"warren-test-{purpose}-{Guid.NewGuid():N}";
        Ctl("add_vhost", name);
        Ctl("set_permissions", "-p", name, Uri.UserInfo.Split(':')[0], ".*", ".*", ".*");
        return new TemporaryVirtualHost(name, new Uri(Uri, "/" + Uri.EscapeDataString(name)));
    }
}

/// <summary>A virtual host deleted, with all it holds, at dispose.</summary>
public sealed class TemporaryVirtualHost(string name, Uri uri) : IDisposable
{
    public string Name { get; } = name;

    public Uri Uri { get; } = uri;

    public async Task<RawBroker> RawAsync() => new(await new ConnectionFactory { Uri = Uri, ClientProvidedName = "warren-tests-raw" }.CreateConnectionAsync());

    public void Dispose() => Broker.Ctl("delete_vhost", Name);
}

/// <summary>A hand-driven connection with clean-up of everything the test names.</summary>
public sealed class RawBroker : IAsyncDisposable
{
    private readonly List<string> _queues = [];
    private readonly List<string> _exchanges = [];

    public RawBroker(IConnection connection) => Connection = connection;

    public IConnection Connection { get; }

    /// <summary>Deletes these now (leftovers of an aborted run) and again at dispose.</summary>
    public async Task CleanAsync(IEnumerable<string>? queues = null, IEnumerable<string>? exchanges = null)
    {
        _queues.AddRange(queues ?? []);
        _exchanges.AddRange(exchanges ?? []);
        await DeleteAllAsync();
    }

    public async Task<uint> MessageCountAsync(string queue)
    {
        await using IChannel channel = await Connection.CreateChannelAsync();
        return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
    }

    public async Task<bool> QueueExistsAsync(string queue)
    {
        await using IChannel channel = await Connection.CreateChannelAsync();
        try
        {
            await channel.QueueDeclarePassiveAsync(queue);
            return true;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return false;
        }
    }

    public async Task PublishAsync(string exchange, string routingKey, byte[] body, BasicProperties? properties = null)
    {
        await using IChannel channel = await Connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        await channel.BasicPublishAsync(exchange, routingKey, mandatory: false, properties ?? new BasicProperties(), body);
    }

    /// <summary>Gets one message with basic.get, or null when the queue is empty.</summary>
    public async Task<BasicGetResult?> GetAsync(string queue)
    {
        await using IChannel channel = await Connection.CreateChannelAsync();
        return await channel.BasicGetAsync(queue, autoAck: true);
    }

    private async Task DeleteAllAsync()
    {
        // Every subscription declares an error queue: <queue>.error, or <exchange>.error for a server-named queue.
        foreach (string queue in _queues.Concat(_queues.Concat(_exchanges).Select(ErrorQueues.NameFor)).Distinct())
        {
            await using IChannel channel = await Connection.CreateChannelAsync();
            await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false);
        }

        foreach (string exchange in _exchanges)
        {
            await using IChannel channel = await Connection.CreateChannelAsync();
            await channel.ExchangeDeleteAsync(exchange, ifUnused: false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DeleteAllAsync();
        await Connection.CloseAsync();
        Connection.Dispose();
    }
}
