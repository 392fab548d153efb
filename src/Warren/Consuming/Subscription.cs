using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;
using Warren.Internal;

namespace Warren;

/// <summary>
/// A running consumer on its own channel. Stopping or disposing it stops taking deliveries, lets in-flight handlers finish
/// (until the stop's token fires, or up to <see cref="BusOptions.ShutdownTimeout"/> for a dispose; then cancels them and
/// returns their messages to the queue) and closes the channel.
/// </summary>
/// <remarks>
/// It keeps consuming through broker faults. After a connection loss RabbitMQ.Client recovers the channel, the queue,
/// its bindings and the consumer. When the broker closes only the channel (a channel-level error such as
/// <c>PRECONDITION_FAILED</c>) or cancels the consumer (its queue was deleted), which the client does not recover, the
/// subscription declares its queue and bindings again and consumes again (on a new channel with the same prefetch and
/// concurrency when the old one is closed), retrying with back-off until that works or the subscription is disposed.
/// Messages that were delivered but not acknowledged come back from the broker marked redelivered. Handlers still
/// running on a channel the broker closed see their cancellation token fire: they can no longer acknowledge, and the
/// broker has already put their messages back.
/// <para>
/// On a stream queue nothing goes back: an unfinished message is left unacknowledged, the offset the subscription
/// stores (see <see cref="SubscribeOptions.StreamConsumerName"/>) stops before it, and every resume, after a channel
/// error or a connection recovery, consumes again from the offset after the last one processed.
/// </para>
/// </remarks>
public sealed partial class Subscription : IAsyncDisposable
{
    private static readonly TimeSpan FirstResumeDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxResumeDelay = TimeSpan.FromSeconds(5);

    private readonly SubscriptionContext _context;
    private readonly IConnection _connection;
    private readonly ConsumerSetup _setup;
    // Replaced when the broker closes the channel, after cancelling the handlers still running on it.
    private CancellationTokenSource _handlers = new();
    // Never disposed: a pump that outlived the shutdown timeout may still read its token; it owns no timer or handle.
    private readonly CancellationTokenSource _stoppingSource = new();
    private readonly object _gate = new();
    // Channels the broker closed under this subscription; disposed with it, once no handler acks into them any more.
    private readonly List<IChannel> _retiredChannels = [];
    private IChannel? _channel;
    private WatchedConsumer? _consumer;
    private volatile string _queue = string.Empty;
    private volatile string _consumerTag = string.Empty;
    private Task _resumeLoop = Task.CompletedTask;
    private bool _resumeRequested;
    private bool _resumeRunning;
    private volatile bool _started;
    private int _inFlight;
    private volatile bool _stopping;
    private int _disposed;
    private readonly Func<CancellationToken, Task>? _inProcessStop;

    internal Subscription(SubscriptionContext context, ConsumerSetup setup)
    {
        _context = context;
        _connection = context.Connection;
        _setup = setup;
    }

    /// <summary>
    /// A subscription without a channel, consuming from Warren.Testing's in-process broker: stopping it runs
    /// <paramref name="stop"/>, which stops the deliveries and waits for those in flight.
    /// </summary>
    internal Subscription(string queue, string consumerTag, Func<CancellationToken, Task> stop)
    {
        _context = null!;
        _connection = null!;
        _setup = null!;
        _queue = queue;
        _consumerTag = consumerTag;
        _inProcessStop = stop;
    }

    /// <summary>
    /// The queue consumed; for server-named queues, the name the broker chose, which changes when the queue is declared
    /// again after a connection loss.
    /// </summary>
    public string Queue => _queue;

    /// <summary>The consumer tag the broker gave this subscription.</summary>
    public string ConsumerTag => _consumerTag;

    /// <summary>The token handed to handlers; cancelled when shutdown outlasts its timeout.</summary>
    internal CancellationToken HandlerToken => Volatile.Read(ref _handlers).Token;

    /// <summary>Cancelled as soon as disposing starts: ends a retry back-off at once, so the message goes back to the queue.</summary>
    internal CancellationToken StoppingToken => _stoppingSource.Token;

    internal bool IsStopping => _stopping;

    /// <summary>Opens the channel, sets its prefetch, declares the queue and starts consuming it.</summary>
    internal async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_setup.Stream is { } stream)
        {
            await stream.StartAsync(cancellationToken).ConfigureAwait(false);
            _connection.RecoveringConsumerAsync += OnRecoveringConsumerAsync;
        }

        IChannel? channel = null;
        try
        {
            channel = await OpenChannelAsync(cancellationToken).ConfigureAwait(false);
            await ConsumeAsync(channel, again: false, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            if (channel is not null)
            {
                await ChannelClosing.CloseAndDisposeAsync(channel).ConfigureAwait(false);
            }

            await StopStreamAsync().ConfigureAwait(false);
            throw;
        }

        _started = true;
        if (!channel.IsOpen)
        {
            // Closed between consume-ok and now, before the shutdown handler would act on it.
            RequestResume();
        }
    }

    /// <summary>
    /// RabbitMQ.Client is about to consume again after a connection recovery, with the arguments of the first consume:
    /// a stream consumer goes on after the last offset it processed instead of where it first started.
    /// </summary>
    private Task OnRecoveringConsumerAsync(object sender, RecoveringConsumerEventArgs args)
    {
        if (_setup.Stream is { } stream && args.ConsumerArguments is { } arguments
            && string.Equals(args.ConsumerTag, _consumerTag, StringComparison.Ordinal))
        {
            foreach (KeyValuePair<string, object?> argument in stream.ConsumeArguments())
            {
                arguments[argument.Key] = argument.Value;
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Ends a stream subscription's offset tracking with a last commit, bounded by the shutdown timeout.</summary>
    private async Task StopStreamAsync()
    {
        if (_setup.Stream is { } stream)
        {
            _connection.RecoveringConsumerAsync -= OnRecoveringConsumerAsync;
            using var commit = new CancellationTokenSource(_context.ShutdownTimeout);
            await stream.StopAsync(commit.Token).ConfigureAwait(false);
        }
    }

    /// <summary>Counts a delivery in; false once the subscription is stopping, so the message is left for redelivery.</summary>
    internal bool TryEnter()
    {
        Interlocked.Increment(ref _inFlight);
        if (_stopping)
        {
            Interlocked.Decrement(ref _inFlight);
            return false;
        }

        return true;
    }

    internal void Exit() => Interlocked.Decrement(ref _inFlight);

    private async Task<IChannel> OpenChannelAsync(CancellationToken cancellationToken)
    {
        IChannel channel = await _connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: false, publisherConfirmationTrackingEnabled: false, consumerDispatchConcurrency: _setup.Concurrency),
            cancellationToken).ConfigureAwait(false);
        channel.ChannelShutdownAsync += (_, reason) => OnChannelShutdownAsync(channel, reason);
        try
        {
            await channel.BasicQosAsync(0, _setup.Prefetch, global: false, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await ChannelClosing.CloseAndDisposeAsync(channel).ConfigureAwait(false);
            throw;
        }

        return channel;
    }

    /// <summary>Declares the queue and its bindings on <paramref name="channel"/> and consumes it with a fresh pump.</summary>
    private async Task ConsumeAsync(IChannel channel, bool again, CancellationToken cancellationToken)
    {
        if (again)
        {
            await _setup.DeclareAgain(cancellationToken).ConfigureAwait(false);
        }

        string previous = _queue;
        string queue = await _setup.DeclareQueue(channel, cancellationToken).ConfigureAwait(false);
        if (again && previous.Length > 0 && !string.Equals(previous, queue, StringComparison.Ordinal))
        {
            // The server-named queue went away with its consumer, and the broker named the new one differently. Deleting the
            // old name is a no-op on the broker, but drops the client's record of its bindings, which a later connection
            // recovery would otherwise try to restore onto a queue that no longer exists.
            await channel.QueueDeleteAsync(previous, ifUnused: false, ifEmpty: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        var consumer = new WatchedConsumer(_setup.CreatePump(channel, this), this);
        lock (_gate)
        {
            _queue = queue;
            _channel = channel;
            _consumer = consumer;
        }

        _consumerTag = await channel.BasicConsumeAsync(
            queue, autoAck: false, consumerTag: string.Empty, noLocal: false, exclusive: false, arguments: _setup.Stream?.ConsumeArguments(),
            consumer, cancellationToken).ConfigureAwait(false);
        consumer.Registered();

        // Disposed while basic.consume was on the wire: the caller lets go of the channel, and the consumer with it.
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// Stops taking deliveries and waits for the handlers in flight to finish, until <paramref name="cancellationToken"/>
    /// fires (the host's shutdown timeout, say); then cancels their tokens, and the messages they had not finished go back
    /// to the queue. Closes the channel. Calling it again, or disposing afterwards, does nothing.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping = true;
        _stoppingSource.Cancel();
        if (_inProcessStop is not null)
        {
            await _inProcessStop(cancellationToken).ConfigureAwait(false);
            return;
        }

        Task resumeLoop;
        lock (_gate)
        {
            resumeLoop = _resumeLoop;
        }

        try
        {
            // A resume in progress ends at once (it waits on the stopping token); bounded in case the broker does not answer.
            await resumeLoop.WaitAsync(_context.ShutdownTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            // It is stuck on the broker; a channel it opens after all is closed when it sees the stopping token.
        }

        IChannel? channel = Volatile.Read(ref _channel);
        try
        {
            if (channel is { IsOpen: true } && ConsumerTag.Length > 0)
            {
                await channel.BasicCancelAsync(ConsumerTag).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is AlreadyClosedException or OperationInterruptedException or OperationCanceledException)
        {
            // The channel is gone already; its unacknowledged messages are back in the queue.
        }

        await DrainAsync(cancellationToken).ConfigureAwait(false);
        if (Volatile.Read(ref _inFlight) > 0)
        {
            Log.ShutdownTimedOut(_context.Logger, Queue, Volatile.Read(ref _inFlight));
            Volatile.Read(ref _handlers).Cancel();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await DrainAsync(grace.Token).ConfigureAwait(false);
        }

        await CloseAcksAsync().ConfigureAwait(false);

        // Stores the stream offset the handlers got to; a handler cancelled above stops it before its message.
        await StopStreamAsync().ConfigureAwait(false);

        if (channel is not null)
        {
            if (channel.IsOpen)
            {
                await ChannelClosing.CloseAndDisposeAsync(channel).ConfigureAwait(false);
            }
            else
            {
                await RetireAsync(channel).ConfigureAwait(false);
            }
        }

        IChannel[] retired;
        lock (_gate)
        {
            retired = [.. _retiredChannels];
        }

        foreach (IChannel old in retired)
        {
            await ChannelClosing.CloseAndDisposeAsync(old).ConfigureAwait(false);
        }

        Volatile.Read(ref _handlers).Dispose();
        _context.Stopped(this);
    }

    /// <summary>Stops as <see cref="StopAsync"/> does, waiting for the handlers in flight up to <see cref="BusOptions.ShutdownTimeout"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(_inProcessStop is null ? _context.ShutdownTimeout : Timeout.InfiniteTimeSpan);
        await StopAsync(timeout.Token).ConfigureAwait(false);
    }

    /// <summary>Sends the acks of handled messages the pump still holds, so that closing the channel does not return them to the queue.</summary>
    private async Task CloseAcksAsync()
    {
        WatchedConsumer? consumer;
        lock (_gate)
        {
            consumer = _consumer;
        }

        if (consumer is null)
        {
            return;
        }

        try
        {
            await consumer.CloseAcksAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AlreadyClosedException or OperationInterruptedException)
        {
            // The channel closed first: the broker redelivers those messages.
        }
    }

    /// <summary>Waits until no handler is in flight, or the token fires.</summary>
    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        while (Volatile.Read(ref _inFlight) > 0 && !cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(5, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"Subscription {{ Queue = {Queue}, ConsumerTag = {ConsumerTag} }}";
}
