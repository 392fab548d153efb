using System.Threading;
using System.Threading.Tasks;

namespace Warren;

/// <summary>
/// Handles messages of one type. Mark the class <see cref="ConsumerAttribute"/> so the generator emits its consume loop.
/// The message is acknowledged when <see cref="HandleAsync"/> completes. When it throws, the handler is called again with
/// back-off while the message stays unacknowledged (<see cref="BusOptions.Retry"/>, or <see cref="SubscribeOptions.Retry"/>
/// for one subscription: 3 retries by default); once the retries are spent, the message is moved to the error queue
/// <c>&lt;queue&gt;.error</c> (see <see cref="ErrorQueues"/>) and acknowledged. A message that cannot be read as
/// <typeparamref name="TMessage"/> goes there without a call.
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
