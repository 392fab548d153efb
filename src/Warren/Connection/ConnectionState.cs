using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Warren.Internal;

/// <summary>
/// The one owner of what the bus knows about its connection: whether it is recovering from a loss or blocked by a
/// resource alarm, since when, and the events that tell the application. It listens to the client's connection events
/// and raises Warren's, in order, one at a time, on the thread pool (never on the client's I/O loop, so a slow handler
/// delays no recovery); a handler that throws is logged and the others still run.
/// </summary>
internal sealed class ConnectionState
{
    private readonly IConnection _connection;
    private readonly EndpointList? _endpoints;
    private volatile BrokerNode? _node;
    private readonly object _sender;
    private readonly ILogger _logger;
    private readonly TimeSpan _recoveryInterval;
    private readonly object _eventGate = new();
    private Task _events = Task.CompletedTask;
    // Stopwatch timestamps of the current outage and resource alarm; 0 while connected and not blocked.
    private long _lostAt;
    private long _blockedAt;
    private volatile string? _blockedReason;
    private volatile string? _lostReason;
    private volatile bool _closing;

    /// <param name="connection">The bus's connection.</param>
    /// <param name="sender">The sender of the events: the bus.</param>
    /// <param name="logger">The connection's log category.</param>
    /// <param name="recoveryInterval">How long the client waits between reconnection attempts (for the log).</param>
    /// <param name="endpoints">The endpoints the connection recovers to: told which one was lost, so it is tried last.</param>
    public ConnectionState(IConnection connection, object sender, ILogger logger, TimeSpan recoveryInterval, EndpointList? endpoints = null)
    {
        _connection = connection;
        _endpoints = endpoints;
        _node = BrokerNode.Of(connection);
        _sender = sender;
        _logger = logger;
        _recoveryInterval = recoveryInterval;
        connection.ConnectionShutdownAsync += (_, reason) => OnShutdown(reason);
        connection.ConnectionRecoveryErrorAsync += (_, failure) =>
        {
            Log.ConnectionRecoveryFailed(_logger, failure.Exception.InnerException?.Message ?? failure.Exception.Message, _recoveryInterval);
            return Task.CompletedTask;
        };
        connection.RecoverySucceededAsync += (_, _) => OnRecovered();
        connection.ConnectionBlockedAsync += (_, blocked) => OnBlocked(blocked.Reason);
        connection.ConnectionUnblockedAsync += (_, _) => OnUnblocked();
    }

    /// <inheritdoc cref="Bus.ConnectionLost"/>
    public event EventHandler<ConnectionLostEventArgs>? ConnectionLost;

    /// <inheritdoc cref="Bus.ConnectionRecovered"/>
    public event EventHandler<ConnectionRecoveredEventArgs>? ConnectionRecovered;

    /// <inheritdoc cref="Bus.ConnectionBlocked"/>
    public event EventHandler<BlockedEventArgs>? ConnectionBlocked;

    /// <inheritdoc cref="Bus.ConnectionUnblocked"/>
    public event EventHandler<UnblockedEventArgs>? ConnectionUnblocked;

    /// <summary>True from a connection loss until RabbitMQ.Client has recovered the connection, its topology and its consumers.</summary>
    public bool IsRecovering => Volatile.Read(ref _lostAt) != 0;

    /// <summary>True while the broker blocks the connection (resource alarm); a new connection starts unblocked.</summary>
    public bool IsBlocked => Volatile.Read(ref _blockedAt) != 0;

    /// <summary>The broker's reason for the current block (e.g. <c>low on disk</c>), or null.</summary>
    public string? BlockedReason => IsBlocked ? _blockedReason : null;

    /// <summary>Why the connection was lost, while it is recovering; null otherwise.</summary>
    public string? LostReason => IsRecovering ? _lostReason : null;

    /// <summary>The node the connection reached last: the current one while connected, the lost one while recovering.</summary>
    public BrokerNode? Node => _node;

    /// <summary>The bus is closing the connection on purpose: no loss to report.</summary>
    public void Closing() => _closing = true;

    private Task OnShutdown(ShutdownEventArgs reason)
    {
        if (_closing)
        {
            return Task.CompletedTask;
        }

        // A new connection starts unblocked.
        Interlocked.Exchange(ref _blockedAt, 0);
        BrokerNode? node = _node;
        // The next recovery attempts try the other nodes first.
        _endpoints?.Lost(_connection.Endpoint);
        var lost = new ConnectionLostEventArgs(
            reason.ReplyCode, reason.ReplyText, reason.Initiator == ShutdownInitiator.Peer, DateTimeOffset.UtcNow, reason.Exception)
        {
            Node = node,
        };
        _lostReason = lost.Reason;
        if (Interlocked.CompareExchange(ref _lostAt, Stopwatch.GetTimestamp(), 0) == 0)
        {
            Log.ConnectionLost(_logger, node?.ToString() ?? "the broker", lost.Reason);
            Raise(ConnectionLost, lost, nameof(ConnectionLost));
        }
        else
        {
            // Already down: a recovery attempt failed after reconnecting.
            Log.ConnectionRecoveryFailed(_logger, lost.Reason, _recoveryInterval);
        }

        return Task.CompletedTask;
    }

    private Task OnRecovered()
    {
        BrokerNode? node = BrokerNode.Of(_connection);
        _node = node;
        long lostAt = Interlocked.Exchange(ref _lostAt, 0);
        TimeSpan downtime = lostAt == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(lostAt);
        Log.ConnectionRecovered(_logger, node?.ToString() ?? "the broker", downtime);
        Raise(ConnectionRecovered, new ConnectionRecoveredEventArgs(downtime, DateTimeOffset.UtcNow) { Node = node }, nameof(ConnectionRecovered));
        return Task.CompletedTask;
    }

    private Task OnBlocked(string reason)
    {
        _blockedReason = reason;
        Interlocked.Exchange(ref _blockedAt, Stopwatch.GetTimestamp());
        Log.ConnectionBlocked(_logger, reason);
        Raise(ConnectionBlocked, new BlockedEventArgs(reason, DateTimeOffset.UtcNow), nameof(ConnectionBlocked));
        return Task.CompletedTask;
    }

    private Task OnUnblocked()
    {
        long blockedAt = Interlocked.Exchange(ref _blockedAt, 0);
        TimeSpan blockedFor = blockedAt == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(blockedAt);
        Log.ConnectionUnblocked(_logger, blockedFor);
        Raise(ConnectionUnblocked, new UnblockedEventArgs(blockedFor, DateTimeOffset.UtcNow), nameof(ConnectionUnblocked));
        return Task.CompletedTask;
    }

    /// <summary>Queues an event behind the ones raised before it; each handler runs on its own, so one that throws stops no other.</summary>
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
                            ((EventHandler<TArgs>)handler)(_sender, args);
                        }
                        catch (Exception ex)
                        {
                            Log.EventHandlerFailed(_logger, name, ex);
                        }
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.None,
                TaskScheduler.Default);
        }
    }
}
