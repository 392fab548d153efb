using System;
using System.Collections.Generic;
using System.Linq;
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
/// Thread-safe; create one per application and dispose it at shutdown. The partial files beside this one hold its
/// publishing, consuming and RPC surfaces; the state lives in collaborators of their own (<see cref="ConnectionState"/>,
/// <see cref="TopologyDeclarations"/>, <see cref="ConfirmingPublisher"/>).
/// </summary>
public sealed partial class Bus : IBus, IAsyncDisposable
{
    /// <summary>RabbitMQ.Client's own ceiling for inbound bodies, RabbitMQ's largest <c>max_message_size</c> before 4.0.</summary>
    private const int ClientMaxInboundMessageBodySize = 128 * 1024 * 1024;

    private readonly IConnection _connection;
    private readonly ConnectionState _connectionState;
    private readonly TopologyDeclarations _topology;
    private readonly JsonSerializerOptions _json;
    private int _disposed;

    private Bus(BusOptions options, IConnection connection, EndpointList endpoints, ILoggerFactory loggers)
    {
        Options = options;
        _connection = connection;
        _connectionState = new ConnectionState(connection, this, loggers.CreateLogger(LogCategories.Connection), options.NetworkRecoveryInterval, endpoints);
        _topology = new TopologyDeclarations(connection, options.DeclareMode, loggers.CreateLogger(LogCategories.Connection));
        _json = JsonDefaults.Resolve(options.JsonSerializerOptions);
        int window = Math.Max(1, options.MaxOutstandingConfirms);
        _publisher = new ConfirmingPublisher(connection, window, options.PublishTimeout, loggers.CreateLogger(LogCategories.Publisher));
        _writers = new JsonWriterPool(window);
        _rpcJson = new RpcJson(_json);
        _consumers = new SubscriptionContext(connection, _connectionState, loggers.CreateLogger(LogCategories.Consumer), options.ShutdownTimeout, Forget);
        _servers = _consumers with { Logger = loggers.CreateLogger(LogCategories.RpcServer) };
        _pumps = new ConsumerPumpContext(_publisher, _topology, _json, options.MaxMessageSize, _consumers.Logger);
        connection.QueueNameChangedAfterRecoveryAsync += (_, renamed) => OnQueueRenamed(renamed.NameBefore, renamed.NameAfter);
        connection.RecoverySucceededAsync += (_, _) => OnConnectionRecovered();
    }

    /// <inheritdoc/>
    public BusOptions Options { get; }

    /// <inheritdoc/>
    public bool IsConnected => _connection.IsOpen;

    /// <summary>
    /// The broker node the bus is connected to: the host and port of the endpoint it reached (one of
    /// <see cref="BusOptions.Endpoints"/>, or <see cref="BusOptions.Uri"/>'s), with the cluster name and version the broker
    /// gave. It changes when a recovery fails over to another node; null while the connection is down.
    /// </summary>
    public BrokerNode? ConnectedNode => _connection.IsOpen && !_connectionState.IsRecovering ? _connectionState.Node : null;

    /// <summary>
    /// True while the broker blocks this connection because of a resource alarm (low on disk or memory): publishes wait
    /// until it unblocks. False again when the connection is lost, since a new connection starts unblocked.
    /// </summary>
    public bool IsBlocked => _connectionState.IsBlocked;

    /// <summary>
    /// The connection to the broker was lost; the bus reconnects on its own. Raised once per outage, with the broker's
    /// or the network's reason.
    /// </summary>
    /// <remarks>
    /// Connection events are raised in order, one at a time, on the thread pool (never on the connection's I/O loop, so a
    /// slow handler delays no recovery). A handler that throws is logged and ignored.
    /// </remarks>
    public event EventHandler<ConnectionLostEventArgs>? ConnectionLost
    {
        add => _connectionState.ConnectionLost += value;
        remove => _connectionState.ConnectionLost -= value;
    }

    /// <summary>
    /// The connection is back with every exchange, queue, binding and consumer the bus declared; carries how long it was
    /// down. See <see cref="ConnectionLost"/> for how events are raised.
    /// </summary>
    public event EventHandler<ConnectionRecoveredEventArgs>? ConnectionRecovered
    {
        add => _connectionState.ConnectionRecovered += value;
        remove => _connectionState.ConnectionRecovered -= value;
    }

    /// <summary>
    /// The broker blocked the connection because of a resource alarm, with its reason (e.g. <c>low on disk</c>):
    /// publishes wait. See <see cref="ConnectionLost"/> for how events are raised.
    /// </summary>
    public event EventHandler<BlockedEventArgs>? ConnectionBlocked
    {
        add => _connectionState.ConnectionBlocked += value;
        remove => _connectionState.ConnectionBlocked -= value;
    }

    /// <summary>
    /// The broker unblocked the connection. Not raised when the connection is lost while blocked (<see cref="IsBlocked"/>
    /// turns false then, and <see cref="ConnectionLost"/> is raised). See <see cref="ConnectionLost"/> for how events are raised.
    /// </summary>
    public event EventHandler<UnblockedEventArgs>? ConnectionUnblocked
    {
        add => _connectionState.ConnectionUnblocked += value;
        remove => _connectionState.ConnectionUnblocked -= value;
    }

    /// <summary>What the bus knows about its connection: recovering, blocked, and why.</summary>
    internal ConnectionState ConnectionState => _connectionState;

    /// <summary>
    /// Connects to the broker, retrying with back-off while it is unreachable until <paramref name="cancellationToken"/> fires.
    /// Wrong credentials or vhost fail at once; so do options that cannot work (<see cref="ArgumentException"/> naming each setting).
    /// </summary>
    public static async Task<Bus> ConnectAsync(BusOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new BusOptions();
        OptionProblems.ThrowIfAny(nameof(BusOptions), options.Problems());
        ILoggerFactory loggers = options.LoggerFactory ?? NullLoggerFactory.Instance;
        ILogger logger = loggers.CreateLogger(LogCategories.Connection);
        var factory = new ConnectionFactory
        {
            Uri = options.Uri,
            ClientProvidedName = options.ClientName,
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = true,
            // A queue on a node that is down must not keep the rest of the topology from recovering on the others.
            TopologyRecoveryExceptionHandler = UnavailableQueueRecovery.Handler(logger),
            RequestedHeartbeat = options.Heartbeat,
            NetworkRecoveryInterval = options.NetworkRecoveryInterval,
            RequestedConnectionTimeout = options.ConnectionTimeout,
            // Larger than what the bus accepts, so that an oversize delivery from another publisher reaches the consumer,
            // which moves it to the error queue, instead of the client closing the whole connection over it.
            MaxInboundMessageBodySize = (uint)Math.Max(options.MaxMessageSize, ClientMaxInboundMessageBodySize),
        };
        // After Uri, which sets the client's own, laxer TLS options for amqps://.
        TlsSettings? tls = TlsSettings.Configure(factory, options);
        // The endpoints to try, on connect and on every recovery: Endpoints' hosts and ports, each with its own TLS server
        // name, or Uri's alone.
        var endpoints = new EndpointList(
            EndpointList.HostsOf(options).Select(node => new AmqpTcpEndpoint(node.Host, node.Port, tls?.For(node.Host) ?? new SslOption(), factory.MaxInboundMessageBodySize)).ToArray(),
            options.EndpointOrder);
        string endpoint = options.Endpoints is { Count: > 0 } ? $"{BusOptions.Redact(options.Uri)} (nodes {endpoints})" : BusOptions.Redact(options.Uri);

        TimeSpan delay = TimeSpan.FromMilliseconds(100);
        for (int attempt = 1; ; attempt++)
        {
            IConnection connection;
            try
            {
                connection = await factory.CreateConnectionAsync(endpoints, options.ClientName, cancellationToken).ConfigureAwait(false);
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
            catch (BrokerUnreachableException ex)
            {
                // Cancelled while an attempt failed: the caller stopped waiting, whichever of the two came first.
                throw new OperationCanceledException($"Stopped connecting to {endpoint} after {attempt} attempt(s); the last failed: {ex.InnerException?.Message ?? ex.Message}", ex, cancellationToken);
            }

            var bus = new Bus(options, connection, endpoints, loggers);
            try
            {
                // A missing vhost or missing permissions close the connection right after it opens: find out now, not at the first publish.
                await bus._topology.GetChannelAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationInterruptedException { ShutdownReason: { } reason } && reason.ReplyCode is Constants.NotAllowed or Constants.AccessRefused)
            {
                await bus.DisposeAsync().ConfigureAwait(false);
                throw new BrokerAccessDeniedException(endpoint, options.Uri, reason.ReplyText, reason.ReplyCode, ex);
            }

            Log.Connected(logger, bus.ConnectedNode?.ToString() ?? endpoint, options.ClientName);
            return bus;
        }
    }

    /// <summary>
    /// Declares everything the loaded Warren code knows: every message type's exchange or queue, every consumer's named
    /// queue with its bindings and error queue, and every RPC service queue. Server-named queues are made when their
    /// subscriptions start.
    /// </summary>
    /// <remarks>
    /// Follows <see cref="BusOptions.DeclareMode"/>: with <see cref="DeclareMode.Verify"/> it declares nothing and checks
    /// all of that but the bindings, throwing one <see cref="TopologyVerificationException"/> that lists every difference;
    /// with <see cref="DeclareMode.None"/> it does nothing, so that code calling it at start works in every mode.
    /// </remarks>
    public Task DeclareTopologyAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _topology.DeclareAllAsync(cancellationToken);
    }

    /// <summary>With <see cref="DeclareMode.Verify"/>, checks <paramref name="expected"/> all at once (the hosted service's endpoints).</summary>
    internal Task VerifyAsync(string what, IEnumerable<TopologyExpectation> expected, CancellationToken cancellationToken) =>
        _topology.VerifyAsync(what, expected, cancellationToken);

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

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    /// <summary>Stops every subscription (letting in-flight handlers finish), then closes the channels and the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _connectionState.Closing();
        await StopSubscriptionsAsync().ConfigureAwait(false);
        await DisposeRpcClientsAsync().ConfigureAwait(false);
        await _publisher.DisposeAsync().ConfigureAwait(false);
        await _topology.DisposeAsync().ConfigureAwait(false);
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
    public override string ToString() =>
        $"Bus {{ {BusOptions.Redact(Options.Uri)}, {(ConnectedNode is { } node ? $"connected to {node.Endpoint}" : "disconnected")} }}";
}
