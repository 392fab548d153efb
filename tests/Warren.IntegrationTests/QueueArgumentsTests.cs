using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Warren.IntegrationTests.Infrastructure;
using Xunit;

namespace Warren.IntegrationTests;

[Queue("warren.test.qargs.ttl"), QueueArguments(MessageTtl = "00:00:00.200", DeadLetterExchange = "", DeadLetterRoutingKey = "warren.test.qargs.ttl.dead")]
public sealed record ExpiringJob(int Id);

[Queue("warren.test.qargs.full"), QueueArguments(MaxLength = 2, Overflow = QueueOverflow.RejectPublish)]
public sealed record BoundedJob(int Id);

[Queue("warren.test.qargs.drophead"), QueueArguments(MaxLength = 2, Overflow = QueueOverflow.DropHead)]
public sealed record DroppingJob(int Id);

[Queue("warren.test.qargs.priority"), QueueArguments(MaxPriority = 10)]
public sealed record PrioritizedJob(int Id);

[Queue("warren.test.qargs.stream"), Durable(QueueType.Stream), QueueArguments(MaxAge = "01:00:00", MaxLengthBytes = 100000000, MaxSegmentSizeBytes = 1000000)]
public sealed record StreamTick(int Id);

[Fanout("warren.test.qargs.sac.events")]
public sealed record SacEvent(int Id);

[Consumer(Queue = "warren.test.qargs.sac", SingleActive = true)]
public sealed class SacConsumer : InboxConsumer<SacEvent>;

[Fanout("warren.test.qargs.options.events")]
public sealed record OptionsEvent(int Id);

/// <summary>
/// <see cref="QueueArgumentsAttribute"/>, <see cref="ConsumerAttribute.SingleActive"/>, <see cref="QueueType.Stream"/> and
/// the queue arguments of <see cref="SubscribeOptions"/>, against the real broker.
/// </summary>
public sealed class QueueArgumentsTests
{
    [Fact]
    public async Task An_expired_message_is_dead_lettered_to_the_configured_queue()
    {
        const string queue = "warren.test.qargs.ttl";
        const string dead = "warren.test.qargs.ttl.dead";
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [queue, dead]);
        await using (RabbitMQ.Client.IChannel channel = await raw.Connection.CreateChannelAsync())
        {
            await channel.QueueDeclareAsync(dead, durable: false, exclusive: false, autoDelete: false);
        }

        try
        {
            await using Bus bus = await Broker.ConnectAsync("qargs-ttl");
            await bus.PublishAsync(new ExpiringJob(1));

            await WorkQueueTests.WaitUntilAsync(async () => await raw.MessageCountAsync(dead) == 1);
            Assert.Equal(0u, await raw.MessageCountAsync(queue));
            Assert.Equal("200", ListQueue(queue).Arguments["x-message-ttl"]);
        }
        finally
        {
            await raw.CleanAsync(queues: [queue, dead]);
        }
    }

    [Fact]
    public async Task A_full_queue_with_reject_publish_nacks_the_publish()
    {
        const string queue = "warren.test.qargs.full";
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [queue]);
        try
        {
            await using Bus bus = await Broker.ConnectAsync("qargs-full");
            await bus.PublishAsync(new BoundedJob(1));
            await bus.PublishAsync(new BoundedJob(2));

            await Assert.ThrowsAsync<PublishNackedException>(async () => await bus.PublishAsync(new BoundedJob(3)));
            Assert.Equal(2u, await raw.MessageCountAsync(queue));
        }
        finally
        {
            await raw.CleanAsync(queues: [queue]);
        }
    }

    [Fact]
    public async Task A_full_queue_with_drop_head_drops_the_oldest()
    {
        const string queue = "warren.test.qargs.drophead";
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [queue]);
        try
        {
            await using Bus bus = await Broker.ConnectAsync("qargs-drophead");
            for (int id = 1; id <= 3; id++)
            {
                await bus.PublishAsync(new DroppingJob(id));
            }

            Assert.Equal(2u, await raw.MessageCountAsync(queue));
            Assert.Equal(2, JsonSerializer.Deserialize<DroppingJob>((await raw.GetAsync(queue))!.Body.Span, JsonOptions)!.Id);
            Assert.Equal(3, JsonSerializer.Deserialize<DroppingJob>((await raw.GetAsync(queue))!.Body.Span, JsonOptions)!.Id);
        }
        finally
        {
            await raw.CleanAsync(queues: [queue]);
        }
    }

    [Fact]
    public async Task A_priority_queue_delivers_the_higher_priority_first()
    {
        const string queue = "warren.test.qargs.priority";
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [queue]);
        try
        {
            await using Bus bus = await Broker.ConnectAsync("qargs-priority");
            await bus.PublishAsync(new PrioritizedJob(1), new PublishOptions { Priority = 1 });
            await bus.PublishAsync(new PrioritizedJob(2), new PublishOptions { Priority = 9 });
            await bus.PublishAsync(new PrioritizedJob(3), new PublishOptions { Priority = 5 });

            var inbox = new Inbox<PrioritizedJob>();
            await using (await bus.SubscribeAsync<PrioritizedJob>((m, c, _) => { inbox.Add(m, c); return default; }, new SubscribeOptions { Prefetch = 1 }))
            {
                await inbox.WaitForAsync(3);
            }

            Assert.Equal([2, 3, 1], inbox.Messages.Select(m => m.Id));
            Assert.Equal("10", ListQueue(queue).Arguments["x-max-priority"]);
        }
        finally
        {
            await raw.CleanAsync(queues: [queue]);
        }
    }

    [Fact]
    public async Task A_single_active_consumer_queue_delivers_to_one_subscription_until_it_goes_away()
    {
        const string queue = "warren.test.qargs.sac";
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [queue, ErrorQueues.NameFor(queue)], exchanges: ["warren.test.qargs.sac.events"]);
        try
        {
            await using Bus bus = await Broker.ConnectAsync("qargs-sac");
            var first = new SacConsumer();
            var second = new SacConsumer();
            Subscription firstSubscription = await bus.SubscribeAsync(first);
            await using Subscription secondSubscription = await bus.SubscribeAsync(second);
            for (int id = 1; id <= 5; id++)
            {
                await bus.PublishAsync(new SacEvent(id));
            }

            await first.Inbox.WaitForAsync(5);
            await second.Inbox.AssertQuietAsync(0, TimeSpan.FromMilliseconds(300));

            await firstSubscription.DisposeAsync();
            for (int id = 6; id <= 8; id++)
            {
                await bus.PublishAsync(new SacEvent(id));
            }

            await second.Inbox.WaitForAsync(3);
            Assert.Equal([6, 7, 8], second.Inbox.Messages.Select(m => m.Id).Order());
            Assert.Equal("True", ListQueue(queue).Arguments["x-single-active-consumer"]);
        }
        finally
        {
            await raw.CleanAsync(queues: [queue, ErrorQueues.NameFor(queue)], exchanges: ["warren.test.qargs.sac.events"]);
        }
    }

    [Fact]
    public async Task A_stream_queue_is_declared_with_its_retention_and_read_from_the_first_message()
    {
        const string queue = "warren.test.qargs.stream";
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [queue]);
        try
        {
            await using Bus bus = await Broker.ConnectAsync("qargs-stream");
            await bus.PublishAsync(new StreamTick(1));

            QueueListing listed = ListQueue(queue);
            Assert.Equal("stream", listed.Type);
            Assert.Equal("stream", listed.Arguments["x-queue-type"]);
            Assert.Equal("3600s", listed.Arguments["x-max-age"]);
            Assert.Equal("100000000", listed.Arguments["x-max-length-bytes"]);
            Assert.Equal("1000000", listed.Arguments["x-stream-max-segment-size-bytes"]);

            var ticks = new Inbox<StreamTick>();
            await using (await bus.SubscribeAsync<StreamTick>((m, c, _) => { ticks.Add(m, c); return default; }, new SubscribeOptions { StreamOffset = StreamOffset.First }))
            {
                await ticks.WaitForAsync(1);
            }

            Assert.Equal(1, ticks.Messages[0].Id);
            Assert.NotNull(ticks.Items[0].Context.StreamOffset);
        }
        finally
        {
            await raw.CleanAsync(queues: [queue]);
        }
    }

    [Fact]
    public async Task Subscribe_options_set_the_queue_arguments_and_a_disagreeing_declaration_names_the_argument()
    {
        const string queue = "warren.test.qargs.options";
        const string exchange = "warren.test.qargs.options.events";
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [queue, ErrorQueues.NameFor(queue)], exchanges: [exchange]);
        try
        {
            await using Bus bus = await Broker.ConnectAsync("qargs-options");
            var options = new SubscribeOptions
            {
                Queue = queue,
                MessageTtl = TimeSpan.FromMinutes(1),
                Expires = TimeSpan.FromHours(1),
                MaxLength = 100,
                Overflow = QueueOverflow.RejectPublishDlx,
                DeadLetterExchange = "",
                DeadLetterRoutingKey = queue + ".dead",
                MaxPriority = 4,
                SingleActiveConsumer = true,
            };
            await using (await bus.SubscribeAsync<OptionsEvent>((_, _, _) => default, options))
            {
                Dictionary<string, string> arguments = ListQueue(queue).Arguments;
                Assert.Equal("60000", arguments["x-message-ttl"]);
                Assert.Equal("3600000", arguments["x-expires"]);
                Assert.Equal("100", arguments["x-max-length"]);
                Assert.Equal("reject-publish-dlx", arguments["x-overflow"]);
                Assert.Equal(queue + ".dead", arguments["x-dead-letter-routing-key"]);
                Assert.Equal("4", arguments["x-max-priority"]);
                Assert.Equal("True", arguments["x-single-active-consumer"]);

                options.MessageTtl = TimeSpan.FromMinutes(2);
                TopologyException conflict = await Assert.ThrowsAsync<TopologyException>(
                    () => bus.SubscribeAsync<OptionsEvent>((_, _, _) => default, options));
                Assert.Contains(queue, conflict.Message, StringComparison.Ordinal);
                Assert.Contains("x-message-ttl", conflict.Message, StringComparison.Ordinal);
            }

            ArgumentException invalid = Assert.Throws<ArgumentException>(() => { _ = bus.SubscribeAsync<OptionsEvent>((_, _, _) => default, new SubscribeOptions { Queue = queue, QueueType = QueueType.Quorum, MaxPriority = 3 }); });
            Assert.Contains("quorum queue has no priorities", invalid.Message, StringComparison.Ordinal);
        }
        finally
        {
            await raw.CleanAsync(queues: [queue, ErrorQueues.NameFor(queue)], exchanges: [exchange]);
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private sealed record QueueListing(string Type, Dictionary<string, string> Arguments);

    private static QueueListing ListQueue(string queue)
    {
        string vhost = Broker.Uri.AbsolutePath.Trim('/') is { Length: > 0 } path ? Uri.UnescapeDataString(path) : "/";
        string json = Broker.Ctl("list_queues", "-q", "-p", vhost, "--formatter", "json", "name", "type", "arguments");
        using JsonDocument listing = JsonDocument.Parse(json);
        JsonElement entry = listing.RootElement.EnumerateArray().Single(e => e.GetProperty("name").GetString() == queue);
        Dictionary<string, string> arguments = entry.GetProperty("arguments").EnumerateArray()
            .ToDictionary(a => a[0].GetString()!, a => a[2].ToString());
        return new QueueListing(entry.GetProperty("type").GetString()!, arguments);
    }
}
