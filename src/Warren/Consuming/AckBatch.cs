using System;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Warren.Internal;

/// <summary>
/// Coalesces the acks of a channel whose deliveries are handled one at a time: a handled message's tag waits here, and
/// one <c>basic.ack multiple=true</c> acknowledges it with every tag before it, after <c>limit</c> messages or
/// <see cref="FlushDelay"/>, whichever comes first, and before the subscription closes its channel. Only sound when
/// every earlier delivery of the channel is settled by the time a later one is handled (one handler at a time, not a
/// stream): a multiple ack never covers a message still being handled. A message is acked only after its handler
/// returned, as before; what a lost channel loses is the batch's acks, and the broker redelivers those messages
/// (at least once, as for an ack lost in flight).
/// </summary>
internal sealed class AckBatch
{
    /// <summary>How long a handled message waits for its ack when no more deliveries come: short, so the broker's count
    /// of unacknowledged messages follows the consumer closely.</summary>
    internal static readonly TimeSpan FlushDelay = TimeSpan.FromMilliseconds(2);

    private readonly IChannel _channel;
    private readonly int _limit;
    // Serializes the dispatcher's acks and the timer's: a multiple ack sent after a later one would name an unknown tag.
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Timer _timer;
    private ulong _pendingTag;
    private int _pendingCount;
    private bool _closed;

    private AckBatch(IChannel channel, int limit)
    {
        _channel = channel;
        _limit = limit;
        _timer = new Timer(static state => _ = ((AckBatch)state!).FlushQuietlyAsync(), this, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>A batch for a channel with <paramref name="prefetch"/> and <paramref name="concurrency"/>; null where acks must stay single.</summary>
    public static AckBatch? For(IChannel channel, ushort prefetch, ushort concurrency, bool stream) =>
        // Half the prefetch, so the broker always has room to send more while a batch fills.
        concurrency == 1 && !stream && prefetch >= 4 ? new AckBatch(channel, prefetch / 2) : null;

    /// <summary>Acknowledges a handled delivery: through <paramref name="batch"/> when its channel has one, else on its own.</summary>
    public static ValueTask AckAsync(AckBatch? batch, IChannel channel, ulong deliveryTag) =>
        batch is not null ? batch.AckAsync(deliveryTag) : channel.BasicAckAsync(deliveryTag, multiple: false, CancellationToken.None);

    /// <summary>
    /// The channel of <paramref name="batch"/> (if any) closed: the broker has put back every unacknowledged message, so
    /// the batch's tags mean nothing any more and are dropped.
    /// </summary>
    public static ValueTask ChannelClosedAsync(AckBatch? batch) => batch?.CloseAsync(send: false) ?? default;

    /// <summary>Acknowledges <paramref name="deliveryTag"/>, a handled message: now, with the batch, or within <see cref="FlushDelay"/>.</summary>
    public async ValueTask AckAsync(ulong deliveryTag)
    {
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            _pendingTag = deliveryTag;
            if (++_pendingCount >= _limit || _closed)
            {
                await SendLockedAsync().ConfigureAwait(false);
            }
            else if (_pendingCount == 1 && !_closed)
            {
                _timer.Change(FlushDelay, Timeout.InfiniteTimeSpan);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Sends the waiting acks: the timer's flush.</summary>
    private async ValueTask FlushAsync()
    {
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            await SendLockedAsync().ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// Ends the batching of this channel: with <paramref name="send"/> the waiting acks go out now (the subscription is
    /// about to close the channel); without, they are dropped (the channel closed, its tags mean nothing any more, and
    /// the broker has put those messages back). Any later ack goes out at once.
    /// </summary>
    public async ValueTask CloseAsync(bool send)
    {
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!_closed)
            {
                _closed = true;
                await _timer.DisposeAsync().ConfigureAwait(false);
            }

            if (send)
            {
                await SendLockedAsync().ConfigureAwait(false);
            }
            else
            {
                _pendingCount = 0;
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    private async ValueTask SendLockedAsync()
    {
        if (_pendingCount == 0)
        {
            return;
        }

        ulong tag = _pendingTag;
        _pendingCount = 0;
        if (_channel.IsOpen)
        {
            await _channel.BasicAckAsync(tag, multiple: true, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task FlushQuietlyAsync()
    {
        try
        {
            await FlushAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AlreadyClosedException or OperationInterruptedException or ObjectDisposedException or IOException or SocketException)
        {
            // The channel or connection closed meanwhile: the broker redelivers what this batch would have acked.
        }
    }
}
