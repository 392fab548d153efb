using System;
using System.Threading;
using System.Threading.Tasks;

namespace Warren.Benchmarks;

/// <summary>One implementation under test: how it publishes one message and how it starts a consumer.</summary>
internal interface IBenchTarget : IAsyncDisposable
{
    /// <summary>The name shown in the results.</summary>
    string Name { get; }

    /// <summary>The durable queue the messages end up in; the harness purges it between measurements.</summary>
    string Queue { get; }

    /// <summary>Connects and declares the queue (and whatever exchanges the implementation routes through).</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Publishes one persistent message; completes when the broker has confirmed it.</summary>
    ValueTask PublishAsync(BenchMessage message);

    /// <summary>Starts consuming the queue with prefetch 100, reporting every message to <paramref name="counter"/>.
    /// Disposing the result stops the consumer.</summary>
    Task<IAsyncDisposable> SubscribeAsync(ReceiveCounter counter, CancellationToken cancellationToken);

    /// <summary>Deletes the queues and exchanges the implementation made, through the harness's own connection.</summary>
    Task DeleteTopologyAsync(BrokerAdmin admin);
}

/// <summary>Counts the messages a consumer receives and completes once it has seen the expected number.</summary>
internal sealed class ReceiveCounter(int expected)
{
    private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _received;
    private long _idSum;

    public Task AllReceived => _all.Task;

    public int Received => Volatile.Read(ref _received);

    public long IdSum => Interlocked.Read(ref _idSum);

    public void Record(BenchMessage message)
    {
        Interlocked.Add(ref _idSum, message.Id);
        if (Interlocked.Increment(ref _received) == expected)
        {
            _all.TrySetResult();
        }
    }
}
