namespace Warren;

/// <summary>
/// The names Warren's traces and metrics are published under. With OpenTelemetry, <c>AddWarrenInstrumentation()</c> on the
/// tracer and meter provider builders subscribes to both; any other <see cref="System.Diagnostics.ActivityListener"/> or
/// <see cref="System.Diagnostics.Metrics.MeterListener"/> can listen by these names. When nothing listens, Warren creates
/// no spans and reads no clocks for metrics; a publish then carries only the context of the app's current activity (an
/// HTTP request's, say), if there is one, so that a traced consumer elsewhere still joins that trace.
/// </summary>
public static class WarrenInstrumentation
{
    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> of publish, process and RPC spans.</summary>
    public const string ActivitySourceName = "Warren";

    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> of message counters and duration histograms.</summary>
    public const string MeterName = "Warren";

    /// <summary>The W3C trace context header a publish carries (<c>00-{trace id}-{span id}-{flags}</c>) and a consumer continues.</summary>
    public const string TraceParentHeader = "traceparent";

    /// <summary>The W3C trace state header, carried beside <see cref="TraceParentHeader"/> when the span has one.</summary>
    public const string TraceStateHeader = "tracestate";
}
