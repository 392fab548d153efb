using System.Threading;
using System.Threading.Tasks;

namespace Warren;

/// <summary>
/// Handles messages of one type. Mark the class <see cref="ConsumerAttribute"/> so the generator emits its consume loop.
/// The message is acknowledged when <see cref="HandleAsync"/> completes and rejected (not requeued) when it throws.
/// </summary>
/// <typeparam name="TMessage">The message type; it carries a routing attribute such as <see cref="QueueAttribute"/>.</typeparam>
public interface IConsumer<in TMessage>
{
    /// <summary>Handles one message.</summary>
    /// <param name="message">The deserialized message.</param>
    /// <param name="context">Where the message came from and its AMQP properties.</param>
    /// <param name="cancellationToken">Cancelled when the subscription or the bus shuts down.</param>
    ValueTask HandleAsync(TMessage message, MessageContext context, CancellationToken cancellationToken);
}
