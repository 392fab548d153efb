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
            // The handler records its order before it returns, and its scope is disposed just after: give the last
            // scopes that moment. A ledger left undisposed fails the assertion below once the wait gives up.
            try
            {
                await handled.WaitForAsync(h => h.All.All(o => o.Ledger.Disposed), TimeSpan.FromSeconds(5));
            }
            catch (TimeoutException)
            {
            }

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

    [Fact]
    public async Task Stopping_the_host_lets_the_handlers_in_flight_finish_and_loses_no_message()
    {
        const int count = 12;
        string orders = TestHost.UniqueName("drain");
        string shipments = TestHost.UniqueName("drain-shipments");
        await using RawBroker raw = await TestHost.CleanQueuesAsync(orders, shipments);
        HostApplicationBuilder builder = TestHost.Builder("hosting-drain", shutdownTimeout: TimeSpan.FromSeconds(20));
        builder.Services.AddWarren()
            .AddConsumer<OrderConsumer>(o => { o.Queue = orders; o.ConcurrentHandlers = 4; o.Prefetch = 6; })
            .AddConsumer<ShipmentConsumer>(o => o.Queue = shipments);
        IHost host = await TestHost.StartAsync(builder);
        HandledOrders handled = host.Services.GetRequiredService<HandledOrders>();
        IPublisher publisher = host.Services.GetRequiredService<IPublisher>();
        for (int i = 0; i < count; i++)
        {
            await publisher.PublishAsync(new OrderPlaced($"slow-{i}", "eu", DelayMilliseconds: 700));
        }

        await handled.WaitForAsync(h => h.Running == 4);
        await TestHost.StopAsync(host);

        // Every handler that started finished (none was cancelled), and published its shipment before the bus closed.
        Assert.Equal(0, handled.Cancelled);
        Assert.Equal(handled.Started, handled.All.Length);
        Assert.InRange(handled.All.Length, 4, count - 1);
        Assert.Equal((uint)handled.All.Length, await raw.MessageCountAsync(shipments));
        // The rest went back to the queue: nothing lost, nothing handled twice.
        Assert.Equal((uint)(count - handled.All.Length), await raw.MessageCountAsync(orders));

        HostApplicationBuilder again = TestHost.Builder("hosting-drain-again");
        again.Services.AddWarren().AddConsumer<OrderConsumer>(o => { o.Queue = orders; o.ConcurrentHandlers = 4; });
        IHost second = await TestHost.StartAsync(again);
        try
        {
            HandledOrders rest = second.Services.GetRequiredService<HandledOrders>();
            await rest.WaitForAsync(h => h.All.Length == count - handled.All.Length);
            Assert.Equal(
                Enumerable.Range(0, count).Select(i => $"slow-{i}").Order(),
                TestHost.Ids(handled.All).Concat(TestHost.Ids(rest.All)).Order());
        }
        finally
        {
            await TestHost.StopAsync(second);
        }
    }

    [Fact]
    public async Task A_handler_still_running_when_the_shutdown_timeout_ends_is_cancelled_and_its_message_goes_back_to_the_queue()
    {
        string orders = TestHost.UniqueName("timeout");
        await using RawBroker raw = await TestHost.CleanQueuesAsync(orders);
        HostApplicationBuilder builder = TestHost.Builder("hosting-timeout", shutdownTimeout: TimeSpan.FromSeconds(1));
        builder.Services.AddWarren().AddConsumer<OrderConsumer>(o => o.Queue = orders);
        IHost host = await TestHost.StartAsync(builder);
        HandledOrders handled = host.Services.GetRequiredService<HandledOrders>();
        await host.Services.GetRequiredService<IPublisher>().PublishAsync(new OrderPlaced("stuck", "us", DelayMilliseconds: 60_000));
        await handled.WaitForAsync(h => h.Running == 1);

        var stopping = System.Diagnostics.Stopwatch.StartNew();
        await TestHost.StopAsync(host);

        Assert.InRange(stopping.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(15));
        Assert.Equal(1, handled.Cancelled);
        Assert.Empty(handled.All);
        Assert.Equal(1u, await raw.MessageCountAsync(orders));
    }

    [Fact]
    public async Task What_a_hosted_handler_publishes_keeps_the_correlation_id_and_names_the_handled_message_as_its_cause()
    {
        string orders = TestHost.UniqueName("flow");
        string shipments = TestHost.UniqueName("flow-shipments");
        await using RawBroker raw = await TestHost.CleanQueuesAsync(orders, shipments);
        HostApplicationBuilder builder = TestHost.Builder("hosting-flow");
        // The generated registration adds every consumer of this assembly; named options give them this test's queues.
        builder.Services.AddWarren().AddWarrenConsumers();
        builder.Services.Configure<SubscribeOptions>(nameof(OrderConsumer), o => o.Queue = orders);
        builder.Services.Configure<SubscribeOptions>(nameof(ShipmentConsumer), o => o.Queue = shipments);
        IHost host = await TestHost.StartAsync(builder);
        try
        {
            IBus bus = host.Services.GetRequiredService<IBus>();
            await bus.PublishAsync(new OrderPlaced("traced", "eu"), new PublishOptions { MessageId = "order-msg-1", CorrelationId = "checkout-42" });

            Shipments shipped = host.Services.GetRequiredService<Shipments>();
            await host.Services.GetRequiredService<HandledOrders>().WaitForAsync(_ => shipped.All.Length == 1);
            (OrderShipped message, string? correlationId, string? causationId) = shipped.All.Single();
            Assert.Equal("traced", message.OrderId);
            Assert.Equal("checkout-42", correlationId);
            Assert.Equal("order-msg-1", causationId);
            HandledOrder order = host.Services.GetRequiredService<HandledOrders>().All.Single();
            Assert.Equal("order-msg-1", order.MessageId);
            Assert.Equal("checkout-42", order.CorrelationId);
        }
        finally
        {
            await TestHost.StopAsync(host);
        }
    }

    [Fact]
    public async Task A_publisher_resolved_before_the_host_starts_waits_for_the_connection()
    {
        string orders = TestHost.UniqueName("early");
        await using RawBroker raw = await TestHost.CleanQueuesAsync(orders);
        HostApplicationBuilder builder = TestHost.Builder("hosting-early");
        builder.Services.AddWarren().AddConsumer<OrderConsumer>(o => o.Queue = orders);
        IHost host = builder.Build();
        try
        {
            IPublisher publisher = host.Services.GetRequiredService<IPublisher>();
            Task early = publisher.PublishAsync(new OrderPlaced("early", "eu")).AsTask();
            await Task.Delay(200);
            Assert.False(early.IsCompleted);

            await host.StartAsync();
            await early.WaitAsync(TimeSpan.FromSeconds(20));
            await host.Services.GetRequiredService<HandledOrders>().WaitForAsync(h => h.All.Length == 1);
        }
        finally
        {
            await TestHost.StopAsync(host);
        }
    }

    [Fact]
    public async Task A_queue_the_broker_holds_with_other_properties_fails_the_host_start_with_a_topology_error()
    {
        string orders = TestHost.UniqueName("conflict");
        await using RawBroker raw = await TestHost.CleanQueuesAsync(orders);
        await using (RabbitMQ.Client.IChannel channel = await raw.Connection.CreateChannelAsync())
        {
            // Someone else declared the queue durable; the consumer declares it transient.
            await channel.QueueDeclareAsync(orders, durable: true, exclusive: false, autoDelete: false);
        }

        HostApplicationBuilder builder = TestHost.Builder("hosting-conflict");
        builder.Services.AddWarren().AddConsumer<OrderConsumer>(o => o.Queue = orders);
        using IHost host = builder.Build();

        TopologyException error = await Assert.ThrowsAsync<TopologyException>(() => host.StartAsync());
        Assert.Contains(orders, error.Message, StringComparison.Ordinal);
        Assert.Contains("PRECONDITION_FAILED", error.Message, StringComparison.Ordinal);
        await host.StopAsync();
    }
}
