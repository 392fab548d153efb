using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Warren.Internal;

/// <summary>
/// The confirm tracking: which channel is tracked, and in which incarnation; the channel's events, expiry and
/// cancellation passed to the <see cref="ConfirmTracker"/> under the gate; the pooled awaitables publishes wait on.
/// </summary>
internal sealed partial class ConfirmingPublisher
{
    /// <summary>
    /// Makes <paramref name="channel"/> the tracked one; a channel replacing one closed by a channel-level error first
    /// interrupts what still waits on the old one (its closure event may come later). Returns the incarnation to track under.
    /// </summary>
    private long Adopt(IChannel channel)
    {
        // The common case, without the gate: an incarnation read before a closure fails the Track that follows it, as
        // it would under the gate.
        long incarnation = Volatile.Read(ref _incarnation);
        if (ReferenceEquals(Volatile.Read(ref _trackedChannel), channel))
        {
            return incarnation;
        }

        int resent = 0;
        ShutdownEventArgs? reason = null;
        lock (_gate)
        {
            if (!ReferenceEquals(_trackedChannel, channel))
            {
                if (_trackedChannel is not null)
                {
                    reason = _channel.ReplacedCloseReason ?? new ShutdownEventArgs(ShutdownInitiator.Library, 0, "the publish channel was replaced");
                    resent = InterruptAll(reason);
                }

                _trackedChannel = channel;
            }

            incarnation = _incarnation;
        }

        if (resent > 0)
        {
            Log.PublishesInterrupted(_logger, resent, Errors.Describe(reason!));
        }

        return incarnation;
    }

    private bool Track(PendingConfirm pending, IChannel channel, long incarnation)
    {
        lock (_gate)
        {
            if (_incarnation != incarnation || !ReferenceEquals(_trackedChannel, channel))
            {
                return false;
            }

            _tracker.Add(pending);
            return true;
        }
    }

    /// <summary>Stops tracking the publish; false when something else (a closure, an expiry) already settled it.</summary>
    private bool Untrack(PendingConfirm pending)
    {
        lock (_gate)
        {
            return _tracker.Remove(pending);
        }
    }

    private Task Confirm(IChannel channel, ulong deliveryTag, bool multiple, bool nacked)
    {
        List<PendingConfirm> settled = Interlocked.Exchange(ref _settled, null) ?? [];
        lock (_gate)
        {
            // Unless it is a late confirm of a replaced channel, whose publishes were already sent again.
            if (ReferenceEquals(channel, _trackedChannel))
            {
                _tracker.Confirm(deliveryTag, multiple, settled);
            }
        }

        // Outside the gate: each completion queues its publish's continuation, and the publishes it wakes need the gate
        // to send their next messages.
        ConfirmTracker.Complete(settled, nacked);
        Volatile.Write(ref _settled, settled);
        return Task.CompletedTask;
    }

    /// <summary>A return arrives before the ack of the same message: remember it, so the ack fails that publish.</summary>
    private Task MarkReturned(BasicReturnEventArgs returned)
    {
        lock (_gate)
        {
            _tracker.MarkReturned(returned.BasicProperties.MessageId, returned.Exchange, returned.RoutingKey, returned.ReplyCode, returned.ReplyText);
        }

        return Task.CompletedTask;
    }

    /// <summary>The channel closed: no confirm will come for what is pending on it, and a recovered channel numbers from 1 again.</summary>
    private Task ChannelClosed(IChannel channel, ShutdownEventArgs reason)
    {
        int resent = 0;
        lock (_gate)
        {
            if (ReferenceEquals(channel, _trackedChannel))
            {
                resent = InterruptAll(reason);
            }
        }

        if (resent > 0)
        {
            Log.PublishesInterrupted(_logger, resent, Errors.Describe(reason));
        }

        Signal();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Settles everything tracked after a closure (<see cref="ConfirmTracker.InterruptAll"/>) and starts a new incarnation;
    /// caller holds the gate. Returns how many will be sent again.
    /// </summary>
    private int InterruptAll(ShutdownEventArgs reason)
    {
        int resent = _tracker.InterruptAll(reason, _disposed);
        _incarnation++;
        return resent;
    }

    /// <summary>Fails the publishes whose confirm did not come before their deadline.</summary>
    private void ExpireOverdue()
    {
        List<PendingConfirm>? overdue = null;
        lock (_gate)
        {
            if (_tracker.Count == 0)
            {
                return;
            }

            overdue = _tracker.TakeOverdue(Environment.TickCount64);
            if (overdue is null)
            {
                return;
            }
        }

        string? blocked = _blockedReason;
        foreach (PendingConfirm pending in overdue)
        {
            pending.TryComplete(new PublishTimeoutException(pending.Exchange, pending.RoutingKey, _timeout,
                blocked is null ? PublishTimeoutReason.NoConfirm : PublishTimeoutReason.ConnectionBlocked, blocked, mayHaveBeenPublished: true));
        }
    }

    private void Cancel(PendingConfirm pending, CancellationToken token)
    {
        // Only while still tracked: once settled, the publish has its outcome and cancellation comes too late.
        if (Untrack(pending))
        {
            pending.TryComplete(new OperationCanceledException("Stopped waiting for the broker's confirm; the broker may still take the message.", token));
        }
    }

    private PendingConfirm Rent(string exchange, string routingKey, string? messageId, long deadline)
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
        pending.Deadline = deadline;
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
}
