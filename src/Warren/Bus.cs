using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
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
    // Stopwatch timestamps of the current connection outage and resource alarm; 0 while connected and not blocked.
    private long _lostAt;
    private long _blockedAt;
    // Connection events run one after the other on the thread pool, never on the client's I/O loop.
    private readonly object _eventGate = new();
    private Task _events = Task.CompletedTask;

    private Bus(BusOptions options, IConnection connection, ILogger logger)
    {
        Options = options;
        Logger = logger;
        _connection = connection;
        _json = JsonDefaults.Resolve(options.JsonSerializerOptions);
        int window = Math.Max(1, options.MaxOutstandingConfirms);
        _publisher = new ConfirmingPublisher(connection, window, options.PublishTimeout, logger);
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
    /// True while the broker blocks this connection because of a resource alarm (low on disk or memory): publishes wait
    /// until it unblocks. False again when the connection is lost, since a new connection starts unblocked.
    /// </summary>
    public bool IsBlocked => Volatile.Read(ref _blockedAt) != 0;

    /// <summary>
    /// The connection to the broker was lost; the bus reconnects on its own. Raised once per outage, with the broker's
    /// or the network's reason.
    /// </summary>
    /// <remarks>
    /// Connection events are raised in order, one at a time, on the thread pool (never on the connection's I/O loop, so a
    /// slow handler delays no recovery). A handler that throws is logged and ignored.
    /// </remarks>
    public event EventHandler<ConnectionLostEventArgs>? ConnectionLost;

    /// <summary>
    /// The connection is back with every exchange, queue, binding and consumer the bus declared; carries how long it was
    /// down. See <see cref="ConnectionLost"/> for how events are raised.
    /// </summary>
    public event EventHandler<ConnectionRecoveredEventArgs>? ConnectionRecovered;

    /// <summary>
    /// The broker blocked the connection because of a resource alarm, with its reason (e.g. <c>low on disk</c>):
    /// publishes wait. See <see cref="ConnectionLost"/> for how events are raised.
    /// </summary>
    public event EventHandler<BlockedEventArgs>? ConnectionBlocked;

    /// <summary>
    /// The broker unblocked the connection. Not raised when the connection is lost while blocked (<see cref="IsBlocked"/>
    /// turns false then, and <see cref="ConnectionLost"/> is raised). See <see cref="ConnectionLost"/> for how events are raised.
    /// </summary>
    public event EventHandler<UnblockedEventArgs>? ConnectionUnblocked;

    /// <summary>True from a connection loss until RabbitMQ.Client has recovered the connection, its topology and its consumers.</summary>
    internal bool IsRecovering => Volatile.Read(ref _lostAt) != 0;

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
        ValidateLimits(options);
        ILogger logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Warren.Bus");
        var factory = new ConnectionFactory
        {
            Uri = options.Uri,
            ClientProvidedName = options.ClientName,
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = true,
            RequestedHeartbeat = options.Heartbeat,
            NetworkRecoveryInterval = options.NetworkRecoveryInterval,
            // Larger than what the bus accepts, so that an oversize delivery from another publisher reaches the consumer,
            // which moves it to the error queue, instead of the client closing the whole connection over it.
            MaxInboundMessageBodySize = (uint)Math.Max(options.MaxMessageSize, ClientMaxInboundMessageBodySize),
        };
        // After Uri, which sets the client's own, laxer TLS options for amqps://.
        TlsSettings? tls = TlsSettings.Configure(factory, options);
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
            catch (BrokerUnreachableException ex) when (tls?.LastRefusal is { } refusal && IsTlsHandshakeFailure(ex))
            {
                // Nor does a certificate that is not trusted.
                throw new BrokerCertificateException(endpoint, refusal, ex);
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
        // Counted only when it could be too long: a UTF-8 character takes at most 3 bytes.
        if (key.Length > MessageLimitException.MaxRoutingKeyBytes / 3 && Encoding.UTF8.GetByteCount(key) > MessageLimitException.MaxRoutingKeyBytes)
        {
            throw MessageLimitException.RoutingKeyTooLong(descriptor.MessageType, Encoding.UTF8.GetByteCount(key));
        }

        return PublishCoreAsync(descriptor, message, key, EnsureDeclaredAsync(descriptor), cancellationToken);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask PublishCoreAsync<TMessage>(
        MessageDescriptor<TMessage> descriptor, TMessage message, string routingKey, Task declared, CancellationToken cancellationToken)
    {
        long deadline = 0;
        if (!declared.IsCompletedSuccessfully)
        {
            deadline = _publisher.Deadline();
            await DeclareForPublishAsync(descriptor, routingKey, declared, deadline, cancellationToken).ConfigureAwait(false);
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
            if (body.WrittenMemory.Length > Options.MaxMessageSize)
            {
                throw MessageLimitException.BodyTooLarge(descriptor.MessageType, $"message {descriptor.MessageType}", body.WrittenMemory.Length, Options.MaxMessageSize);
            }

            try
            {
                await _publisher.PublishAsync(descriptor.Exchange, routingKey, descriptor.Mandatory, properties, body.WrittenMemory, cancellationToken, deadline).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsMissingDestination(ex, descriptor))
            {
                // The exchange or queue was deleted after this connection declared it, so the broker took nothing: declare it
                // again and publish once more. Only a miss naming this message's own destination is retried, so this cannot duplicate.
                ForgetDeclaration(descriptor);
                deadline = deadline == 0 ? _publisher.Deadline() : deadline;
                await DeclareForPublishAsync(descriptor, routingKey, EnsureDeclaredAsync(descriptor), deadline, cancellationToken).ConfigureAwait(false);
                await _publisher.PublishAsync(descriptor.Exchange, routingKey, descriptor.Mandatory, properties, body.WrittenMemory, cancellationToken, deadline).ConfigureAwait(false);
            }
        }
        finally
        {
            // The client copies the body into its frame before the publish completes or fails, so the buffer is free again.
            _writers.Return(body);
        }
    }

    /// <summary>
    /// Waits for the declaration a publish needs; when a connection loss interrupted it, waits for the connection to come
    /// back and declares again, until the publish's deadline.
    /// </summary>
    private async Task DeclareForPublishAsync(MessageDescriptor descriptor, string routingKey, Task declared, long deadline, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await declared.WaitAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (Errors.IsConnectionFault(ex))
            {
                await _publisher.WaitForConnectionAsync(descriptor.Exchange, routingKey, deadline, cancellationToken).ConfigureAwait(false);
                // A short pause, in case the connection only looks open while it goes down.
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
                declared = EnsureDeclaredAsync(descriptor);
            }
        }
    }

    /// <summary>Refuses limits that cannot work before anything connects.</summary>
    private static void ValidateLimits(BusOptions options)
    {
        if (options.MaxMessageSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxMessageSize, "BusOptions.MaxMessageSize must be positive.");
        }

        if (options.PublishTimeout <= TimeSpan.Zero && options.PublishTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.PublishTimeout, "BusOptions.PublishTimeout must be positive (or Timeout.InfiniteTimeSpan).");
        }
    }

    /// <summary>RabbitMQ.Client's own ceiling for inbound bodies, RabbitMQ's largest <c>max_message_size</c> before 4.0.</summary>
    private const int ClientMaxInboundMessageBodySize = 128 * 1024 * 1024;

    private static bool IsTlsHandshakeFailure(Exception exception)
    {
        for (Exception? inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is System.Security.Authentication.AuthenticationException)
            {
                return true;
            }

            if (inner is AggregateException aggregate && aggregate.InnerExceptions.Any(IsTlsHandshakeFailure))
            {
                return true;
            }
        }

        return false;
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
            await EnsureQueueDeclaredAsync(service.Queue, service.QueueSettings).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    internal async Task<Subscription> SubscribeCoreAsync<TMessage>(
        MessageDescriptor<TMessage> message, IConsumer<TMessage> consumer, SubscriptionPlan plan, CancellationToken cancellationToken)
    {
        string errorQueue = plan.ErrorQueueFor(message);
        RetryPolicy retry = plan.Retry ?? Options.Retry ?? new RetryPolicy();
        await EnsureDeclaredAsync(message).WaitAsync(cancellationToken).ConfigureAwait(false);
        return await StartConsumerAsync(
            plan.Prefetch,
            plan.Concurrency,
            ct =>
            {
                ForgetDeclaration(message);
                return EnsureDeclaredAsync(message).WaitAsync(ct);
            },
            async (channel, ct) =>
            {
                string queue = await DeclareQueueAndBindingsAsync(channel, message, plan, ct).ConfigureAwait(false);
                if (!plan.Exclusive)
                {
                    // A named queue's error queue exists from the start, for operators to watch. A server-named queue is
                    // temporary: its error queue (per exchange, durable) is declared by the first failure, so that
                    // subscriptions that never fail leave nothing behind.
                    await ErrorQueues.DeclareAsync(channel, errorQueue, ct).ConfigureAwait(false);
                }

                return queue;
            },
            (channel, subscription) => new ConsumerPump<TMessage>(channel, this, message, consumer, subscription, retry, errorQueue),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Publishes raw bytes through the bus's publisher and completes when the broker has confirmed them: for moving a
    /// delivery elsewhere (its error queue) byte for byte. Mandatory, so a message that no queue takes fails with
    /// <see cref="PublishReturnedException"/> rather than vanishing; that needs a message id in <paramref name="properties"/>.
    /// Not refused once the bus is disposing: subscriptions, which stop first, still move their last failures.
    /// </summary>
    internal ValueTask SendAsync(string exchange, string routingKey, BasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        _publisher.PublishAsync(exchange, routingKey, mandatory: true, properties, body, cancellationToken);

    /// <summary>Declares an error queue on the bus's declaration channel, for when it went missing after the subscription started.</summary>
    internal async Task DeclareErrorQueueAsync(string errorQueue, CancellationToken cancellationToken)
    {
        IChannel channel = await _topologyChannel.GetAsync(cancellationToken).ConfigureAwait(false);
        await ErrorQueues.DeclareAsync(channel, errorQueue, cancellationToken).ConfigureAwait(false);
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
        await EnsureQueueDeclaredAsync(service.Queue, service.QueueSettings).WaitAsync(cancellationToken).ConfigureAwait(false);
        return await StartConsumerAsync(
            Math.Max((ushort)1, options.Prefetch),
            Math.Max((ushort)1, options.ConcurrentRequests),
            ct =>
            {
                ForgetQueueDeclaration(service.Queue);
                return EnsureQueueDeclaredAsync(service.Queue, service.QueueSettings).WaitAsync(ct);
            },
            (_, _) => Task.FromResult(service.Queue),
            (channel, subscription) => new RpcServerPump<TService>(channel, service, implementation, subscription, _rpcJson, options, Logger, Options.MaxMessageSize),
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

    /// <summary>
    /// Opens a consumer's own channel, sets its prefetch, declares its queue and starts consuming it. The subscription
    /// does all of that again when the broker closes its channel or cancels its consumer.
    /// </summary>
    private async Task<Subscription> StartConsumerAsync(
        ushort prefetch,
        ushort concurrency,
        Func<CancellationToken, Task> declareAgain,
        Func<IChannel, CancellationToken, Task<string>> declareQueue,
        Func<IChannel, Subscription, IAsyncBasicConsumer> createConsumer,
        CancellationToken cancellationToken)
    {
        var subscription = new Subscription(this, _connection, new ConsumerSetup(prefetch, concurrency, declareAgain, declareQueue, createConsumer));
        try
        {
            await subscription.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason is { } reason && Errors.AccessDenied(reason, ex) is { } denied)
        {
            // No read permission on the queue: a permission, not worth retrying.
            throw denied;
        }

        lock (_gate)
        {
            _subscriptions.Add(subscription);
        }

        return subscription;
    }

    /// <summary>Declares a plain named queue (an RPC service queue) once per connection; both clients and servers call it.</summary>
    internal Task EnsureQueueDeclaredAsync(string queue, QueueSettings settings)
    {
        lock (_gate)
        {
            if (_queueDeclarations.TryGetValue(queue, out Task? existing) && !existing.IsFaulted && !existing.IsCanceled)
            {
                return existing;
            }

            Task declaration = DeclareQueueAsync(queue, settings);
            _queueDeclarations[queue] = declaration;
            return declaration;
        }
    }

    private async Task DeclareQueueAsync(string queue, QueueSettings settings)
    {
        IChannel channel = await _topologyChannel.GetAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            await settings.DeclareAsync(channel, queue, exclusive: false, CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationInterruptedException ex)
        {
            throw Errors.Topology($"queue '{queue}' as a {settings}", ex);
        }
    }

    /// <summary>Drops the cached declaration of a plain named queue, so the next use declares it again (it may have been deleted).</summary>
    private void ForgetQueueDeclaration(string queue)
    {
        lock (_gate)
        {
            _queueDeclarations.Remove(queue);
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

        string described = plan.Queue is null ? "a server-named queue" : $"queue '{plan.Queue}' as a {plan.QueueSettings}";
        try
        {
            string queue = await plan.QueueSettings.DeclareAsync(channel, plan.Queue ?? string.Empty, plan.Exclusive, cancellationToken).ConfigureAwait(false);
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
            && Errors.NamesExchange(interrupted.ReplyText, descriptor.Exchange),
        _ => false,
    };

    private async Task DeclareAsync(MessageDescriptor descriptor)
    {
        if (descriptor.Kind == ExchangeKind.Queue)
        {
            await DeclareQueueAsync(descriptor.Name, descriptor.QueueSettings).ConfigureAwait(false);
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
            if (Volatile.Read(ref _disposed) != 0)
            {
                return Task.CompletedTask;
            }

            // A new connection starts unblocked.
            Interlocked.Exchange(ref _blockedAt, 0);
            var lost = new ConnectionLostEventArgs(
                reason.ReplyCode, reason.ReplyText, reason.Initiator == ShutdownInitiator.Peer, DateTimeOffset.UtcNow, reason.Exception);
            if (Interlocked.CompareExchange(ref _lostAt, Stopwatch.GetTimestamp(), 0) == 0)
            {
                Log.ConnectionLost(Logger, lost.Reason);
                Raise(ConnectionLost, lost, nameof(ConnectionLost));
            }
            else
            {
                // Already down: a recovery attempt failed after reconnecting.
                Log.ConnectionRecoveryFailed(Logger, lost.Reason, Options.NetworkRecoveryInterval);
            }

            return Task.CompletedTask;
        };
        _connection.ConnectionRecoveryErrorAsync += (_, failure) =>
        {
            Log.ConnectionRecoveryFailed(Logger, failure.Exception.InnerException?.Message ?? failure.Exception.Message, Options.NetworkRecoveryInterval);
            return Task.CompletedTask;
        };
        _connection.RecoverySucceededAsync += (_, _) =>
        {
            long lostAt = Interlocked.Exchange(ref _lostAt, 0);
            TimeSpan downtime = lostAt == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(lostAt);
            Log.ConnectionRecovered(Logger, downtime);
            Raise(ConnectionRecovered, new ConnectionRecoveredEventArgs(downtime, DateTimeOffset.UtcNow), nameof(ConnectionRecovered));
            return Task.CompletedTask;
        };
        _connection.QueueNameChangedAfterRecoveryAsync += (_, renamed) =>
        {
            // Server-named queues get new names when the client declares them again; keep Subscription.Queue current.
            Subscription[] subscriptions;
            lock (_gate)
            {
                subscriptions = [.. _subscriptions];
            }

            foreach (Subscription subscription in subscriptions)
            {
                subscription.QueueRenamed(renamed.NameBefore, renamed.NameAfter);
            }

            Log.QueueRenamed(Logger, renamed.NameBefore, renamed.NameAfter);
            return Task.CompletedTask;
        };
        _connection.ConnectionBlockedAsync += (_, blocked) =>
        {
            Interlocked.Exchange(ref _blockedAt, Stopwatch.GetTimestamp());
            Log.ConnectionBlocked(Logger, blocked.Reason);
            Raise(ConnectionBlocked, new BlockedEventArgs(blocked.Reason, DateTimeOffset.UtcNow), nameof(ConnectionBlocked));
            return Task.CompletedTask;
        };
        _connection.ConnectionUnblockedAsync += (_, _) =>
        {
            long blockedAt = Interlocked.Exchange(ref _blockedAt, 0);
            TimeSpan blockedFor = blockedAt == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(blockedAt);
            Log.ConnectionUnblocked(Logger, blockedFor);
            Raise(ConnectionUnblocked, new UnblockedEventArgs(blockedFor, DateTimeOffset.UtcNow), nameof(ConnectionUnblocked));
            return Task.CompletedTask;
        };
    }

    /// <summary>Queues a connection event behind the ones raised before it; each handler runs on its own, so one that throws stops no other.</summary>
    private void Raise<TArgs>(EventHandler<TArgs>? handlers, TArgs args, string name)
        where TArgs : EventArgs
    {
        if (handlers is null)
        {
            return;
        }

        lock (_eventGate)
        {
            _events = _events.ContinueWith(
                _ =>
                {
                    foreach (Delegate handler in handlers.GetInvocationList())
                    {
                        try
                        {
                            ((EventHandler<TArgs>)handler)(this, args);
                        }
                        catch (Exception ex)
                        {
                            Log.EventHandlerFailed(Logger, name, ex);
                        }
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.None,
                TaskScheduler.Default);
        }
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
