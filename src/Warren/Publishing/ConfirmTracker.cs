using System;
using System.Collections.Generic;
using RabbitMQ.Client.Events;

namespace Warren.Internal;

/// <summary>
/// The confirm bookkeeping of the tracked publish channel: which pending publish each sequence number belongs to, which
/// mandatory publishes a basic.return may belong to, and how acks, nacks, returns, a closure and expiry settle them. Not
/// thread-safe: <see cref="ConfirmingPublisher"/> calls it under its gate, which also guards which channel is tracked.
/// </summary>
internal sealed class ConfirmTracker
{
    /// <summary>
    /// A publish interrupted by more channel-level errors than this, while the connection stayed up, fails: the broker
    /// refuses something about it (it would otherwise break the channel for every publisher until the timeout).
    /// </summary>
    public const int MaxChannelErrorResends = 2;

    private readonly Dictionary<ulong, PendingConfirm> _pending = [];
    private readonly Dictionary<string, PendingConfirm> _mandatoryByMessageId = new(StringComparer.Ordinal);
    private ulong _lowestUnconfirmed = 1;

    /// <summary>How many publishes wait for their confirm.</summary>
    public int Count => _pending.Count;

    /// <summary>Tracks a publish under its <see cref="PendingConfirm.Sequence"/>, and under its message id when it is mandatory.</summary>
    public void Add(PendingConfirm pending)
    {
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
    }

    /// <summary>Stops tracking the publish; false when something else (a confirm, a closure, an expiry) already settled it.</summary>
    public bool Remove(PendingConfirm pending)
    {
        if (!_pending.TryGetValue(pending.Sequence, out PendingConfirm? tracked) || !ReferenceEquals(tracked, pending))
        {
            return false;
        }

        Forget(pending);
        return true;
    }

    /// <summary>
    /// An ack or nack of <paramref name="deliveryTag"/>, or with <paramref name="multiple"/> of every number up to it: stops
    /// tracking those publishes and adds them to <paramref name="settled"/>, for <see cref="Complete"/> to complete once
    /// the caller has let go of its gate.
    /// </summary>
    public void Confirm(ulong deliveryTag, bool multiple, List<PendingConfirm> settled)
    {
        if (!multiple)
        {
            Take(deliveryTag, settled);
            return;
        }

        // Sequence numbers are dense, so a multiple confirm settles every tracked number up to the tag. Each number is
        // scanned once over the channel's life, however the broker mixes single and multiple confirms.
        for (ulong sequence = _lowestUnconfirmed; sequence <= deliveryTag; sequence++)
        {
            Take(sequence, settled);
        }

        _lowestUnconfirmed = Math.Max(_lowestUnconfirmed, deliveryTag + 1);
    }

    /// <summary>
    /// Completes what <see cref="Confirm"/> took, and empties <paramref name="settled"/>: an ack succeeds unless the broker
    /// returned the message first, a nack fails. Needs no gate: nothing else can reach a publish that is no longer tracked.
    /// </summary>
    public static void Complete(List<PendingConfirm> settled, bool nacked)
    {
        foreach (PendingConfirm pending in settled)
        {
            pending.TryComplete(nacked ? new PublishNackedException(pending.Exchange, pending.RoutingKey) : pending.Returned);
        }

        settled.Clear();
    }

    /// <summary>A return arrives before the ack of the same message: remember it, so the ack fails that publish.</summary>
    public void MarkReturned(string? messageId, string exchange, string routingKey, ushort replyCode, string replyText)
    {
        // The broker returns and confirms in publish order: the return is the earliest's of that id not yet returned.
        PendingConfirm? pending = messageId is not null && _mandatoryByMessageId.TryGetValue(messageId, out PendingConfirm? first) ? first : null;
        while (pending is { Returned: not null })
        {
            pending = pending.NextWithSameId;
        }

        if (pending is not null)
        {
            pending.Returned = new PublishReturnedException(exchange, routingKey, replyCode, replyText);
        }
    }

    /// <summary>
    /// Settles everything tracked after a closure of the channel, which numbers from 1 again once recovered. A publish the
    /// broker's reason names (no such exchange, no permission on it) fails, as does everything once the bus is
    /// <paramref name="disposed"/>; the rest is interrupted, to be sent again. Returns how many will be sent again.
    /// </summary>
    public int InterruptAll(ShutdownEventArgs reason, bool disposed)
    {
        int resent = 0;
        bool channelError = Errors.IsChannelError(reason);
        foreach (PendingConfirm pending in _pending.Values)
        {
            pending.NextWithSameId = null;
            if (disposed)
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
        return resent;
    }

    /// <summary>Stops tracking the publishes whose deadline is at or before <paramref name="now"/> and returns them, or null when none is.</summary>
    public List<PendingConfirm>? TakeOverdue(long now)
    {
        List<PendingConfirm>? overdue = null;
        foreach (PendingConfirm pending in _pending.Values)
        {
            if (pending.Deadline <= now)
            {
                (overdue ??= []).Add(pending);
            }
        }

        if (overdue is not null)
        {
            foreach (PendingConfirm pending in overdue)
            {
                Forget(pending);
            }
        }

        return overdue;
    }

    /// <summary>Stops tracking one publish and adds it to <paramref name="settled"/>, unless it is no longer tracked.</summary>
    private void Take(ulong sequence, List<PendingConfirm> settled)
    {
        if (_pending.TryGetValue(sequence, out PendingConfirm? pending))
        {
            Forget(pending);
            settled.Add(pending);
        }
    }

    /// <summary>Drops a tracked publish from both indexes.</summary>
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
}
