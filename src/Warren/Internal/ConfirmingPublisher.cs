using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace Warren.Internal;

/// <summary>
/// The bus's publish channel with publisher confirms, tracked here rather than by RabbitMQ.Client: the client's tracking
/// stamps an <c>x-dotnet-pub-seq-no</c> header on every message (bytes on the wire, a dictionary per publish, a header
/// every consumer then sees) and allocates per publish. Here a publish takes the next sequence number under a lock,
/// waits on a pooled awaitable, and acks (single or multiple), nacks, returns and channel closures complete it.
/// At most <c>maxOutstanding</c> publishes wait for confirms at once.
/// </summary>
internal sealed class ConfirmingPublisher : IAsyncDisposable
{
    private readonly SemaphoreSlim _window;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly object _gate = new();
    private readonly Dictionary<ulong, PendingConfirm> _pending = [];
    private readonly Dictionary<string, PendingConfirm> _mandatoryByMessageId = new(StringComparer.Ordinal);
    private readonly Stack<PendingConfirm> _pool = new();
    private readonly ChannelSlot _channel;
    private ulong _lowestUnconfirmed = 1;

    public ConfirmingPublisher(IConnection connection, int maxOutstanding)
    {
        _window = new SemaphoreSlim(Math.Max(1, maxOutstanding));
        _channel = new ChannelSlot(
            connection,
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: false),
            (channel, _) =>
            {
                channel.BasicAcksAsync += (_, e) => Confirm(e.DeliveryTag, e.Multiple, nacked: false);
                channel.BasicNacksAsync += (_, e) => Confirm(e.DeliveryTag, e.Multiple, nacked: true);
                channel.BasicReturnAsync += (_, e) => MarkReturned(e);
                channel.ChannelShutdownAsync += (_, e) => FailAll(e);
                return Task.CompletedTask;
            });
    }

    /// <summary>Publishes and completes when the broker confirms; throws a <see cref="PublishException"/> when it does not take the message.</summary>
    public async ValueTask PublishAsync(
        string exchange, string routingKey, bool mandatory, BasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        await _window.WaitAsync(cancellationToken).ConfigureAwait(false);
        PendingConfirm pending = Rent(exchange, routingKey, mandatory ? properties.MessageId : null);
        try
        {
            await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                IChannel channel = await _channel.GetAsync(cancellationToken).ConfigureAwait(false);
                pending.Sequence = await channel.GetNextPublishSequenceNumberAsync(cancellationToken).ConfigureAwait(false);
                Track(pending);
                try
                {
                    // Not cancellable once started: abandoning a frame half-written would break the channel for every publisher.
                    await channel.BasicPublishAsync(exchange, routingKey, mandatory, properties, body, CancellationToken.None).ConfigureAwait(false);
                }
                catch (AlreadyClosedException closed)
                {
                    Untrack(pending);
                    throw new PublishInterruptedException(exchange, routingKey, closed.ShutdownReason ?? new ShutdownEventArgs(ShutdownInitiator.Library, 0, closed.Message));
                }
                catch
                {
                    Untrack(pending);
                    throw;
                }
            }
            finally
            {
                _sendLock.Release();
            }

            using (cancellationToken.CanBeCanceled ? cancellationToken.UnsafeRegister(static (state, token) => ((PendingConfirm)state!).Owner.Cancel((PendingConfirm)state!, token), pending) : default)
            {
                await pending.Task.ConfigureAwait(false);
            }
        }
        finally
        {
            Return(pending);
            _window.Release();
        }
    }

    private void Track(PendingConfirm pending)
    {
        lock (_gate)
        {
            _pending.Add(pending.Sequence, pending);
            if (pending.MessageId is { } id)
            {
                _mandatoryByMessageId[id] = pending;
            }
        }
    }

    private void Untrack(PendingConfirm pending)
    {
        lock (_gate)
        {
            _pending.Remove(pending.Sequence);
            if (pending.MessageId is { } id)
            {
                _mandatoryByMessageId.Remove(id);
            }
        }
    }

    private Task Confirm(ulong deliveryTag, bool multiple, bool nacked)
    {
        lock (_gate)
        {
            if (!multiple)
            {
                Settle(deliveryTag, nacked);
                return Task.CompletedTask;
            }

            // Sequence numbers are dense, so a multiple confirm settles every tracked number up to the tag. Each number is
            // scanned once over the channel's life, however the broker mixes single and multiple confirms.
            for (ulong sequence = _lowestUnconfirmed; sequence <= deliveryTag; sequence++)
            {
                Settle(sequence, nacked);
            }

            _lowestUnconfirmed = Math.Max(_lowestUnconfirmed, deliveryTag + 1);
        }

        return Task.CompletedTask;
    }

    /// <summary>Completes one publish; caller holds the gate.</summary>
    private void Settle(ulong sequence, bool nacked)
    {
        if (!_pending.Remove(sequence, out PendingConfirm? pending))
        {
            return;
        }

        if (pending.MessageId is { } id)
        {
            _mandatoryByMessageId.Remove(id);
        }

        pending.TryComplete(nacked
            ? new PublishNackedException(pending.Exchange, pending.RoutingKey)
            : pending.Returned);
    }

    /// <summary>A return arrives before the ack of the same message: remember it, so the ack fails that publish.</summary>
    private Task MarkReturned(BasicReturnEventArgs returned)
    {
        lock (_gate)
        {
            if (returned.BasicProperties.MessageId is { } id && _mandatoryByMessageId.TryGetValue(id, out PendingConfirm? pending))
            {
                pending.Returned = new PublishReturnedException(returned.Exchange, returned.RoutingKey, returned.ReplyCode, returned.ReplyText);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The channel closed: no confirm will come for what is pending, and a recovered channel numbers from 1 again.</summary>
    private Task FailAll(ShutdownEventArgs reason)
    {
        lock (_gate)
        {
            foreach (PendingConfirm pending in _pending.Values)
            {
                pending.TryComplete(new PublishInterruptedException(pending.Exchange, pending.RoutingKey, reason));
            }

            _pending.Clear();
            _mandatoryByMessageId.Clear();
            _lowestUnconfirmed = 1;
        }

        return Task.CompletedTask;
    }

    private void Cancel(PendingConfirm pending, CancellationToken token)
    {
        lock (_gate)
        {
            // Only while still tracked: once settled, the publish has its outcome and cancellation comes too late.
            if (!_pending.TryGetValue(pending.Sequence, out PendingConfirm? tracked) || !ReferenceEquals(tracked, pending))
            {
                return;
            }

            _pending.Remove(pending.Sequence);
            if (pending.MessageId is { } id)
            {
                _mandatoryByMessageId.Remove(id);
            }
        }

        pending.TryComplete(new OperationCanceledException("Stopped waiting for the broker's confirm; the broker may still take the message.", token));
    }

    private PendingConfirm Rent(string exchange, string routingKey, string? messageId)
    {
        PendingConfirm? pending;
        lock (_pool)
        {
            _pool.TryPop(out pending);
        }

        pending ??= new PendingConfirm(this);
        pending.Exchange = exchange;
        pending.RoutingKey = routingKey;
        pending.MessageId = messageId;
        return pending;
    }

    private void Return(PendingConfirm pending)
    {
        pending.Reset();
        lock (_pool)
        {
            _pool.Push(pending);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Under the send lock, so that no publish is half-way through the channel being closed.
        await _sendLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await _channel.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }
}
