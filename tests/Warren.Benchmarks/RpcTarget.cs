using System;
using System.Threading;
using System.Threading.Tasks;

namespace Warren.Benchmarks;

/// <summary>One RPC implementation under test: a client and a server in this process, on one connection.</summary>
internal interface IRpcTarget : IAsyncDisposable
{
    /// <summary>The name shown in the results.</summary>
    string Name { get; }

    /// <summary>Connects, declares the service queue and starts the server with prefetch <see cref="RpcHarness.ServerPrefetch"/>.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>One call: sends <paramref name="n"/> to the server and completes with its reply, fib(n).</summary>
    Task<long> CallAsync(int n);

    /// <summary>Deletes the queues and exchanges the implementation made, through the harness's own connection.</summary>
    Task DeleteTopologyAsync(BrokerAdmin admin);
}

/// <summary>The work every server does per call: cheap, so that the round trip through the broker dominates.</summary>
internal static class Fibonacci
{
    public static long Compute(int n)
    {
        long a = 0, b = 1;
        for (int i = 0; i < n; i++)
        {
            (a, b) = (b, a + b);
        }

        return a;
    }
}

/// <summary>The Warren contract: a one-parameter method, so the request body is the bare JSON number.</summary>
[RpcService(WarrenRpcTarget.QueueName)]
public interface IBenchFibonacci
{
    [RpcMethod] Task<long> FibAsync(int n, CancellationToken cancellationToken = default);
}
