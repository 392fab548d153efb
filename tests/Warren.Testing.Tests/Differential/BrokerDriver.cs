using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Warren.Testing.Tests.Differential;

/// <summary>
/// Runs a scenario on a real <see cref="Warren.Bus"/> against the broker, in the suite's own virtual host; names of its
/// own, and every queue it used deleted afterwards.
/// </summary>
public sealed class BrokerDriver : ScenarioDriver
{
    /// <summary>How long the broker may take to show what the harness showed.</summary>
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(15);

    /// <summary>How long the broker is watched after it matched, so that extra deliveries show up too.</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);

    /// <summary>Queues of fixed names the scenarios' contracts use.</summary>
    private static readonly string[] FixedQueues = ["diff.work", "diff.rpc.calc", "harness.measured"];

    private readonly Bus _bus;
    private readonly IConnection _raw;

    private BrokerDriver(string prefix, Bus bus, IConnection raw)
        : base(prefix)
    {
        _bus = bus;
        _raw = raw;
    }

    protected override IBus Bus => _bus;

    public static async Task<BrokerDriver> ConnectAsync(Uri virtualHost, string prefix)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Bus bus = await Warren.Bus.ConnectAsync(new BusOptions { Uri = virtualHost, ClientName = "warren-diff", ShutdownTimeout = TimeSpan.FromSeconds(5) }, timeout.Token);
        IConnection raw = await new ConnectionFactory { Uri = virtualHost, ClientProvidedName = "warren-diff-raw" }.CreateConnectionAsync(timeout.Token);
        return new BrokerDriver(prefix, bus, raw);
    }

    public override async Task PublishRawAsync(string exchange, string routingKey, byte[] body, BasicProperties properties)
    {
        await using IChannel channel = await _raw.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await channel.BasicPublishAsync(exchange, routingKey, mandatory: false, properties, body);
    }

    public override async Task SettleAsync(Outcome? expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < SettleTimeout && !await LooksLikeAsync(expected))
        {
            await Task.Delay(25);
        }

        await Task.Delay(Quiet);
    }

    /// <summary>The events match and every error queue holds as many copies as expected.</summary>
    private async Task<bool> LooksLikeAsync(Outcome expected)
    {
        if (!EventsNow().SequenceEqual(expected.Events, StringComparer.Ordinal))
        {
            return false;
        }

        foreach (string queue in ErrorQueues)
        {
            expected.ErrorCounts.TryGetValue(Logical(queue), out int count);
            if (await CountAsync(queue) != count)
            {
                return false;
            }
        }

        return true;
    }

    private async Task<uint> CountAsync(string queue)
    {
        await using IChannel channel = await _raw.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (OperationInterruptedException)
        {
            // Not declared yet: a server-named queue's error queue appears with its first failure.
            return 0;
        }
    }

    protected override async Task<IReadOnlyList<(IDictionary<string, object?>? Headers, ReadOnlyMemory<byte> Body)>> ReadErrorQueueAsync(string queue)
    {
        var copies = new List<(IDictionary<string, object?>?, ReadOnlyMemory<byte>)>();
        await using IChannel channel = await _raw.CreateChannelAsync();
        try
        {
            while (await channel.BasicGetAsync(queue, autoAck: true) is { } message)
            {
                copies.Add((message.BasicProperties.Headers, message.Body.ToArray()));
            }
        }
        catch (OperationInterruptedException)
        {
            // No such queue: nothing failed there.
        }

        return copies;
    }

    public override async ValueTask DisposeAsync()
    {
        await _bus.DisposeAsync();
        foreach (string queue in Named.Concat(ErrorQueues).Concat(FixedQueues).Distinct(StringComparer.Ordinal))
        {
            await using IChannel channel = await _raw.CreateChannelAsync();
            try
            {
                await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false);
            }
            catch (OperationInterruptedException)
            {
                // Already gone.
            }
        }

        await _raw.CloseAsync();
        _raw.Dispose();
    }
}
