using System;
using System.Threading;
using System.Threading.Tasks;

namespace Warren;

/// <summary>
/// Publishes messages: what an application injects where it only sends. <see cref="Bus"/> implements it; an
/// application's own tests can substitute it.
/// </summary>
public interface IPublisher
{
    /// <summary>
    /// Publishes a message and completes when the broker has confirmed it. The exchange (or queue) is declared on the
    /// first publish of each type on the connection.
    /// </summary>
    /// <param name="message">The message; its type carries a routing attribute.</param>
    /// <param name="routingKey">Overrides the routing key computed from the type's template.</param>
    /// <param name="cancellationToken">Cancels waiting for the declaration, a channel or the confirmation.</param>
    ValueTask PublishAsync<TMessage>(TMessage message, string? routingKey = null, CancellationToken cancellationToken = default);

    /// <summary>Publishes a message with properties and headers of its own, and completes when the broker has confirmed it.</summary>
    /// <param name="message">The message; its type carries a routing attribute.</param>
    /// <param name="options">The message id, correlation id, expiration, priority, headers or routing key of this publish.</param>
    /// <param name="cancellationToken">Cancels waiting for the declaration, a channel or the confirmation.</param>
    ValueTask PublishAsync<TMessage>(TMessage message, PublishOptions options, CancellationToken cancellationToken = default);
}

/// <summary>
/// A connection to RabbitMQ that publishes, consumes, serves and calls what the Warren generator knows: what an
/// application injects (<c>services.AddWarren(...)</c> registers it). <see cref="Bus"/> implements it; an
/// application's own tests can substitute it.
/// </summary>
public interface IBus : IPublisher
{
    /// <summary>The options the bus was created with.</summary>
    BusOptions Options { get; }

    /// <summary>True while the connection to the broker is open.</summary>
    bool IsConnected { get; }

    /// <summary>True while the broker blocks the connection because of a resource alarm; publishes wait meanwhile.</summary>
    bool IsBlocked { get; }

    /// <summary>RPC replies that arrived for no waiting call (late or unknown): dropped and counted.</summary>
    long DroppedRpcReplies { get; }

    /// <summary>The connection to the broker was lost; the bus reconnects on its own.</summary>
    event EventHandler<ConnectionLostEventArgs>? ConnectionLost;

    /// <summary>The connection is back with everything the bus declared and consumed.</summary>
    event EventHandler<ConnectionRecoveredEventArgs>? ConnectionRecovered;

    /// <summary>The broker blocked the connection because of a resource alarm: publishes wait.</summary>
    event EventHandler<BlockedEventArgs>? ConnectionBlocked;

    /// <summary>The broker unblocked the connection.</summary>
    event EventHandler<UnblockedEventArgs>? ConnectionUnblocked;

    /// <summary>
    /// Starts consuming with a class marked <see cref="ConsumerAttribute"/>: declares its queue and bindings, sets its
    /// prefetch and calls it for every message until the subscription is stopped.
    /// </summary>
    Task<Subscription> SubscribeAsync<TConsumer>(TConsumer consumer, SubscribeOptions? options = null, CancellationToken cancellationToken = default)
        where TConsumer : class;

    /// <summary>
    /// Starts consuming <typeparamref name="TMessage"/> with a handler delegate; the queue and bindings come from
    /// <paramref name="options"/> (by default an exclusive server-named queue, or the message's own queue).
    /// </summary>
    Task<Subscription> SubscribeAsync<TMessage>(
        Func<TMessage, MessageContext, CancellationToken, ValueTask> handler, SubscribeOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Serves <typeparamref name="TService"/> with <paramref name="implementation"/> until the subscription is stopped.</summary>
    Task<Subscription> ServeAsync<TService>(TService implementation, ServeOptions? options = null, CancellationToken cancellationToken = default)
        where TService : class;

    /// <summary>A client of <typeparamref name="TService"/>: the generated proxy, which calls the service over the broker.</summary>
    TService CreateClient<TService>(RpcClientOptions? options = null)
        where TService : class;

    /// <summary>
    /// Declares every exchange, queue and binding the loaded Warren code knows; with <see cref="DeclareMode.Verify"/>
    /// checks them instead (<see cref="TopologyVerificationException"/>), with <see cref="DeclareMode.None"/> does nothing.
    /// </summary>
    Task DeclareTopologyAsync(CancellationToken cancellationToken = default);
}
