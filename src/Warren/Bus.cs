using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Warren.Internal;
using Warren.Runtime;

namespace Warren;

/// <summary>
/// A connection to RabbitMQ that publishes and consumes the message types the Warren generator knows.
/// It owns one confirm-tracking channel for publishing, one for declarations and one per subscription.
/// Thread-safe; create one per application and dispose it at shutdown.
/// </summary>
public sealed class Bus : IAsyncDisposable
{
    private const int MaxRoutingKeyBytes = 255;

    private readonly IConnection _connection;
    private readonly ConfirmingPublisher _publisher;
    private readonly JsonWriterPool _writers;
    private readonly ChannelSlot _topologyChannel;
    private readonly JsonSerializerOptions _json;
    private readonly object _gate = new();
    private readonly HashSet<Subscription> _subscriptions = [];
    private readonly Dictionary<string, Task> _queueDeclarations = new(StringComparer.Ordinal);
    private readonly RpcJson _rpcJson;
    private RpcReplyChannel? _directReplies;
    private RpcReplyChannel? _privateReplies;
    private Task?[] _declarations = [];
    private int _disposed;

    private Bus(BusOptions options, IConnection connection, ILogger logger)
    {
        Options = options;
        Logger = logger;
        _connection = connection;
        _json = JsonDefaults.Resolve(options.JsonSerializerOptions);
        int window = Math.Max(1, options.MaxOutstandingConfirms);
        _publisher = new ConfirmingPublisher(connection, window);
        _writers = new JsonWriterPool(window);
        _rpcJson = new RpcJson(_json);
        _topologyChannel = new ChannelSlot(connection, new CreateChannelOptions(publisherConfirmationsEnabled: false, publisherConfirmationTrackingEnabled: false));
        WatchConnection();
    }

    /// <summary>The options the bus was created with.</summary>
    public BusOptions Options { get; }

    /// <summary>True while the connection to the broker is open.</summary>
    public bool IsConnected => _connection.IsOpen;

    /// <summary>
    /// RPC replies that arrived for no waiting call on this bus (late ones after a timeout or cancellation, or unknown
    /// correlation ids): dropped, never handed to another caller, and counted here.
    /// </summary>
    public long DroppedRpcReplies => (_directReplies?.DroppedReplies ?? 0) + (_privateReplies?.DroppedReplies ?? 0);

    internal ILogger Logger { get; }

    internal JsonSerializerOptions JsonOptions => _json;

    /// <summary>
    /// Connects to the broker, retrying with back-off while it is unreachable until <paramref name="cancellationToken"/> fires.
    /// Wrong credentials or vhost fail at once.
    /// </summary>
    public static async Task<Bus> ConnectAsync(BusOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new BusOptions();
        ILogger logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Warren.Bus");
        var factory = new ConnectionFactory
        {
            Uri = options.Uri,
            ClientProvidedName = options.ClientName,
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = true,
            RequestedHeartbeat = options.Heartbeat,
            NetworkRecoveryInterval = options.NetworkRecoveryInterval,
        };
        string endpoint = BusOptions.Redact(options.Uri);

        TimeSpan delay = TimeSpan.FromMilliseconds(100);
        for (int attempt = 1; ; attempt++)
        {
            IConnection connection;
            try
            {
                connection = await factory.CreateConnectionAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (BrokerUnreachableException ex) when (ex.InnerException is AuthenticationFailureException denied)
            {
                // Wrong credentials do not get better by retrying.
                throw new BrokerAccessDeniedException(endpoint, options.Uri, denied.Message, Constants.AccessRefused, ex);
            }
            catch (BrokerUnreachableException ex) when (!cancellationToken.IsCancellationRequested)
            {
                Log.ConnectRetry(logger, endpoint, attempt, delay, ex.InnerException?.Message ?? ex.Message);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
                continue;
            }

            var bus = new Bus(options, connection, logger);
            try
            {
                // A missing vhost or missing permissions close the connection right after it opens: find out now, not at the first publish.
                await bus._topologyChannel.GetAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationInterruptedException { ShutdownReason: { } reason } && reason.ReplyCode is Constants.NotAllowed or Constants.AccessRefused)
            {
                await bus.DisposeAsync().ConfigureAwait(false);
                throw new BrokerAccessDeniedException(endpoint, options.Uri, reason.ReplyText, reason.ReplyCode, ex);
            }

            Log.Connected(logger, endpoint, options.ClientName);
            return bus;
        }
    }

    /// <summary>
    /// Publishes a message and completes when the broker has confirmed it. The exchange (or queue) is declared on the
    /// first publish of each type on this connection.
    /// </summary>
    /// <param name="message">The message; its type carries a routing attribute.</param>
    /// <param name="routingKey">Overrides the routing key computed from the type's template.</param>
    /// <param name="cancellationToken">Cancels waiting for the declaration, a channel or the confirmation.</param>
    public ValueTask PublishAsync<TMessage>(TMessage message, string? routingKey = null, CancellationToken cancellationToken = default)
    {
        if (message is null)
        {
            // Not ArgumentNullException.ThrowIfNull: that boxes struct messages on every publish.
            throw new ArgumentNullException(nameof(message));
        }

        ThrowIfDisposed();
        MessageDescriptor<TMessage> descriptor = MessageRegistry<TMessage>.Descriptor ?? throw WarrenRegistry.NotRegistered(typeof(TMessage));
        string key = routingKey ?? descriptor.GetRoutingKey(message);
        if (key.Length > MaxRoutingKeyBytes / 3 && Encoding.UTF8.GetByteCount(key) > MaxRoutingKeyBytes)
        {
            throw new ArgumentException($"The routing key of {descriptor.MessageType} is {Encoding.UTF8.GetByteCount(key)} bytes; AMQP allows at most {MaxRoutingKeyBytes}.", nameof(routingKey));
        }

        return PublishCoreAsync(descriptor, message, key, EnsureDeclaredAsync(descriptor), cancellationToken);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask PublishCoreAsync<TMessage>(
        MessageDescriptor<TMessage> descriptor, TMessage message, string routingKey, Task declared, CancellationToken cancellationToken)
    {
        if (!declared.IsCompletedSuccessfully)
        {
            await declared.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        var properties = new BasicProperties
        {
            ContentType = "application/json",
            DeliveryMode = descriptor.Durable ? DeliveryModes.Persistent : DeliveryModes.Transient,
            MessageId = Guid.NewGuid().ToString(),
            Timestamp = new AmqpTimestamp(DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
            Type = descriptor.MessageType,
        };
        if (descriptor.HasHeaders)
        {
            var headers = new Dictionary<string, object?>(StringComparer.Ordinal);
            descriptor.WriteHeaders(message, headers);
            properties.Headers = headers;
        }

        PooledJsonWriter body = _writers.Rent();
        try
        {
            JsonSerializer.Serialize(body.Writer, message, descriptor.GetTypeInfo(_json));
            try
            {
                await _publisher.PublishAsync(descriptor.Exchange, routingKey, descriptor.Mandatory, properties, body.WrittenMemory, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsMissingDestination(ex, descriptor))
            {
                // The exchange or queue was deleted after this connection declared it, so the broker took nothing: declare it
                // again and publish once more. Only a miss naming this message's own destination is retried, so this cannot duplicate.
                ForgetDeclaration(descriptor);
                await EnsureDeclaredAsync(descriptor).WaitAsync(cancellationToken).ConfigureAwait(false);
                await _publisher.PublishAsync(descriptor.Exchange, routingKey, descriptor.Mandatory, properties, body.WrittenMemory, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            // The client copies the body into its frame before the publish completes or fails, so the buffer is free again.
            _writers.Return(body);
        }
    }

    /// <summary>
    /// Starts consuming with a class marked <see cref="ConsumerAttribute"/>: declares its queue and bindings, sets its
    /// prefetch and calls it for every message until the subscription is disposed.
    /// </summary>
    public Task<Subscription> SubscribeAsync<TConsumer>(TConsumer consumer, SubscribeOptions? options = null, CancellationToken cancellationToken = default)
        where TConsumer : class
    {
        ArgumentNullException.ThrowIfNull(consumer);
        ThrowIfDisposed();
        ConsumerDescriptor<TConsumer> descriptor = ConsumerRegistry<TConsumer>.Descriptor ?? throw WarrenRegistry.NotRegistered(typeof(TConsumer));
        return descriptor.SubscribeAsync(this, consumer, options, cancellationToken);
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
        MessageDescriptor<TMessage> descriptor = MessageRegistry<TMessage>.Descriptor ?? throw WarrenRegistry.NotRegistered(typeof(TMessage));
        SubscriptionPlan plan = SubscriptionPlan.Create(descriptor, consumer: null, options);
        return SubscribeCoreAsync(descriptor, new DelegateConsumer<TMessage>(handler), plan, cancellationToken);
    }

    /// <summary>
    /// Declares everything the loaded Warren code knows: every message type's exchange or queue, every consumer's named
    /// queue with its bindings, and every RPC service queue. Server-named queues are made when their subscriptions start.
    /// </summary>
    public async Task DeclareTopologyAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        foreach (MessageDescriptor message in WarrenRegistry.Messages)
        {
            await EnsureDeclaredAsync(message).WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (ConsumerDescriptor consumer in WarrenRegistry.Consumers)
        {
            if (consumer.Queue is null || consumer.Message.Kind == ExchangeKind.Queue)
            {
                continue;
            }

            SubscriptionPlan plan = SubscriptionPlan.Create(consumer.Message, consumer, options: null);
            IChannel channel = await _topologyChannel.GetAsync(cancellationToken).ConfigureAwait(false);
            await DeclareQueueAndBindingsAsync(channel, consumer.Message, plan, cancellationToken).ConfigureAwait(false);
        }

        foreach (RpcServiceDescriptor service in WarrenRegistry.RpcServices)
        {
            await EnsureQueueDeclaredAsync(service.Queue, service.Durable).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    internal async Task<Subscription> SubscribeCoreAsync<TMessage>(
        MessageDescriptor<TMessage> message, IConsumer<TMessage> consumer, SubscriptionPlan plan, CancellationToken cancellationToken)
    {
        await EnsureDeclaredAsync(message).WaitAsync(cancellationToken).ConfigureAwait(false);
        return await StartConsumerAsync(
            plan.Prefetch,
            plan.Concurrency,
            (channel, ct) => DeclareQueueAndBindingsAsync(channel, message, plan, ct),
            (channel, subscription) => new ConsumerPump<TMessage>(channel, message, consumer, subscription, _json, Logger),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Serves <typeparamref name="TService"/> with <paramref name="implementation"/>: consumes the service queue (declaring it),
    /// dispatches each request to the implementation and replies. Several servers on one queue share the requests;
    /// dispose the returned subscription to stop taking requests and finish those in flight.
    /// </summary>
    public async Task<Subscription> ServeAsync<TService>(TService implementation, ServeOptions? options = null, CancellationToken cancellationToken = default)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(implementation);
        ThrowIfDisposed();
        RpcServiceDescriptor<TService> service = RpcRegistry<TService>.Descriptor ?? throw WarrenRegistry.NotRegistered(typeof(TService));
        options ??= new ServeOptions();
        await EnsureQueueDeclaredAsync(service.Queue, service.Durable).WaitAsync(cancellationToken).ConfigureAwait(false);
        return await StartConsumerAsync(
            Math.Max((ushort)1, options.Prefetch),
            Math.Max((ushort)1, options.ConcurrentRequests),
            (_, _) => Task.FromResult(service.Queue),
            (channel, subscription) => new RpcServerPump<TService>(channel, service, implementation, subscription, _rpcJson, options, Logger),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A client of <typeparamref name="TService"/>: the generated proxy, which sends each call to the service queue and
    /// waits for its reply. All clients of the bus share one reply consumer per kind of reply queue.
    /// </summary>
    public TService CreateClient<TService>(RpcClientOptions? options = null)
        where TService : class
    {
        ThrowIfDisposed();
        RpcServiceDescriptor<TService> service = RpcRegistry<TService>.Descriptor ?? throw WarrenRegistry.NotRegistered(typeof(TService));
        options ??= new RpcClientOptions();
        RpcReplyChannel replies;
        lock (_gate)
        {
            replies = options.ReplyQueue == RpcReplyQueue.Private
                ? _privateReplies ??= new RpcReplyChannel(this, _connection, RpcReplyQueue.Private, _rpcJson)
                : _directReplies ??= new RpcReplyChannel(this, _connection, RpcReplyQueue.DirectReplyTo, _rpcJson);
        }

        return service.CreateClient(new RpcCaller(service, replies, options));
    }

    /// <summary>Opens a consumer's own channel, sets its prefetch, declares its queue and starts consuming it.</summary>
    private async Task<Subscription> StartConsumerAsync(
        ushort prefetch,
        ushort concurrency,
        Func<IChannel, CancellationToken, Task<string>> declareQueue,
        Func<IChannel, Subscription, IAsyncBasicConsumer> createConsumer,
        CancellationToken cancellationToken)
    {
        IChannel channel = await _connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: false, publisherConfirmationTrackingEnabled: false, consumerDispatchConcurrency: concurrency),
            cancellationToken).ConfigureAwait(false);
        try
        {
            await channel.BasicQosAsync(0, prefetch, global: false, cancellationToken).ConfigureAwait(false);
            string queue = await declareQueue(channel, cancellationToken).ConfigureAwait(false);
            var subscription = new Subscription(this, channel, queue);
            string consumerTag = await channel.BasicConsumeAsync(
                queue, autoAck: false, consumerTag: string.Empty, noLocal: false, exclusive: false, arguments: null,
                createConsumer(channel, subscription), cancellationToken).ConfigureAwait(false);
            subscription.Started(consumerTag);
            lock (_gate)
            {
                _subscriptions.Add(subscription);
            }

            return subscription;
        }
        catch
        {
            await channel.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Declares a plain named queue (an RPC service queue) once per connection; both clients and servers call it.</summary>
    internal Task EnsureQueueDeclaredAsync(string queue, bool durable)
    {
        lock (_gate)
        {
            if (_queueDeclarations.TryGetValue(queue, out Task? existing) && !existing.IsFaulted && !existing.IsCanceled)
            {
                return existing;
            }

            Task declaration = DeclareQueueAsync(queue, durable);
            _queueDeclarations[queue] = declaration;
            return declaration;
        }
    }

    private async Task DeclareQueueAsync(string queue, bool durable)
    {
        IChannel channel = await _topologyChannel.GetAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            await channel.QueueDeclareAsync(queue, durable, exclusive: false, autoDelete: false, arguments: null).ConfigureAwait(false);
        }
        catch (OperationInterruptedException ex)
        {
            throw Errors.Topology($"queue '{queue}'", ex);
        }
    }

    internal void Forget(Subscription subscription)
    {
        lock (_gate)
        {
            _subscriptions.Remove(subscription);
        }
    }

    private static async Task<string> DeclareQueueAndBindingsAsync(IChannel channel, MessageDescriptor message, SubscriptionPlan plan, CancellationToken cancellationToken)
    {
        if (message.Kind == ExchangeKind.Queue)
        {
            return message.Name;
        }

        string described = plan.Queue is null ? "a server-named queue" : $"queue '{plan.Queue}'";
        try
        {
            QueueDeclareOk declared = await channel.QueueDeclareAsync(
                plan.Queue ?? string.Empty, plan.Durable, exclusive: plan.Exclusive, autoDelete: plan.Exclusive, arguments: null,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            string queue = declared.QueueName;
            foreach (string key in plan.BindingKeys)
            {
                await channel.QueueBindAsync(queue, message.Exchange, key, arguments: null, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            foreach (HeadersBinding binding in plan.HeaderBindings)
            {
                await channel.QueueBindAsync(queue, message.Exchange, string.Empty, binding.ToArguments(), cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            return queue;
        }
        catch (OperationInterruptedException ex)
        {
            throw Errors.Topology($"{described} bound to '{message.Exchange}'", ex);
        }
    }

    /// <summary>The declaration of a message type's exchange or queue on this connection, started on first use.</summary>
    private Task EnsureDeclaredAsync(MessageDescriptor descriptor)
    {
        Task?[] declarations = _declarations;
        int id = descriptor.Id;
        if ((uint)id < (uint)declarations.Length && declarations[id] is { } existing && !existing.IsFaulted && !existing.IsCanceled)
        {
            return existing;
        }

        lock (_gate)
        {
            if (_declarations.Length <= id)
            {
                Array.Resize(ref _declarations, Math.Max(id + 1, WarrenRegistry.MessageCount));
            }

            if (_declarations[id] is { } raced && !raced.IsFaulted && !raced.IsCanceled)
            {
                return raced;
            }

            Task declaration = DeclareAsync(descriptor);
            _declarations[id] = declaration;
            return declaration;
        }
    }

    private void ForgetDeclaration(MessageDescriptor descriptor)
    {
        lock (_gate)
        {
            if ((uint)descriptor.Id < (uint)_declarations.Length)
            {
                _declarations[descriptor.Id] = null;
            }
        }
    }

    private static bool IsMissingDestination(Exception exception, MessageDescriptor descriptor) => exception switch
    {
        PublishReturnedException returned => descriptor.Kind == ExchangeKind.Queue && returned.ReplyCode == Constants.NoRoute
            && returned.RoutingKey == descriptor.Name,
        PublishInterruptedException interrupted => descriptor.Kind != ExchangeKind.Queue && interrupted.ReplyCode == Constants.NotFound
            && interrupted.ReplyText.Contains($"'{descriptor.Exchange}'", StringComparison.Ordinal),
        _ => false,
    };

    private async Task DeclareAsync(MessageDescriptor descriptor)
    {
        if (descriptor.Kind == ExchangeKind.Queue)
        {
            await DeclareQueueAsync(descriptor.Name, descriptor.Durable).ConfigureAwait(false);
            return;
        }

        IChannel channel = await _topologyChannel.GetAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            await channel.ExchangeDeclareAsync(descriptor.Name, descriptor.ExchangeType!, descriptor.Durable, autoDelete: false, arguments: null)
                .ConfigureAwait(false);
        }
        catch (OperationInterruptedException ex)
        {
            throw Errors.Topology(descriptor.ToString(), ex);
        }
    }

    private void WatchConnection()
    {
        _connection.ConnectionShutdownAsync += (_, reason) =>
        {
            if (Volatile.Read(ref _disposed) == 0)
            {
                Log.ConnectionLost(Logger, Errors.Describe(reason));
            }

            return Task.CompletedTask;
        };
        _connection.RecoverySucceededAsync += (_, _) =>
        {
            Log.ConnectionRecovered(Logger);
            return Task.CompletedTask;
        };
        _connection.ConnectionBlockedAsync += (_, blocked) =>
        {
            Log.ConnectionBlocked(Logger, blocked.Reason);
            return Task.CompletedTask;
        };
        _connection.ConnectionUnblockedAsync += (_, _) =>
        {
            Log.ConnectionUnblocked(Logger);
            return Task.CompletedTask;
        };
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    /// <summary>Stops every subscription (letting in-flight handlers finish), then closes the channels and the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Subscription[] subscriptions;
        lock (_gate)
        {
            subscriptions = [.. _subscriptions];
        }

        var stopping = new Task[subscriptions.Length];
        for (int i = 0; i < subscriptions.Length; i++)
        {
            stopping[i] = subscriptions[i].DisposeAsync().AsTask();
        }

        await Task.WhenAll(stopping).ConfigureAwait(false);
        foreach (RpcReplyChannel? replies in new[] { _directReplies, _privateReplies })
        {
            if (replies is not null)
            {
                await replies.DisposeAsync().ConfigureAwait(false);
            }
        }

        await _publisher.DisposeAsync().ConfigureAwait(false);
        await _topologyChannel.DisposeAsync().ConfigureAwait(false);
        try
        {
            await _connection.CloseAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AlreadyClosedException or OperationCanceledException)
        {
            // Already closed by the broker or the network: nothing left to close.
        }

        _connection.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() => $"Bus {{ {BusOptions.Redact(Options.Uri)}, {(IsConnected ? "connected" : "disconnected")} }}";
}
