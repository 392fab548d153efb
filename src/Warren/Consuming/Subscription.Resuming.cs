using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;
using Warren.Internal;

namespace Warren;

/// <summary>
/// Getting the consumer going again: after the broker closed the subscription's channel or cancelled its consumer, after
/// a connection recovery that renamed its server-named queue or left it without a consumer; with back-off, retiring the
/// closed channels once no handler acks into them any more.
/// </summary>
public sealed partial class Subscription
{
    /// <summary>The client declared the server-named queue again, under a new name, while recovering the connection.</summary>
    internal bool QueueRenamed(string before, string after)
    {
        lock (_gate)
        {
            if (!string.Equals(_queue, before, StringComparison.Ordinal))
            {
                return false;
            }

            _queue = after;
            return true;
        }
    }

    /// <summary>
    /// The connection came back. RabbitMQ.Client has recovered the channels and consumers it recorded, but not always all
    /// of them (a channel it lost track of in the outage, a consumer whose re-registration failed), and nothing would tell
    /// this subscription: look at its channel and consumer, and get them going again if they are not. A no-op when the
    /// client did recover them.
    /// </summary>
    internal void ConnectionRecovered()
    {
        if (!_started || _stopping)
        {
            return;
        }

        lock (_gate)
        {
            if (_channel is { IsOpen: true } && _consumer is { IsRegistered: true })
            {
                return;
            }
        }

        RequestResume();
    }

    /// <summary>The broker cancelled <paramref name="consumer"/> (basic.cancel), e.g. because its queue was deleted.</summary>
    internal void CancelledByBroker(WatchedConsumer consumer)
    {
        if (_stopping || !ReferenceEquals(consumer, Volatile.Read(ref _consumer)))
        {
            return;
        }

        Log.ConsumerCancelledByBroker(_context.Logger, Queue);
        RequestResume();
    }

    private Task OnChannelShutdownAsync(IChannel channel, ShutdownEventArgs reason)
    {
        if (_stopping || !_started || reason.Initiator == ShutdownInitiator.Application || !ReferenceEquals(channel, Volatile.Read(ref _channel)))
        {
            return Task.CompletedTask;
        }

        if (!_connection.IsOpen || _context.ConnectionState.IsRecovering)
        {
            // The whole connection went down: RabbitMQ.Client recovers this channel and its consumer along with it.
            return Task.CompletedTask;
        }

        Log.ConsumerChannelClosed(_context.Logger, Queue, Errors.Describe(reason));
        AbandonHandlers();
        RequestResume();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops the work on the deliveries of the closed channel: their acks cannot reach the broker, which has already put the
    /// messages back. This also frees the client's I/O loop, which waits for the channel's running handlers before it reads on.
    /// </summary>
    private void AbandonHandlers()
    {
        Volatile.Read(ref _consumer)?.Abandon();
        CancellationTokenSource abandoned = Interlocked.Exchange(ref _handlers, new CancellationTokenSource());

        // On the thread pool: this runs on the client's I/O loop, where handler continuations must not run.
        _ = abandoned.CancelAsync();
    }

    private void RequestResume()
    {
        lock (_gate)
        {
            _resumeRequested = true;
            if (_resumeRunning || _stopping)
            {
                return;
            }

            _resumeRunning = true;
            _resumeLoop = Task.Run(ResumeLoopAsync);
        }
    }

    /// <summary>Gets the consumer going again after a short back-off, retrying with longer ones, until it works or the subscription stops.</summary>
    private async Task ResumeLoopAsync()
    {
        CancellationToken stopping = _stoppingSource.Token;
        long since = Stopwatch.GetTimestamp();
        TimeSpan delay = FirstResumeDelay;
        while (true)
        {
            lock (_gate)
            {
                if (!_resumeRequested || _stopping)
                {
                    _resumeRunning = false;
                    return;
                }
            }

            try
            {
                await Task.Delay(delay, stopping).ConfigureAwait(false);
                if (!_connection.IsOpen || _context.ConnectionState.IsRecovering)
                {
                    // The connection went down meanwhile: the client recovers it with this channel and consumer. Look again after.
                    continue;
                }

                lock (_gate)
                {
                    _resumeRequested = false;
                }

                if (await ResumeOnceAsync(stopping).ConfigureAwait(false) is { } how)
                {
                    Log.ConsumerResumed(_context.Logger, Queue, how, Stopwatch.GetElapsedTime(since));
                }

                delay = FirstResumeDelay;
                since = Stopwatch.GetTimestamp();
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                lock (_gate)
                {
                    _resumeRunning = false;
                }

                return;
            }
            catch (Exception ex)
            {
                lock (_gate)
                {
                    _resumeRequested = true;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxResumeDelay.Ticks));
                Log.ConsumerResumeFailed(_context.Logger, Queue, Describe(ex), delay);
            }
        }
    }

    /// <summary>Restarts what is broken; returns how, or null when the client library had already recovered it.</summary>
    private async Task<string?> ResumeOnceAsync(CancellationToken cancellationToken)
    {
        IChannel? channel;
        WatchedConsumer? consumer;
        lock (_gate)
        {
            channel = _channel;
            consumer = _consumer;
        }

        if (channel is { IsOpen: true } && consumer is { IsRegistered: true })
        {
            return null;
        }

        if (channel is { IsOpen: true } && _setup.Stream is null)
        {
            // Cancelled by the broker, channel fine: consume again on it, where handlers still running ack their messages.
            // Cancelling the dead tag is a no-op on the broker but drops the client's record of that consumer, so a later
            // connection recovery does not bring it back next to the new one.
            if (ConsumerTag.Length > 0)
            {
                await channel.BasicCancelAsync(ConsumerTag, noWait: false, cancellationToken).ConfigureAwait(false);
            }

            await ConsumeAsync(channel, again: true, cancellationToken).ConfigureAwait(false);
            return "on the same channel";
        }

        if (channel is not null)
        {
            // A stream consumer always starts on a new channel, whose delivery tags start at 1 (see StreamCursor.Epoch).
            await RetireAsync(channel).ConfigureAwait(false);
        }

        IChannel fresh = await OpenChannelAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ConsumeAsync(fresh, again: true, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await RetireAsync(fresh).ConfigureAwait(false);
            throw;
        }

        return "on a new channel";
    }

    /// <summary>Lets go of a channel the broker closed (or that failed to start consuming).</summary>
    private async Task RetireAsync(IChannel channel)
    {
        lock (_gate)
        {
            if (_retiredChannels.Contains(channel))
            {
                return;
            }

            _retiredChannels.Add(channel);
        }

        try
        {
            // On a closed channel this sends nothing, but drops the client's record of the channel and its consumer, so that a
            // later connection recovery does not revive it. Not disposed yet: a handler still running acks into it, the client
            // reports that as AlreadyClosedException to the pump, and the broker redelivers the message.
            await channel.AbortAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AlreadyClosedException or OperationInterruptedException or OperationCanceledException or ObjectDisposedException)
        {
            // Nothing left to close.
        }
    }

    private static string Describe(Exception exception) => exception switch
    {
        OperationInterruptedException { ShutdownReason: { } reason } => Errors.Describe(reason),
        _ => exception.Message,
    };

    /// <summary>
    /// True while the subscription is getting its consumer going again after the broker closed its channel or cancelled
    /// it: no deliveries arrive meanwhile.
    /// </summary>
    public bool IsResuming
    {
        get
        {
            lock (_gate)
            {
                return _resumeRunning && !_stopping;
            }
        }
    }
}
