using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using RabbitMQ.Client;
using Warren.IntegrationTests.Infrastructure;
using Xunit;

namespace Warren.IntegrationTests;

[Message("warren.test.names.order_placed", Aliases = new[] { "Warren.IntegrationTests.LegacyOrderPlaced", "orders.placed.v1" })]
[Queue("warren.test.names.orders")]
public sealed record NamedOrderPlaced(string Id, int Quantity);

[Message("warren.test.names.from_pika", Aliases = new[] { "Shop.PikaOrder" })]
[Queue("warren.test.names.from_pika")]
public sealed record NamedPikaOrder(string Id, int Quantity);

/// <summary>
/// Wire names: the <c>type</c> property is the <c>[Message]</c> name, not the CLR name, and consumers also accept the
/// aliases; anything else is unreadable and goes to the error queue.
/// </summary>
public sealed class MessageNameTests
{
    private const string Queue = "warren.test.names.orders";
    private const string WireName = "warren.test.names.order_placed";

    [Fact]
    public async Task The_type_property_on_the_wire_is_the_wire_name()
    {
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [Queue]);
        await using Bus bus = await Broker.ConnectAsync("names-wire");

        await bus.PublishAsync(new NamedOrderPlaced("o-1", 3));

        BasicGetResult? published = await raw.GetAsync(Queue);
        Assert.NotNull(published);
        Assert.Equal(WireName, published!.BasicProperties.Type);
        Assert.NotEqual(typeof(NamedOrderPlaced).FullName, published.BasicProperties.Type);
        Assert.Equal("""{"id":"o-1","quantity":3}""", Encoding.UTF8.GetString(published.Body.Span));
    }

    [Fact]
    public async Task The_wire_name_every_alias_and_no_type_are_consumed_and_an_unknown_type_goes_to_the_error_queue()
    {
        string errorQueue = ErrorQueues.NameFor(Queue);
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [Queue, errorQueue]);
        await using Bus bus = await Broker.ConnectAsync("names-aliases");
        var inbox = new Inbox<NamedOrderPlaced>();
        Subscription subscription = await bus.SubscribeAsync<NamedOrderPlaced>((m, c, _) => { inbox.Add(m, c); return default; });

        (string Id, string? Type)[] accepted = [("by-name", WireName), ("by-old-clr-name", "Warren.IntegrationTests.LegacyOrderPlaced"), ("by-alias", "orders.placed.v1"), ("untyped", null)];
        foreach ((string id, string? type) in accepted)
        {
            await raw.PublishAsync("", Queue, Encoding.UTF8.GetBytes($$"""{"id":"{{id}}","quantity":1}"""), new BasicProperties { MessageId = id, Type = type });
        }

        // Ordinal: neither another message's name nor a differently cased alias is this message.
        foreach (string unknown in new[] { "orders.placed.v2", "ORDERS.PLACED.V1", typeof(NamedOrderPlaced).FullName! })
        {
            await raw.PublishAsync("", Queue, Encoding.UTF8.GetBytes("""{"id":"unknown","quantity":1}"""), new BasicProperties { MessageId = unknown, Type = unknown });
        }

        await inbox.WaitForAsync(accepted.Length);
        await WorkQueueTests.WaitUntilAsync(async () => await raw.MessageCountAsync(errorQueue) == 3);
        await subscription.DisposeAsync();

        Assert.Equal(accepted.Select(a => a.Id).Order(), inbox.Messages.Select(m => m.Id).Order());
        Dictionary<string, BasicGetResult> moved = await ErrorQueueTests.DrainAsync(raw, errorQueue);
        Assert.Equal(["ORDERS.PLACED.V1", typeof(NamedOrderPlaced).FullName!, "orders.placed.v2"], moved.Keys.Order(StringComparer.Ordinal));
        string reason = ErrorQueueTests.Header(moved["orders.placed.v2"], ErrorQueues.ExceptionMessageHeader)!;
        Assert.Contains(
            $"its type header is 'orders.placed.v2', not '{WireName}' (or 'Warren.IntegrationTests.LegacyOrderPlaced', 'orders.placed.v1')", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pika_program_sending_the_wire_name_or_an_alias_is_handled_by_a_warren_consumer()
    {
        const string queue = "warren.test.names.from_pika";
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [queue]);
        await using Bus bus = await Broker.ConnectAsync("names-pika");
        var inbox = new Inbox<NamedPikaOrder>();
        await using Subscription subscription = await bus.SubscribeAsync<NamedPikaOrder>((m, c, _) => { inbox.Add(m, c); return default; });

        InteropTests.RunPython("pika_send_typed.py", queue, "warren.test.names.from_pika", """{"id": "p-1", "quantity": 5}""");
        InteropTests.RunPython("pika_send_typed.py", queue, "Shop.PikaOrder", """{"id": "p-2", "quantity": 6}""");

        await inbox.WaitForAsync(2);
        await inbox.AssertQuietAsync(2);
        Assert.Equal([new NamedPikaOrder("p-1", 5), new NamedPikaOrder("p-2", 6)], inbox.Messages.OrderBy(m => m.Id));
        Assert.Equal(["Shop.PikaOrder", "warren.test.names.from_pika"], inbox.Items.Select(i => i.Context.MessageType!).Order(StringComparer.Ordinal));
        Assert.Equal(0u, await raw.MessageCountAsync(ErrorQueues.NameFor(queue)));
    }
}
