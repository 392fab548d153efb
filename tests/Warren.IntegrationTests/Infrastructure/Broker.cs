using System;
using System.Collections.Generic;
using System.Diagnostics;
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
        foreach (string queue in _queues)
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

public static class Process
{
    public static string Run(string file, params string[] arguments) => Run(file, arguments, TimeSpan.FromSeconds(60));

    public static string Run(string file, string[] arguments, TimeSpan timeout, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (KeyValuePair<string, string> variable in environment ?? new Dictionary<string, string>())
        {
            info.Environment[variable.Key] = variable.Value;
        }

        using System.Diagnostics.Process process = System.Diagnostics.Process.Start(info)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish within {timeout}.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {error.Result}{output.Result}");
        }

        return output.Result;
    }
}
