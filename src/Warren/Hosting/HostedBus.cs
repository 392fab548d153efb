using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Options;
using Warren.Internal;
using Warren.Runtime;

namespace Warren.Hosting;

/// <summary>
/// The <see cref="IBus"/> of a host: a singleton that DI can hand out before the broker is reached, forwarding to the
/// <see cref="Bus"/> that the hosted service connects at start. Until then, publishes, subscriptions and RPC calls wait
/// for the connection (publishes no longer than <see cref="BusOptions.PublishTimeout"/>); RPC clients can be made at
/// once. Disposed with the service provider, which closes the connection after the host has stopped.
/// </summary>
internal sealed class HostedBus : IBus, IAsyncDisposable
{
    private readonly IOptions<BusOptions> _options;
    private readonly TaskCompletionSource<Bus> _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private Bus? _bus;
    private int _disposed;

    public HostedBus(IOptions<BusOptions> options) => _options = options;

    /// <summary>The connected bus, or null before the hosted service connected it.</summary>
    public Bus? Current => Volatile.Read(ref _bus);

    public BusOptions Options => _bus?.Options ?? _options.Value;

    public bool IsConnected => _bus?.IsConnected ?? false;

    public bool IsBlocked => _bus?.IsBlocked ?? false;

    public long DroppedRpcReplies => _bus?.DroppedRpcReplies ?? 0;

    public event EventHandler<ConnectionLostEventArgs>? ConnectionLost;

    public event EventHandler<ConnectionRecoveredEventArgs>? ConnectionRecovered;

    public event EventHandler<BlockedEventArgs>? ConnectionBlocked;

    public event EventHandler<UnblockedEventArgs>? ConnectionUnblocked;

    /// <summary>Connects the bus once, with <see cref="Bus.ConnectAsync"/>'s back-off, until <paramref name="cancellationToken"/> fires.</summary>
    public async Task<Bus> ConnectAsync(CancellationToken cancellationToken)
    {
        await _connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (_bus is { } connected)
            {
                return connected;
            }

            Bus bus = await Bus.ConnectAsync(_options.Value, cancellationToken).ConfigureAwait(false);
            bus.ConnectionLost += (_, e) => ConnectionLost?.Invoke(this, e);
            bus.ConnectionRecovered += (_, e) => ConnectionRecovered?.Invoke(this, e);
            bus.ConnectionBlocked += (_, e) => ConnectionBlocked?.Invoke(this, e);
            bus.ConnectionUnblocked += (_, e) => ConnectionUnblocked?.Invoke(this, e);
            Volatile.Write(ref _bus, bus);
            _connected.TrySetResult(bus);
            return bus;
        }
        finally
        {
            _connecting.Release();
        }
    }

    public ValueTask PublishAsync<TMessage>(TMessage message, string? routingKey = null, CancellationToken cancellationToken = default) =>
        _bus is { } bus ? bus.PublishAsync(message, routingKey, cancellationToken) : PublishWhenConnectedAsync(message, routingKey, null, cancellationToken);

    public ValueTask PublishAsync<TMessage>(TMessage message, PublishOptions options, CancellationToken cancellationToken = default) =>
        _bus is { } bus ? bus.PublishAsync(message, options, cancellationToken) : PublishWhenConnectedAsync(message, null, options, cancellationToken);

    public async Task<Subscription> SubscribeAsync<TConsumer>(TConsumer consumer, SubscribeOptions? options = null, CancellationToken cancellationToken = default)
        where TConsumer : class =>
        await (await WhenConnectedAsync(cancellationToken).ConfigureAwait(false)).SubscribeAsync(consumer, options, cancellationToken).ConfigureAwait(false);

    public async Task<Subscription> SubscribeAsync<TMessage>(
        Func<TMessage, MessageContext, CancellationToken, ValueTask> handler, SubscribeOptions? options = null, CancellationToken cancellationToken = default) =>
        await (await WhenConnectedAsync(cancellationToken).ConfigureAwait(false)).SubscribeAsync(handler, options, cancellationToken).ConfigureAwait(false);

    public async Task<Subscription> ServeAsync<TService>(TService implementation, ServeOptions? options = null, CancellationToken cancellationToken = default)
        where TService : class =>
        await (await WhenConnectedAsync(cancellationToken).ConfigureAwait(false)).ServeAsync(implementation, options, cancellationToken).ConfigureAwait(false);

    public async Task DeclareTopologyAsync(CancellationToken cancellationToken = default) =>
        await (await WhenConnectedAsync(cancellationToken).ConfigureAwait(false)).DeclareTopologyAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>The generated proxy; made before the connection, it waits for it on its first call.</summary>
    public TService CreateClient<TService>(RpcClientOptions? options = null)
        where TService : class
    {
        if (_bus is { } bus)
        {
            return bus.CreateClient<TService>(options);
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        RpcServiceDescriptor<TService> service = WarrenRegistry.RpcService<TService>();
        options ??= new RpcClientOptions();
        RpcReplyQueue kind = options.ReplyQueue;
        return service.CreateClient(new RpcCaller(service, async ct => (await WhenConnectedAsync(ct).ConfigureAwait(false)).RepliesFor(kind), options));
    }

    /// <summary>The connected bus; waits for the hosted service to connect it.</summary>
    public ValueTask<Bus> WhenConnectedAsync(CancellationToken cancellationToken) =>
        _bus is { } bus ? new ValueTask<Bus>(bus) : new ValueTask<Bus>(_connected.Task.WaitAsync(cancellationToken));

    private async ValueTask PublishWhenConnectedAsync<TMessage>(TMessage message, string? routingKey, PublishOptions? options, CancellationToken cancellationToken)
    {
        Bus bus;
        TimeSpan timeout = _options.Value.PublishTimeout;
        try
        {
            bus = await _connected.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The host has not started Warren (or cannot reach the broker): the publish took too long, as one waiting for a recovery does.
            throw new PublishTimeoutException(WarrenRegistry.Message<TMessage>().Exchange, routingKey ?? options?.RoutingKey ?? string.Empty, timeout, PublishTimeoutReason.ConnectionDown,
                "the host's Warren service has not connected yet (is the host started?)", mayHaveBeenPublished: false);
        }

        await (options is null ? bus.PublishAsync(message, routingKey, cancellationToken) : bus.PublishAsync(message, options, cancellationToken)).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _connected.TrySetException(new ObjectDisposedException(nameof(IBus), "The host's service provider was disposed before Warren connected."));
        await _connecting.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_bus is { } bus)
            {
                await bus.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _connecting.Release();
        }
    }
}
