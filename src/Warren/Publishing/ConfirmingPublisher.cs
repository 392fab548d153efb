using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
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
/// <para>
/// A publish completes only with the broker's confirm or a typed failure, within the publish timeout. While the connection
/// is down or the broker blocks publishers it waits without writing. A publish that a connection or channel loss
/// interrupts before its confirm is sent again, unchanged (same message id), once the channel is back: at least once,
/// so a message may arrive twice, at most one window of messages per interruption. The deadline is checked only on these
/// slow paths, and one timer for the whole publisher expires confirms that never come.
/// </para>
/// </summary>
internal sealed partial class ConfirmingPublisher : IAsyncDisposable
{
    /// <summary>How often a publish waiting for the connection looks again, in case a change came without an event.</summary>
    private const int WaitPollMilliseconds = 250;

    private readonly IConnection _connection;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _window;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly object _gate = new();
    private readonly ConfirmTracker _tracker = new();
    private readonly Stack<PendingConfirm> _pool = new();
    private readonly ChannelSlot _channel;
    private readonly TimeSpan _timeout;
    private readonly long _timeoutMilliseconds;
    private readonly Timer? _expiry;

    /// <summary>The channel the tracked sequence numbers belong to; a publish on another channel first settles them.</summary>
    private IChannel? _trackedChannel;

    /// <summary>The list the confirm handler gathers settled publishes in, reused; null while a handler holds it.</summary>
    private List<PendingConfirm>? _settled = [];

    /// <summary>Bumped at every closure of the tracked channel, so a number taken before a closure is never tracked after it.</summary>
    private long _incarnation;

    private TaskCompletionSource _stateChanged = NewSignal();
    private volatile string? _connectionLoss;
    private volatile string? _blockedReason;
    private volatile string? _channelProblem;
    private volatile bool _disposed;

    public ConfirmingPublisher(IConnection connection, int maxOutstanding, TimeSpan publishTimeout, ILogger logger)
    {
        _connection = connection;
        _logger = logger;
        _window = new SemaphoreSlim(Math.Max(1, maxOutstanding));
        _timeout = publishTimeout;
        _timeoutMilliseconds = publishTimeout == Timeout.InfiniteTimeSpan ? -1 : (long)Math.Ceiling(publishTimeout.TotalMilliseconds);
        _channel = new ChannelSlot(
            connection,
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: false),
            (channel, _) =>
            {
                channel.BasicAcksAsync += (_, e) => Confirm(channel, e.DeliveryTag, e.Multiple, nacked: false);
                channel.BasicNacksAsync += (_, e) => Confirm(channel, e.DeliveryTag, e.Multiple, nacked: true);
                channel.BasicReturnAsync += (_, e) => MarkReturned(e);
                channel.ChannelShutdownAsync += (_, e) => ChannelClosed(channel, e);
                return Task.CompletedTask;
            });

        connection.ConnectionShutdownAsync += (_, reason) =>
        {
            _connectionLoss = $"{reason.ReplyCode} {reason.ReplyText}";
            // A new connection starts unblocked; the broker says again if its alarm is still on.
            _blockedReason = null;
            Signal();
            return Task.CompletedTask;
        };
        connection.RecoverySucceededAsync += (_, _) =>
        {
            _connectionLoss = null;
            Signal();
            return Task.CompletedTask;
        };
        connection.ConnectionBlockedAsync += (_, blocked) =>
        {
            _blockedReason = blocked.Reason;
            Signal();
            return Task.CompletedTask;
        };
        connection.ConnectionUnblockedAsync += (_, _) =>
        {
            _blockedReason = null;
            Signal();
            return Task.CompletedTask;
        };

        if (_timeoutMilliseconds > 0)
        {
            // Expiry is checked a few times per timeout, at most every second: one timer, not one per publish.
            long period = Math.Clamp(_timeoutMilliseconds / 8, 20, 1000);
            _expiry = new Timer(static state => ((ConfirmingPublisher)state!).ExpireOverdue(), this, period, period);
        }
    }

    /// <summary>
    /// Publishes and completes when the broker confirms; throws a <see cref="PublishException"/> when it does not take
    /// the message (<see cref="PublishTimeoutException"/> when the publish timeout expires first), or
    /// <see cref="BrokerAccessDeniedException"/> when the user may not publish to the exchange.
    /// </summary>
    /// <remarks>
    /// <c>deadline</c> is when to give up, from <see cref="Deadline"/> taken earlier (by a publish that first waited for
    /// its declaration); 0 for the publish timeout from now.
    /// </remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask PublishAsync(
        string exchange, string routingKey, bool mandatory, BasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken,
        long deadline = 0)
    {
        if (deadline == 0)
        {
            deadline = Deadline();
        }

        if (!await _window.WaitAsync(MillisecondsUntil(deadline), cancellationToken).ConfigureAwait(false))
        {
            (PublishTimeoutReason reason, string? detail) = Obstacle() ?? (PublishTimeoutReason.NoConfirm, "every confirm slot stayed taken");
            throw new PublishTimeoutException(exchange, routingKey, _timeout, reason, detail, mayHaveBeenPublished: false);
        }

        PendingConfirm pending = Rent(exchange, routingKey, mandatory ? properties.MessageId : null, deadline);
        try
        {
            bool written = false;
            bool channelUnavailable = false;
            while (true)
            {
                if (channelUnavailable || _disposed || Obstacle() is not null)
                {
                    await WaitUntilWritableAsync(exchange, routingKey, deadline, written, channelUnavailable, cancellationToken).ConfigureAwait(false);
                }

                if (!await _sendLock.WaitAsync(MillisecondsUntil(deadline), cancellationToken).ConfigureAwait(false))
                {
                    throw TimedOut(pending, written);
                }

                SendOutcome sent;
                try
                {
                    // Got under the send lock, the only place the publish channel is replaced (and a replaced one disposed).
                    ObjectDisposedException.ThrowIf(_disposed, this);
                    IChannel? channel = await GetOpenChannelAsync(cancellationToken).ConfigureAwait(false);
                    sent = channel is null ? SendOutcome.NotSent : await SendAsync(channel, pending, mandatory, properties, body, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    _sendLock.Release();
                }

                channelUnavailable = sent == SendOutcome.NotSent;
                if (channelUnavailable)
                {
                    // No open channel, or it closed before the publish was numbered: nothing went out. Wait for a change.
                    continue;
                }

                written |= sent == SendOutcome.Written;
                bool confirmed;
                using (cancellationToken.CanBeCanceled ? cancellationToken.UnsafeRegister(static (state, token) => ((PendingConfirm)state!).Owner.Cancel((PendingConfirm)state!, token), pending) : default)
                {
                    confirmed = await pending.Task.ConfigureAwait(false);
                }

                if (confirmed)
                {
                    return;
                }

                // Interrupted by a channel or connection loss this message did not cause: send it again, unless the time is up.
                ShutdownEventArgs interruption = pending.Interruption!;
                if (Environment.TickCount64 >= deadline)
                {
                    throw new PublishTimeoutException(exchange, routingKey, _timeout, PublishTimeoutReason.ConnectionDown,
                        $"{interruption.ReplyCode} {interruption.ReplyText}", written);
                }

                cancellationToken.ThrowIfCancellationRequested();
                pending.Rearm();
            }
        }
        finally
        {
            Return(pending);
            _window.Release();
        }
    }

    /// <summary>The publish timeout from now, in <see cref="Environment.TickCount64"/> milliseconds.</summary>
    public long Deadline() => _timeoutMilliseconds < 0 ? long.MaxValue : Environment.TickCount64 + _timeoutMilliseconds;

    /// <summary>
    /// Waits until the connection is up and not blocked (for a declaration the connection loss interrupted), or throws
    /// <see cref="PublishTimeoutException"/> at <paramref name="deadline"/>: nothing of the publish was sent.
    /// </summary>
    public Task WaitForConnectionAsync(string exchange, string routingKey, long deadline, CancellationToken cancellationToken) =>
        WaitUntilWritableAsync(exchange, routingKey, deadline, written: false, channelUnavailable: false, cancellationToken);

    /// <summary>
    /// Waits until the connection is up and not blocked; after <paramref name="channelUnavailable"/>, for at least one
    /// change or poll too. Throws <see cref="PublishTimeoutException"/> at <paramref name="deadline"/>.
    /// </summary>
    private async Task WaitUntilWritableAsync(
        string exchange, string routingKey, long deadline, bool written, bool channelUnavailable, CancellationToken cancellationToken)
    {
        bool waited = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ObjectDisposedException.ThrowIf(_disposed, this);
            Task changed = Volatile.Read(ref _stateChanged).Task;
            (PublishTimeoutReason Reason, string? Detail)? obstacle = Obstacle();
            if (obstacle is null && (waited || !channelUnavailable))
            {
                return;
            }

            obstacle ??= (PublishTimeoutReason.ConnectionDown, _channelProblem);
            long left = deadline - Environment.TickCount64;
            if (left <= 0)
            {
                throw new PublishTimeoutException(exchange, routingKey, _timeout, obstacle.Value.Reason, obstacle.Value.Detail, written);
            }

            try
            {
                // Woken by a change of the connection's state; polled too, in case a change came without an event.
                await changed.WaitAsync(TimeSpan.FromMilliseconds(Math.Min(left, WaitPollMilliseconds)), cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Look again.
            }

            waited = true;
        }
    }

    /// <summary>The open publish channel, opening a new one if a channel-level error closed it; null when there is none. Caller holds the send lock.</summary>
    private async ValueTask<IChannel?> GetOpenChannelAsync(CancellationToken cancellationToken)
    {
        try
        {
            IChannel channel = await _channel.GetAsync(cancellationToken).ConfigureAwait(false);
            if (channel.IsOpen)
            {
                return channel;
            }

            _channelProblem = channel.CloseReason is { } closed ? $"{closed.ReplyCode} {closed.ReplyText}" : "the publish channel is closed";
        }
        catch (Exception ex) when (ex is AlreadyClosedException or OperationInterruptedException or IOException)
        {
            _channelProblem = $"the publish channel could not be opened: {ex.Message}";
        }

        return null;
    }

    /// <summary>Numbers, tracks and writes one attempt.</summary>
    private async ValueTask<SendOutcome> SendAsync(
        IChannel channel, PendingConfirm pending, bool mandatory, BasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        long incarnation = Adopt(channel);
        pending.Sequence = await channel.GetNextPublishSequenceNumberAsync(cancellationToken).ConfigureAwait(false);
        if (!Track(pending, channel, incarnation))
        {
            _channelProblem = "the publish channel closed";
            return SendOutcome.NotSent;
        }

        try
        {
            // Not cancellable once started: abandoning a frame half-written would break the channel for every publisher.
            await channel.BasicPublishAsync(pending.Exchange, pending.RoutingKey, mandatory, properties, body, CancellationToken.None).ConfigureAwait(false);
            return SendOutcome.Written;
        }
        catch (Exception ex) when (ex is AlreadyClosedException or OperationInterruptedException or ChannelClosedException or IOException or SocketException)
        {
            // The channel or connection closed under the write: sent again like any interrupted publish, unless the
            // closure already settled it. Only AlreadyClosedException is certain that nothing went out.
            ShutdownEventArgs reason = (ex as OperationInterruptedException)?.ShutdownReason
                ?? new ShutdownEventArgs(ShutdownInitiator.Library, 0, ex.Message);
            if (Untrack(pending))
            {
                pending.TryInterrupt(reason);
            }

            return ex is AlreadyClosedException ? SendOutcome.ClosedBeforeWrite : SendOutcome.Written;
        }
        catch
        {
            Untrack(pending);
            throw;
        }
    }

    /// <summary>What keeps a publish from being written now, or null.</summary>
    private (PublishTimeoutReason Reason, string? Detail)? Obstacle()
    {
        if (_connectionLoss is { } loss)
        {
            return (PublishTimeoutReason.ConnectionDown, loss);
        }

        if (!_connection.IsOpen)
        {
            return (PublishTimeoutReason.ConnectionDown, _connection.CloseReason is { } reason ? $"{reason.ReplyCode} {reason.ReplyText}" : null);
        }

        return _blockedReason is { } blocked ? (PublishTimeoutReason.ConnectionBlocked, blocked) : null;
    }

    private PublishTimeoutException TimedOut(PendingConfirm pending, bool written)
    {
        (PublishTimeoutReason reason, string? detail) = Obstacle() ?? (PublishTimeoutReason.NoConfirm, null);
        return new PublishTimeoutException(pending.Exchange, pending.RoutingKey, _timeout, reason, detail, written);
    }

    private static int MillisecondsUntil(long deadline)
    {
        if (deadline == long.MaxValue)
        {
            return Timeout.Infinite;
        }

        long left = deadline - Environment.TickCount64;
        return left <= 0 ? 0 : (int)Math.Min(left, int.MaxValue);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Wakes every publish waiting for the connection: its state changed.</summary>
    private void Signal() => Interlocked.Exchange(ref _stateChanged, NewSignal()).TrySetResult();

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        Signal();
        if (_expiry is not null)
        {
            await _expiry.DisposeAsync().ConfigureAwait(false);
        }

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

        lock (_gate)
        {
            // Anything the closure event did not settle (a channel closed earlier, never replaced).
            InterruptAll(new ShutdownEventArgs(ShutdownInitiator.Application, 0, "the bus was disposed"));
        }
    }

    private enum SendOutcome
    {
        /// <summary>No open channel, or it closed before the publish was numbered: nothing went out.</summary>
        NotSent,

        /// <summary>The channel was closed when the write began: nothing went out.</summary>
        ClosedBeforeWrite,

        /// <summary>Written (or possibly written before a closure).</summary>
        Written,
    }
}
