using System;
using System.Collections.Generic;
using System.Diagnostics;
using RabbitMQ.Client;
using Warren.Internal;

namespace Warren.Benchmarks;

/// <summary>
/// What Warren's instrumentation costs per message when nothing listens: the very calls the publish, consume and RPC
/// paths make before they know nobody observes them, timed in a tight loop. The end-to-end figures cannot show a cost
/// this small on a noisy machine, so it is measured on its own and set against Warren's CPU per message from the run.
/// </summary>
internal static class NoListenerCost
{
    private const int Iterations = 20_000_000;

    /// <summary>Nanoseconds per message of the checks on each path, with no listener (asserted).</summary>
    public static IReadOnlyList<(string Path, double Nanoseconds)> Measure()
    {
        BenchTelemetry.AssertSilent("the no-listener cost measurement");
        var properties = new BasicProperties { MessageId = "m", Headers = null };
        IReadOnlyBasicProperties delivered = properties;
        return
        [
            ("publish (span check, trace header check)", Time(() =>
            {
                PublishTelemetry? telemetry = PublishTelemetry.Start("bench.exchange", "bench.key", "Bench.Message");
                TraceContext.InjectCurrent(properties);
                return telemetry is null;
            })),
            ("consume (ambient reset, span check)", Time(() =>
            {
                WarrenActivities.ForgetStaleAmbient();
                return DeliveryTelemetry.Start("bench.queue", "bench.exchange", "bench.key", 1, delivered, 100) is null;
            })),
            ("RPC call (span check, trace header check)", Time(() =>
            {
                bool observed = RpcTelemetry.IsCallObserved;
                TraceContext.InjectCurrent(properties);
                return !observed;
            })),
        ];
    }

    private static double Time(Func<bool> path)
    {
        for (int i = 0; i < 100_000; i++)
        {
            path();
        }

        long started = Stopwatch.GetTimestamp();
        int unobserved = 0;
        for (int i = 0; i < Iterations; i++)
        {
            unobserved += path() ? 1 : 0;
        }

        TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
        if (unobserved != Iterations)
        {
            throw new InvalidOperationException("Something listened during the no-listener cost measurement.");
        }

        return elapsed.TotalNanoseconds / Iterations;
    }
}
