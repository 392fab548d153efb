using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;
using Warren.IntegrationTests.Infrastructure;
using Xunit;

namespace Warren.IntegrationTests;

[Queue("warren.test.quorum.orders"), Durable(QueueType.Quorum)]
public sealed record QuorumOrder(int Id, string Item);

[Queue("warren.test.quorum.poison"), Durable(QueueType.Quorum, DeliveryLimit = 2)]
public sealed record QuorumPoison(int Id);

[Topic("warren.test.quorum.events", RoutingKey = "{Region}.{Kind}"), Durable]
public sealed record QuorumEvent(string Region, string Kind, int Id);

[Consumer(Queue = "warren.test.quorum.eu_events"), Durable(QueueType.Quorum, DeliveryLimit = 3), Bind("eu.*")]
public sealed class QuorumEuEvents : InboxConsumer<QuorumEvent>;

[RpcService("warren.test.quorum.rpc"), Durable(QueueType.Quorum)]
public interface IQuorumEcho
{
    [RpcMethod] Task<string> EchoAsync(string text, CancellationToken cancellationToken = default);
}

public sealed class QuorumEcho : IQuorumEcho
{
    public Task<string> EchoAsync(string text, CancellationToken cancellationToken = default) => Task.FromResult(text);
}

/// <summary>
/// <c>[Durable(QueueType.Quorum)]</c>: Warren declares quorum queues with a delivery limit and dead-lettering to the error
/// queue, from every path that declares them, and the broker dead-letters a message that keeps coming back unacked.
/// </summary>
public sealed class QuorumQueueTests
{
    private const string Python = "/usr/bin/python3";

    [Fact]
    public async Task A_quorum_queue_message_gets_a_quorum_queue_and_its_error_queue_and_flows_from_publish_to_consumer()
    {
        const string queue = "warren.test.quorum.orders";
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [queue, ErrorQueues.NameFor(queue)]);

        // The consumer's bus and the publisher's bus each declare the queue: both declarations must agree.
        await using Bus consumerBus = await Broker.ConnectAsync("quorum-consumer");
        var inbox = new Inbox<QuorumOrder>();
        await using Subscription subscription = await consumerBus.SubscribeAsync<QuorumOrder>((m, c, _) => { inbox.Add(m, c); return default; });
        await using (Bus publisherBus = await Broker.ConnectAsync("quorum-publisher"))
        {
            for (int id = 1; id <= 3; id++)
            {
                await publisherBus.PublishAsync(new QuorumOrder(id, "book"));
            }
        }

        await inbox.WaitForAsync(3);
        Assert.Equal([1, 2, 3], inbox.Messages.Select(m => m.Id).Order());
        Assert.All(inbox.Items, item => Assert.True(item.Context.Persistent));

        QueueListing listed = ListQueue(queue);
        Assert.Equal("quorum", listed.Type);
        Assert.Equal(QuorumArguments(queue, deliveryLimit: 5), listed.Arguments);
        QueueListing error = ListQueue(ErrorQueues.NameFor(queue));
        Assert.Equal("classic", error.Type);
        Assert.Empty(error.Arguments);
        await WorkQueueTests.WaitUntilAsync(async () => await raw.MessageCountAsync(queue) == 0);
    }

    [Fact]
    public async Task A_consumer_with_a_named_quorum_queue_is_bound_and_gets_what_its_keys_match()
    {
        const string exchange = "warren.test.quorum.events";
        const string queue = "warren.test.quorum.eu_events";
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [queue, ErrorQueues.NameFor(queue)], exchanges: [exchange]);
        await using Bus bus = await Broker.ConnectAsync("quorum-bindings");

        var consumer = new QuorumEuEvents();
        await using Subscription subscription = await bus.SubscribeAsync(consumer);
        // A competing consumer that declares the same queue through SubscribeOptions, with the same type and limit.
        var competing = new Inbox<QuorumEvent>();
        await using Subscription sameQueue = await bus.SubscribeAsync<QuorumEvent>(
            (m, c, _) => { competing.Add(m, c); return default; },
            new SubscribeOptions { Queue = queue, QueueType = QueueType.Quorum, DeliveryLimit = 3, Bindings = ["eu.*"] });

        await bus.PublishAsync(new QuorumEvent("eu", "order", 1));
        await bus.PublishAsync(new QuorumEvent("us", "order", 2));
        await bus.PublishAsync(new QuorumEvent("eu", "refund", 3));

        await WorkQueueTests.WaitUntilAsync(() => Task.FromResult(consumer.Inbox.Count + competing.Count >= 2));
        await consumer.Inbox.AssertQuietAsync(consumer.Inbox.Count);
        Assert.Equal([1, 3], consumer.Inbox.Messages.Concat(competing.Messages).Select(m => m.Id).Order());
        QueueListing listed = ListQueue(queue);
        Assert.Equal("quorum", listed.Type);
        Assert.Equal(QuorumArguments(queue, deliveryLimit: 3), listed.Arguments);
    }

    [Fact]
    public async Task Declarations_that_disagree_with_a_queue_fail_with_a_topology_error_naming_the_queue_type()
    {
        const string exchange = "warren.test.quorum.events";
        const string classicQueue = "warren.test.quorum.classic_already";
        const string quorumQueue = "warren.test.quorum.limits";
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(
            queues: [classicQueue, ErrorQueues.NameFor(classicQueue), quorumQueue, ErrorQueues.NameFor(quorumQueue)], exchanges: [exchange]);
        await using (IChannel channel = await raw.Connection.CreateChannelAsync())
        {
            await channel.QueueDeclareAsync(classicQueue, durable: true, exclusive: false, autoDelete: false);
        }

        await using Bus bus = await Broker.ConnectAsync("quorum-mismatch");
        TopologyException classic = await Assert.ThrowsAsync<TopologyException>(() => bus.SubscribeAsync<QuorumEvent>(
            (_, _, _) => default, new SubscribeOptions { Queue = classicQueue, QueueType = QueueType.Quorum, Bindings = ["#"] }));
        Assert.Equal(406, classic.ReplyCode);
        Assert.Contains($"queue '{classicQueue}' as a quorum queue with delivery limit 5", classic.Message, StringComparison.Ordinal);
        Assert.Contains("PRECONDITION_FAILED - inequivalent arg", classic.Message, StringComparison.Ordinal);   // the broker's reason
        Assert.Equal("classic", ListQueue(classicQueue).Type);

        await using Subscription first = await bus.SubscribeAsync<QuorumEvent>(
            (_, _, _) => default, new SubscribeOptions { Queue = quorumQueue, QueueType = QueueType.Quorum, DeliveryLimit = 3, Bindings = ["#"] });
        TopologyException limit = await Assert.ThrowsAsync<TopologyException>(() => bus.SubscribeAsync<QuorumEvent>(
            (_, _, _) => default, new SubscribeOptions { Queue = quorumQueue, QueueType = QueueType.Quorum, DeliveryLimit = 4, Bindings = ["#"] }));
        Assert.Equal(406, limit.ReplyCode);
        Assert.Contains("x-delivery-limit", limit.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscribe_options_that_cannot_make_a_quorum_queue_are_refused_before_anything_is_declared()
    {
        await using Bus bus = await Broker.ConnectAsync("quorum-options");

        ArgumentException serverNamed = await Assert.ThrowsAsync<ArgumentException>(() => bus.SubscribeAsync<QuorumEvent>(
            (_, _, _) => default, new SubscribeOptions { QueueType = QueueType.Quorum }));
        Assert.Contains("cannot be a quorum queue", serverNamed.Message, StringComparison.Ordinal);

        ArgumentException transient = await Assert.ThrowsAsync<ArgumentException>(() => bus.SubscribeAsync<QuorumEvent>(
            (_, _, _) => default, new SubscribeOptions { Queue = "warren.test.quorum.never", QueueType = QueueType.Quorum, Durable = false }));
        Assert.Contains("always durable", transient.Message, StringComparison.Ordinal);

        ArgumentException classicLimit = await Assert.ThrowsAsync<ArgumentException>(() => bus.SubscribeAsync<QuorumEvent>(
            (_, _, _) => default, new SubscribeOptions { Queue = "warren.test.quorum.never", DeliveryLimit = 2 }));
        Assert.Contains("quorum queues only", classicLimit.Message, StringComparison.Ordinal);

        await using RawBroker raw = await Broker.RawAsync();
        Assert.False(await raw.QueueExistsAsync("warren.test.quorum.never"));
    }

    [Fact]
    public async Task A_message_that_keeps_coming_back_unacked_is_dead_lettered_to_the_error_queue_after_the_delivery_limit()
    {
        const string queue = "warren.test.quorum.poison";
        string errorQueue = ErrorQueues.NameFor(queue);
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [queue, errorQueue]);
        await using Bus bus = await Broker.ConnectAsync("quorum-poison");
        await bus.PublishAsync(new QuorumPoison(13));

        // A consumer that crashes on the message: it takes it without acking, then its channel closes, again and again.
        var deliveries = new List<bool>();
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (await raw.MessageCountAsync(errorQueue) == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Not dead-lettered in time after {deliveries.Count} deliveries.");
            await using IChannel crashing = await raw.Connection.CreateChannelAsync();
            BasicGetResult? got = await crashing.BasicGetAsync(queue, autoAck: false);
            if (got is null)
            {
                await Task.Delay(25);   // the returned message is back in a moment
                continue;
            }

            deliveries.Add(got.Redelivered);
            await crashing.CloseAsync();
        }

        // Delivered DeliveryLimit + 1 times, the first time fresh, then redelivered; then never again.
        Assert.Equal([false, true, true], deliveries);
        Assert.Equal(0u, await raw.MessageCountAsync(queue));

        BasicGetResult dead = (await raw.GetAsync(errorQueue))!;
        Assert.Equal("""{"id":13}""", Encoding.UTF8.GetString(dead.Body.Span));
        Assert.Equal(typeof(QuorumPoison).FullName, dead.BasicProperties.Type);
        IDictionary<string, object?> headers = dead.BasicProperties.Headers!;
        Assert.Equal("delivery_limit", Text(headers["x-first-death-reason"]));
        Assert.Equal(queue, Text(headers["x-first-death-queue"]));
        var death = (IDictionary<string, object?>)Assert.Single((IList<object?>)headers["x-death"]!)!;
        Assert.Equal("delivery_limit", Text(death["reason"]));
        Assert.Equal(queue, Text(death["queue"]));
    }

    [Fact]
    public async Task An_rpc_service_on_a_quorum_queue_answers_its_clients()
    {
        const string queue = "warren.test.quorum.rpc";
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [queue, ErrorQueues.NameFor(queue)]);
        await using Bus server = await Broker.ConnectAsync("quorum-rpc-server");
        await using Subscription serving = await server.ServeAsync<IQuorumEcho>(new QuorumEcho());
        await using Bus client = await Broker.ConnectAsync("quorum-rpc-client");

        string echoed = await client.CreateClient<IQuorumEcho>().EchoAsync("hello quorum").WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal("hello quorum", echoed);
        QueueListing listed = ListQueue(queue);
        Assert.Equal("quorum", listed.Type);
        Assert.Equal(QuorumArguments(queue, deliveryLimit: 5), listed.Arguments);
    }

    [Fact]
    public async Task A_pika_program_declaring_the_same_quorum_queue_interoperates_both_ways()
    {
        const string queue = "warren.test.quorum.orders";
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [queue, ErrorQueues.NameFor(queue)]);

        // pika declares first, Warren declares the existing queue, and pika declares it again: nobody is refused.
        RunPika(queue, """{"id": 1, "item": "from pika first"}""");
        await using Bus bus = await Broker.ConnectAsync("quorum-pika");
        var inbox = new Inbox<QuorumOrder>();
        await using Subscription subscription = await bus.SubscribeAsync<QuorumOrder>((m, c, _) => { inbox.Add(m, c); return default; });
        RunPika(queue, """{"id": 2, "item": "from pika second"}""");

        await inbox.WaitForAsync(2);
        Assert.Equal([new QuorumOrder(1, "from pika first"), new QuorumOrder(2, "from pika second")], inbox.Messages.OrderBy(m => m.Id));
        Assert.Equal("quorum", ListQueue(queue).Type);
    }

    /// <summary>The arguments Warren declares a quorum queue with, as rabbitmqctl lists them.</summary>
    private static Dictionary<string, string> QuorumArguments(string queue, int deliveryLimit) => new()
    {
        ["x-queue-type"] = "quorum",
        ["x-delivery-limit"] = deliveryLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["x-dead-letter-exchange"] = "",
        ["x-dead-letter-routing-key"] = ErrorQueues.NameFor(queue),
    };

    private sealed record QueueListing(string Type, Dictionary<string, string> Arguments);

    /// <summary>The queue's type and arguments as the broker itself reports them.</summary>
    private static QueueListing ListQueue(string queue)
    {
        string json = Broker.Ctl("list_queues", "-q", "-p", VirtualHost(), "--formatter", "json", "name", "type", "arguments");
        using JsonDocument listing = JsonDocument.Parse(json);
        JsonElement entry = listing.RootElement.EnumerateArray().Single(e => e.GetProperty("name").GetString() == queue);
        // Each argument is listed as [name, AMQP type, value].
        Dictionary<string, string> arguments = entry.GetProperty("arguments").EnumerateArray()
            .ToDictionary(a => a[0].GetString()!, a => a[2].ToString());
        return new QueueListing(entry.GetProperty("type").GetString()!, arguments);
    }

    private static string VirtualHost() => Broker.Uri.AbsolutePath.Trim('/') is { Length: > 0 } path ? Uri.UnescapeDataString(path) : "/";

    /// <summary>AMQP headers written by the broker carry strings as bytes.</summary>
    private static string? Text(object? header) => header is byte[] bytes ? Encoding.UTF8.GetString(bytes) : header?.ToString();

    private static void RunPika(string queue, string body)
    {
        string script = Path.Combine(AppContext.BaseDirectory, "Interop", "pika_quorum.py");
        Infrastructure.Process.Run(Python, [script, queue, "5", body], TimeSpan.FromSeconds(30),
            new Dictionary<string, string> { ["WARREN_AMQP_URI"] = Broker.Uri.ToString() });
    }
}
