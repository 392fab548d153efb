using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Warren.Internal;

/// <summary>
/// The confirm tracking: which pending publish each sequence number of the tracked channel belongs to, and how acks,
/// nacks, returns, channel closures, expiry and cancellation settle it; the pooled awaitables publishes wait on.
/// </summary>
internal sealed partial class ConfirmingPublisher
{
    /// <summary>
    /// Makes <paramref name="channel"/> the tracked one; a channel replacing one closed by a channel-level error first
    /// interrupts what still waits on the old one (its closure event may come later). Returns the incarnation to track under.
    /// </summary>
    private long Adopt(IChannel channel)
    {
        int resent = 0;
        ShutdownEventArgs? reason = null;
        long incarnation;
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

            _pending.Add(pending.Sequence, pending);
            if (pending.MessageId is { } id)
            {
                if (_mandatoryByMessageId.TryGetValue(id, out PendingConfirm? first))
                {
                    PendingConfirm last = first;
                    while (last.NextWithSameId is { } next)
                    {
                        last = next;
                    }

                    last.NextWithSameId = pending;
                }
                else
                {
                    _mandatoryByMessageId[id] = pending;
                }
            }

            return true;
        }
    }

    /// <summary>Stops tracking the publish; false when something else (a closure, an expiry) already settled it.</summary>
    private bool Untrack(PendingConfirm pending)
    {
        lock (_gate)
        {
            if (!_pending.TryGetValue(pending.Sequence, out PendingConfirm? tracked) || !ReferenceEquals(tracked, pending))
            {
                return false;
            }

            Forget(pending);
            return true;
        }
    }

    /// <summary>Drops a tracked publish from both indexes; caller holds the gate.</summary>
    private void Forget(PendingConfirm pending)
    {
        _pending.Remove(pending.Sequence);
        if (pending.MessageId is { } id && _mandatoryByMessageId.TryGetValue(id, out PendingConfirm? first))
        {
            if (ReferenceEquals(first, pending))
            {
                if (pending.NextWithSameId is { } next)
                {
                    _mandatoryByMessageId[id] = next;
                }
                else
                {
                    _mandatoryByMessageId.Remove(id);
                }
            }
            else
            {
                PendingConfirm previous = first;
                while (previous.NextWithSameId is { } candidate && !ReferenceEquals(candidate, pending))
                {
                    previous = candidate;
                }

                if (ReferenceEquals(previous.NextWithSameId, pending))
                {
                    previous.NextWithSameId = pending.NextWithSameId;
                }
            }

            pending.NextWithSameId = null;
        }
    }

    private Task Confirm(IChannel channel, ulong deliveryTag, bool multiple, bool nacked)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(channel, _trackedChannel))
            {
                // A late confirm of a replaced channel: its publishes were already sent again.
                return Task.CompletedTask;
            }

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
        if (!_pending.TryGetValue(sequence, out PendingConfirm? pending))
        {
            return;
        }

        Forget(pending);
        pending.TryComplete(nacked
            ? new PublishNackedException(pending.Exchange, pending.RoutingKey)
            : pending.Returned);
    }

    /// <summary>A return arrives before the ack of the same message: remember it, so the ack fails that publish.</summary>
    private Task MarkReturned(BasicReturnEventArgs returned)
    {
        lock (_gate)
        {
            // The broker returns and confirms in publish order: the return is the earliest's of that id not yet returned.
            PendingConfirm? pending = returned.BasicProperties.MessageId is { } id && _mandatoryByMessageId.TryGetValue(id, out PendingConfirm? first) ? first : null;
            while (pending is { Returned: not null })
            {
                pending = pending.NextWithSameId;
            }

            if (pending is not null)
            {
                pending.Returned = new PublishReturnedException(returned.Exchange, returned.RoutingKey, returned.ReplyCode, returned.ReplyText);
            }
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
    /// Settles everything tracked after a closure; caller holds the gate. A publish the broker's reason names (no such
    /// exchange, no permission on it) fails, as does everything once the bus is disposed; the rest is sent again.
    /// Returns how many will be sent again.
    /// </summary>
    private int InterruptAll(ShutdownEventArgs reason)
    {
        int resent = 0;
        bool channelError = Errors.IsChannelError(reason);
        foreach (PendingConfirm pending in _pending.Values)
        {
            pending.NextWithSameId = null;
            if (_disposed)
            {
                pending.TryComplete(new PublishInterruptedException(pending.Exchange, pending.RoutingKey, reason));
            }
            else if (channelError && Errors.NamesExchange(reason.ReplyText, pending.Exchange))
            {
                pending.TryComplete((Exception?)Errors.AccessDenied(reason, innerException: null)
                    ?? new PublishInterruptedException(pending.Exchange, pending.RoutingKey, reason));
            }
            else if (channelError && pending.ChannelErrors >= MaxChannelErrorResends)
            {
                // It may well be what the broker refuses; sent again, it would break the channel for every publisher once more.
                pending.TryComplete(new PublishInterruptedException(pending.Exchange, pending.RoutingKey, reason));
            }
            else
            {
                pending.ChannelErrors += channelError ? 1 : 0;
                resent += pending.TryInterrupt(reason) ? 1 : 0;
            }
        }

        _pending.Clear();
        _mandatoryByMessageId.Clear();
        _lowestUnconfirmed = 1;
        _incarnation++;
        return resent;
    }

    /// <summary>Fails the publishes whose confirm did not come before their deadline.</summary>
    private void ExpireOverdue()
    {
        List<PendingConfirm>? overdue = null;
        lock (_gate)
        {
            if (_pending.Count == 0)
            {
                return;
            }

            long now = Environment.TickCount64;
            foreach (PendingConfirm pending in _pending.Values)
            {
                if (pending.Deadline <= now)
                {
                    (overdue ??= []).Add(pending);
                }
            }

            if (overdue is null)
            {
                return;
            }

            foreach (PendingConfirm pending in overdue)
            {
                Forget(pending);
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
