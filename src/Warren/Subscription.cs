using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Warren.Internal;

namespace Warren;

/// <summary>
/// A running consumer on its own channel. Disposing it stops taking deliveries, lets in-flight handlers finish
/// (up to <see cref="BusOptions.ShutdownTimeout"/>, then cancels them and returns their messages to the queue) and closes the channel.
/// </summary>
public sealed class Subscription : IAsyncDisposable
{
    private readonly Bus _bus;
    private readonly IChannel _channel;
    private readonly CancellationTokenSource _handlers = new();
    private int _inFlight;
    private volatile bool _stopping;
    private int _disposed;

    internal Subscription(Bus bus, IChannel channel, string queue)
    {
        _bus = bus;
        _channel = channel;
        Queue = queue;
        _channel.ChannelShutdownAsync += (_, reason) =>
        {
            // A channel-level error (not our own close) stops this consumer; say so with the broker's reason.
            if (!_stopping && reason.Initiator != ShutdownInitiator.Application)
            {
                Log.ConsumerChannelClosed(_bus.Logger, Queue, Errors.Describe(reason));
            }

            return Task.CompletedTask;
        };
    }

    /// <summary>The queue consumed; for server-named queues, the name the broker chose.</summary>
    public string Queue { get; }

    /// <summary>The consumer tag the broker gave this subscription.</summary>
    public string ConsumerTag { get; private set; } = string.Empty;

    /// <summary>The token handed to handlers; cancelled when shutdown outlasts its timeout.</summary>
    internal CancellationToken HandlerToken => _handlers.Token;

    internal bool IsStopping => _stopping;

    internal void Started(string consumerTag) => ConsumerTag = consumerTag;

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

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping = true;
        try
        {
            if (_channel.IsOpen && ConsumerTag.Length > 0)
            {
                await _channel.BasicCancelAsync(ConsumerTag).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is AlreadyClosedException or OperationInterruptedException or OperationCanceledException)
        {
            // The channel is gone already; its unacknowledged messages are back in the queue.
        }

        await DrainAsync(_bus.Options.ShutdownTimeout).ConfigureAwait(false);
        if (Volatile.Read(ref _inFlight) > 0)
        {
            Log.ShutdownTimedOut(_bus.Logger, Queue, Volatile.Read(ref _inFlight));
            _handlers.Cancel();
            await DrainAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        }

        await ChannelClosing.CloseAndDisposeAsync(_channel).ConfigureAwait(false);
        _handlers.Dispose();
        _bus.Forget(this);
    }

    private async Task DrainAsync(TimeSpan timeout)
    {
        long deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Volatile.Read(ref _inFlight) > 0 && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(5).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"Subscription {{ Queue = {Queue}, ConsumerTag = {ConsumerTag} }}";
}
