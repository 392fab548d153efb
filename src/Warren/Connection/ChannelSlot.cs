using System;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Warren.Internal;

/// <summary>
/// One channel the bus owns (the publish channel, the declaration channel, the RPC reply channel). RabbitMQ.Client
/// recovers channels after a connection failure but never after a channel-level error (PRECONDITION_FAILED, NOT_FOUND on
/// publish); this slot opens a fresh channel in that case, while the connection itself is up. While the whole connection
/// is down it keeps the channel the client will recover.
/// </summary>
internal sealed class ChannelSlot : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly CreateChannelOptions _channelOptions;
    private readonly Func<IChannel, CancellationToken, Task>? _prepare;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IChannel? _channel;
    private bool _disposed;

    /// <param name="connection">The bus's connection.</param>
    /// <param name="channelOptions">How each channel is created.</param>
    /// <param name="prepare">Runs on each new channel before anyone gets it: event handlers, a reply consumer.</param>
    public ChannelSlot(IConnection connection, CreateChannelOptions channelOptions, Func<IChannel, CancellationToken, Task>? prepare = null)
    {
        _connection = connection;
        _channelOptions = channelOptions;
        _prepare = prepare;
    }

    /// <summary>Why the channel this slot last replaced was closed (it is disposed, so it can no longer say).</summary>
    public ShutdownEventArgs? ReplacedCloseReason { get; private set; }

    public ValueTask<IChannel> GetAsync(CancellationToken cancellationToken)
    {
        IChannel? channel = _channel;
        return channel is not null && (channel.IsOpen || !_connection.IsOpen)
            ? new ValueTask<IChannel>(channel)
            : OpenAsync(cancellationToken);
    }

    private async ValueTask<IChannel> OpenAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            IChannel? current = _channel;
            if (current is not null && (current.IsOpen || !_connection.IsOpen))
            {
                return current;
            }

            ObjectDisposedException.ThrowIf(_disposed, this);
            IChannel fresh = await _connection.CreateChannelAsync(_channelOptions, cancellationToken).ConfigureAwait(false);
            if (_prepare is not null)
            {
                try
                {
                    await _prepare(fresh, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    await ChannelClosing.CloseAndDisposeAsync(fresh).ConfigureAwait(false);
                    throw;
                }
            }

            _channel = fresh;
            if (current is not null)
            {
                ReplacedCloseReason = current.CloseReason;
                await current.DisposeAsync().ConfigureAwait(false);
            }

            return fresh;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        IChannel? channel;
        try
        {
            _disposed = true;
            channel = Interlocked.Exchange(ref _channel, null);
        }
        finally
        {
            _gate.Release();
        }

        if (channel is null)
        {
            return;
        }

        await ChannelClosing.CloseAndDisposeAsync(channel).ConfigureAwait(false);
    }
}
