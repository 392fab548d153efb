using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Warren.IntegrationTests.Infrastructure;
using Xunit;

namespace Warren.IntegrationTests;

[RpcService("warren.test.acks.rpc")]
public interface ITestAckedEcho
{
    [RpcMethod] Task<int> EchoAsync(int n, CancellationToken cancellationToken = default);
}

public sealed class TestAckedEcho : ITestAckedEcho
{
    public int Calls;

    public Task<int> EchoAsync(int n, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Calls);
        return Task.FromResult(n);
    }
}

/// <summary>
/// An RPC server with one request at a time and a prefetch of 4 or more acks its requests in batches, after their
/// replies: every answered request is still acknowledged, whether more come or not, and when the server stops.
/// </summary>
public sealed class RpcAckBatchTests
{
    private const string Queue = "warren.test.acks.rpc";

    [Fact]
    public async Task A_few_calls_less_than_a_batch_are_acknowledged_while_the_server_keeps_running()
    {
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [Queue]);
        await using Bus bus = await Broker.ConnectAsync("rpc-acks-trickle");
        var echo = new TestAckedEcho();
        // Prefetch 100: a batch would be 50 acks, far more than the 3 calls made.
        await using Subscription server = await bus.ServeAsync<ITestAckedEcho>(echo, new ServeOptions { Prefetch = 100 });
        ITestAckedEcho client = bus.CreateClient<ITestAckedEcho>();

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(i, await client.EchoAsync(i));
        }

        await WorkQueueTests.WaitUntilAsync(() => Task.FromResult(AckBatchTests.Unacknowledged(Queue) == 0), System.TimeSpan.FromSeconds(5));
        Assert.Equal(0u, await raw.MessageCountAsync(Queue));
        Assert.Equal(3, Volatile.Read(ref echo.Calls));
    }

    [Fact]
    public async Task Stopping_right_after_concurrent_calls_leaves_no_answered_request_for_redelivery()
    {
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [Queue]);
        await using Bus bus = await Broker.ConnectAsync("rpc-acks-stop");
        var echo = new TestAckedEcho();
        Subscription server = await bus.ServeAsync<ITestAckedEcho>(echo, new ServeOptions { Prefetch = 32 });
        ITestAckedEcho client = bus.CreateClient<ITestAckedEcho>();

        int[] replies = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => client.EchoAsync(i)));
        await server.DisposeAsync();

        // Closing the channel returns every unacknowledged request to the queue: none may be back.
        Assert.Equal(Enumerable.Range(0, 40), replies);
        Assert.Equal(0u, await raw.MessageCountAsync(Queue));
        Assert.Equal(40, Volatile.Read(ref echo.Calls));
    }
}
