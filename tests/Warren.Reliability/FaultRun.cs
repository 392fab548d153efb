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

namespace Warren.Reliability;

/// <summary>How a fault run publishes and consumes.</summary>
public sealed record FaultRunSettings
{
    /// <summary>Concurrent publishers, each awaiting its own <c>PublishAsync</c>: also the most publishes in flight at a fault.</summary>
    public int Publishers { get; init; } = 16;

    /// <summary>Each publisher's pause after a confirmed publish: a steady stream, not a flood the drain must wait for.</summary>
    public TimeSpan PublishInterval { get; init; } = TimeSpan.FromMilliseconds(25);

    /// <summary>The consumer's prefetch: the most deliveries a lost channel can leave unacknowledged.</summary>
    public ushort Prefetch { get; init; } = 32;

    /// <summary>How long the handler takes per message (keeps deliveries unacknowledged when the fault hits).</summary>
    public TimeSpan HandlerDelay { get; init; } = TimeSpan.Zero;

    /// <summary><see cref="BusOptions.PublishTimeout"/> of the publisher bus: longer than any outage of the suite.</summary>
    public TimeSpan PublishTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary><see cref="BusOptions.Heartbeat"/> of both buses; null for the default.</summary>
    public TimeSpan? Heartbeat { get; init; }

    /// <summary>Traffic before the fault.</summary>
    public TimeSpan SteadyState { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Traffic after the first confirm and delivery that follow the healing.</summary>
    public TimeSpan AfterRecovery { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The most the suite waits for traffic to resume after the fault healed.</summary>
    public TimeSpan RecoveryDeadline { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The most the suite waits for the consumer to get every confirmed message once publishing stopped.</summary>
    public TimeSpan DrainDeadline { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The fault itself connects the buses (the app starts while the broker is down).</summary>
    public bool ClientsStartedByFault { get; init; }

    /// <summary>A cap on publishes, so that a fault that makes publishes fail fast cannot flood the run.</summary>
    public int MaxSends { get; init; } = 30_000;
}

/// <summary>
/// One fault scenario: a publisher bus with concurrent publishers and a consumer bus on the ledger queue, both on the
/// private node; a history of every publish and delivery; then the figures. The scenario drives the phases.
/// </summary>
internal sealed class FaultRun : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan FailurePause = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ConnectDeadline = TimeSpan.FromSeconds(60);

    private readonly PrivateBroker _node;
    private readonly FaultRunSettings _settings;
    private readonly Action<string> _progress;
    private readonly string _run = Guid.NewGuid().ToString("N")[..12];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentDictionary<int, PublishRecord> _publishes = new();
    private readonly ConcurrentQueue<Delivery> _deliveries = new();
    private readonly ConcurrentDictionary<int, int> _deliveredToConsumer = new();
    private readonly ConcurrentQueue<(TimeSpan At, string Text)> _events = new();
    private readonly CancellationTokenSource _stopPublishing = new();
    private readonly CancellationTokenSource _abandon = new();
    private Bus? _publisher;
    private Bus? _consumer;
    private Subscription? _subscription;
    private Task[] _publishing = [];
    private int _nextId;
    private int _confirmed;
    private long _lastConfirmTicks = -1;
    private long _lastDeliveryTicks = -1;

    public FaultRun(PrivateBroker node, string scenario, string fault, FaultRunSettings settings, Action<string> progress)
    {
        _node = node;
        _settings = settings;
        _progress = progress;
        Figures = new FaultFigures { Scenario = scenario, Fault = fault };
    }

    public FaultFigures Figures { get; }

    public CapturingLoggerFactory PublisherLogs { get; } = new();

    public CapturingLoggerFactory ConsumerLogs { get; } = new();


    public IReadOnlyCollection<Delivery> Deliveries => _deliveries;

    /// <summary>What each publish that did not succeed threw, as <see cref="Classify"/> names it.</summary>
    public IEnumerable<string> PublishErrors => _publishes.Values.Where(p => p.Error is not null).Select(p => p.Error!);

    public TimeSpan? FaultAt { get; private set; }

    public TimeSpan? HealedAt { get; private set; }

    public TimeSpan Now => _clock.Elapsed;

    private int ConfirmedCount => Volatile.Read(ref _confirmed);

    public static string[] Queues => [LedgerEntry.QueueName, ErrorQueues.NameFor(LedgerEntry.QueueName)];

    /// <summary>The whole scenario: traffic, the fault (which returns once it has healed), recovery, drain, figures.</summary>
    public async Task<FaultFigures> RunAsync(Func<FaultRun, CancellationToken, Task> injectAndHeal, CancellationToken cancellationToken)
    {
        await EmptyQueuesAsync(cancellationToken);
        if (!_settings.ClientsStartedByFault)
        {
            await StartClientsAsync(cancellationToken);
            await WaitForSteadyStateAsync(cancellationToken);
        }

        _progress($"{Figures.Scenario}: injecting the fault ({Figures.Fault})");
        await injectAndHeal(this, cancellationToken);
        HealedAt ??= Now;
        _progress($"{Figures.Scenario}: healed after {Report.Seconds(HealedAt - FaultAt)}; waiting for traffic to resume");
        await WaitForRecoveryAsync(cancellationToken);
        await StopPublishersAsync();
        await WaitForConsumerAsync(cancellationToken);
        await StopClientsAsync();
        await DrainAsync(cancellationToken);
        Compute();
        return Figures;
    }

    public void MarkFault() => FaultAt ??= Now;

    public void MarkHealed() => HealedAt = Now;

    /// <summary>Connects the consumer bus and subscribes, then connects the publisher bus and starts the publishers.</summary>
    public async Task StartClientsAsync(CancellationToken cancellationToken)
    {
        _consumer = await ConnectAsync("consumer", ConsumerLogs, cancellationToken);
        _subscription = await _consumer.SubscribeAsync<LedgerEntry>(HandleAsync, new SubscribeOptions { Prefetch = _settings.Prefetch }, cancellationToken);
        _publisher = await ConnectAsync("publisher", PublisherLogs, cancellationToken);
        Bus publisher = _publisher;
        _publishing = Enumerable.Range(0, _settings.Publishers).Select(_ => Task.Run(() => PublishLoopAsync(publisher), CancellationToken.None)).ToArray();
    }

    /// <summary>Publishes confirmed between <paramref name="from"/> and <paramref name="to"/> (run time).</summary>
    public int ConfirmsBetween(TimeSpan from, TimeSpan to) =>
        _publishes.Values.Count(p => p.Outcome == PublishOutcome.Confirmed && p.CompletedAt >= from && p.CompletedAt < to);

    /// <summary>Adds a violation unless the bus logged the event id with a message containing <paramref name="containing"/>.</summary>
    public void RequireLog(CapturingLoggerFactory logs, string bus, int eventId, string what, string? containing = null)
    {
        bool found = logs.Entries.Any(e => e.EventId.Id == eventId && (containing is null || e.Message.Contains(containing, StringComparison.OrdinalIgnoreCase)));
        if (!found)
        {
            Figures.Violations.Add($"the {bus} bus logged no '{what}' line (event id {eventId}{(containing is null ? string.Empty : $" containing '{containing}'")})");
        }
    }

    /// <summary>
    /// Adds a violation unless a connection event starting with <paramref name="prefix"/> ("publisher: lost") was raised,
    /// mentioning <paramref name="containing"/>, before <paramref name="before"/> (run time) when given.
    /// </summary>
    public void RequireEvent(string prefix, string? containing = null, TimeSpan? before = null)
    {
        bool found = _events.Any(e => e.Text.StartsWith(prefix, StringComparison.Ordinal)
                                      && (containing is null || e.Text.Contains(containing, StringComparison.OrdinalIgnoreCase))
                                      && (before is null || e.At < before));
        if (!found)
        {
            string condition = (containing is null ? string.Empty : $" mentioning '{containing}'") + (before is null ? string.Empty : $" before {Report.Seconds(before)}");
            Figures.Violations.Add($"no '{prefix}' event{condition} (events seen: {(_events.IsEmpty ? "none" : string.Join("; ", _events.Select(Describe)))})");
        }
    }

    private static string Describe((TimeSpan At, string Text) connectionEvent) => $"at {Report.Seconds(connectionEvent.At)} {connectionEvent.Text}";

    private async Task<Bus> ConnectAsync(string name, CapturingLoggerFactory logs, CancellationToken cancellationToken)
    {
        var options = new BusOptions
        {
            Uri = _node.Uri,
            ClientName = $"reliability-{name}",
            LoggerFactory = logs,
            PublishTimeout = _settings.PublishTimeout,
            ShutdownTimeout = TimeSpan.FromSeconds(5),
        };
        if (_settings.Heartbeat is { } heartbeat)
        {
            options.Heartbeat = heartbeat;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(ConnectDeadline);
        Bus bus = await Bus.ConnectAsync(options, deadline.Token);
        bus.ConnectionLost += (_, e) => _events.Enqueue((Now, $"{name}: lost: {e.Reason}"));
        bus.ConnectionRecovered += (_, e) => _events.Enqueue((Now, $"{name}: recovered after {Report.Seconds(e.Downtime)}"));
        bus.ConnectionBlocked += (_, e) => _events.Enqueue((Now, $"{name}: blocked: {e.Reason}"));
        bus.ConnectionUnblocked += (_, e) => _events.Enqueue((Now, $"{name}: unblocked after {Report.Seconds(e.BlockedFor)}"));
        return bus;
    }

    private async Task PublishLoopAsync(Bus bus)
    {
        CancellationToken abandon = _abandon.Token;
        while (!_stopPublishing.IsCancellationRequested && !abandon.IsCancellationRequested)
        {
            int id = Interlocked.Increment(ref _nextId);
            if (id > _settings.MaxSends)
            {
                return;
            }

            var record = new PublishRecord(Now);
            _publishes[id] = record;
            try
            {
                await bus.PublishAsync(new LedgerEntry(_run, id), cancellationToken: abandon);
                record.Complete(PublishOutcome.Confirmed, Now, error: null);
                Interlocked.Increment(ref _confirmed);
                Volatile.Write(ref _lastConfirmTicks, Now.Ticks);
            }
            catch (Exception ex)
            {
                (PublishOutcome outcome, string error) = Classify(ex);
                record.Complete(outcome, Now, error);
            }

            try
            {
                // After a failure, pause longer: a publish that fails fast must not turn into a hot loop.
                await Task.Delay(record.Outcome == PublishOutcome.Confirmed ? _settings.PublishInterval : FailurePause, _stopPublishing.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>A definite failure, or a publish the broker may have taken; the text names the exception for the notes.</summary>
    internal static (PublishOutcome Outcome, string Error) Classify(Exception exception) => exception switch
    {
        PublishTimeoutException timeout => (timeout.MayHaveBeenPublished ? PublishOutcome.Unknown : PublishOutcome.Failed,
            $"PublishTimeoutException ({timeout.Reason}, {(timeout.MayHaveBeenPublished ? "may have been published" : "not sent")})"),
        PublishInterruptedException interrupted => (PublishOutcome.Unknown, $"PublishInterruptedException ({interrupted.ReplyCode})"),
        PublishNackedException => (PublishOutcome.Failed, nameof(PublishNackedException)),
        PublishReturnedException => (PublishOutcome.Failed, nameof(PublishReturnedException)),
        MessageLimitException => (PublishOutcome.Failed, nameof(MessageLimitException)),
        BrokerAccessDeniedException => (PublishOutcome.Failed, nameof(BrokerAccessDeniedException)),
        OperationCanceledException => (PublishOutcome.Unknown, "cancelled by the suite's deadline"),
        WarrenException => (PublishOutcome.Unknown, exception.GetType().Name),
        _ => (PublishOutcome.Unknown, $"untyped {exception.GetType().FullName}: {exception.Message}"),
    };

    private ValueTask HandleAsync(LedgerEntry entry, MessageContext context, CancellationToken cancellationToken)
    {
        TimeSpan now = Now;
        _deliveries.Enqueue(new Delivery(entry.Run, entry.Id, context.Redelivered, now, DeliverySource.Consumer));
        if (entry.Run == _run)
        {
            _deliveredToConsumer.AddOrUpdate(entry.Id, 1, static (_, count) => count + 1);
        }

        Volatile.Write(ref _lastDeliveryTicks, now.Ticks);
        // Not the handler's token: a shutdown must let this short wait finish and ack, not fail the message.
        return _settings.HandlerDelay > TimeSpan.Zero ? new ValueTask(Task.Delay(_settings.HandlerDelay, CancellationToken.None)) : ValueTask.CompletedTask;
    }

    private async Task WaitForSteadyStateAsync(CancellationToken cancellationToken)
    {
        if (!await Wait.UntilAsync(() => ConfirmedCount >= 20 && _deliveredToConsumer.Count >= 20, TimeSpan.FromSeconds(20), cancellationToken))
        {
            Figures.Violations.Add($"no steady state before the fault: {ConfirmedCount} confirms and {_deliveredToConsumer.Count} deliveries in 20 s");
        }

        await Task.Delay(_settings.SteadyState, cancellationToken);
    }

    private async Task WaitForRecoveryAsync(CancellationToken cancellationToken)
    {
        long healed = HealedAt!.Value.Ticks;
        bool recovered = await Wait.UntilAsync(
            () => Volatile.Read(ref _lastConfirmTicks) >= healed && Volatile.Read(ref _lastDeliveryTicks) >= healed,
            _settings.RecoveryDeadline,
            cancellationToken);
        if (!recovered)
        {
            string missing = Volatile.Read(ref _lastConfirmTicks) < healed ? "no publish was confirmed" : "the consumer got nothing";
            Figures.Violations.Add($"traffic did not resume: {missing} within {Report.Seconds(_settings.RecoveryDeadline)} after the fault healed");
        }
        else
        {
            await Task.Delay(_settings.AfterRecovery, cancellationToken);
        }
    }

    private async Task StopPublishersAsync()
    {
        _stopPublishing.Cancel();
        Task all = Task.WhenAll(_publishing);
        TimeSpan grace = _settings.PublishTimeout + TimeSpan.FromSeconds(5);
        if (await Task.WhenAny(all, Task.Delay(grace)) != all)
        {
            int pending = _publishes.Values.Count(p => p.Outcome == PublishOutcome.Pending);
            Figures.Violations.Add($"{pending} publishes still pending {Report.Seconds(grace)} after publishing stopped: PublishAsync outlived BusOptions.PublishTimeout ({Report.Seconds(_settings.PublishTimeout)})");
            _abandon.Cancel();
            await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(10)));
        }
    }

    /// <summary>Waits until the consumer has every confirmed id and the queue is empty.</summary>
    private async Task WaitForConsumerAsync(CancellationToken cancellationToken)
    {
        int[] confirmed = _publishes.Where(p => p.Value.Outcome == PublishOutcome.Confirmed).Select(p => p.Key).ToArray();
        await using RawNode raw = await RawNode.ConnectAsync(_node.Uri, cancellationToken);
        DateTime deadline = DateTime.UtcNow + _settings.DrainDeadline;
        while (true)
        {
            int missing = confirmed.Count(id => !_deliveredToConsumer.ContainsKey(id));
            uint ready = await raw.ReadyCountAsync(LedgerEntry.QueueName, cancellationToken) ?? 0;
            if (missing == 0 && ready == 0)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                Figures.Violations.Add($"the consumer stalled: {missing} confirmed messages not delivered to it and {ready} still ready in the queue {Report.Seconds(_settings.DrainDeadline)} after publishing stopped");
                return;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private async Task StopClientsAsync()
    {
        foreach ((IAsyncDisposable? disposable, string what) in new (IAsyncDisposable?, string)[] { (_subscription, "the subscription"), (_consumer, "the consumer bus"), (_publisher, "the publisher bus") })
        {
            if (disposable is null)
            {
                continue;
            }

            Task disposing = disposable.DisposeAsync().AsTask();
            if (await Task.WhenAny(disposing, Task.Delay(TimeSpan.FromSeconds(20))) != disposing)
            {
                Figures.Violations.Add($"disposing {what} hung for 20 s");
            }
            else if (disposing.Exception is { } failed)
            {
                Figures.Violations.Add($"disposing {what} threw {failed.InnerException?.GetType().Name}: {failed.InnerException?.Message}");
            }
        }

        _subscription = null;
        _consumer = null;
        _publisher = null;
    }

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        await using RawNode raw = await RawNode.ConnectAsync(_node.Uri, cancellationToken);
        foreach ((string queue, DeliverySource source) in new[] { (LedgerEntry.QueueName, DeliverySource.Drain), (ErrorQueues.NameFor(LedgerEntry.QueueName), DeliverySource.ErrorQueue) })
        {
            List<RawMessage> left = await raw.DrainAsync(queue, cancellationToken);
            foreach (RawMessage message in left)
            {
                LedgerEntry? entry = null;
                try
                {
                    entry = JsonSerializer.Deserialize<LedgerEntry>(message.Body, Json);
                }
                catch (JsonException)
                {
                }

                _deliveries.Enqueue(entry is null
                    ? new Delivery("(unreadable)", 0, message.Redelivered, Now, source)
                    : new Delivery(entry.Run, entry.Id, message.Redelivered, Now, source));
            }

            if (left.Count > 0)
            {
                Figures.Notes.Add($"{left.Count} messages were left in '{queue}' and drained by hand");
            }
        }

        if (_deliveries.Count(d => d.Source == DeliverySource.ErrorQueue) is > 0 and int errored)
        {
            Figures.Violations.Add($"{errored} messages ended in the error queue although the handler never fails");
        }
    }

    private async Task EmptyQueuesAsync(CancellationToken cancellationToken)
    {
        await using RawNode raw = await RawNode.ConnectAsync(_node.Uri, cancellationToken);
        await raw.DeleteQueuesAsync(Queues, cancellationToken);
    }

    private void Compute()
    {
        FaultFigures f = Figures;
        f.Sent = _publishes.Count;
        f.Confirmed = _publishes.Values.Count(p => p.Outcome == PublishOutcome.Confirmed);
        f.Failed = _publishes.Values.Count(p => p.Outcome == PublishOutcome.Failed);
        f.Unknown = _publishes.Values.Count(p => p.Outcome is PublishOutcome.Unknown or PublishOutcome.Pending);

        var deliveriesById = new Dictionary<int, int>();
        int unexpected = 0;
        foreach (Delivery delivery in _deliveries)
        {
            if (delivery.Run != _run || !_publishes.TryGetValue(delivery.Id, out PublishRecord? record))
            {
                unexpected++;
                continue;
            }

            if (record.Outcome == PublishOutcome.Failed && !deliveriesById.ContainsKey(delivery.Id))
            {
                // The publisher was told the broker did not take it, yet it arrived.
                unexpected++;
            }

            deliveriesById[delivery.Id] = deliveriesById.GetValueOrDefault(delivery.Id) + 1;
        }

        f.Delivered = deliveriesById.Count;
        f.Unexpected = unexpected;
        f.Duplicates = deliveriesById.Values.Sum(count => count - 1);
        f.UnknownDelivered = _publishes.Count(p => p.Value.Outcome is PublishOutcome.Unknown or PublishOutcome.Pending && deliveriesById.ContainsKey(p.Key));
        int[] lost = _publishes.Where(p => p.Value.Outcome == PublishOutcome.Confirmed && !deliveriesById.ContainsKey(p.Key)).Select(p => p.Key).Order().ToArray();
        f.Lost = lost.Length;

        // Each publisher awaits its publish, so at most this many are unconfirmed when the fault hits and may be sent twice;
        // the consumer holds at most a prefetch of unacknowledged deliveries, which come again after a lost channel.
        f.DuplicateBound = _settings.Publishers + _settings.Prefetch;
        f.DuplicateBasis = $"{_settings.Publishers} publishes in flight + prefetch {_settings.Prefetch}";

        if (HealedAt is { } healed)
        {
            f.ConfirmRecovery = _publishes.Values.Where(p => p.Outcome == PublishOutcome.Confirmed && p.CompletedAt >= healed).Select(p => (TimeSpan?)(p.CompletedAt - healed)).Min();
            f.DeliveryRecovery = _deliveries.Where(d => d.Source == DeliverySource.Consumer && d.At >= healed).Select(d => (TimeSpan?)(d.At - healed)).Min();
        }

        if (f.Lost > 0)
        {
            f.Violations.Add($"{f.Lost} confirmed messages were never delivered (ids {string.Join(", ", lost.Take(20))}{(lost.Length > 20 ? ", ..." : string.Empty)})");
        }

        if (f.Unexpected > 0)
        {
            f.Violations.Add($"{f.Unexpected} deliveries were never sent by this run or were reported failed to the publisher");
        }

        if (f.Duplicates > f.DuplicateBound)
        {
            f.Violations.Add($"{f.Duplicates} duplicates, more than the bound of {f.DuplicateBound} ({f.DuplicateBasis})");
        }

        TimeSpan slowest = _publishes.Values.Where(p => p.Outcome != PublishOutcome.Pending).Select(p => p.CompletedAt - p.StartedAt).DefaultIfEmpty().Max();
        if (slowest > _settings.PublishTimeout + TimeSpan.FromSeconds(3))
        {
            f.Violations.Add($"a publish took {Report.Seconds(slowest)}, longer than BusOptions.PublishTimeout ({Report.Seconds(_settings.PublishTimeout)})");
        }

        var errors = _publishes.Values.Where(p => p.Error is not null).GroupBy(p => p.Error!).Select(g => $"{g.Key} ×{g.Count()}").ToList();
        if (errors.Count > 0)
        {
            f.Notes.Add("publish errors: " + string.Join("; ", errors));
        }

        foreach (string untyped in errors.Where(e => e.StartsWith("untyped", StringComparison.Ordinal)))
        {
            f.Violations.Add($"PublishAsync threw an exception that is not a WarrenException: {untyped}");
        }

        f.Notes.Add($"slowest publish {Report.Seconds(slowest)}; redelivered deliveries {_deliveries.Count(d => d.Redelivered)}");
        if (!_events.IsEmpty)
        {
            f.Notes.Add($"events (fault at {Report.Seconds(FaultAt)}, healed at {Report.Seconds(HealedAt)}): " + string.Join("; ", _events.Select(Describe)));
        }

        string[] warnings = PublisherLogs.Entries.Concat(ConsumerLogs.Entries)
            .Where(e => e.Level >= LogLevel.Warning).Select(e => $"[{e.EventId.Id}] {e.Message}").Distinct().Take(8).ToArray();
        if (warnings.Length > 0)
        {
            f.Notes.Add("log: " + string.Join(" | ", warnings));
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stopPublishing.Cancel();
        _abandon.Cancel();
        await Task.WhenAny(Task.WhenAll(_publishing), Task.Delay(TimeSpan.FromSeconds(10)));
        await StopClientsAsync();
        _stopPublishing.Dispose();
        _abandon.Dispose();
    }
}

/// <summary>Where a delivery was seen.</summary>
internal enum DeliverySource
{
    Consumer,
    Drain,
    ErrorQueue,
}

/// <summary>One message seen by the consumer or found when the queues were drained.</summary>
internal readonly record struct Delivery(string Run, int Id, bool Redelivered, TimeSpan At, DeliverySource Source);
