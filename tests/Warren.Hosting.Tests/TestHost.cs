using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using Warren.IntegrationTests.Infrastructure;
using Xunit;

namespace Warren.Hosting.Tests;

/// <summary>
/// The tests that use the shared exchanges of <see cref="OrderPlaced"/> and <see cref="OrderShipped"/> run one after the
/// other, and the exchanges are deleted when the last is done.
/// </summary>
[CollectionDefinition(Name)]
public sealed class HostingCollection : ICollectionFixture<SharedExchanges>
{
    public const string Name = "hosting";
}

public sealed class SharedExchanges : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await using RawBroker raw = await Broker.RawAsync();
        await using IChannel channel = await raw.Connection.CreateChannelAsync();
        await channel.ExchangeDeleteAsync(OrderPlaced.Exchange, ifUnused: false);
        await channel.ExchangeDeleteAsync(OrderShipped.Exchange, ifUnused: false);
    }
}

/// <summary>
/// A real Generic Host around Warren, the way an application builds one: an empty application builder, Warren added to
/// its services, the test's own queues given to the consumers through their options.
/// </summary>
internal static class TestHost
{
    /// <summary>Queue names of this test's own: <c>warren.hosting.&lt;purpose&gt;.&lt;8 hex digits&gt;</c>.</summary>
    public static string UniqueName(string purpose) => $"warren.hosting.{purpose}.{Guid.NewGuid().ToString("N")[..8]}";

    public static HostApplicationBuilder Builder(string clientName, TimeSpan? shutdownTimeout = null)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = shutdownTimeout ?? TimeSpan.FromSeconds(10));
        builder.Services.AddSingleton<HandledOrders>();
        builder.Services.AddSingleton<Shipments>();
        builder.Services.AddSingleton<PriceList>();
        builder.Services.AddScoped<OrderLedger>();
        builder.Services.AddWarren(options =>
        {
            options.Uri = Broker.Uri;
            options.ClientName = clientName;
        });
        return builder;
    }

    /// <summary>Starts the host, failing (not hanging) after 30 s.</summary>
    public static async Task<IHost> StartAsync(HostApplicationBuilder builder)
    {
        IHost host = builder.Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await host.StartAsync(timeout.Token);
        return host;
    }

    /// <summary>Stops and disposes the host, as <c>host.RunAsync()</c> does when it ends.</summary>
    public static async Task StopAsync(IHost host)
    {
        await host.StopAsync();
        if (host is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
        else
        {
            host.Dispose();
        }
    }

    /// <summary>Deletes the test's queues and their error queues, now and when disposed.</summary>
    public static async Task<RawBroker> CleanQueuesAsync(params string[] queues)
    {
        RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: queues);
        return raw;
    }

    public static IEnumerable<string> Ids(IEnumerable<HandledOrder> orders) => orders.Select(o => o.OrderId);
}
