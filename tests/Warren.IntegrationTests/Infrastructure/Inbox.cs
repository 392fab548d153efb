using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Warren.IntegrationTests.Infrastructure;

/// <summary>Collects what a consumer received, and waits for it with a deadline rather than a fixed sleep.</summary>
public sealed class Inbox<T>
{
    private readonly ConcurrentQueue<(T Message, MessageContext Context)> _items = new();
    private readonly SemaphoreSlim _signal = new(0);

    public int Count => _items.Count;

    public IReadOnlyList<T> Messages => _items.Select(i => i.Message).ToList();

    public IReadOnlyList<(T Message, MessageContext Context)> Items => _items.ToList();

    public void Add(T message, MessageContext context)
    {
        _items.Enqueue((message, context));
        _signal.Release();
    }

    /// <summary>Waits until at least <paramref name="count"/> items arrived; throws with what did arrive on timeout.</summary>
    public async Task WaitForAsync(int count, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (_items.Count < count)
        {
            TimeSpan left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _signal.WaitAsync(left))
            {
                if (_items.Count >= count)
                {
                    return;
                }

                throw new TimeoutException($"Expected {count} messages, got {_items.Count}: {string.Join(", ", Messages)}");
            }
        }
    }

    /// <summary>Asserts nothing more arrives within a short quiet period (for "gets nothing more" checks).</summary>
    public async Task AssertQuietAsync(int expectedCount, TimeSpan? period = null)
    {
        await Task.Delay(period ?? TimeSpan.FromMilliseconds(700));
        Xunit.Assert.Equal(expectedCount, _items.Count);
    }
}

/// <summary>A consumer that puts what it gets in its <see cref="Inbox"/>; test consumers derive from it and add only attributes.</summary>
public abstract class InboxConsumer<T> : IConsumer<T>
{
    public Inbox<T> Inbox { get; } = new();

    public ValueTask HandleAsync(T message, MessageContext context, CancellationToken cancellationToken)
    {
        Inbox.Add(message, context);
        return ValueTask.CompletedTask;
    }
}
