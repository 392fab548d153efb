using System;
using System.Threading;
using System.Threading.Tasks;

namespace Warren.Internal;

/// <summary>Adapts a handler delegate to <see cref="IConsumer{TMessage}"/> for <see cref="Bus.SubscribeAsync{TMessage}(Func{TMessage, MessageContext, CancellationToken, ValueTask}, SubscribeOptions?, CancellationToken)"/>.</summary>
internal sealed class DelegateConsumer<TMessage>(Func<TMessage, MessageContext, CancellationToken, ValueTask> handler) : IConsumer<TMessage>
{
    public ValueTask HandleAsync(TMessage message, MessageContext context, CancellationToken cancellationToken) =>
        handler(message, context, cancellationToken);
}
