using System.Threading;

namespace Warren.Internal;

/// <summary>
/// The message whose handler is running on this async flow, so that what the handler publishes carries its correlation
/// id and names it as the cause, however deep in the handler's services the publish happens.
/// </summary>
internal static class MessageFlow
{
    private static readonly AsyncLocal<Handled?> s_current = new();

    /// <summary>The message being handled, or null outside a handler.</summary>
    public static Handled? Current => s_current.Value;

    /// <summary>
    /// Marks the rest of the calling async method (and what it awaits) as handling this message. The value goes back to
    /// what it was when the calling async method returns, as async-local values do.
    /// </summary>
    public static void Enter(string? messageId, string? correlationId)
    {
        if (messageId is not null || correlationId is not null || s_current.Value is not null)
        {
            s_current.Value = messageId is null && correlationId is null ? null : new Handled(messageId, correlationId);
        }
    }

    /// <summary>What flows from a handled message to what its handler publishes.</summary>
    /// <param name="MessageId">Its message id: the causation id of what the handler publishes.</param>
    /// <param name="CorrelationId">Its correlation id, which what the handler publishes keeps.</param>
    internal sealed record Handled(string? MessageId, string? CorrelationId);
}
