using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Warren.IntegrationTests.Infrastructure;
using Warren.Reliability;

namespace Warren.Cluster.Tests;

/// <summary>
/// One cluster fault scenario: a publisher bus with concurrent publishers (each awaiting its confirmed publish) and a
/// consumer bus on the quorum queue, both listing the three nodes as endpoints; a history of every publish and delivery;
/// the fault, made of node kills (and restarts); then the figures. Time to resume is measured from each kill to the next
/// confirmed publish and the next delivery; the worst over the scenario's kills is reported.
/// </summary>
internal sealed class ClusterFaultRun : IAsyncDisposable
{
    private const int Publishers = 4;
    private const ushort Prefetch = 32;
    private static readonly TimeSpan PublishInterval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan FailurePause = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ResumeDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan DrainDeadline = TimeSpan.FromSeconds(60);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ClusterFixture _fixture;
    private readonly Action<string> _progress;
    private readonly string _run = Guid.NewGuid().ToString("N")[..12];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentDictionary<int, PublishRecord> _publishes = new();
    private readonly ConcurrentQueue<(string Run, int Id, TimeSpan At, bool Drained)> _deliveries = new();
    private readonly ConcurrentDictionary<int, int> _delivered = new();
    private readonly ConcurrentQueue<string> _events = new();
    private readonly List<(int Node, TimeSpan At)> _kills = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly CapturingLoggerFactory _logs = new();
    private Bus? _publisher;
    private Bus? _consumer;
    private Subscription? _subscription;
    private Task[] _publishing = [];
    private int _nextId;
    private long _lastConfirm = -1;
    private long _lastDelivery = -1;

    public ClusterFaultRun(ClusterFixture fixture, string scenario, string fault, Action<string> progress)
    {
        _fixture = fixture;
        _progress = progress;
        Figures = new FaultFigures { Scenario = scenario, Fault = fault };
    }

    public FaultFigures Figures { get; }

    public BrokerCluster Cluster => _fixture.Cluster;

    public Bus Publisher => _publisher!;

    public Bus Consumer => _consumer!;

    private TimeSpan Now => _clock.Elapsed;

    /// <summary>
    /// The whole scenario: the queue declared with its leader on <paramref name="leaderNode"/>, both buses connected with
    /// the endpoints in <paramref name="order"/>, steady traffic, the fault, traffic after it, the drain, the figures.
    /// </summary>
    public async Task<FaultFigures> RunAsync(int leaderNode, int[] order, Func<ClusterFaultRun, Task> fault, CancellationToken cancellationToken)
    {
        _fixture.EnsureAllUp();
        await PrepareQueueAsync(leaderNode, cancellationToken);
        _consumer = await ConnectAsync("consumer", order, cancellationToken);
        _subscription = await _consumer.SubscribeAsync<ClusterEntry>(HandleAsync, new SubscribeOptions { Prefetch = Prefetch }, cancellationToken);
        _publisher = await ConnectAsync("publisher", order, cancellationToken);
        Bus publisher = _publisher;
        _publishing = Enumerable.Range(0, Publishers).Select(_ => Task.Run(() => PublishLoopAsync(publisher), CancellationToken.None)).ToArray();
        if (!await Wait.UntilAsync(() => ConfirmedCount >= 20 && _delivered.Count >= 20, TimeSpan.FromSeconds(30), cancellationToken))
        {
            Figures.Violations.Add($"no steady state before the fault: {ConfirmedCount} confirms, {_delivered.Count} deliveries in 30 s");
        }

        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        _progress($"{Figures.Scenario}: steady ({ConfirmedCount} confirmed); publisher on node {_fixture.NodeOf(publisher)}, consumer on node {_fixture.NodeOf(_consumer)}, leader on node {Cluster.LeaderOf(ClusterEntry.QueueName, leaderNode)}");
        await fault(this);
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        await StopPublishersAsync();
        await WaitForConsumerAsync(cancellationToken);
        await StopClientsAsync();
        await DrainAsync(cancellationToken);
        Compute();
        return Figures;
    }

    /// <summary>SIGKILL of <paramref name="node"/>, then waits until a publish is confirmed and a message delivered after it.</summary>
    public async Task KillAsync(int node, CancellationToken cancellationToken)
    {
        // From the moment the node's VM is gone (the script waits for it): a confirm or delivery before that may still
        // have come from the dying node.
        await Task.Run(() => Cluster.Kill(node), cancellationToken);
        TimeSpan at = Now;
        _kills.Add((node, at));
        _progress($"{Figures.Scenario}: killed node {node} at {Report.Seconds(at)}");
        long since = at.Ticks;
        if (!await Wait.UntilAsync(() => Volatile.Read(ref _lastConfirm) >= since && Volatile.Read(ref _lastDelivery) >= since, ResumeDeadline, cancellationToken))
        {
            string missing = Volatile.Read(ref _lastConfirm) < since ? "no publish was confirmed" : "the consumer got nothing";
            Figures.Violations.Add($"traffic did not resume after node {node} was killed: {missing} within {Report.Seconds(ResumeDeadline)}");
        }
        else
        {
            _progress($"{Figures.Scenario}: traffic resumed; publisher on node {_fixture.NodeOf(Publisher)}, consumer on node {_fixture.NodeOf(Consumer)}");
        }
    }

    /// <summary>Starts a killed node again and waits until the cluster sees it running.</summary>
    public async Task RestartAsync(int node, CancellationToken cancellationToken)
    {
        TimeSpan at = Now;
        await Task.Run(() => Cluster.Restart(node), cancellationToken);
        _progress($"{Figures.Scenario}: node {node} back after {Report.Seconds(Now - at)}");
    }

    /// <summary>Adds a violation unless a connection event of <paramref name="bus"/> starting with <paramref name="what"/> mentions <paramref name="containing"/> within 10 s.</summary>
    public async Task RequireEventAsync(string bus, string what, string containing)
    {
        // Events are raised on the thread pool, a moment after the client's own.
        bool Seen() => _events.Any(e => e.StartsWith($"{bus}: {what}", StringComparison.Ordinal) && e.Contains(containing, StringComparison.Ordinal));
        if (!await Wait.UntilAsync(Seen, TimeSpan.FromSeconds(10), CancellationToken.None))
        {
            Figures.Violations.Add($"no '{bus}: {what}' event naming {containing} (events: {string.Join("; ", _events)})");
        }
    }

    private int ConfirmedCount => _publishes.Values.Count(p => p.Outcome == PublishOutcome.Confirmed);

    private async Task PrepareQueueAsync(int leaderNode, CancellationToken cancellationToken)
    {
        await using (RawNode raw = await RawNode.ConnectAsync(_fixture.UriOf(leaderNode), cancellationToken))
        {
            await raw.DeleteQueuesAsync([ClusterEntry.QueueName, ErrorQueues.NameFor(ClusterEntry.QueueName)], cancellationToken);
        }

        // A quorum queue's leader is the member on the node whose client declared it.
        BusOptions options = _fixture.Options("cluster-declarer", leaderNode);
        await using Bus declarer = await Bus.ConnectAsync(options, cancellationToken);
        await declarer.DeclareTopologyAsync(cancellationToken);
    }

    private async Task<Bus> ConnectAsync(string name, int[] order, CancellationToken cancellationToken)
    {
        BusOptions options = _fixture.Options($"cluster-{name}", order);
        options.PublishTimeout = PublishTimeout;
        options.LoggerFactory = _logs;
        Bus bus = await Bus.ConnectAsync(options, cancellationToken);
        bus.ConnectionLost += (_, e) => _events.Enqueue($"{name}: lost {e.Node?.Endpoint} at {Report.Seconds(Now)}");
        bus.ConnectionRecovered += (_, e) => _events.Enqueue($"{name}: recovered on {e.Node?.Endpoint} at {Report.Seconds(Now)} after {Report.Seconds(e.Downtime)}");
        return bus;
    }

    private async Task PublishLoopAsync(Bus bus)
    {
        while (!_stop.IsCancellationRequested)
        {
            int id = Interlocked.Increment(ref _nextId);
            var publish = new PublishRecord(Now);
            _publishes[id] = publish;
            try
            {
                await bus.PublishAsync(new ClusterEntry(_run, id));
                publish.Complete(PublishOutcome.Confirmed, Now, null);
                Volatile.Write(ref _lastConfirm, Now.Ticks);
            }
            catch (Exception ex)
            {
                bool definite = ex is PublishNackedException or PublishReturnedException or PublishTimeoutException { MayHaveBeenPublished: false };
                publish.Complete(definite ? PublishOutcome.Failed : PublishOutcome.Unknown, Now, ex.GetType().Name);
            }

            try
            {
                await Task.Delay(publish.Outcome == PublishOutcome.Confirmed ? PublishInterval : FailurePause, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private ValueTask HandleAsync(ClusterEntry entry, MessageContext context, CancellationToken cancellationToken)
    {
        TimeSpan now = Now;
        _deliveries.Enqueue((entry.Run, entry.Id, now, false));
        if (entry.Run == _run)
        {
            _delivered.AddOrUpdate(entry.Id, 1, static (_, count) => count + 1);
        }

        Volatile.Write(ref _lastDelivery, now.Ticks);
        return ValueTask.CompletedTask;
    }

    private async Task StopPublishersAsync()
    {
        _stop.Cancel();
        Task all = Task.WhenAll(_publishing);
        if (await Task.WhenAny(all, Task.Delay(PublishTimeout + TimeSpan.FromSeconds(5))) != all)
        {
            Figures.Violations.Add("publishes still pending after PublishTimeout");
        }
    }

    private async Task WaitForConsumerAsync(CancellationToken cancellationToken)
    {
        int[] confirmed = _publishes.Where(p => p.Value.Outcome == PublishOutcome.Confirmed).Select(p => p.Key).ToArray();
        if (!await Wait.UntilAsync(() => confirmed.All(_delivered.ContainsKey), DrainDeadline, cancellationToken))
        {
            Figures.Notes.Add($"{confirmed.Count(id => !_delivered.ContainsKey(id))} confirmed messages not delivered to the consumer {Report.Seconds(DrainDeadline)} after publishing stopped; draining by hand");
        }
    }

    private async Task StopClientsAsync()
    {
        foreach (IAsyncDisposable? disposable in new IAsyncDisposable?[] { _subscription, _consumer, _publisher })
        {
            if (disposable is not null)
            {
                Task disposing = disposable.DisposeAsync().AsTask();
                if (await Task.WhenAny(disposing, Task.Delay(TimeSpan.FromSeconds(20))) != disposing)
                {
                    Figures.Violations.Add($"disposing {disposable} hung for 20 s");
                }
            }
        }

        _subscription = null;
        _consumer = null;
        _publisher = null;
    }

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        // Any running node will do: a quorum queue answers on every member.
        await using RawNode raw = await RawNode.ConnectAsync(_fixture.UriOf(FirstRunningNode()), cancellationToken);
        foreach (string queue in new[] { ClusterEntry.QueueName, ErrorQueues.NameFor(ClusterEntry.QueueName) })
        {
            List<RawMessage> left = await raw.DrainAsync(queue, cancellationToken);
            foreach (RawMessage message in left)
            {
                ClusterEntry? entry = JsonSerializer.Deserialize<ClusterEntry>(message.Body, Json);
                _deliveries.Enqueue((entry?.Run ?? "(unreadable)", entry?.Id ?? 0, Now, true));
            }

            if (left.Count > 0)
            {
                Figures.Notes.Add($"{left.Count} messages were left in '{queue}' and drained by hand");
            }
        }
    }

    private int FirstRunningNode()
    {
        string[] lines = Cluster.Status().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        for (int node = 1; node <= lines.Length; node++)
        {
            if (lines[node - 1].TrimEnd().EndsWith(" running", StringComparison.Ordinal))
            {
                return node;
            }
        }

        throw new InvalidOperationException("No node of the cluster runs:\n" + string.Join("\n", lines));
    }

    private void Compute()
    {
        FaultFigures f = Figures;
        f.Sent = _publishes.Count;
        f.Confirmed = _publishes.Values.Count(p => p.Outcome == PublishOutcome.Confirmed);
        f.Failed = _publishes.Values.Count(p => p.Outcome == PublishOutcome.Failed);
        f.Unknown = _publishes.Values.Count(p => p.Outcome is PublishOutcome.Unknown or PublishOutcome.Pending);

        var counts = new Dictionary<int, int>();
        foreach ((string run, int id, _, _) in _deliveries)
        {
            if (run != _run || !_publishes.TryGetValue(id, out PublishRecord? publish) || (publish.Outcome == PublishOutcome.Failed && !counts.ContainsKey(id)))
            {
                f.Unexpected++;
                continue;
            }

            counts[id] = counts.GetValueOrDefault(id) + 1;
        }

        f.Delivered = counts.Count;
        f.Duplicates = counts.Values.Sum(count => count - 1);
        f.UnknownDelivered = _publishes.Count(p => p.Value.Outcome is PublishOutcome.Unknown or PublishOutcome.Pending && counts.ContainsKey(p.Key));
        int[] lost = _publishes.Where(p => p.Value.Outcome == PublishOutcome.Confirmed && !counts.ContainsKey(p.Key)).Select(p => p.Key).Order().ToArray();
        f.Lost = lost.Length;

        // Each kill may resend the publishes in flight (each publisher awaits its own) and redeliver the consumer's
        // unacknowledged prefetch, once.
        int kills = Math.Max(1, _kills.Count);
        f.DuplicateBound = kills * (Publishers + Prefetch);
        f.DuplicateBasis = $"{kills} kill{(kills == 1 ? string.Empty : "s")} × ({Publishers} publishes in flight + prefetch {Prefetch})";

        // Worst over the kills: from each kill to the first confirm and the first delivery after it; never, if one never came.
        var confirms = new List<TimeSpan?>();
        var deliveries = new List<TimeSpan?>();
        foreach ((int node, TimeSpan at) in _kills)
        {
            TimeSpan? confirm = _publishes.Values.Where(p => p.Outcome == PublishOutcome.Confirmed && p.CompletedAt >= at).Select(p => (TimeSpan?)(p.CompletedAt - at)).Min();
            TimeSpan? delivery = _deliveries.Where(d => !d.Drained && d.At >= at).Select(d => (TimeSpan?)(d.At - at)).Min();
            f.Notes.Add($"node {node} killed at {Report.Seconds(at)}: next confirm after {Report.Seconds(confirm)}, next delivery after {Report.Seconds(delivery)}");
            confirms.Add(confirm);
            deliveries.Add(delivery);
        }

        f.ConfirmRecovery = Worst(confirms);
        f.DeliveryRecovery = Worst(deliveries);

        if (f.Lost > 0)
        {
            f.Violations.Add($"{f.Lost} confirmed messages were never delivered (ids {string.Join(", ", lost.Take(20))})");
        }

        if (f.Unexpected > 0)
        {
            f.Violations.Add($"{f.Unexpected} deliveries were never sent by this run or were reported failed");
        }

        if (f.Duplicates > f.DuplicateBound)
        {
            f.Violations.Add($"{f.Duplicates} duplicates, more than the bound of {f.DuplicateBound} ({f.DuplicateBasis})");
        }

        var errors = _publishes.Values.Where(p => p.Error is not null).GroupBy(p => p.Error!).Select(g => $"{g.Key} ×{g.Count()}").ToList();
        if (errors.Count > 0)
        {
            f.Notes.Add("publish errors: " + string.Join("; ", errors));
        }

        f.Notes.Add("events: " + (_events.IsEmpty ? "none" : string.Join("; ", _events)));
        string[] warnings = _logs.Entries.Where(e => e.Level >= LogLevel.Warning).Select(e => $"[{e.EventId.Id}] {e.Message}").Distinct().Take(8).ToArray();
        if (warnings.Length > 0)
        {
            f.Notes.Add("log: " + string.Join(" | ", warnings));
        }
    }

    private static TimeSpan? Worst(List<TimeSpan?> times) => times.Count == 0 || times.Any(t => t is null) ? null : times.Max();

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await Task.WhenAny(Task.WhenAll(_publishing), Task.Delay(TimeSpan.FromSeconds(10)));
        await StopClientsAsync();
        _stop.Dispose();
    }
}
