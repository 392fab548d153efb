using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Warren.Testing.Broker;

/// <summary>
/// One queue of the in-process broker: messages in arrival order, and the consumers that take them. Each consumer handles
/// one message at a time (as with prefetch 1), and waiting messages go to idle consumers in turn (round robin), as the
/// broker shares a queue between competing consumers. All state is guarded by the broker's lock.
/// </summary>
internal sealed class MemoryQueue(InMemoryBroker broker, string name, bool exclusive)
{
    private readonly Queue<Envelope> _messages = new();
    private readonly List<QueueConsumer> _consumers = [];
    private int _next;

    public string Name { get; } = name;

    /// <summary>Server-named and exclusive: deleted with the subscription that made it.</summary>
    public bool Exclusive { get; } = exclusive;

    /// <summary>Deliveries handed to consumers and not yet finished.</summary>
    public int InFlight { get; private set; }

    public bool HasConsumers => _consumers.Count > 0;

    /// <summary>True when nothing can happen on the queue without something new arriving.</summary>
    public bool IsIdle => InFlight == 0 && (_consumers.Count == 0 || _messages.Count == 0);

    /// <summary>The messages waiting, oldest first: what a queue without consumers (an error queue) holds.</summary>
    public IReadOnlyList<Envelope> Snapshot() => [.. _messages];

    public void Enqueue(Envelope envelope)
    {
        _messages.Enqueue(envelope.ForQueue());
        Dispatch();
    }

    public QueueConsumer AddConsumer(Func<Envelope, Task> handler)
    {
        var consumer = new QueueConsumer(this, handler);
        _consumers.Add(consumer);
        Dispatch();
        return consumer;
    }

    public void RemoveConsumer(QueueConsumer consumer) => _consumers.Remove(consumer);

    public int Purge()
    {
        int count = _messages.Count;
        _messages.Clear();
        return count;
    }

    /// <summary>Hands waiting messages to idle consumers, starting after the one served last; drops expired messages.</summary>
    private void Dispatch()
    {
        long now = Environment.TickCount64;
        while (_messages.Count > 0)
        {
            if (_messages.Peek().IsExpired(now))
            {
                _messages.Dequeue();
                continue;
            }

            QueueConsumer? idle = NextIdle();
            if (idle is null)
            {
                return;
            }

            Envelope envelope = _messages.Dequeue();
            idle.Busy = true;
            InFlight++;
            // Off the publisher's stack and lock, as a broker delivery is: the publish completes before the handler runs.
            _ = Task.Run(() => RunAsync(idle, envelope));
        }
    }

    private QueueConsumer? NextIdle()
    {
        for (int i = 0; i < _consumers.Count; i++)
        {
            int index = (_next + i) % _consumers.Count;
            if (!_consumers[index].Busy)
            {
                _next = index + 1;
                return _consumers[index];
            }
        }

        return null;
    }

    private async Task RunAsync(QueueConsumer consumer, Envelope envelope)
    {
        try
        {
            await consumer.Handler(envelope).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            broker.Fault(Name, ex);
        }
        finally
        {
            lock (broker.Gate)
            {
                consumer.Busy = false;
                InFlight--;
                Dispatch();
            }

            broker.Changed();
        }
    }

    /// <summary>One consumer of the queue.</summary>
    internal sealed class QueueConsumer(MemoryQueue queue, Func<Envelope, Task> handler)
    {
        public Func<Envelope, Task> Handler { get; } = handler;

        /// <summary>True while the consumer handles a delivery.</summary>
        public bool Busy { get; set; }

        public MemoryQueue Queue { get; } = queue;
    }
}
