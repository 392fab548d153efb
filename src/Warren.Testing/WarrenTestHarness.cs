using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Warren.Internal;
using Warren.Runtime;
using Warren.Testing.Broker;
using Warren.Testing.Consuming;

namespace Warren.Testing;

/// <summary>
/// An <see cref="IBus"/> that runs in process, with no broker: what an app publishes is routed by RabbitMQ's rules to the
/// consumers and RPC servers subscribed on the harness, through the same generated descriptors, serialization, retry
/// policy and error queues as on a real <see cref="Bus"/>. App code that takes <see cref="IBus"/> or
/// <see cref="IPublisher"/> runs unchanged; the test then asserts with <see cref="Published{TMessage}"/>,
/// <see cref="Consumed{TMessage}"/> and <see cref="ErrorQueued{TMessage}"/>, after <see cref="DrainAsync"/>.
/// </summary>
public sealed partial class WarrenTestHarness : IBus, IConsumerHost, IAsyncDisposable
{
    private readonly HarnessCore _core;
    private readonly List<Subscription> _subscriptions = [];
    private long _consumerTags;
    private int _disposed;

    /// <summary>Creates an empty harness: no exchanges, queues or subscriptions yet.</summary>
    /// <param name="options">How it behaves; the defaults when null.</param>
    public WarrenTestHarness(HarnessOptions? options = null)
    {
        options ??= new HarnessOptions();
        OptionProblems.ThrowIfAny(nameof(BusOptions), options.Bus.Problems());
        _core = new HarnessCore(options);
        _rpc = new Rpc.HarnessRpcTransport(_core);
    }

    /// <inheritdoc/>
    public BusOptions Options => _core.Options.Bus;

    /// <summary>True until the harness is disposed: it has no connection to lose.</summary>
    public bool IsConnected => _disposed == 0;

    /// <summary>Always false: nothing blocks the harness.</summary>
    public bool IsBlocked => false;

    /// <inheritdoc/>
    public long DroppedRpcReplies => _rpc.DroppedReplies;

    /// <summary>Never raised: the harness has no connection.</summary>
    public event EventHandler<ConnectionLostEventArgs>? ConnectionLost { add { } remove { } }

    /// <summary>Never raised: the harness has no connection.</summary>
    public event EventHandler<ConnectionRecoveredEventArgs>? ConnectionRecovered { add { } remove { } }

    /// <summary>Never raised: the harness has no connection.</summary>
    public event EventHandler<BlockedEventArgs>? ConnectionBlocked { add { } remove { } }

    /// <summary>Never raised: the harness has no connection.</summary>
    public event EventHandler<UnblockedEventArgs>? ConnectionUnblocked { add { } remove { } }

    ushort IConsumerHost.DefaultPrefetch => Options.Prefetch;

    /// <inheritdoc/>
    public Task<Subscription> SubscribeAsync<TConsumer>(TConsumer consumer, SubscribeOptions? options = null, CancellationToken cancellationToken = default)
        where TConsumer : class
    {
        ArgumentNullException.ThrowIfNull(consumer);
        ThrowIfDisposed();
        return WarrenRegistry.Consumer<TConsumer>().SubscribeAsync(this, consumer, options, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<Subscription> SubscribeAsync<TMessage>(
        Func<TMessage, MessageContext, CancellationToken, ValueTask> handler, SubscribeOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ThrowIfDisposed();
        MessageDescriptor<TMessage> descriptor = WarrenRegistry.Message<TMessage>();
        SubscriptionPlan plan = SubscriptionPlan.Create(descriptor, consumer: null, options, Options.Prefetch);
        return ((IConsumerHost)this).SubscribeCoreAsync(descriptor, new DelegateConsumer<TMessage>(handler), plan, cancellationToken);
    }

    /// <summary>Declares the queue and bindings of a plan, as the bus does, and consumes the queue in process.</summary>
    Task<Subscription> IConsumerHost.SubscribeCoreAsync<TMessage>(
        MessageDescriptor<TMessage> message, IConsumer<TMessage> consumer, SubscriptionPlan plan, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (plan.Stream is not null)
        {
            throw new NotSupportedException($"The harness does not consume stream queues ({plan.Describe(message)}).");
        }

        string errorQueue = plan.ErrorQueueFor(message);
        RetryPolicy retry = plan.Retry ?? Options.Retry ?? new RetryPolicy();
        InMemoryBroker broker = _core.Broker;
        _core.DeclareFor(message);
        string queue;
        if (message.Kind == ExchangeKind.Queue)
        {
            queue = message.Name;
        }
        else
        {
            queue = broker.DeclareQueue(plan.Queue);
            foreach (string key in plan.BindingKeys)
            {
                broker.Bind(queue, message.Exchange, key);
            }

            foreach (HeadersBinding binding in plan.HeaderBindings)
            {
                broker.Bind(queue, message.Exchange, string.Empty, binding);
            }
        }

        if (!plan.Exclusive)
        {
            // As on the bus: a named queue's error queue exists from the start, a server-named one's from its first failure.
            broker.DeclareQueue(errorQueue);
        }

        var harnessConsumer = new HarnessConsumer<TMessage>(_core, message, consumer, retry, queue, errorQueue);
        var consumers = new List<MemoryQueue.QueueConsumer>(plan.Concurrency);
        for (int i = 0; i < plan.Concurrency; i++)
        {
            consumers.Add(broker.Consume(queue, harnessConsumer.DeliverAsync));
        }

        return Task.FromResult(Track(queue, async ct =>
        {
            harnessConsumer.Stop();
            foreach (MemoryQueue.QueueConsumer c in consumers)
            {
                await broker.CancelAsync(c, ct).ConfigureAwait(false);
            }

            if (plan.Exclusive)
            {
                broker.DeleteQueue(queue);
            }
        }));
    }

    /// <summary>Declares every message's exchange (or queue) and every RPC service's queue the loaded Warren code knows.</summary>
    public Task DeclareTopologyAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        foreach (MessageDescriptor message in WarrenRegistry.Messages)
        {
            _core.DeclareFor(message);
        }

        foreach (RpcServiceDescriptor service in WarrenRegistry.RpcServices)
        {
            _core.Broker.DeclareQueue(service.Queue);
        }

        return Task.CompletedTask;
    }

    /// <summary>A subscription whose stop runs <paramref name="stop"/>; stopped with the harness.</summary>
    private Subscription Track(string queue, Func<CancellationToken, Task> stop)
    {
        string tag = $"harness-{Interlocked.Increment(ref _consumerTags)}";
        Subscription? subscription = null;
        subscription = new Subscription(queue, tag, async ct =>
        {
            await stop(ct).ConfigureAwait(false);
            lock (_subscriptions)
            {
                _subscriptions.Remove(subscription!);
            }
        });
        lock (_subscriptions)
        {
            _subscriptions.Add(subscription);
        }

        return subscription;
    }

    /// <summary>Stops every subscription and server (letting in-flight deliveries finish) and fails the calls still waiting.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Subscription[] subscriptions;
        lock (_subscriptions)
        {
            subscriptions = [.. _subscriptions];
        }

        using var timeout = new CancellationTokenSource(_core.Options.DefaultTimeout);
        foreach (Subscription subscription in subscriptions)
        {
            try
            {
                await subscription.StopAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        _core.Disposing.Cancel();
        _rpc.FailAll(new ObjectDisposedException(nameof(WarrenTestHarness), "The harness was disposed before the reply came."));
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed != 0, this);
}
