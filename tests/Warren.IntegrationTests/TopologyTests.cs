using System;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;
using Warren.IntegrationTests.Infrastructure;
using Xunit;

namespace Warren.IntegrationTests;

[Fanout("warren.test.topology.events"), Durable]
public sealed record TopologyEvent(string Name);

[Consumer(Queue = "warren.test.topology.audit"), Durable]
public sealed class TopologyAudit : IConsumer<TopologyEvent>
{
    public ValueTask HandleAsync(TopologyEvent message, MessageContext context, CancellationToken cancellationToken) => default;
}

[Queue("warren.test.topology.mismatch")]
public sealed record MismatchedMessage(string Text);

public sealed record NotAMessage(string Text);

public sealed class TopologyTests
{
    [Fact]
    public async Task DeclareTopology_declares_every_known_exchange_and_named_consumer_queue_with_its_binding()
    {
        // Declares every type this assembly knows, so in a virtual host of its own that is deleted afterwards.
        using TemporaryVirtualHost vhost = Broker.TemporaryVirtualHost("topology");
        await using RawBroker raw = await vhost.RawAsync();
        await using Bus bus = await Broker.ConnectAsync("topology", o => o.Uri = vhost.Uri);
        _ = new TopologyAudit();   // loads nothing new: the module initializer already registered this assembly

        await bus.DeclareTopologyAsync();

        Assert.True(await raw.QueueExistsAsync("warren.test.topology.audit"));
        await using IChannel channel = await raw.Connection.CreateChannelAsync();
        await channel.ExchangeDeclarePassiveAsync("warren.test.topology.events");
        // The durable queue is bound to the durable fanout: a publish from plain RabbitMQ.Client lands in it.
        await raw.PublishAsync("warren.test.topology.events", "", """{"name":"x"}"""u8.ToArray());
        await WorkQueueTests.WaitUntilAsync(async () => await raw.MessageCountAsync("warren.test.topology.audit") == 1);
    }

    [Fact]
    public async Task A_queue_that_exists_with_other_properties_fails_with_a_typed_error_and_the_bus_stays_usable()
    {
        const string queue = "warren.test.topology.mismatch";
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [queue]);
        await using (IChannel channel = await raw.Connection.CreateChannelAsync())
        {
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        }

        await using Bus bus = await Broker.ConnectAsync("topology-mismatch");
        TopologyException error = await Assert.ThrowsAsync<TopologyException>(async () => await bus.PublishAsync(new MismatchedMessage("x")));
        Assert.Equal(406, error.ReplyCode);
        Assert.Contains("PRECONDITION_FAILED", error.Message);
        Assert.Contains(queue, error.Message);

        // The declaration channel is rebuilt: once the conflict is gone the same bus publishes.
        await raw.CleanAsync();
        await bus.PublishAsync(new MismatchedMessage("after the fix"));
        Assert.Equal(1u, await raw.MessageCountAsync(queue));
    }

    [Fact]
    public async Task A_type_without_generated_code_is_refused_with_a_clear_error()
    {
        await using Bus bus = await Broker.ConnectAsync("unregistered");
        MessageNotRegisteredException error = await Assert.ThrowsAsync<MessageNotRegisteredException>(async () => await bus.PublishAsync(new NotAMessage("x")));
        Assert.Equal(typeof(NotAMessage), error.Type);
        Assert.Contains("[Queue]", error.Message);
    }

    [Fact]
    public void The_password_never_shows_in_ToString()
    {
        var options = new BusOptions { Uri = new Uri("amqp://app:s3cr3t-pw@broker.example:5672/prod") };
        Assert.DoesNotContain("s3cr3t-pw", options.ToString());
        Assert.Contains("app:***@broker.example", options.ToString());
    }
}

[Fanout("warren.test.topology.deleted")]
public sealed record DeletedExchangeEvent(int Number);

public sealed class DeletedTopologyTests
{
    [Fact]
    public async Task Publishing_after_the_exchange_was_deleted_under_the_bus_declares_it_again()
    {
        const string exchange = "warren.test.topology.deleted";
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(exchanges: [exchange]);
        await using Bus bus = await Broker.ConnectAsync("topology-deleted");
        var inbox = new Inbox<DeletedExchangeEvent>();
        await bus.PublishAsync(new DeletedExchangeEvent(1));

        // Someone deletes the exchange; publishing to a missing exchange closes the channel with 404 NOT_FOUND.
        await raw.CleanAsync();
        await bus.PublishAsync(new DeletedExchangeEvent(2));
        await using Subscription subscription = await bus.SubscribeAsync<DeletedExchangeEvent>((m, c, _) => { inbox.Add(m, c); return default; });
        await bus.PublishAsync(new DeletedExchangeEvent(3));
        await inbox.WaitForAsync(1);
        Assert.Equal(3, inbox.Messages[0].Number);
    }
}

[Queue("warren.test.topology.deleted_queue", Mandatory = true)]
public sealed record DeletedQueueItem(int Number);

public sealed class DeletedQueueTests
{
    [Fact]
    public async Task Publishing_after_the_queue_was_deleted_under_the_bus_declares_it_again_instead_of_dropping_the_message()
    {
        const string queue = "warren.test.topology.deleted_queue";
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [queue]);
        await using Bus bus = await Broker.ConnectAsync("topology-deleted-queue");
        await bus.PublishAsync(new DeletedQueueItem(1));
        Assert.Equal(1u, await raw.MessageCountAsync(queue));

        // The default exchange drops what no queue takes; a mandatory message comes back instead, and Warren declares
        // the queue again and publishes once more.
        await raw.CleanAsync();
        await bus.PublishAsync(new DeletedQueueItem(2));
        BasicGetResultAssert(await raw.GetAsync(queue), expectedNumber: 2);
    }

    private static void BasicGetResultAssert(RabbitMQ.Client.BasicGetResult? result, int expectedNumber)
    {
        Assert.NotNull(result);
        Assert.Equal($$"""{"number":{{expectedNumber}}}""", System.Text.Encoding.UTF8.GetString(result!.Body.Span));
    }
}
