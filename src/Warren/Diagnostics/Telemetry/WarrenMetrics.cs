using System.Diagnostics.Metrics;

namespace Warren.Internal;

/// <summary>
/// The instruments of the <see cref="WarrenInstrumentation.MeterName"/> meter. Tagged by destination, queue, method and
/// outcome only, never by message or correlation id, so the number of series stays that of the topology. Callers check
/// <see cref="Instrument.Enabled"/> first: with no listener nothing is measured.
/// </summary>
internal static class WarrenMetrics
{
    /// <summary>The boundaries the conventions advise for durations in seconds (the SDK's default ones are for milliseconds).</summary>
    private static readonly InstrumentAdvice<double> DurationAdvice = new()
    {
        HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10],
    };

    private static readonly Meter s_meter = new(WarrenInstrumentation.MeterName, WarrenActivities.Version);

    /// <summary>Publishes, counted when they end; <c>warren.outcome</c> says whether the broker confirmed them.</summary>
    public static readonly Counter<long> SentMessages = s_meter.CreateCounter<long>(
        "messaging.client.sent.messages", "{message}", "Messages published, by destination and outcome.");

    /// <summary>From the publish call to the broker's confirm (or the failure).</summary>
    public static readonly Histogram<double> PublishDuration = s_meter.CreateHistogram(
        "messaging.client.operation.duration", "s", "Time from a publish to its confirm.", tags: null, DurationAdvice);

    /// <summary>Deliveries handed to a consumer, counted when handled; <c>warren.outcome</c> says how they ended.</summary>
    public static readonly Counter<long> ConsumedMessages = s_meter.CreateCounter<long>(
        "messaging.client.consumed.messages", "{message}", "Messages delivered to consumers, by queue and outcome.");

    /// <summary>From a delivery to its ack (or error-queue move, or requeue), retries and their back-off included.</summary>
    public static readonly Histogram<double> ProcessDuration = s_meter.CreateHistogram(
        "messaging.process.duration", "s", "Time to handle a delivery, retries included.", tags: null, DurationAdvice);

    /// <summary>Handler attempts that failed and were tried again.</summary>
    public static readonly Counter<long> Retries = s_meter.CreateCounter<long>(
        "warren.consumer.retries", "{retry}", "Handler attempts that failed and were retried.");

    /// <summary>Messages moved to an error queue: handlers that failed every attempt, and unreadable messages.</summary>
    public static readonly Counter<long> ErrorQueueMoves = s_meter.CreateCounter<long>(
        "warren.consumer.error_queue.moves", "{message}", "Messages moved to an error queue.");

    /// <summary>RPC replies for no waiting call (late after a timeout or cancellation, or unknown), dropped.</summary>
    public static readonly Counter<long> DroppedReplies = s_meter.CreateCounter<long>(
        "warren.rpc.client.dropped_replies", "{reply}", "RPC replies that arrived for no waiting call and were dropped.");

    /// <summary>From an RPC call to its reply, error reply, timeout or cancellation.</summary>
    public static readonly Histogram<double> RpcClientDuration = s_meter.CreateHistogram(
        "rpc.client.call.duration", "s", "Time from an RPC call to its reply.", tags: null, DurationAdvice);

    /// <summary>From an RPC request's delivery to its reply being sent.</summary>
    public static readonly Histogram<double> RpcServerDuration = s_meter.CreateHistogram(
        "rpc.server.call.duration", "s", "Time to serve an RPC request.", tags: null, DurationAdvice);
}
