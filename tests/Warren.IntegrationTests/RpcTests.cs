using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Warren.IntegrationTests.Infrastructure;
using Xunit;

namespace Warren.IntegrationTests;

[RpcService("warren.test.rpc.fib")]
public interface ITestFibonacci
{
    [RpcMethod] Task<long> FibAsync(int n, CancellationToken cancellationToken = default);
}

public sealed record Sum(int Total, string Expression);

[RpcService("warren.test.rpc.calc"), Durable]
public interface ITestCalculator
{
    [RpcMethod] Task<Sum> AddAsync(int a, int b, CancellationToken cancellationToken = default);

    [RpcMethod("div")] ValueTask<double> DivideAsync(double x, double y);

    [RpcMethod] Task ResetAsync();

    [RpcMethod] ValueTask TouchAsync(string? who, CancellationToken cancellationToken = default);

    [RpcMethod] Task<int> FailAsync(string message);

    [RpcMethod] Task<int> SlowAsync(int milliseconds, CancellationToken cancellationToken = default);
}

public sealed class TestFibonacci : ITestFibonacci
{
    public int Calls;

    public Task<long> FibAsync(int n, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Calls);
        long a = 0, b = 1;
        for (int i = 0; i < n; i++)
        {
            (a, b) = (b, a + b);
        }

        return Task.FromResult(a);
    }
}

public sealed class TestCalculator : ITestCalculator
{
    public int Resets;
    public ConcurrentQueue<string?> Touched { get; } = new();

    public Task<Sum> AddAsync(int a, int b, CancellationToken cancellationToken = default) => Task.FromResult(new Sum(a + b, $"{a} + {b}"));

    public ValueTask<double> DivideAsync(double x, double y) => ValueTask.FromResult(x / y);

    public Task ResetAsync()
    {
        Interlocked.Increment(ref Resets);
        return Task.CompletedTask;
    }

    public ValueTask TouchAsync(string? who, CancellationToken cancellationToken = default)
    {
        Touched.Enqueue(who);
        return ValueTask.CompletedTask;
    }

    public Task<int> FailAsync(string message) => throw new InvalidOperationException(message);

    public async Task<int> SlowAsync(int milliseconds, CancellationToken cancellationToken = default)
    {
        await Task.Delay(milliseconds, cancellationToken);
        return milliseconds;
    }
}

public sealed class RpcTests
{
    [Fact]
    public async Task Every_return_shape_round_trips()
    {
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: ["warren.test.rpc.calc"]);
        await using Bus bus = await Broker.ConnectAsync("rpc-shapes");
        var calculator = new TestCalculator();
        await using Subscription server = await bus.ServeAsync<ITestCalculator>(calculator);
        ITestCalculator client = bus.CreateClient<ITestCalculator>();

        Assert.Equal(new Sum(5, "2 + 3"), await client.AddAsync(2, 3));
        Assert.Equal(2.5, await client.DivideAsync(5, 2));
        await client.ResetAsync();
        Assert.Equal(1, calculator.Resets);
        await client.TouchAsync("ada");
        await client.TouchAsync(null);
        Assert.Equal(["ada", null], calculator.Touched);
    }

    [Fact]
    public async Task A_thousand_concurrent_calls_from_sixteen_tasks_are_all_answered_correctly()
    {
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: ["warren.test.rpc.fib"]);
        await using Bus bus = await Broker.ConnectAsync("rpc-concurrent");
        await using Subscription server = await bus.ServeAsync<ITestFibonacci>(new TestFibonacci(), new ServeOptions { Prefetch = 32 });
        ITestFibonacci client = bus.CreateClient<ITestFibonacci>();

        long[] expected = Enumerable.Range(0, 64).Select(n => new TestFibonacci().FibAsync(n).Result).ToArray();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(worker => Task.Run(async () =>
        {
            for (int i = 0; i < 63; i++)
            {
                int n = (worker * 7 + i) % 64;
                Assert.Equal(expected[n], await client.FibAsync(n));
            }
        })));
    }
}
