using System;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;

namespace Warren.Internal;

/// <summary>
/// One channel the bus owns (the publish channel, the declaration channel). RabbitMQ.Client recovers channels after a
/// connection failure but never after a channel-level error (PRECONDITION_FAILED, NOT_FOUND on publish); this slot opens
/// a fresh channel in that case, while the connection itself is up.
/// </summary>
internal sealed class ChannelSlot : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly CreateChannelOptions _channelOptions;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IChannel? _channel;

    public ChannelSlot(IConnection connection, CreateChannelOptions channelOptions)
    {
        _connection = connection;
        _channelOptions = channelOptions;
    }

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

            IChannel fresh = await _connection.CreateChannelAsync(_channelOptions, cancellationToken).ConfigureAwait(false);
            _channel = fresh;
            if (current is not null)
            {
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
        IChannel? channel = Interlocked.Exchange(ref _channel, null);
        if (channel is null)
        {
            return;
        }

        await ChannelClosing.CloseAndDisposeAsync(channel).ConfigureAwait(false);
    }
}
