using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Options;
using Warren.Internal;
using Warren.Runtime;

namespace Warren.Hosting;

/// <summary>
/// The <see cref="IBus"/> of a host: a singleton that DI can hand out before the broker is reached, forwarding to the
/// <see cref="Bus"/> that the hosted service connects at start. Until the hosted service has started every consumer and
/// RPC server, publishes, subscriptions and RPC calls wait (publishes no longer than <see cref="BusOptions.PublishTimeout"/>),
/// so that what the application sends while the host starts is not lost for want of its own consumers' queues; RPC
/// clients can be made at once. Disposed with the service provider, which closes the connection after the host has stopped.
/// </summary>
internal sealed class HostedBus : IBus, IAsyncDisposable
{
    private readonly IOptions<BusOptions> _options;
    private readonly TaskCompletionSource<Bus> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _connecting = new(1, 1);
    // Ends a connection attempt still retrying when the service provider is disposed.
    private readonly CancellationTokenSource _disposing = new();
    // The connected bus, and the same bus once the host has started on it: forwarding waits for the second.
    private Bus? _connected;
    private Bus? _bus;
    private int _disposed;

    public HostedBus(IOptions<BusOptions> options) => _options = options;

    /// <summary>The connected bus, or null before the hosted service connected it.</summary>
    public Bus? Current => Volatile.Read(ref _connected);

    public BusOptions Options => Current?.Options ?? _options.Value;

    public bool IsConnected => Current?.IsConnected ?? false;

    public bool IsBlocked => Current?.IsBlocked ?? false;

    public long DroppedRpcReplies => Current?.DroppedRpcReplies ?? 0;

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
            if (_connected is { } connected)
            {
                return connected;
            }

            using var connecting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
            Bus bus = await Bus.ConnectAsync(_options.Value, connecting.Token).ConfigureAwait(false);
            bus.ConnectionLost += (_, e) => ConnectionLost?.Invoke(this, e);
            bus.ConnectionRecovered += (_, e) => ConnectionRecovered?.Invoke(this, e);
            bus.ConnectionBlocked += (_, e) => ConnectionBlocked?.Invoke(this, e);
            bus.ConnectionUnblocked += (_, e) => ConnectionUnblocked?.Invoke(this, e);
            Volatile.Write(ref _connected, bus);
            return bus;
        }
        finally
        {
            _connecting.Release();
        }
    }

    /// <summary>The host started its consumers and RPC servers: from now on everything goes straight to the bus.</summary>
    public void Started()
    {
        Bus bus = Current ?? throw new InvalidOperationException("Warren's hosted service started before it connected.");
        Volatile.Write(ref _bus, bus);
        _ready.TrySetResult(bus);
    }

    /// <summary>The host could not start Warren: what waits for it fails with the reason.</summary>
    public void StartFailed(Exception reason) =>
        _ready.TrySetException(new InvalidOperationException("Warren did not start in this host; see the inner exception.", reason));

    public ValueTask PublishAsync<TMessage>(TMessage message, string? routingKey = null, CancellationToken cancellationToken = default) =>
        _bus is { } bus ? bus.PublishAsync(message, routingKey, cancellationToken) : PublishWhenStartedAsync(message, routingKey, null, cancellationToken);

    public ValueTask PublishAsync<TMessage>(TMessage message, PublishOptions options, CancellationToken cancellationToken = default) =>
        _bus is { } bus ? bus.PublishAsync(message, options, cancellationToken) : PublishWhenStartedAsync(message, null, options, cancellationToken);

    public async Task<Subscription> SubscribeAsync<TConsumer>(TConsumer consumer, SubscribeOptions? options = null, CancellationToken cancellationToken = default)
        where TConsumer : class =>
        await (await WhenStartedAsync(cancellationToken).ConfigureAwait(false)).SubscribeAsync(consumer, options, cancellationToken).ConfigureAwait(false);

    public async Task<Subscription> SubscribeAsync<TMessage>(
        Func<TMessage, MessageContext, CancellationToken, ValueTask> handler, SubscribeOptions? options = null, CancellationToken cancellationToken = default) =>
        await (await WhenStartedAsync(cancellationToken).ConfigureAwait(false)).SubscribeAsync(handler, options, cancellationToken).ConfigureAwait(false);

    public async Task<Subscription> ServeAsync<TService>(TService implementation, ServeOptions? options = null, CancellationToken cancellationToken = default)
        where TService : class =>
        await (await WhenStartedAsync(cancellationToken).ConfigureAwait(false)).ServeAsync(implementation, options, cancellationToken).ConfigureAwait(false);

    public async Task DeclareTopologyAsync(CancellationToken cancellationToken = default) =>
        await (await WhenStartedAsync(cancellationToken).ConfigureAwait(false)).DeclareTopologyAsync(cancellationToken).ConfigureAwait(false);

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
        return service.CreateClient(new RpcCaller(service, async ct => (await WhenStartedAsync(ct).ConfigureAwait(false)).RepliesFor(kind), options));
    }

    /// <summary>The bus, once the hosted service has connected it and started its consumers and servers.</summary>
    public ValueTask<Bus> WhenStartedAsync(CancellationToken cancellationToken) =>
        _bus is { } bus ? new ValueTask<Bus>(bus) : new ValueTask<Bus>(_ready.Task.WaitAsync(cancellationToken));

    private async ValueTask PublishWhenStartedAsync<TMessage>(TMessage message, string? routingKey, PublishOptions? options, CancellationToken cancellationToken)
    {
        Bus bus;
        TimeSpan timeout = _options.Value.PublishTimeout;
        try
        {
            bus = await _ready.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The host has not started Warren (or cannot reach the broker): the publish took too long, as one waiting for a recovery does.
            throw new PublishTimeoutException(WarrenRegistry.Message<TMessage>().Exchange, routingKey ?? options?.RoutingKey ?? string.Empty, timeout, PublishTimeoutReason.ConnectionDown,
                "the host has not started Warren yet (is the host started?)", mayHaveBeenPublished: false);
        }

        await (options is null ? bus.PublishAsync(message, routingKey, cancellationToken) : bus.PublishAsync(message, options, cancellationToken)).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _ready.TrySetException(new ObjectDisposedException(nameof(IBus), "The host's service provider was disposed before Warren started."));
        await _disposing.CancelAsync().ConfigureAwait(false);
        await _connecting.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_connected is { } bus)
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
