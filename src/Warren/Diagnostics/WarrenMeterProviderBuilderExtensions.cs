using System;
using Warren;

namespace OpenTelemetry.Metrics;

/// <summary>Warren's metrics in an OpenTelemetry meter provider.</summary>
public static class WarrenMeterProviderBuilderExtensions
{
    /// <summary>
    /// Subscribes to Warren's metrics (<see cref="WarrenInstrumentation.MeterName"/>): messages sent and consumed, publish
    /// (confirm) and process durations, retries, error-queue moves, dropped RPC replies and RPC call durations, tagged by
    /// destination, queue, method and outcome.
    /// </summary>
    public static MeterProviderBuilder AddWarrenInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter(WarrenInstrumentation.MeterName);
    }
}
