using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Warren.Testing;

public sealed partial class WarrenTestHarness
{
    /// <summary>The <typeparamref name="TMessage"/>s published through the harness (matching <paramref name="predicate"/>), in order.</summary>
    public IReadOnlyList<PublishedMessage<TMessage>> Published<TMessage>(Func<TMessage, bool>? predicate = null) =>
        Filter(_core.Records<PublishedMessage<TMessage>>(), r => predicate is null || predicate(r.Message));

    /// <summary>Every publish that no queue took (dropped, or returned for a mandatory type), of any type.</summary>
    public IReadOnlyList<Envelope> Unrouted()
    {
        var unrouted = new List<Envelope>();
        foreach (IUnroutable record in _core.Records<IUnroutable>())
        {
            if (!record.WasRouted)
            {
                unrouted.Add(record.Sent);
            }
        }

        return unrouted;
    }

    /// <summary>The <typeparamref name="TMessage"/>s consumers handled successfully (matching <paramref name="predicate"/>), in order.</summary>
    public IReadOnlyList<ConsumedMessage<TMessage>> Consumed<TMessage>(Func<TMessage, bool>? predicate = null) =>
        Filter(_core.Records<ConsumedMessage<TMessage>>(), r => predicate is null || predicate(r.Message));

    /// <summary>What <typeparamref name="TMessage"/> subscriptions moved to their error queues, with the reasons.</summary>
    public IReadOnlyList<ErrorQueuedMessage<TMessage>> ErrorQueued<TMessage>() => _core.Records<ErrorQueuedMessage<TMessage>>();

    /// <summary>Everything any subscription moved to an error queue.</summary>
    public IReadOnlyList<ErrorQueuedMessage> ErrorQueued() => _core.Records<ErrorQueuedMessage>();

    /// <summary>The messages waiting in a queue, oldest first: an error queue's contents, or a queue nobody consumes.</summary>
    public IReadOnlyList<Envelope> QueueContents(string queue) => _core.Broker.Peek(queue);

    /// <summary>Forgets what was published, consumed and error-queued so far (the queues keep their messages).</summary>
    public void ClearRecords() => _core.ClearRecords();

    /// <summary>
    /// Completes when no delivery is in flight and no consumed queue holds a message: everything published so far, and
    /// everything the handlers published in turn, has been handled, retried or moved to an error queue. Throws
    /// <see cref="TimeoutException"/> naming the busy queues after <paramref name="timeout"/> (by default
    /// <see cref="HarnessOptions.DefaultTimeout"/>), and any exception that escaped the harness itself.
    /// </summary>
    public async Task DrainAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        await WaitAsync(_core.Broker.IsIdle, timeout, () => $"The harness did not drain; busy queues: {_core.Broker.DescribeBusy()}.", cancellationToken)
            .ConfigureAwait(false);
        ThrowFaults();
    }

    /// <summary>Completes when at least <paramref name="count"/> <typeparamref name="TMessage"/>s have been consumed; returns them.</summary>
    public Task<IReadOnlyList<ConsumedMessage<TMessage>>> WaitForConsumedAsync<TMessage>(
        int count = 1, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        WaitForRecordsAsync<ConsumedMessage<TMessage>>(count, $"{typeof(TMessage).Name} consumed", timeout, cancellationToken);

    /// <summary>Completes when at least <paramref name="count"/> <typeparamref name="TMessage"/>s have gone to an error queue; returns them.</summary>
    public Task<IReadOnlyList<ErrorQueuedMessage<TMessage>>> WaitForErrorQueuedAsync<TMessage>(
        int count = 1, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        WaitForRecordsAsync<ErrorQueuedMessage<TMessage>>(count, $"{typeof(TMessage).Name} error-queued", timeout, cancellationToken);

    private async Task<IReadOnlyList<TRecord>> WaitForRecordsAsync<TRecord>(int count, string what, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        await WaitAsync(() => _core.Records<TRecord>().Count >= count, timeout,
            () => $"{_core.Records<TRecord>().Count} of {count} {what} in time.", cancellationToken).ConfigureAwait(false);
        ThrowFaults();
        return _core.Records<TRecord>();
    }

    private async Task WaitAsync(Func<bool> condition, TimeSpan? timeout, Func<string> describe, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout ?? _core.Options.DefaultTimeout);
        try
        {
            await _core.Broker.WaitUntilAsync(condition, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(describe());
        }
    }

    private void ThrowFaults()
    {
        if (_core.Broker.Faults is { Count: > 0 } faults)
        {
            throw new AggregateException("Deliveries failed inside the harness.", faults);
        }
    }

    private static List<T> Filter<T>(List<T> records, Func<T, bool> keep)
    {
        records.RemoveAll(r => !keep(r));
        return records;
    }
}

/// <summary>A publish, seen only for whether any queue took it.</summary>
internal interface IUnroutable
{
    bool WasRouted { get; }

    Envelope Sent { get; }
}
