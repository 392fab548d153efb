using System;
using System.Threading;
using System.Threading.Tasks;

namespace Warren.Benchmarks;

/// <summary>Warren, used the way its README shows: the bus publishes the attributed record, a lambda consumes it.</summary>
internal sealed class WarrenTarget(Uri uri) : IBenchTarget
{
    public const string DisplayName = "Warren";

    public const string QueueName = "bench.warren";

    private Bus? _bus;

    public string Name => DisplayName;

    public string Queue => QueueName;

    private Bus Bus => _bus ?? throw new InvalidOperationException("Not started.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _bus = await Bus.ConnectAsync(
            new BusOptions { Uri = uri, ClientName = "warren-benchmarks", MaxOutstandingConfirms = Harness.PublishWindow },
            cancellationToken);
        await _bus.DeclareTopologyAsync(cancellationToken);
    }

    public ValueTask PublishAsync(BenchMessage message) => Bus.PublishAsync(message);

    public async Task<IAsyncDisposable> SubscribeAsync(ReceiveCounter counter, CancellationToken cancellationToken) =>
        await Bus.SubscribeAsync<BenchMessage>(
            (message, _, _) =>
            {
                counter.Record(message);
                return ValueTask.CompletedTask;
            },
            new SubscribeOptions { Prefetch = Harness.Prefetch },
            cancellationToken);

    public async Task DeleteTopologyAsync(BrokerAdmin admin)
    {
        await admin.DeleteQueueAsync(QueueName);
        // Every subscription to a named queue declares its error queue too.
        await admin.DeleteQueueAsync(ErrorQueues.NameFor(QueueName));
        // DeclareTopologyAsync declares every RPC service queue the loaded code knows as well.
        await admin.DeleteQueueAsync(WarrenRpcTarget.QueueName);
    }

    public async ValueTask DisposeAsync()
    {
        if (_bus is not null)
        {
            await _bus.DisposeAsync();
        }
    }
}
