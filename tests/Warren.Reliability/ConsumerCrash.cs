using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Warren.IntegrationTests.Infrastructure;

namespace Warren.Reliability;

/// <summary>
/// A batch is published and confirmed; a consumer in another process (<see cref="ConsumerProcess"/>) works through it;
/// a second consumer joins; the first is killed with SIGKILL while it holds a prefetch of unacknowledged messages.
/// Every message must reach a handler, the killed consumer's unacknowledged ones marked redelivered.
/// </summary>
internal static class ConsumerCrash
{
    private const int Batch = 600;
    private const ushort Prefetch = 50;
    private const int HandlerDelayMs = 10;
    private const int HandledBeforeKill = 60;

    public static async Task<FaultFigures> RunAsync(PrivateBroker node, string scenario, Action<string> progress, CancellationToken cancellationToken)
    {
        var figures = new FaultFigures
        {
            Scenario = scenario,
            Fault = $"kill -9 of a consumer process (prefetch {Prefetch}) after it handled {HandledBeforeKill} of {Batch}",
        };
        string run = Guid.NewGuid().ToString("N")[..12];
        await using (RawNode raw = await RawNode.ConnectAsync(node.Uri, cancellationToken))
        {
            await raw.DeleteQueuesAsync(FaultRun.Queues, cancellationToken);
        }

        progress($"{scenario}: publishing a batch of {Batch}");
        ConcurrentDictionary<int, PublishOutcome> outcomes = await PublishBatchAsync(node, run, figures, cancellationToken);

        progress($"{scenario}: starting the consumer process");
        using ChildConsumer child = ChildConsumer.Start(node.Uri, run, Prefetch, HandlerDelayMs);
        await child.WaitReadyAsync(TimeSpan.FromSeconds(60));
        if (!await Wait.UntilAsync(() => child.DoneCount >= HandledBeforeKill, TimeSpan.FromSeconds(30), cancellationToken))
        {
            figures.Violations.Add($"the consumer process handled only {child.DoneCount} messages in 30 s");
        }

        var clock = Stopwatch.StartNew();
        var deliveries = new ConcurrentQueue<(string Run, int Id, bool Redelivered, TimeSpan At)>();
        var busOptions = new BusOptions { Uri = node.Uri, ClientName = "reliability-second-consumer", ShutdownTimeout = TimeSpan.FromSeconds(5) };
        await using Bus consumer = await Bus.ConnectAsync(busOptions, cancellationToken);
        Subscription subscription = await consumer.SubscribeAsync<LedgerEntry>(
            (entry, context, _) =>
            {
                deliveries.Enqueue((entry.Run, entry.Id, context.Redelivered, clock.Elapsed));
                return new ValueTask(Task.Delay(HandlerDelayMs, CancellationToken.None));
            },
            new SubscribeOptions { Prefetch = Prefetch },
            cancellationToken);

        // Both consume for a moment, so that the kill hits a consumer in the middle of shared work.
        await Wait.UntilAsync(() => deliveries.Count >= 10, TimeSpan.FromSeconds(10), cancellationToken);
        TimeSpan killedAt = clock.Elapsed;
        await child.KillAsync();
        progress($"{scenario}: killed the consumer process after it handled {child.DoneCount}");
        var childGot = child.Got.ToHashSet();
        var childDone = child.Done.ToHashSet();

        int[] confirmed = outcomes.Where(o => o.Value == PublishOutcome.Confirmed).Select(o => o.Key).ToArray();
        bool complete = await Wait.UntilAsync(
            () =>
            {
                var seen = deliveries.Where(d => d.Run == run).Select(d => d.Id).ToHashSet();
                return confirmed.All(id => childDone.Contains(id) || seen.Contains(id));
            },
            TimeSpan.FromSeconds(30),
            cancellationToken);
        if (!complete)
        {
            figures.Violations.Add("the second consumer did not get every message the killed one had not finished within 30 s");
        }

        Task stopping = subscription.DisposeAsync().AsTask();
        if (await Task.WhenAny(stopping, Task.Delay(TimeSpan.FromSeconds(20))) != stopping)
        {
            figures.Violations.Add("disposing the second consumer's subscription hung for 20 s");
        }

        var drained = new List<LedgerEntry?>();
        await using (RawNode raw = await RawNode.ConnectAsync(node.Uri, cancellationToken))
        {
            foreach (string queue in FaultRun.Queues)
            {
                foreach (RawMessage message in await raw.DrainAsync(queue, cancellationToken))
                {
                    try
                    {
                        drained.Add(JsonSerializer.Deserialize<LedgerEntry>(message.Body, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
                    }
                    catch (JsonException)
                    {
                        drained.Add(null);
                    }
                }
            }
        }

        if (drained.Count > 0)
        {
            figures.Notes.Add($"{drained.Count} messages were left in the queues and drained by hand");
        }

        // Figures: a message is delivered when a handler finished it in the child, or the second consumer got it.
        var counts = new Dictionary<int, int>();
        int unexpected = child.Stale + drained.Count(d => d is null || d.Run != run || !outcomes.ContainsKey(d.Id));
        foreach (int id in childDone)
        {
            counts[id] = 1;
        }

        foreach ((string deliveryRun, int id, _, _) in deliveries)
        {
            if (deliveryRun != run || !outcomes.ContainsKey(id))
            {
                unexpected++;
                continue;
            }

            counts[id] = counts.GetValueOrDefault(id) + 1;
        }

        foreach (LedgerEntry? entry in drained)
        {
            if (entry is not null && entry.Run == run && outcomes.ContainsKey(entry.Id))
            {
                counts[entry.Id] = counts.GetValueOrDefault(entry.Id) + 1;
            }
        }

        figures.Sent = outcomes.Count;
        figures.Confirmed = confirmed.Length;
        figures.Failed = outcomes.Values.Count(o => o == PublishOutcome.Failed);
        figures.Unknown = outcomes.Values.Count(o => o == PublishOutcome.Unknown);
        figures.UnknownDelivered = outcomes.Count(o => o.Value == PublishOutcome.Unknown && counts.ContainsKey(o.Key));
        figures.Delivered = counts.Count;
        figures.Unexpected = unexpected;
        figures.Duplicates = counts.Values.Sum(c => c - 1);
        figures.DuplicateBound = Prefetch;
        figures.DuplicateBasis = $"prefetch {Prefetch} of the killed consumer (handled, ack lost with the process)";
        figures.Lost = confirmed.Count(id => !counts.ContainsKey(id));
        figures.DeliveryRecovery = deliveries.Where(d => d.Redelivered && d.At >= killedAt).Select(d => (TimeSpan?)(d.At - killedAt)).Min();
        figures.PublishesDuringFault = false;

        var secondRedelivered = deliveries.Where(d => d.Run == run && d.Redelivered).Select(d => d.Id).ToHashSet();
        var secondFresh = deliveries.Where(d => d.Run == run && !d.Redelivered).Select(d => d.Id).ToHashSet();
        int[] unfinished = childGot.Where(id => !childDone.Contains(id)).ToArray();
        int[] notMarked = childGot.Where(secondFresh.Contains).ToArray();

        if (figures.Lost > 0)
        {
            figures.Violations.Add($"{figures.Lost} confirmed messages were never handled");
        }

        if (figures.Unexpected > 0)
        {
            figures.Violations.Add($"{figures.Unexpected} deliveries of messages this run never sent");
        }

        if (figures.Duplicates > figures.DuplicateBound)
        {
            figures.Violations.Add($"{figures.Duplicates} duplicates, more than the bound of {figures.DuplicateBound} ({figures.DuplicateBasis})");
        }

        if (secondRedelivered.Count == 0)
        {
            figures.Violations.Add("the second consumer got no message marked redelivered: the killed consumer's unacknowledged messages did not move to it");
        }
        else if (secondRedelivered.Count > Prefetch)
        {
            figures.Violations.Add($"{secondRedelivered.Count} redelivered messages, more than the killed consumer's prefetch of {Prefetch}");
        }

        if (notMarked.Length > 0)
        {
            figures.Violations.Add($"{notMarked.Length} messages the killed consumer had received reached the second one without the redelivered flag");
        }

        int unfinishedNotRedelivered = unfinished.Count(id => !secondRedelivered.Contains(id));
        if (unfinishedNotRedelivered > 0)
        {
            figures.Violations.Add($"{unfinishedNotRedelivered} messages whose handler was running in the killed process did not come back redelivered");
        }

        figures.Notes.Add($"the killed process finished {childDone.Count} and was in the middle of {unfinished.Length}; the second consumer got {secondRedelivered.Count} redelivered and {secondFresh.Count} fresh");
        return figures;
    }

    private static async Task<ConcurrentDictionary<int, PublishOutcome>> PublishBatchAsync(PrivateBroker node, string run, FaultFigures figures, CancellationToken cancellationToken)
    {
        var outcomes = new ConcurrentDictionary<int, PublishOutcome>();
        var errors = new ConcurrentQueue<string>();
        var options = new BusOptions { Uri = node.Uri, ClientName = "reliability-batch-publisher", PublishTimeout = TimeSpan.FromSeconds(20) };
        await using Bus publisher = await Bus.ConnectAsync(options, cancellationToken);
        int next = 0;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(
            async () =>
            {
                int id;
                while ((id = Interlocked.Increment(ref next)) <= Batch)
                {
                    try
                    {
                        await publisher.PublishAsync(new LedgerEntry(run, id), cancellationToken: cancellationToken);
                        outcomes[id] = PublishOutcome.Confirmed;
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        (PublishOutcome outcome, string error) = FaultRun.Classify(ex);
                        outcomes[id] = outcome;
                        errors.Enqueue(error);
                    }
                }
            },
            cancellationToken)));
        if (!errors.IsEmpty)
        {
            figures.Violations.Add($"publishing the batch failed without any fault: {string.Join("; ", errors.Distinct())}");
        }

        return outcomes;
    }
}
