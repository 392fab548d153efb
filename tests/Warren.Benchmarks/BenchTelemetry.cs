using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Warren.Benchmarks;

/// <summary>
/// Warren with tracing and metrics sampled on: the same bus (the same <see cref="WarrenTarget"/>, connection and queue)
/// measured while an OpenTelemetry SDK tracer provider (AlwaysOnSampler) and meter provider listen to it. The providers
/// exist only for the length of this target's measurement, so every other measurement, Warren's own included, runs
/// with nothing listening.
/// </summary>
internal sealed class TracedWarrenTarget(WarrenTarget warren) : IBenchTarget, ITracedTarget
{
    public const string DisplayName = "Warren (traced)";

    public string Name => DisplayName;

    public string Queue => warren.Queue;

    public string Untraced => warren.Name;

    /// <summary>The bus is <paramref name="warren"/>'s, started, disposed and cleaned up through it.</summary>
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask PublishAsync(BenchMessage message) => warren.PublishAsync(message);

    public Task<IAsyncDisposable> SubscribeAsync(ReceiveCounter counter, CancellationToken cancellationToken) => warren.SubscribeAsync(counter, cancellationToken);

    public Task DeleteTopologyAsync(BrokerAdmin admin) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>Warren's RPC with tracing and metrics on: the same client and server as <see cref="WarrenRpcTarget"/>, observed.</summary>
internal sealed class TracedWarrenRpcTarget(WarrenRpcTarget warren) : IRpcTarget, ITracedTarget
{
    public string Name => TracedWarrenTarget.DisplayName;

    public string Untraced => warren.Name;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<long> CallAsync(int n) => warren.CallAsync(n);

    public Task DeleteTopologyAsync(BrokerAdmin admin) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>A target measured under <see cref="BenchTelemetry"/>: a traced twin of the target named <see cref="Untraced"/>.</summary>
internal interface ITracedTarget
{
    /// <summary>The target whose figures are the same code with nothing listening.</summary>
    string Untraced { get; }
}

/// <summary>
/// One measurement's OpenTelemetry SDK: a tracer provider with <c>AddWarrenInstrumentation()</c>, the AlwaysOnSampler
/// and a processor that receives every ended span and discards it (counting it), and a meter provider with
/// <c>AddWarrenInstrumentation()</c> and a periodic reader (every second, so collections happen while timing) whose
/// exporter keeps only each instrument's running total. Disposing it disposes both providers, after which Warren's
/// source and meter must have no listener left: <see cref="AssertSilent"/> checks that before every other measurement.
/// </summary>
internal sealed class BenchTelemetry : IDisposable
{
    private const int ExportIntervalMilliseconds = 1000;

    // Probes by the same names: a listener that subscribes to Warren's source or meter (by name, as the SDK does) subscribes to these too.
    private static readonly ActivitySource s_sourceProbe = new(WarrenInstrumentation.ActivitySourceName);
    private static readonly Meter s_meterProbe = new(WarrenInstrumentation.MeterName);
    private static readonly Counter<long> s_instrumentProbe = s_meterProbe.CreateCounter<long>("warren.benchmarks.listener_probe");

    private readonly CountingProcessor _spans = new();
    private readonly TotalsExporter _metrics = new();
    private TracerProvider? _tracing;
    private MeterProvider? _meters;

    private BenchTelemetry()
    {
        _tracing = Sdk.CreateTracerProviderBuilder()
            .SetSampler(new AlwaysOnSampler())
            .AddWarrenInstrumentation()
            .AddProcessor(_spans)
            .Build();
        _meters = Sdk.CreateMeterProviderBuilder()
            .AddWarrenInstrumentation()
            .AddReader(new PeriodicExportingMetricReader(_metrics, ExportIntervalMilliseconds))
            .Build();
    }

    /// <summary>Whether anything at all listens to the names Warren's spans and metrics use.</summary>
    public static bool AnyoneListening => s_sourceProbe.HasListeners() || s_instrumentProbe.Enabled;

    /// <summary>Spans ended while the providers were up.</summary>
    public long Spans => Interlocked.Read(ref _spans.Ended);

    /// <summary>Starts listening; fails when something already listens (a provider left over from an earlier measurement).</summary>
    public static BenchTelemetry Start()
    {
        AssertSilent("before starting the traced variant's providers");
        var telemetry = new BenchTelemetry();
        if (!s_sourceProbe.HasListeners() || !s_instrumentProbe.Enabled)
        {
            telemetry.Dispose();
            throw new InvalidOperationException("The OpenTelemetry providers built for the traced variant do not listen to Warren's source and meter.");
        }

        return telemetry;
    }

    /// <summary>Fails unless Warren's source and meter have no listener: what the untraced figures depend on.</summary>
    public static void AssertSilent(string when)
    {
        if (AnyoneListening)
        {
            throw new InvalidOperationException(
                $"Something listens to Warren's ActivitySource or Meter {when} (HasListeners: {s_sourceProbe.HasListeners()}, " +
                $"instrument enabled: {s_instrumentProbe.Enabled}); the untraced figures would not be untraced.");
        }
    }

    /// <summary>
    /// Waits for the last spans to end, disposes both providers (the meter provider's last collection exports the final totals), then checks that the
    /// span processor received <paramref name="expectedSpans"/> spans and that each named instrument counted
    /// <paramref name="expectedCount"/>, and that nothing listens any more. Returns the spans.
    /// </summary>
    public long Finish(string target, long expectedSpans, int expectedCount, params string[] instruments)
    {
        // An RPC server's span ends just after its reply went out, so the caller can be done a moment before it is.
        SpinWait.SpinUntil(() => Spans >= expectedSpans, TimeSpan.FromSeconds(10));
        Dispose();
        AssertSilent("after the traced variant's providers were disposed");
        long spans = Spans;
        if (spans != expectedSpans)
        {
            throw new InvalidOperationException($"{target}: the span processor received {spans} spans, expected {expectedSpans}.");
        }

        foreach (string instrument in instruments)
        {
            long total = _metrics.Total(instrument);
            if (total != expectedCount)
            {
                throw new InvalidOperationException(
                    $"{target}: {instrument} counted {total}, expected {expectedCount} (exported: {string.Join(", ", _metrics.Names)}).");
            }
        }

        return spans;
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref _tracing, null)?.Dispose();
        Interlocked.Exchange(ref _meters, null)?.Dispose();
    }

    /// <summary>Receives every ended span, counts it, keeps nothing.</summary>
    private sealed class CountingProcessor : BaseProcessor<Activity>
    {
        public long Ended;

        public override void OnEnd(Activity data) => Interlocked.Increment(ref Ended);
    }

    /// <summary>Keeps, per instrument, the total of its last export: a counter's sum, a histogram's count (cumulative, so the last export is the run's).</summary>
    private sealed class TotalsExporter : BaseExporter<Metric>
    {
        private readonly ConcurrentDictionary<string, long> _totals = new(StringComparer.Ordinal);

        public IEnumerable<string> Names => _totals.Keys.Order(StringComparer.Ordinal);

        public long Total(string instrument) => _totals.TryGetValue(instrument, out long total) ? total : 0;

        public override ExportResult Export(in Batch<Metric> batch)
        {
            foreach (Metric metric in batch)
            {
                long total = 0;
                foreach (ref readonly MetricPoint point in metric.GetMetricPoints())
                {
                    total += metric.MetricType switch
                    {
                        MetricType.LongSum => point.GetSumLong(),
                        MetricType.Histogram => point.GetHistogramCount(),
                        _ => 0,
                    };
                }

                _totals[metric.Name] = total;
            }

            return ExportResult.Success;
        }
    }
}
