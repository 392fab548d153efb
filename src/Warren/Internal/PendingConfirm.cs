using System;
using System.Threading;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;

namespace Warren.Internal;

/// <summary>
/// One publish waiting for its broker confirm: a reusable awaitable, so that waiting for a confirm allocates nothing once
/// the publisher's pool is warm. Completed exactly once, by an ack, a nack, a channel shutdown or the caller's cancellation.
/// </summary>
internal sealed class PendingConfirm : IValueTaskSource
{
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
    private int _completed;

    public PendingConfirm(ConfirmingPublisher owner) => Owner = owner;

    /// <summary>The publisher that tracks this confirm; the state of the cancellation callback, so registering it allocates nothing more.</summary>
    public ConfirmingPublisher Owner { get; }

    /// <summary>The channel's sequence number of the publish.</summary>
    public ulong Sequence { get; set; }

    public string Exchange { get; set; } = string.Empty;

    public string RoutingKey { get; set; } = string.Empty;

    /// <summary>The message id, set for mandatory publishes so that a basic.return can find its publish.</summary>
    public string? MessageId { get; set; }

    /// <summary>Set when the broker returned the message as unroutable; the ack that follows then fails the publish.</summary>
    public PublishReturnedException? Returned { get; set; }

    public ValueTask Task => new(this, _core.Version);

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

    public void Reset()
    {
        _core.Reset();
        _completed = 0;
        Sequence = 0;
        Exchange = string.Empty;
        RoutingKey = string.Empty;
        MessageId = null;
        Returned = null;
    }

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
