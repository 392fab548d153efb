using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Warren;
using Warren.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Warren's health check for ASP.NET Core's <c>/health</c> and anything else that reads health checks.</summary>
public static class WarrenHealthCheckBuilderExtensions
{
    /// <summary>
    /// Adds a check of the bus: unhealthy while it is not connected (before the first connection, and while it recovers a
    /// lost one); degraded while the broker blocks it with a resource alarm, or while a subscription is resuming after the
    /// broker closed its channel; healthy otherwise. Needs <c>services.AddWarren(...)</c>.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="failureStatus">What "unhealthy" is reported as; <see cref="HealthStatus.Unhealthy"/> by default.</param>
    /// <param name="tags">Tags to filter checks by.</param>
    public static IHealthChecksBuilder AddWarrenHealthCheck(
        this IHealthChecksBuilder builder, string name = "warren", HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(
            name, static services => new WarrenHealthCheck(services.GetRequiredService<HostedBus>()), failureStatus, tags));
    }
}

/// <summary>Reads the bus's connection and subscriptions; never talks to the broker, so a check costs nothing.</summary>
internal sealed class WarrenHealthCheck(HostedBus bus) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Check(context.Registration.FailureStatus));

    private HealthCheckResult Check(HealthStatus failureStatus)
    {
        if (bus.Current is not { } current)
        {
            return new HealthCheckResult(failureStatus, "Warren has not connected to the broker yet.");
        }

        IReadOnlyCollection<Subscription> subscriptions = current.Subscriptions;
        var data = new Dictionary<string, object>
        {
            ["broker"] = BusOptions.Redact(current.Options.Uri),
            ["subscriptions"] = subscriptions.Count,
        };
        if (!current.IsConnected || current.ConnectionState.IsRecovering)
        {
            string reason = current.ConnectionState.LostReason is { } lost ? $": {lost}" : string.Empty;
            return new HealthCheckResult(failureStatus, $"Warren is disconnected from the broker and reconnecting{reason}.", data: data);
        }

        if (current.IsBlocked)
        {
            return HealthCheckResult.Degraded($"The broker blocks Warren's publishes: {current.ConnectionState.BlockedReason ?? "resource alarm"}.", data: data);
        }

        string[] resuming = subscriptions.Where(s => s.IsResuming).Select(s => s.Queue).ToArray();
        if (resuming.Length > 0)
        {
            data["resuming"] = resuming;
            return HealthCheckResult.Degraded($"Consumers of {string.Join(", ", resuming.Select(q => $"'{q}'"))} are resuming after the broker closed their channel.", data: data);
        }

        return HealthCheckResult.Healthy($"Connected to {data["broker"]} with {subscriptions.Count} subscriptions.", data);
    }
}
