using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Warren.Testing.Routing;

namespace Warren.Testing.Broker;

/// <summary>
/// The harness's broker: exchanges with their bindings and queues with their consumers, in memory. Routing follows
/// RabbitMQ: the default exchange delivers to the queue named by the routing key, direct to equal binding keys, fanout to
/// every bound queue, topic by <see cref="Routing.TopicMatcher"/>, headers by <see cref="Routing.HeadersMatcher"/>; one
/// copy per queue however many of its bindings match.
/// </summary>
internal sealed class InMemoryBroker
{
    private readonly Dictionary<string, MemoryExchange> _exchanges = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MemoryQueue> _queues = new(StringComparer.Ordinal);
    private readonly List<Exception> _faults = [];
    private TaskCompletionSource _changed = NewSignal();
    private long _serverNamed;

    /// <summary>Guards every exchange, queue and consumer.</summary>
    public object Gate { get; } = new();

    public void DeclareExchange(string name, ExchangeKind kind)
    {
        lock (Gate)
        {
            if (_exchanges.TryGetValue(name, out MemoryExchange? existing))
            {
                if (existing.Kind != kind)
                {
                    // What the broker answers a second declaration of another type with: PRECONDITION_FAILED.
                    throw new InvalidOperationException(
                        $"The exchange '{name}' is declared as {existing.Kind.ToString().ToLowerInvariant()} and cannot be declared again as {kind.ToString().ToLowerInvariant()}.");
                }

                return;
            }

            _exchanges[name] = new MemoryExchange(name, kind);
        }
    }

    /// <summary>Declares a queue; a null name asks for a server-named, exclusive one. Returns the queue's name.</summary>
    public string DeclareQueue(string? name)
    {
        lock (Gate)
        {
            bool exclusive = name is null;
            name ??= $"amq.gen-harness-{Interlocked.Increment(ref _serverNamed)}";
            if (!_queues.ContainsKey(name))
            {
                _queues[name] = new MemoryQueue(this, name, exclusive);
            }

            return name;
        }
    }

    public void Bind(string queue, string exchange, string routingKey, HeadersBinding? headers = null)
    {
        lock (Gate)
        {
            Exchange(exchange).Bind(queue, routingKey, headers);
        }
    }

    /// <summary>Deletes a queue, its messages and every binding to it.</summary>
    public void DeleteQueue(string name)
    {
        lock (Gate)
        {
            _queues.Remove(name);
            foreach (MemoryExchange exchange in _exchanges.Values)
            {
                exchange.Unbind(name);
            }
        }

        Changed();
    }

    /// <summary>Routes a message and returns the queues it reached (empty when unroutable).</summary>
    public IReadOnlyList<string> Publish(Envelope envelope)
    {
        var reached = new List<string>();
        lock (Gate)
        {
            if (envelope.Exchange.Length == 0)
            {
                if (_queues.ContainsKey(envelope.RoutingKey))
                {
                    reached.Add(envelope.RoutingKey);
                }
            }
            else
            {
                Exchange(envelope.Exchange).Route(envelope, reached);
            }

            foreach (string queue in reached)
            {
                _queues[queue].Enqueue(envelope);
            }
        }

        Changed();
        return reached;
    }

    /// <summary>Gives back a delivery its consumer did not finish (stopping); it goes to the queue's other consumers, if any.</summary>
    public void Requeue(string queue, Envelope envelope)
    {
        lock (Gate)
        {
            if (_queues.TryGetValue(queue, out MemoryQueue? q))
            {
                q.Enqueue(envelope);
            }
        }

        Changed();
    }

    public MemoryQueue.QueueConsumer Consume(string queue, Func<Envelope, Task> handler)
    {
        lock (Gate)
        {
            return Queue(queue).AddConsumer(handler);
        }
    }

    /// <summary>Stops a consumer taking deliveries and waits for the one it is handling, if any.</summary>
    public async Task CancelAsync(MemoryQueue.QueueConsumer consumer, CancellationToken cancellationToken)
    {
        lock (Gate)
        {
            consumer.Queue.RemoveConsumer(consumer);
        }

        await WaitUntilAsync(() => !consumer.Busy, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The messages waiting in <paramref name="queue"/>, oldest first; empty when there is no such queue.</summary>
    public IReadOnlyList<Envelope> Peek(string queue)
    {
        lock (Gate)
        {
            return _queues.TryGetValue(queue, out MemoryQueue? q) ? q.Snapshot() : [];
        }
    }

    public bool QueueExists(string queue)
    {
        lock (Gate)
        {
            return _queues.ContainsKey(queue);
        }
    }

    public int Purge(string queue)
    {
        lock (Gate)
        {
            return _queues.TryGetValue(queue, out MemoryQueue? q) ? q.Purge() : 0;
        }
    }

    /// <summary>True when no delivery is in flight and no queue with consumers holds a message.</summary>
    public bool IsIdle()
    {
        lock (Gate)
        {
            foreach (MemoryQueue queue in _queues.Values)
            {
                if (!queue.IsIdle)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>The queues still busy, for a timeout's message.</summary>
    public string DescribeBusy()
    {
        var busy = new List<string>();
        lock (Gate)
        {
            foreach (MemoryQueue queue in _queues.Values)
            {
                if (!queue.IsIdle)
                {
                    busy.Add($"'{queue.Name}' ({queue.InFlight} in flight, {queue.Snapshot().Count} waiting)");
                }
            }
        }

        return busy.Count == 0 ? "none" : string.Join(", ", busy);
    }

    /// <summary>Completes when <paramref name="condition"/> holds, checked after every change; no polling.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (Gate)
            {
                changed = _changed.Task;
            }

            if (condition())
            {
                return;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Wakes whoever waits for a change: a message delivered, handled or moved.</summary>
    public void Changed()
    {
        TaskCompletionSource changed;
        lock (Gate)
        {
            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
    }

    /// <summary>An exception that escaped a delivery handler: a bug in the harness, reported by its assertions.</summary>
    public void Fault(string queue, Exception exception)
    {
        lock (Gate)
        {
            _faults.Add(new InvalidOperationException($"A delivery from '{queue}' failed inside the harness: {exception.Message}", exception));
        }
    }

    public IReadOnlyList<Exception> Faults
    {
        get
        {
            lock (Gate)
            {
                return [.. _faults];
            }
        }
    }

    private MemoryExchange Exchange(string name) =>
        _exchanges.TryGetValue(name, out MemoryExchange? exchange)
            ? exchange
            : throw new InvalidOperationException($"NOT_FOUND - no exchange '{name}' in the harness; publish or subscribe its message type first.");

    private MemoryQueue Queue(string name) =>
        _queues.TryGetValue(name, out MemoryQueue? queue)
            ? queue
            : throw new InvalidOperationException($"NOT_FOUND - no queue '{name}' in the harness.");

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
