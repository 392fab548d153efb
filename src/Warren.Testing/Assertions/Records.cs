using System.Collections.Generic;

namespace Warren.Testing;

/// <summary>A message published through the harness, read back from the bytes that were sent.</summary>
/// <typeparam name="TMessage">The message type.</typeparam>
/// <param name="Message">The message as a consumer would read it: serialized and deserialized again.</param>
/// <param name="Envelope">The exchange, routing key, properties and body that were sent.</param>
/// <param name="Queues">The queues it reached; empty when no binding matched.</param>
public sealed record PublishedMessage<TMessage>(TMessage Message, Envelope Envelope, IReadOnlyList<string> Queues) : IUnroutable
{
    bool IUnroutable.WasRouted => Routed;

    Envelope IUnroutable.Sent => Envelope;

    /// <summary>Whether any queue took the message.</summary>
    public bool Routed => Queues.Count > 0;

    /// <summary>The routing key it was published with.</summary>
    public string RoutingKey => Envelope.RoutingKey;
}

/// <summary>A message a consumer handled successfully (its handler returned; the delivery was acked).</summary>
/// <typeparam name="TMessage">The message type.</typeparam>
/// <param name="Message">The message the handler got.</param>
/// <param name="Context">The context the handler got: queue, routing key, attempt, properties.</param>
public sealed record ConsumedMessage<TMessage>(TMessage Message, MessageContext Context)
{
    /// <summary>The queue it was consumed from.</summary>
    public string Queue => Context.Queue;
}

/// <summary>A message a consumer moved to its error queue, with the reason headers the runtime writes (<see cref="ErrorQueues"/>).</summary>
/// <param name="ErrorQueue">The error queue it went to.</param>
/// <param name="OriginalQueue">The queue it was consumed from.</param>
/// <param name="ExceptionType">The handler's exception type, or <see cref="ErrorQueues.UnreadableMessage"/>.</param>
/// <param name="Reason">The exception's message, or why the message could not be read.</param>
/// <param name="Attempts">How many times the handler was called (0 for an unreadable message).</param>
/// <param name="Envelope">The copy in the error queue: the original body and properties plus the reason headers.</param>
public abstract record ErrorQueuedMessage(string ErrorQueue, string OriginalQueue, string ExceptionType, string Reason, int Attempts, Envelope Envelope);

/// <summary>A <typeparamref name="TMessage"/> subscription's message moved to its error queue.</summary>
/// <typeparam name="TMessage">The subscription's message type.</typeparam>
/// <param name="Message">The message, or default when it could not be read.</param>
/// <param name="ErrorQueue">The error queue it went to.</param>
/// <param name="OriginalQueue">The queue it was consumed from.</param>
/// <param name="ExceptionType">The handler's exception type, or <see cref="ErrorQueues.UnreadableMessage"/>.</param>
/// <param name="Reason">The exception's message, or why the message could not be read.</param>
/// <param name="Attempts">How many times the handler was called (0 for an unreadable message).</param>
/// <param name="Envelope">The copy in the error queue.</param>
public sealed record ErrorQueuedMessage<TMessage>(
    TMessage? Message, string ErrorQueue, string OriginalQueue, string ExceptionType, string Reason, int Attempts, Envelope Envelope)
    : ErrorQueuedMessage(ErrorQueue, OriginalQueue, ExceptionType, Reason, Attempts, Envelope);
