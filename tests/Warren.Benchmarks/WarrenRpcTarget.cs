using System;
using System.Threading;
using System.Threading.Tasks;

namespace Warren.Benchmarks;

/// <summary>Warren's RPC as its README shows it: a served implementation and the generated client proxy (direct reply-to).</summary>
internal sealed class WarrenRpcTarget(Uri uri) : IRpcTarget
{
    public const string QueueName = "bench.rpc.warren";

    private Bus? _bus;
    private Subscription? _server;
    private IBenchFibonacci? _client;

    public string Name => WarrenTarget.DisplayName;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _bus = await Bus.ConnectAsync(new BusOptions { Uri = uri, ClientName = "warren-rpc-benchmarks" }, cancellationToken);
        _server = await _bus.ServeAsync<IBenchFibonacci>(new BenchFibonacci(), new ServeOptions { Prefetch = RpcHarness.ServerPrefetch }, cancellationToken);
        _client = _bus.CreateClient<IBenchFibonacci>();
    }

    public Task<long> CallAsync(int n) => (_client ?? throw new InvalidOperationException("Not started.")).FibAsync(n);

    public async Task DeleteTopologyAsync(BrokerAdmin admin) => await admin.DeleteQueueAsync(QueueName);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_bus is not null)
        {
            await _bus.DisposeAsync();
        }
    }

    private sealed class BenchFibonacci : IBenchFibonacci
    {
        public Task<long> FibAsync(int n, CancellationToken cancellationToken = default) => Task.FromResult(Fibonacci.Compute(n));
    }
}
