using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace Warren.Benchmarks;

/// <summary>One timed RPC measurement: <see cref="Calls"/> calls made by <see cref="Callers"/> concurrent callers.</summary>
internal sealed record RpcSample(
    string Target, int Callers, int Calls, TimeSpan Elapsed, long AllocatedBytes, TimeSpan CpuTime, int Gen0Collections, double P50Milliseconds, double P99Milliseconds)
{
    /// <summary>Sampled bytes per allocated type, largest first; empty unless the run was profiled.</summary>
    public IReadOnlyList<(string Type, long Bytes)> AllocationsByType { get; init; } = [];

    /// <summary>Spans the traced variant's processor received (0 for the others, which nothing listens to).</summary>
    public long Spans { get; init; }

    public double CallsPerSecond => Calls / Elapsed.TotalSeconds;

    /// <summary>Client and server together: both run in this process, as the publishers and consumers do.</summary>
    public double BytesPerCall => (double)AllocatedBytes / Calls;

    public double CpuMicrosecondsPerCall => CpuTime.TotalMicroseconds / Calls;

    /// <summary>The process's context switches during the measurement (<see cref="Benchmarks.ContextSwitches"/>).</summary>
    public ContextSwitches Switches { get; init; }

    /// <summary>Voluntary context switches per call: the waits and hops. Negative where unknown.</summary>
    public double VoluntarySwitchesPerCall => (double)Switches.Voluntary / Calls;

    /// <summary>Involuntary context switches (preemptions) per call. Negative where unknown.</summary>
    public double InvoluntarySwitchesPerCall => (double)Switches.Involuntary / Calls;
}

/// <summary>Times one RPC implementation with a number of concurrent callers, the same way for all of them.</summary>
internal static class RpcHarness
{
    /// <summary>Every server's prefetch: enough that 16 callers are not queued behind one unacked request at a time.</summary>
    public const ushort ServerPrefetch = 32;

    /// <summary>The argument of every call: fib(20) is a few nanoseconds of work, so the round trip dominates.</summary>
    public const int Argument = 20;

    /// <summary>The concurrent callers of the two scenarios: one caller calling in sequence, and sixteen doing so at once.</summary>
    public static readonly int[] CallerCounts = [1, 16];

    private static readonly long Expected = Fibonacci.Compute(Argument);

    // Generous: a stuck run (a lost reply) should fail, not hang the whole benchmark.
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static async Task<RpcSample> MeasureAsync(
        IRpcTarget target, int callers, int calls, CancellationToken cancellationToken, AllocationSampler? sampler = null)
    {
        // Everything the callers use is allocated before the clock starts; recording a latency only writes a long.
        var run = new Run(target, calls);
        var tasks = new Task[callers];

        // The traced variant listens for its own measurement only; every other one runs with nothing listening, checked.
        using BenchTelemetry? telemetry = target is ITracedTarget ? BenchTelemetry.Start() : null;
        if (telemetry is null)
        {
            BenchTelemetry.AssertSilent($"before measuring {target.Name}");
        }

        await Harness.SettleAsync(cancellationToken);
        sampler?.Start();
        int gen0 = GC.CollectionCount(0);
        TimeSpan cpu = Harness.CpuTime();
        ContextSwitches switches = Benchmarks.ContextSwitches.Read();
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        long started = Stopwatch.GetTimestamp();

        for (int i = 0; i < callers; i++)
        {
            tasks[i] = run.CallerAsync();
        }

        await Task.WhenAll(tasks).WaitAsync(Timeout, cancellationToken);

        TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        cpu = Harness.CpuTime() - cpu;
        switches = Benchmarks.ContextSwitches.Read().Since(switches);
        gen0 = GC.CollectionCount(0) - gen0;
        IReadOnlyList<(string Type, long Bytes)> allocations = sampler?.Stop() ?? [];

        if (run.WrongReplies > 0)
        {
            throw new InvalidOperationException($"{target.Name} answered {run.WrongReplies} of {calls} calls with something other than fib({Argument}) = {Expected}.");
        }

        // A client span and a server span per call; both durations recorded once per call.
        long spans = telemetry?.Finish(target.Name, expectedSpans: 2L * calls, expectedCount: calls, "rpc.client.call.duration", "rpc.server.call.duration") ?? 0;

        Array.Sort(run.Latencies);
        return new RpcSample(
            target.Name, callers, calls, elapsed, allocated, cpu, gen0, Percentile(run.Latencies, 0.50), Percentile(run.Latencies, 0.99))
        {
            AllocationsByType = allocations,
            Spans = spans,
            Switches = switches,
        };
    }

    /// <summary>The nearest-rank percentile of sorted Stopwatch tick counts, in milliseconds.</summary>
    private static double Percentile(long[] sorted, double fraction)
    {
        int rank = Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1);
        return sorted[rank] * 1000.0 / Stopwatch.Frequency;
    }

    /// <summary>The shared state of one measurement's callers: the next call to make and every call's latency.</summary>
    private sealed class Run(IRpcTarget target, int calls)
    {
        private int _next = -1;
        private int _wrongReplies;

        public long[] Latencies { get; } = new long[calls];

        public int WrongReplies => Volatile.Read(ref _wrongReplies);

        /// <summary>One caller: takes the next call number until all are taken, and makes each call after the previous returned.</summary>
        public async Task CallerAsync()
        {
            long[] latencies = Latencies;
            for (int call = Interlocked.Increment(ref _next); call < latencies.Length; call = Interlocked.Increment(ref _next))
            {
                long started = Stopwatch.GetTimestamp();
                long result = await target.CallAsync(Argument).ConfigureAwait(false);
                latencies[call] = Stopwatch.GetTimestamp() - started;
                if (result != Expected)
                {
                    Interlocked.Increment(ref _wrongReplies);
                }
            }
        }
    }
}
