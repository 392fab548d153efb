using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text;
using RabbitMQ.Client;

namespace Warren.Internal;

/// <summary>
/// W3C trace context in AMQP headers: <c>traceparent</c> and <c>tracestate</c> as strings, the way other clients (pika
/// with OpenTelemetry, RabbitMQ.Client's own instrumentation) write and read them. Written by hand rather than through a
/// propagator: the format is fixed, and the consume path reads it without allocating a carrier.
/// </summary>
internal static class TraceContext
{
    /// <summary>
    /// Writes the current activity's context into the message's headers: Warren's own publish or call span when someone
    /// listens, otherwise whatever the app is tracing (an HTTP request, say), so a traced consumer elsewhere still joins
    /// that trace. Without a current activity, nothing: an untraced publish carries no trace headers.
    /// </summary>
    public static void InjectCurrent(BasicProperties properties)
    {
        if (Activity.Current is { } current)
        {
            Inject(current, properties);
        }
    }

    /// <summary>
    /// Writes the context of <paramref name="activity"/> into the message's headers, unless the publisher set a
    /// <c>traceparent</c> of its own (forwarding someone else's context is its call).
    /// </summary>
    public static void Inject(Activity activity, BasicProperties properties)
    {
        if (activity.IdFormat != ActivityIdFormat.W3C || activity.Id is not { } traceParent)
        {
            return;
        }

        IDictionary<string, object?> headers = properties.Headers ??= new Dictionary<string, object?>(StringComparer.Ordinal);
        if (headers.TryAdd(WarrenInstrumentation.TraceParentHeader, traceParent) && activity.TraceStateString is { Length: > 0 } traceState)
        {
            headers[WarrenInstrumentation.TraceStateHeader] = traceState;
        }
    }

    /// <summary>
    /// The producer's context from a delivery's headers, or <c>default</c> when it has none or an unreadable one: a bad
    /// header from another client starts a new trace, it never fails the message.
    /// </summary>
    public static ActivityContext Extract(IReadOnlyBasicProperties properties)
    {
        if (properties.Headers is not { } headers
            || !headers.TryGetValue(WarrenInstrumentation.TraceParentHeader, out object? parentValue)
            || AsText(parentValue) is not { } traceParent)
        {
            return default;
        }

        string? traceState = headers.TryGetValue(WarrenInstrumentation.TraceStateHeader, out object? stateValue) ? AsText(stateValue) : null;
        return ActivityContext.TryParse(traceParent, traceState, isRemote: true, out ActivityContext context) ? context : default;
    }

    /// <summary>A header as text: the wire gives long strings as bytes; a header set in process may still be a string.</summary>
    private static string? AsText(object? value) => value switch
    {
        byte[] { Length: > 0 and <= 512 } bytes => Encoding.UTF8.GetString(bytes),
        string { Length: > 0 and <= 512 } text => text,
        _ => null,
    };
}
