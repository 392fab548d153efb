using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Warren.Runtime;

/// <summary>
/// How Warren declares one named queue: durability, queue type, for a quorum queue its delivery limit, and the optional
/// arguments of <see cref="QueueArgumentsAttribute"/> and <see cref="SubscribeOptions"/>. Every path that declares a
/// queue (the publisher of a <see cref="QueueAttribute"/> message, its consumers, consumers of named queues, RPC servers
/// and clients, <see cref="Bus.DeclareTopologyAsync"/>) declares it through here, because the broker refuses with
/// PRECONDITION_FAILED a declaration whose arguments differ from the queue's.
/// </summary>
/// <param name="Durable">Whether the queue survives a broker restart; quorum and stream queues always do.</param>
/// <param name="Type">Classic, quorum or stream.</param>
/// <param name="DeliveryLimit">For a quorum queue, <c>x-delivery-limit</c>; 0 otherwise.</param>
/// <param name="Arguments">The optional arguments, or null when none is set (never an empty set, so that equal settings compare equal).</param>
internal readonly record struct QueueSettings(bool Durable, QueueType Type, int DeliveryLimit, QueueArgumentValues? Arguments = null)
{
    public const string QueueTypeArgument = "x-queue-type";
    public const string DeliveryLimitArgument = "x-delivery-limit";
    public const string DeadLetterExchangeArgument = "x-dead-letter-exchange";
    public const string DeadLetterRoutingKeyArgument = "x-dead-letter-routing-key";

    /// <summary>A classic queue, durable or not, without arguments.</summary>
    public static QueueSettings Classic(bool durable) => new(durable, QueueType.Classic, 0);

    /// <summary>
    /// The settings of a queue as the generator described it: the delivery limit counts for quorum queues only, quorum and
    /// stream queues are always durable.
    /// </summary>
    public static QueueSettings Of(bool durable, QueueType type, int deliveryLimit, QueueArgumentValues? arguments = null)
    {
        QueueArgumentValues? set = arguments is null || arguments.IsEmpty ? null : arguments;
        return type switch
        {
            QueueType.Quorum => new(Durable: true, QueueType.Quorum, deliveryLimit, set),
            QueueType.Stream => new(Durable: true, QueueType.Stream, 0, set),
            _ => new(durable, QueueType.Classic, 0, set),
        };
    }

    /// <summary>True when a quorum queue dead-letters to its error queue: unless the user dead-letters elsewhere.</summary>
    private bool DeadLettersToErrorQueue => Type == QueueType.Quorum && Arguments is not { DeadLetters: true };

    /// <summary>What the queue's type cannot take among its arguments, or null; <see cref="SubscriptionPlan"/> refuses such options.</summary>
    public string? Problem() => Arguments?.Problem(Type);

    /// <summary>
    /// The <c>queue.declare</c> arguments of <paramref name="queue"/>, null when there are none: the type of a quorum or
    /// stream queue; a quorum queue's delivery limit and dead-lettering to its error queue through the default exchange
    /// (unless <see cref="QueueArgumentValues.DeadLetterExchange"/> replaces it); then the optional arguments.
    /// </summary>
    public Dictionary<string, object?>? ArgumentsFor(string queue)
    {
        Dictionary<string, object?>? arguments = null;
        if (Type == QueueType.Quorum)
        {
            arguments = new Dictionary<string, object?>
            {
                [QueueTypeArgument] = "quorum",
                [DeliveryLimitArgument] = DeliveryLimit,
            };
            if (DeadLettersToErrorQueue)
            {
                arguments[DeadLetterExchangeArgument] = string.Empty;
                arguments[DeadLetterRoutingKeyArgument] = ErrorQueues.NameFor(queue);
            }
        }
        else if (Type == QueueType.Stream)
        {
            arguments = new Dictionary<string, object?> { [QueueTypeArgument] = "stream" };
        }

        if (Arguments is not null)
        {
            foreach (KeyValuePair<string, object> entry in Arguments.Entries())
            {
                (arguments ??= new Dictionary<string, object?>())[entry.Key] = entry.Value;
            }
        }

        return arguments;
    }

    /// <summary>
    /// Declares <paramref name="queue"/> (empty for a server-named one, which is always an exclusive classic queue) and
    /// returns its name. A quorum queue's error queue is declared first: the broker silently drops what it dead-letters
    /// to a queue that does not exist.
    /// </summary>
    /// <exception cref="TopologyException">The broker refused the error queue's declaration.</exception>
    /// <exception cref="OperationInterruptedException">The broker refused the queue's declaration; the caller says which queue it was for.</exception>
    public async Task<string> DeclareAsync(IChannel channel, string queue, bool exclusive, CancellationToken cancellationToken)
    {
        if (DeadLettersToErrorQueue)
        {
            // Exactly as consumers declare it for the messages they fail to handle.
            await ErrorQueues.DeclareAsync(channel, ErrorQueues.NameFor(queue), cancellationToken).ConfigureAwait(false);
        }

        QueueDeclareOk declared = await channel.QueueDeclareAsync(
            queue, Durable, exclusive: exclusive, autoDelete: exclusive, arguments: ArgumentsFor(queue), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        return declared.QueueName;
    }

    /// <summary>The kind of queue and its arguments, as error messages name them: "quorum queue with delivery limit 5 and x-message-ttl=60000".</summary>
    public override string ToString()
    {
        string kind = Type switch
        {
            QueueType.Quorum => $"quorum queue with delivery limit {DeliveryLimit}",
            QueueType.Stream => "stream queue",
            _ => Durable ? "durable classic queue" : "classic queue",
        };
        if (Arguments is null)
        {
            return kind;
        }

        return kind + (Type == QueueType.Quorum ? " and " : " with ") + Arguments;
    }
}
