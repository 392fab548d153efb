using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Warren.Runtime;

/// <summary>
/// How Warren declares one named queue: durability, queue type and, for a quorum queue, its delivery limit. Every path
/// that declares a queue (the publisher of a <see cref="QueueAttribute"/> message, its consumers, consumers of named
/// queues, RPC servers and clients, <see cref="Bus.DeclareTopologyAsync"/>) declares it through here, because the broker
/// refuses with PRECONDITION_FAILED a declaration whose arguments differ from the queue's.
/// </summary>
/// <param name="Durable">Whether the queue survives a broker restart; a quorum queue always does.</param>
/// <param name="Type">Classic or quorum.</param>
/// <param name="DeliveryLimit">For a quorum queue, <c>x-delivery-limit</c>; 0 for a classic queue.</param>
internal readonly record struct QueueSettings(bool Durable, QueueType Type, int DeliveryLimit)
{
    public const string QueueTypeArgument = "x-queue-type";
    public const string DeliveryLimitArgument = "x-delivery-limit";
    public const string DeadLetterExchangeArgument = "x-dead-letter-exchange";
    public const string DeadLetterRoutingKeyArgument = "x-dead-letter-routing-key";

    /// <summary>A classic queue, durable or not, without arguments.</summary>
    public static QueueSettings Classic(bool durable) => new(durable, QueueType.Classic, 0);

    /// <summary>The settings of a queue as the generator described it (the delivery limit counts for quorum queues only).</summary>
    public static QueueSettings Of(bool durable, QueueType type, int deliveryLimit) =>
        type == QueueType.Quorum ? new(Durable: true, QueueType.Quorum, deliveryLimit) : Classic(durable);

    /// <summary>
    /// The <c>queue.declare</c> arguments of <paramref name="queue"/>: none for a classic queue; for a quorum queue its
    /// type, delivery limit and dead-lettering to its error queue through the default exchange.
    /// </summary>
    public Dictionary<string, object?>? ArgumentsFor(string queue) => Type != QueueType.Quorum
        ? null
        : new Dictionary<string, object?>
        {
            [QueueTypeArgument] = "quorum",
            [DeliveryLimitArgument] = DeliveryLimit,
            [DeadLetterExchangeArgument] = string.Empty,
            [DeadLetterRoutingKeyArgument] = ErrorQueues.NameFor(queue),
        };

    /// <summary>
    /// Declares <paramref name="queue"/> (empty for a server-named one, which is always an exclusive classic queue) and
    /// returns its name. A quorum queue's error queue is declared first: the broker silently drops what it dead-letters
    /// to a queue that does not exist.
    /// </summary>
    /// <exception cref="TopologyException">The broker refused the error queue's declaration.</exception>
    /// <exception cref="OperationInterruptedException">The broker refused the queue's declaration; the caller says which queue it was for.</exception>
    public async Task<string> DeclareAsync(IChannel channel, string queue, bool exclusive, CancellationToken cancellationToken)
    {
        if (Type == QueueType.Quorum)
        {
            // Exactly as consumers declare it for the messages they fail to handle.
            await ErrorQueues.DeclareAsync(channel, ErrorQueues.NameFor(queue), cancellationToken).ConfigureAwait(false);
        }

        QueueDeclareOk declared = await channel.QueueDeclareAsync(
            queue, Durable, exclusive: exclusive, autoDelete: exclusive, arguments: ArgumentsFor(queue), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        return declared.QueueName;
    }

    /// <inheritdoc/>
    public override string ToString() => Type == QueueType.Quorum
        ? $"quorum queue with delivery limit {DeliveryLimit}"
        : Durable ? "durable classic queue" : "classic queue";
}
