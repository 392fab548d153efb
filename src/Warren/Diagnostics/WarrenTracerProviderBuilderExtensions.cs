using System;
using Warren;

namespace OpenTelemetry.Trace;

/// <summary>Warren's spans in an OpenTelemetry tracer provider.</summary>
public static class WarrenTracerProviderBuilderExtensions
{
    /// <summary>
    /// Subscribes to Warren's spans (<see cref="WarrenInstrumentation.ActivitySourceName"/>): <c>publish {destination}</c>,
    /// <c>process {queue}</c> under the producer's span, and RPC client and server spans. Leave RabbitMQ.Client's own
    /// sources out: Warren's spans already cover each publish and delivery, and its trace headers link them.
    /// </summary>
    public static TracerProviderBuilder AddWarrenInstrumentation(this TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSource(WarrenInstrumentation.ActivitySourceName);
    }
}
