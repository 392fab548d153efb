using System;
using System.Threading;
using System.Threading.Tasks;
using Warren.Internal;
using Warren.Runtime;

namespace Warren;

public sealed partial class Bus
{
    private readonly object _rpcGate = new();
    private readonly RpcJson _rpcJson;
    private RpcReplyChannel? _directReplies;
    private RpcReplyChannel? _privateReplies;

    /// <summary>
    /// RPC replies that arrived for no waiting call on this bus (late ones after a timeout or cancellation, or unknown
    /// correlation ids): dropped, never handed to another caller, and counted here.
    /// </summary>
    public long DroppedRpcReplies => (_directReplies?.DroppedReplies ?? 0) + (_privateReplies?.DroppedReplies ?? 0);

    /// <summary>
    /// Serves <typeparamref name="TService"/> with <paramref name="implementation"/>: consumes the service queue (declaring it),
    /// dispatches each request to the implementation and replies. Several servers on one queue share the requests;
    /// dispose the returned subscription to stop taking requests and finish those in flight.
    /// </summary>
    public Task<Subscription> ServeAsync<TService>(TService implementation, ServeOptions? options = null, CancellationToken cancellationToken = default)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(implementation);
        return ServeCoreAsync(new SingleInstanceTarget<TService>(implementation), options, cancellationToken);
    }

    /// <summary>Serves <typeparamref name="TService"/> with whatever implementation <paramref name="target"/> provides for each request.</summary>
    internal async Task<Subscription> ServeCoreAsync<TService>(RpcTarget<TService> target, ServeOptions? options, CancellationToken cancellationToken)
        where TService : class
    {
        ThrowIfDisposed();
        RpcServiceDescriptor<TService> service = WarrenRegistry.RpcService<TService>();
        options ??= new ServeOptions();
        OptionProblems.ThrowIfAny(nameof(ServeOptions), options.Problems());
        await _topology.EnsureQueueDeclaredAsync(service.Queue, service.QueueSettings).WaitAsync(cancellationToken).ConfigureAwait(false);
        var setup = new ConsumerSetup(
            options.Prefetch,
            options.ConcurrentRequests,
            ct =>
            {
                _topology.ForgetQueue(service.Queue);
                return _topology.EnsureQueueDeclaredAsync(service.Queue, service.QueueSettings).WaitAsync(ct);
            },
            (_, _) => Task.FromResult(service.Queue),
            (channel, subscription) => new RpcServerPump<TService>(channel, service, target, subscription, _rpcJson, options, _servers.Logger, Options.MaxMessageSize));
        return await StartSubscriptionAsync(_servers, setup, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A client of <typeparamref name="TService"/>: the generated proxy, which sends each call to the service queue and
    /// waits for its reply. All clients of the bus share one reply consumer per kind of reply queue.
    /// </summary>
    public TService CreateClient<TService>(RpcClientOptions? options = null)
        where TService : class
    {
        ThrowIfDisposed();
        RpcServiceDescriptor<TService> service = WarrenRegistry.RpcService<TService>();
        options ??= new RpcClientOptions();
        RpcCaller caller = new(service, RepliesFor(options.ReplyQueue), options);
        return service.CreateClient(caller);
    }

    /// <summary>The bus's reply channel of one kind, made on first use.</summary>
    internal RpcReplyChannel RepliesFor(RpcReplyQueue kind)
    {
        lock (_rpcGate)
        {
            return kind == RpcReplyQueue.Private
                ? _privateReplies ??= new RpcReplyChannel(_connection, _topology, Options.MaxMessageSize, RpcReplyQueue.Private, _rpcJson)
                : _directReplies ??= new RpcReplyChannel(_connection, _topology, Options.MaxMessageSize, RpcReplyQueue.DirectReplyTo, _rpcJson);
        }
    }

    private async Task DisposeRpcClientsAsync()
    {
        RpcReplyChannel? direct, replies;
        lock (_rpcGate)
        {
            (direct, replies) = (_directReplies, _privateReplies);
        }

        foreach (RpcReplyChannel? channel in new[] { direct, replies })
        {
            if (channel is not null)
            {
                await channel.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
