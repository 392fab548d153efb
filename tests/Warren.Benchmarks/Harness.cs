using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace Warren.Benchmarks;

internal enum Scenario
{
    /// <summary>Publish N persistent messages with confirms, 100 in flight, nobody consuming.</summary>
    Publish,

    /// <summary>Publish N messages while a prefetch-100 consumer takes them; timed until the consumer has all N.</summary>
    EndToEnd,

    /// <summary>N messages already in the queue (published before the clock starts); timed from the subscribe call until a
    /// prefetch-100 consumer has all N. Only consuming and acking is measured.</summary>
    Backlog,
}

/// <summary>One timed measurement.</summary>
internal sealed record Sample(
    string Target, Scenario Scenario, int Messages, TimeSpan Elapsed, long AllocatedBytes, TimeSpan CpuTime, int Gen0Collections, ContextSwitches Switches)
{
    /// <summary>Sampled bytes per allocated type, largest first; empty unless the run was profiled.</summary>
    public IReadOnlyList<(string Type, long Bytes)> AllocationsByType { get; init; } = [];

    /// <summary>Spans the traced variant's processor received (0 for the others, which nothing listens to).</summary>
    public long Spans { get; init; }

    public double MessagesPerSecond => Messages / Elapsed.TotalSeconds;

    public double BytesPerMessage => (double)AllocatedBytes / Messages;

    /// <summary>This process's CPU time (all threads, GC included) per message: the client's cost, which the broker's
    /// disk latency does not blur the way it blurs msgs/s.</summary>
    public double CpuMicrosecondsPerMessage => CpuTime.TotalMicroseconds / Messages;

    /// <summary>The process's voluntary context switches per message (<see cref="Benchmarks.ContextSwitches"/>): its waits and hops. Negative where unknown.</summary>
    public double VoluntarySwitchesPerMessage => (double)Switches.Voluntary / Messages;

    /// <summary>The process's involuntary context switches (preemptions) per message. Negative where unknown.</summary>
    public double InvoluntarySwitchesPerMessage => (double)Switches.Involuntary / Messages;
}

/// <summary>Times one implementation on one scenario, the same way for all of them.</summary>
internal static class Harness
{
    /// <summary>Publishes awaiting confirmation at once: the sliding window of the publish loop and each client's confirm limit.</summary>
    public const int PublishWindow = 100;

    /// <summary>The consumers' prefetch.</summary>
    public const ushort Prefetch = 100;

    // Generous: a stuck run (a broker alarm, a lost message) should fail, not hang the whole benchmark.
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private static readonly string[] PublishInstruments = ["messaging.client.sent.messages", "messaging.client.operation.duration"];

    private static readonly string[] ConsumeInstruments = ["messaging.client.consumed.messages", "messaging.process.duration"];

    public static async Task<Sample> MeasureAsync(
        IBenchTarget target, Scenario scenario, int messages, BrokerAdmin admin, CancellationToken cancellationToken, AllocationSampler? sampler = null)
    {
        // Start from an empty queue so that no backlog of an earlier run is written, paged or delivered while timing.
        await admin.PurgeAsync(target.Queue);
        ReceiveCounter? counter = scenario == Scenario.Publish ? null : new ReceiveCounter(messages);
        IAsyncDisposable? consumer = null;
        if (scenario == Scenario.EndToEnd)
        {
            consumer = await target.SubscribeAsync(counter!, cancellationToken);
        }
        else if (scenario == Scenario.Backlog)
        {
            // Before the clock and before the traced variant's listeners: only the consuming is measured.
            await PublishAllAsync(target, messages).WaitAsync(Timeout, cancellationToken);
            uint depth = await admin.MessageCountAsync(target.Queue);
            if (depth != messages)
            {
                throw new InvalidOperationException($"{target.Name}: the backlog queue holds {depth} messages, expected {messages}.");
            }
        }

        // The traced variant listens for its own measurement only; every other one runs with nothing listening, checked.
        using BenchTelemetry? telemetry = target is ITracedTarget ? BenchTelemetry.Start() : null;
        if (telemetry is null)
        {
            BenchTelemetry.AssertSilent($"before measuring {target.Name}");
        }

        await SettleAsync(cancellationToken);
        sampler?.Start();
        int gen0 = GC.CollectionCount(0);
        TimeSpan cpu = CpuTime();
        ContextSwitches switches = Benchmarks.ContextSwitches.Read();
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        long started = Stopwatch.GetTimestamp();

        if (scenario == Scenario.Backlog)
        {
            // The consumer's start is part of the timing: the broker starts delivering the backlog as soon as it consumes.
            consumer = await target.SubscribeAsync(counter!, cancellationToken);
        }
        else
        {
            await PublishAllAsync(target, messages).WaitAsync(Timeout, cancellationToken);
        }

        if (counter is not null)
        {
            await counter.AllReceived.WaitAsync(Timeout, cancellationToken);
        }

        TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        cpu = CpuTime() - cpu;
        switches = Benchmarks.ContextSwitches.Read().Since(switches);
        gen0 = GC.CollectionCount(0) - gen0;
        IReadOnlyList<(string Type, long Bytes)> allocations = sampler?.Stop() ?? [];

        if (consumer is not null)
        {
            await consumer.DisposeAsync();
            // Every id exactly once: a duplicate or a stray message from elsewhere would make the rate meaningless.
            if (counter!.Received != messages || counter.IdSum != BenchMessages.IdSum(messages))
            {
                throw new InvalidOperationException(
                    $"{target.Name} received {counter.Received} messages (id sum {counter.IdSum}) instead of each of the {messages} once.");
            }
        }

        // Every timed publish made a span, and so did every delivery; the metrics counted each once.
        long spans = telemetry?.Finish(
            target.Name,
            expectedSpans: scenario == Scenario.EndToEnd ? 2L * messages : messages,
            expectedCount: messages,
            scenario switch
            {
                Scenario.Publish => PublishInstruments,
                Scenario.EndToEnd => [.. PublishInstruments, .. ConsumeInstruments],
                _ => ConsumeInstruments,
            }) ?? 0;

        await admin.PurgeAsync(target.Queue);
        return new Sample(target.Name, scenario, messages, elapsed, allocated, cpu, gen0, switches) { AllocationsByType = allocations, Spans = spans };
    }

    /// <summary>
    /// Publishes <paramref name="messages"/> messages keeping <see cref="PublishWindow"/> publishes outstanding: before
    /// starting publish i it awaits publish i - 100. Confirms arrive in order on one channel, so this is a sliding window.
    /// </summary>
    private static async Task PublishAllAsync(IBenchTarget target, int messages)
    {
        var inFlight = new ValueTask[PublishWindow];
        for (int i = 0; i < messages; i++)
        {
            int slot = i % PublishWindow;
            if (i >= PublishWindow)
            {
                await inFlight[slot];
            }

            inFlight[slot] = target.PublishAsync(BenchMessages.Create(i));
        }

        for (int i = Math.Max(0, messages - PublishWindow); i < messages; i++)
        {
            await inFlight[i % PublishWindow];
        }
    }

    // Read outside the allocation window: reading it allocates.
    public static TimeSpan CpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    /// <summary>Leaves the previous run's garbage and the broker's deferred work (purged messages) out of the next timing.</summary>
    public static async Task SettleAsync(CancellationToken cancellationToken)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
    }
}
