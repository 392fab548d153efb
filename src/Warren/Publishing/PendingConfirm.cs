using System;
using System.Threading;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;
using RabbitMQ.Client.Events;

namespace Warren.Internal;

/// <summary>
/// One publish waiting for its broker confirm: a reusable awaitable, so that waiting for a confirm allocates nothing once
/// the publisher's pool is warm. Each attempt is completed exactly once: true by an ack, false by a channel or connection
/// loss that calls for sending the message again, or an exception (nack, return, refusal, timeout, cancellation).
/// </summary>
internal sealed class PendingConfirm : IValueTaskSource<bool>
{
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
    private int _completed;

    public PendingConfirm(ConfirmingPublisher owner) => Owner = owner;

    /// <summary>The publisher that tracks this confirm; the state of the cancellation callback, so registering it allocates nothing more.</summary>
    public ConfirmingPublisher Owner { get; }

    /// <summary>The channel's sequence number of the current attempt.</summary>
    public ulong Sequence { get; set; }

    public string Exchange { get; set; } = string.Empty;

    public string RoutingKey { get; set; } = string.Empty;

    /// <summary>The message id, set for mandatory publishes so that a basic.return can find its publish.</summary>
    public string? MessageId { get; set; }

    /// <summary>
    /// The next tracked mandatory publish with the same message id, in publish order: two publishes may share an id (a
    /// message moved to its error queue twice, an id the application chose), and a return belongs to the earliest.
    /// </summary>
    public PendingConfirm? NextWithSameId { get; set; }

    /// <summary>When the publish gives up, in <see cref="Environment.TickCount64"/> milliseconds.</summary>
    public long Deadline { get; set; }

    /// <summary>Set when the broker returned the message as unroutable; the ack that follows then fails the publish.</summary>
    public PublishReturnedException? Returned { get; set; }

    /// <summary>Why the last attempt was interrupted, when it was.</summary>
    public ShutdownEventArgs? Interruption { get; private set; }

    /// <summary>How many channel-level errors (the connection staying up) interrupted this publish so far.</summary>
    public int ChannelErrors { get; set; }

    /// <summary>The outcome of the current attempt: true when confirmed, false when it must be sent again.</summary>
    public ValueTask<bool> Task => new(this, _core.Version);

    public bool TryComplete(Exception? error)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return false;
        }

        if (error is null)
        {
            _core.SetResult(true);
        }
        else
        {
            _core.SetException(error);
        }

        return true;
    }

    /// <summary>Ends the current attempt without an outcome: the channel or the connection closed under it.</summary>
    public bool TryInterrupt(ShutdownEventArgs reason)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return false;
        }

        Interruption = reason;
        _core.SetResult(false);
        return true;
    }

    /// <summary>Ready for the next attempt of the same publish.</summary>
    public void Rearm()
    {
        _core.Reset();
        _completed = 0;
        Sequence = 0;
        Returned = null;
        NextWithSameId = null;
    }

    public void Reset()
    {
        Rearm();
        Exchange = string.Empty;
        RoutingKey = string.Empty;
        MessageId = null;
        Deadline = 0;
        Interruption = null;
        ChannelErrors = 0;
    }

    bool IValueTaskSource<bool>.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
