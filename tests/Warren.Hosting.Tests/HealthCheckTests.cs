using System;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using RabbitMQ.Client;
using Warren.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Warren.Hosting.Tests;

/// <summary>
/// The health check's three states, driven by a broker node of the test's own: healthy when connected, degraded while a
/// disk alarm blocks publishing or a consumer is resuming, unhealthy before the first connection and while the broker is down.
/// </summary>
public sealed class HealthCheckTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Health_follows_the_connection_through_a_disk_alarm_and_a_broker_stop()
    {
        await using PrivateBroker node = await PrivateBroker.StartAsync();
        HostApplicationBuilder builder = Builder(node, "health-states");
        builder.Services.AddWarren().AddConsumer<OrderConsumer>(o => o.Queue = "health.orders");
        IHost host = builder.Build();
        HealthCheckService health = host.Services.GetRequiredService<HealthCheckService>();
        try
        {
            HealthReport before = await health.CheckHealthAsync();
            Assert.Equal(HealthStatus.Unhealthy, before.Status);
            Assert.Contains("not connected", before.Entries["warren"].Description, StringComparison.Ordinal);

            await host.StartAsync();
            HealthReport connected = await health.CheckHealthAsync();
            Assert.Equal(HealthStatus.Healthy, connected.Status);
            Assert.Equal(1, connected.Entries["warren"].Data["subscriptions"]);

            IPublisher publisher = host.Services.GetRequiredService<IPublisher>();
            Task? pending = null;
            try
            {
                node.SetDiskFreeLimit("100000GB");
                // The broker blocks a connection when it next publishes during the alarm.
                HealthReport blocked = await WaitForAsync(health, HealthStatus.Degraded, () =>
                {
                    if (pending is null || pending.IsCompleted)
                    {
                        pending = publisher.PublishAsync(new OrderPlaced("during-alarm", "eu")).AsTask();
                    }
                });
                Assert.Contains("blocks Warren's publishes", blocked.Entries["warren"].Description, StringComparison.Ordinal);
                Assert.Contains("disk", blocked.Entries["warren"].Description, StringComparison.Ordinal);
            }
            finally
            {
                node.SetDiskFreeLimit("50MB");
            }

            await WaitForAsync(health, HealthStatus.Healthy);
            await pending!.WaitAsync(TimeSpan.FromSeconds(20));

            node.StopApp();
            try
            {
                HealthReport down = await WaitForAsync(health, HealthStatus.Unhealthy);
                Assert.Contains("disconnected", down.Entries["warren"].Description, StringComparison.Ordinal);
            }
            finally
            {
                node.StartApp();
            }

            await WaitForAsync(health, HealthStatus.Healthy, timeout: TimeSpan.FromSeconds(60));
        }
        finally
        {
            await TestHost.StopAsync(host);
        }
    }

    [Fact]
    public async Task Health_is_degraded_while_a_consumer_cannot_resume_and_healthy_again_once_it_has()
    {
        await using PrivateBroker node = await PrivateBroker.StartAsync();
        const string queue = "health.resuming";
        HostApplicationBuilder builder = Builder(node, "health-resuming");
        builder.Services.AddWarren().AddConsumer<OrderConsumer>(o => o.Queue = queue);
        IHost host = builder.Build();
        HealthCheckService health = host.Services.GetRequiredService<HealthCheckService>();
        var factory = new ConnectionFactory { Uri = node.Uri };
        await using IConnection admin = await factory.CreateConnectionAsync();
        await using IChannel channel = await admin.CreateChannelAsync();
        try
        {
            await host.StartAsync();
            Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Status);

            // Someone deletes the consumer's queue and declares it differently: the broker cancels the consumer, and its
            // declarations fail until the queue is as the consumer declares it again.
            await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false);
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
            HealthReport resuming = await WaitForAsync(health, HealthStatus.Degraded);
            Assert.Contains($"'{queue}'", resuming.Entries["warren"].Description, StringComparison.Ordinal);
            Assert.Contains("resuming", resuming.Entries["warren"].Description, StringComparison.Ordinal);

            await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false);
            await WaitForAsync(health, HealthStatus.Healthy, timeout: TimeSpan.FromSeconds(30));
        }
        finally
        {
            await TestHost.StopAsync(host);
        }
    }

    private static HostApplicationBuilder Builder(PrivateBroker node, string clientName)
    {
        HostApplicationBuilder builder = TestHost.Builder(clientName);
        builder.Services.Configure<BusOptions>(options =>
        {
            options.Uri = node.Uri;
            options.NetworkRecoveryInterval = TimeSpan.FromMilliseconds(500);
        });
        builder.Services.AddHealthChecks().AddWarrenHealthCheck();
        return builder;
    }

    /// <summary>Checks health until it has <paramref name="status"/>, running <paramref name="poke"/> before each check.</summary>
    private async Task<HealthReport> WaitForAsync(HealthCheckService health, HealthStatus status, Action? poke = null, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            poke?.Invoke();
            HealthReport report = await health.CheckHealthAsync();
            if (report.Status == status)
            {
                output.WriteLine($"{status}: {report.Entries["warren"].Description}");
                return report;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Health stayed {report.Status} ({report.Entries["warren"].Description}), expected {status}.");
            }

            await Task.Delay(100);
        }
    }
}
