using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Warren.Internal;
using Warren.Runtime;

namespace Warren;

public sealed partial class Bus
{
    private readonly object _subscriptionsGate = new();
    private readonly HashSet<Subscription> _subscriptions = [];
    private readonly SubscriptionContext _consumers;
    private readonly SubscriptionContext _servers;
    private readonly ConsumerPumpContext _pumps;

    /// <summary>Every subscription and RPC server running on this bus, for the health check.</summary>
    internal IReadOnlyCollection<Subscription> Subscriptions
    {
        get
        {
            lock (_subscriptionsGate)
            {
                return [.. _subscriptions];
            }
        }
    }

    /// <summary>
    /// Starts consuming with a class marked <see cref="ConsumerAttribute"/>: declares its queue and bindings, sets its
    /// prefetch and calls it for every message until the subscription is disposed.
    /// </summary>
    /// <remarks>
    /// With <see cref="DeclareMode.Verify"/> it first checks the message's exchange (or queue), the named queue and its
    /// error queue, and throws <see cref="TopologyVerificationException"/> listing every difference before consuming; with
    /// <see cref="DeclareMode.None"/> a missing queue throws <see cref="TopologyException"/>.
    /// </remarks>
    public Task<Subscription> SubscribeAsync<TConsumer>(TConsumer consumer, SubscribeOptions? options = null, CancellationToken cancellationToken = default)
        where TConsumer : class
    {
        ArgumentNullException.ThrowIfNull(consumer);
        ThrowIfDisposed();
        return WarrenRegistry.Consumer<TConsumer>().SubscribeAsync(this, consumer, options, cancellationToken);
    }

    /// <summary>
    /// Starts consuming <typeparamref name="TMessage"/> with a handler delegate; the queue and bindings come from
    /// <paramref name="options"/> (by default an exclusive server-named queue, or the message's own queue).
    /// </summary>
    public Task<Subscription> SubscribeAsync<TMessage>(
        Func<TMessage, MessageContext, CancellationToken, ValueTask> handler, SubscribeOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ThrowIfDisposed();
        MessageDescriptor<TMessage> descriptor = WarrenRegistry.Message<TMessage>();
        SubscriptionPlan plan = SubscriptionPlan.Create(descriptor, consumer: null, options, Options.Prefetch);
        return SubscribeCoreAsync(descriptor, new DelegateConsumer<TMessage>(handler), plan, cancellationToken);
    }

    /// <summary>Subscribes <paramref name="consumer"/> as <paramref name="plan"/> says; the generated descriptors and the hosted service call it.</summary>
    internal async Task<Subscription> SubscribeCoreAsync<TMessage>(
        MessageDescriptor<TMessage> message, IConsumer<TMessage> consumer, SubscriptionPlan plan, CancellationToken cancellationToken)
    {
        string errorQueue = plan.ErrorQueueFor(message);
        RetryPolicy retry = plan.Retry ?? Options.Retry ?? new RetryPolicy();
        if (_topology.Mode == DeclareMode.Verify)
        {
            // Everything the subscription uses, checked at once, so that one error lists every difference.
            List<TopologyExpectation> expected = TopologyExpectation.ForSubscription(message, plan, errorQueue);
            if (plan.Stream?.OffsetsQueue is { } offsetsQueue)
            {
                expected.Add(TopologyExpectation.Queue(offsetsQueue, StreamPlan.OffsetsQueueSettings));
            }

            await _topology.VerifyAsync(plan.Describe(message), expected, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await _topology.EnsureDeclaredAsync(message).WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        // A stream keeps every message: the subscription reads it from an offset, and tracks how far it got.
        StreamCursor? stream = plan.Stream is { } streamPlan ? new StreamCursor(streamPlan, _consumers.Connection, _publisher, _topology, _consumers.Logger) : null;
        var setup = new ConsumerSetup(
            plan.Prefetch,
            plan.Concurrency,
            ct =>
            {
                _topology.Forget(message);
                return _topology.EnsureDeclaredAsync(message).WaitAsync(ct);
            },
            (channel, ct) => _topology.DeclareSubscriptionQueueAsync(channel, message, plan, errorQueue, ct),
            (channel, subscription) => new ConsumerPump<TMessage>(
                channel, _pumps, message, consumer, subscription, retry, errorQueue, stream, AckBatch.For(channel, plan.Prefetch, plan.Concurrency, stream is not null)),
            stream);
        return await StartSubscriptionAsync(_consumers, setup, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Opens a subscription's own channel, sets its prefetch, declares its queue and starts consuming it. The subscription
    /// does all of that again when the broker closes its channel or cancels its consumer.
    /// </summary>
    private async Task<Subscription> StartSubscriptionAsync(SubscriptionContext context, ConsumerSetup setup, CancellationToken cancellationToken)
    {
        var subscription = new Subscription(context, setup);
        try
        {
            await subscription.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason is { } reason && Errors.AccessDenied(reason, ex) is { } denied)
        {
            // No read permission on the queue: a permission, not worth retrying.
            throw denied;
        }
        catch (OperationInterruptedException ex) when (_topology.Mode != DeclareMode.Declare && ex.ShutdownReason is { ReplyCode: Constants.NotFound } reason)
        {
            // Nothing declared the queue: it is the operator's, and it is not there.
            throw new TopologyException(
                $"Cannot consume queue '{subscription.Queue}': {reason.ReplyText}. DeclareMode.{_topology.Mode} declares nothing: " +
                "the queue must be declared by whoever owns the topology (or use DeclareMode.Declare).", reason.ReplyCode, ex);
        }

        lock (_subscriptionsGate)
        {
            _subscriptions.Add(subscription);
        }

        return subscription;
    }

    private void Forget(Subscription subscription)
    {
        lock (_subscriptionsGate)
        {
            _subscriptions.Remove(subscription);
        }
    }

    /// <summary>Server-named queues get new names when the client declares them again; keeps <see cref="Subscription.Queue"/> current.</summary>
    private Task OnQueueRenamed(string before, string after)
    {
        foreach (Subscription subscription in Subscriptions)
        {
            subscription.QueueRenamed(before, after);
        }

        Log.QueueRenamed(_consumers.Logger, before, after);
        return Task.CompletedTask;
    }

    /// <summary>After a connection recovery every subscription checks that it really consumes again.</summary>
    private Task OnConnectionRecovered()
    {
        foreach (Subscription subscription in Subscriptions)
        {
            subscription.ConnectionRecovered();
        }

        return Task.CompletedTask;
    }

    /// <summary>Stops every subscription and server at once, each letting its in-flight handlers finish.</summary>
    private async Task StopSubscriptionsAsync()
    {
        IReadOnlyCollection<Subscription> subscriptions = Subscriptions;
        var stopping = new List<Task>(subscriptions.Count);
        foreach (Subscription subscription in subscriptions)
        {
            stopping.Add(subscription.DisposeAsync().AsTask());
        }

        await Task.WhenAll(stopping).ConfigureAwait(false);
    }
}
