using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Warren.IntegrationTests.Infrastructure;
using Xunit;

namespace Warren.Hosting.Tests;

/// <summary>Consumers added to a real host: DI scopes per message, what flows to what a handler publishes, and stopping without loss.</summary>
[Collection(HostingCollection.Name)]
public sealed class HostedConsumerTests
{
    [Fact]
    public async Task Host_consumes_through_a_scoped_consumer_with_a_scope_and_a_ledger_of_its_own_per_message()
    {
        string orders = TestHost.UniqueName("orders");
        string shipments = TestHost.UniqueName("shipments");
        await using RawBroker raw = await TestHost.CleanQueuesAsync(orders, shipments);
        HostApplicationBuilder builder = TestHost.Builder("hosting-scopes");
        builder.Services.AddWarren()
            .AddConsumer<OrderConsumer>(o => o.Queue = orders)
            .AddConsumer<ShipmentConsumer>(o => o.Queue = shipments);
        IHost host = await TestHost.StartAsync(builder);
        try
        {
            IPublisher publisher = host.Services.GetRequiredService<IPublisher>();
            for (int i = 0; i < 5; i++)
            {
                await publisher.PublishAsync(new OrderPlaced($"order-{i}", i % 2 == 0 ? "eu" : "us"));
            }

            HandledOrders handled = host.Services.GetRequiredService<HandledOrders>();
            await handled.WaitForAsync(h => h.All.Length == 5);

            HandledOrder[] all = handled.All;
            Assert.Equal(Enumerable.Range(0, 5).Select(i => $"order-{i}").Order(), TestHost.Ids(all).Order());
            // A scope per message: five ledgers, each disposed when its message was done.
            Assert.Equal(5, all.Select(o => o.Scope).Distinct().Count());
            Assert.All(all, o => Assert.True(o.Ledger.Disposed, $"The ledger of {o.OrderId} was not disposed with its scope"));
        }
        finally
        {
            await TestHost.StopAsync(host);
        }
    }
}
