using System;

namespace Warren;

/// <summary>
/// The connection to the broker was lost (<see cref="Bus.ConnectionLost"/>). The bus reconnects on its own and raises
/// <see cref="Bus.ConnectionRecovered"/> once the connection, its declarations and its consumers are back.
/// </summary>
public sealed class ConnectionLostEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    public ConnectionLostEventArgs(ushort replyCode, string replyText, bool initiatedByBroker, DateTimeOffset lostAt, Exception? exception = null)
    {
        ReplyCode = replyCode;
        ReplyText = replyText;
        InitiatedByBroker = initiatedByBroker;
        LostAt = lostAt;
        Exception = exception;
    }

    /// <summary>The AMQP reply code, e.g. 320 (<c>CONNECTION_FORCED</c>) when the broker closed the connection, 541 for a network failure.</summary>
    public ushort ReplyCode { get; }

    /// <summary>The broker's or the client library's reason, e.g. <c>CONNECTION_FORCED - broker forced connection closure with reason 'shutdown'</c>.</summary>
    public string ReplyText { get; }

    /// <summary>True when the broker closed the connection; false when the network or the client library did (a missed heartbeat, a reset socket).</summary>
    public bool InitiatedByBroker { get; }

    /// <summary>When the loss was noticed.</summary>
    public DateTimeOffset LostAt { get; }

    /// <summary>The network error behind the loss, if there was one.</summary>
    public Exception? Exception { get; }

    /// <summary>The broker node whose connection was lost (see <see cref="Bus.ConnectedNode"/>); null if unknown.</summary>
    public BrokerNode? Node { get; init; }

    /// <summary>
    /// One line for logs: reply code, reason and who closed the connection, and the network error when there was one
    /// (a missed heartbeat only says "End of stream" in the reply text; the cause is in the exception).
    /// </summary>
    public string Reason => Exception is { Message: { Length: > 0 } cause } && !ReplyText.Contains(cause, StringComparison.Ordinal)
        ? $"{ReplyCode} {ReplyText}: {cause} ({Closer})"
        : $"{ReplyCode} {ReplyText} ({Closer})";

    private string Closer => InitiatedByBroker ? "closed by the broker" : "closed by the client library or the network";

    /// <inheritdoc/>
    public override string ToString() => $"Connection{(Node is null ? string.Empty : $" to {Node.Endpoint}")} lost at {LostAt:O}: {Reason}";
}

/// <summary>The connection is back (<see cref="Bus.ConnectionRecovered"/>), with every declaration and consumer the bus made.</summary>
public sealed class ConnectionRecoveredEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    public ConnectionRecoveredEventArgs(TimeSpan downtime, DateTimeOffset recoveredAt)
    {
        Downtime = downtime;
        RecoveredAt = recoveredAt;
    }

    /// <summary>How long the connection was down, from the loss to the end of the recovery.</summary>
    public TimeSpan Downtime { get; }

    /// <summary>When the recovery completed.</summary>
    public DateTimeOffset RecoveredAt { get; }

    /// <summary>
    /// The broker node the connection recovered on: another node of <see cref="BusOptions.Endpoints"/> than the lost one
    /// when the bus failed over. Null if unknown.
    /// </summary>
    public BrokerNode? Node { get; init; }

    /// <inheritdoc/>
    public override string ToString() => $"Connection recovered{(Node is null ? string.Empty : $" on {Node.Endpoint}")} at {RecoveredAt:O} after {Downtime}";
}

/// <summary>
/// The broker stopped reading from the connection because of a resource alarm (<see cref="Bus.ConnectionBlocked"/>):
/// publishes wait until <see cref="Bus.ConnectionUnblocked"/>. Consumers keep receiving.
/// </summary>
public sealed class BlockedEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    public BlockedEventArgs(string reason, DateTimeOffset blockedAt)
    {
        Reason = reason;
        BlockedAt = blockedAt;
    }

    /// <summary>The broker's reason, e.g. <c>low on disk</c> or <c>low on memory</c>.</summary>
    public string Reason { get; }

    /// <summary>When the broker blocked the connection.</summary>
    public DateTimeOffset BlockedAt { get; }

    /// <inheritdoc/>
    public override string ToString() => $"Connection blocked at {BlockedAt:O}: {Reason}";
}

/// <summary>The broker reads from the connection again (<see cref="Bus.ConnectionUnblocked"/>).</summary>
public sealed class UnblockedEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    public UnblockedEventArgs(TimeSpan blockedFor, DateTimeOffset unblockedAt)
    {
        BlockedFor = blockedFor;
        UnblockedAt = unblockedAt;
    }

    /// <summary>How long the connection was blocked.</summary>
    public TimeSpan BlockedFor { get; }

    /// <summary>When the broker unblocked the connection.</summary>
    public DateTimeOffset UnblockedAt { get; }

    /// <inheritdoc/>
    public override string ToString() => $"Connection unblocked at {UnblockedAt:O} after {BlockedFor}";
}
