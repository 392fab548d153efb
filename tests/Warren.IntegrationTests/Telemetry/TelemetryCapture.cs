using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Xunit;

namespace Warren.IntegrationTests.Telemetry;

/// <summary>
/// The telemetry tests run one at a time, after the assembly's parallel tests. ActivityListeners and MeterListeners are
/// process-wide: while one of these tests listens, every Warren publish in the process gets a span and a
/// <c>traceparent</c> header (PublishConfirmTests and PublishOptionsTests assert a plain publish has no headers), and the
/// coexistence test's RabbitMQ.Client listeners would nest client spans into other tests' traces. Assertions still
/// filter to the test's own trace ids and names.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry";
}

/// <summary>
/// An OpenTelemetry tracer provider (Warren's source, the tests' own root source, and any extra sources) with an
/// in-memory exporter, for one test. Spans are exported when they end; the waits poll for them with a deadline.
/// </summary>
public sealed class SpanCapture : IDisposable
{
    /// <summary>The tests' own source: each test starts a root span here and follows its trace id.</summary>
    public static readonly ActivitySource Tests = new("Warren.IntegrationTests.Telemetry");

    private readonly LockedList<Activity> _spans = new();
    private readonly TracerProvider _provider;

    public SpanCapture(params string[] extraSources)
    {
        _provider = Sdk.CreateTracerProviderBuilder()
            .AddWarrenInstrumentation()
            .AddSource(Tests.Name)
            .AddSource(extraSources)
            .SetSampler(new AlwaysOnSampler())
            .AddInMemoryExporter(_spans)
            .Build()!;
    }

    /// <summary>A root span of the test's own, current until disposed.</summary>
    public static Activity StartRoot(string name)
    {
        Activity? root = Tests.StartActivity(name, ActivityKind.Internal, parentContext: default);
        Assert.NotNull(root);
        return root;
    }

    public IReadOnlyList<Activity> Spans => _spans.Snapshot();

    /// <summary>The spans of one trace.</summary>
    public IReadOnlyList<Activity> InTrace(ActivityTraceId traceId) => Spans.Where(s => s.TraceId == traceId).ToList();

    /// <summary>Waits until <paramref name="count"/> ended spans match, then returns them.</summary>
    public async Task<IReadOnlyList<Activity>> WaitForAsync(Func<Activity, bool> match, int count = 1, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            List<Activity> found = Spans.Where(match).ToList();
            if (found.Count >= count)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(
                    $"Expected {count} matching spans, got {found.Count}. Ended spans: {string.Join("; ", Spans.Select(Describe))}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Waits for the one Warren span of this name and kind in this trace (and fails if there are more).</summary>
    public async Task<Activity> WaitForAsync(ActivityTraceId traceId, string name, ActivityKind kind)
    {
        IReadOnlyList<Activity> found = await WaitForAsync(s =>
            s.TraceId == traceId && s.DisplayName == name && s.Kind == kind && s.Source.Name == WarrenInstrumentation.ActivitySourceName);
        return Assert.Single(found);
    }

    /// <summary>Waits for the one Warren <c>publish {destination}</c> span in this trace.</summary>
    public Task<Activity> WaitForPublishAsync(ActivityTraceId traceId, string destination) =>
        WaitForAsync(traceId, $"publish {destination}", ActivityKind.Producer);

    /// <summary>Waits for the one Warren <c>process {queue}</c> span in this trace.</summary>
    public Task<Activity> WaitForProcessAsync(ActivityTraceId traceId, string queue) =>
        WaitForAsync(traceId, $"process {queue}", ActivityKind.Consumer);

    public static string Describe(Activity span) =>
        $"{span.Source.Name}:{span.DisplayName} [{span.Kind}] trace={span.TraceId} span={span.SpanId} parent={span.ParentSpanId}";

    public void Dispose() => _provider.Dispose();
}

/// <summary>An OpenTelemetry meter provider on Warren's meter with an in-memory exporter; <see cref="Collect"/> flushes and reads.</summary>
public sealed class MetricCapture : IDisposable
{
    private readonly LockedList<MetricSnapshot> _exported = new();
    private readonly MeterProvider _provider;

    public MetricCapture()
    {
        _provider = Sdk.CreateMeterProviderBuilder().AddWarrenInstrumentation().AddInMemoryExporter(_exported).Build()!;
    }

    /// <summary>Flushes and returns the latest (cumulative) snapshot of each instrument.</summary>
    public IReadOnlyDictionary<string, MetricSnapshot> Collect()
    {
        _exported.Clear();
        Assert.True(_provider.ForceFlush(5_000));
        var latest = new Dictionary<string, MetricSnapshot>(StringComparer.Ordinal);
        foreach (MetricSnapshot metric in _exported.Snapshot())
        {
            latest[metric.Name] = metric;
        }

        return latest;
    }

    /// <summary>A counter's sum over the points carrying all these tags (0 when none do yet).</summary>
    public long Sum(string instrument, params (string Key, object? Value)[] tags) =>
        Points(instrument, tags).Sum(p => p.GetSumLong());

    /// <summary>A histogram's count over the points carrying all these tags.</summary>
    public long HistogramCount(string instrument, params (string Key, object? Value)[] tags) =>
        Points(instrument, tags).Sum(p => p.GetHistogramCount());

    /// <summary>The tag sets of an instrument's points carrying all these tags, for assertions on the exact tags.</summary>
    public IReadOnlyList<Dictionary<string, object?>> TagSets(string instrument, params (string Key, object? Value)[] tags) =>
        Points(instrument, tags).Select(TagsOf).ToList();

    /// <summary>Flushes until <paramref name="done"/> holds, within a deadline: measurements land when a delivery or call ends.</summary>
    public async Task WaitUntilAsync(Func<MetricCapture, bool> done, string what)
    {
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!done(this))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Metrics never showed {what}.");
            }

            await Task.Delay(50);
        }
    }

    public void Dispose() => _provider.Dispose();

    private List<MetricPoint> Points(string instrument, (string Key, object? Value)[] tags)
    {
        if (!Collect().TryGetValue(instrument, out MetricSnapshot? metric))
        {
            return [];
        }

        return metric.MetricPoints.Where(point =>
        {
            Dictionary<string, object?> pointTags = TagsOf(point);
            return tags.All(t => pointTags.TryGetValue(t.Key, out object? value) && Equals(value, t.Value));
        }).ToList();
    }

    private static Dictionary<string, object?> TagsOf(MetricPoint point)
    {
        var tags = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, object?> tag in point.Tags)
        {
            tags[tag.Key] = tag.Value;
        }

        return tags;
    }
}

/// <summary>A list the exporter adds to on one thread while the test reads on another.</summary>
internal sealed class LockedList<T> : ICollection<T>
{
    private readonly List<T> _items = [];

    public int Count
    {
        get { lock (_items) { return _items.Count; } }
    }

    public bool IsReadOnly => false;

    public List<T> Snapshot()
    {
        lock (_items)
        {
            return [.. _items];
        }
    }

    public void Add(T item)
    {
        lock (_items)
        {
            _items.Add(item);
        }
    }

    public void Clear()
    {
        lock (_items)
        {
            _items.Clear();
        }
    }

    public bool Contains(T item)
    {
        lock (_items)
        {
            return _items.Contains(item);
        }
    }

    public void CopyTo(T[] array, int arrayIndex)
    {
        lock (_items)
        {
            _items.CopyTo(array, arrayIndex);
        }
    }

    public bool Remove(T item)
    {
        lock (_items)
        {
            return _items.Remove(item);
        }
    }

    public IEnumerator<T> GetEnumerator() => Snapshot().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
