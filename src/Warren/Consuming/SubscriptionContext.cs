using System;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace Warren.Internal;

/// <summary>What every subscription of one bus needs from it: the connection and its state, a log, how long a stop waits.</summary>
/// <param name="Connection">The bus's connection, on which each subscription opens its own channel.</param>
/// <param name="ConnectionState">Whether the connection is recovering (the client then restores channels and consumers itself).</param>
/// <param name="Logger">The log of the component: consumers or RPC servers.</param>
/// <param name="ShutdownTimeout">How long disposing a subscription waits for its in-flight handlers.</param>
/// <param name="Stopped">Tells the bus a subscription stopped, so it lets go of it.</param>
internal sealed record SubscriptionContext(
    IConnection Connection,
    ConnectionState ConnectionState,
    ILogger Logger,
    TimeSpan ShutdownTimeout,
    Action<Subscription> Stopped);

/// <summary>What a consume loop needs from its bus: how to read bodies, and how to move a failed message to its error queue.</summary>
/// <param name="Publisher">The bus's confirming publisher, which sends error-queue copies.</param>
/// <param name="Topology">Declares an error queue again when it was deleted under the subscription.</param>
/// <param name="Json">The bus's serializer options.</param>
/// <param name="MaxMessageSize">The largest body the bus accepts (<see cref="BusOptions.MaxMessageSize"/>).</param>
/// <param name="Logger">The consumers' log.</param>
internal sealed record ConsumerPumpContext(
    ConfirmingPublisher Publisher,
    TopologyDeclarations Topology,
    JsonSerializerOptions Json,
    int MaxMessageSize,
    ILogger Logger);
