using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using Warren.IntegrationTests.Infrastructure;
using Xunit;

namespace Warren.IntegrationTests;

[Fanout("warren.test.errorq.fanout")]
public sealed record Broadcast(int Id);

[Direct(ErrorQueueTests.ShipmentExchange)]
public sealed record Shipment(int Id);

public sealed class ErrorQueueTests
{
    internal const string ShipmentExchange = "warren.test.errorq";

    [Fact]
    public async Task A_named_queue_gets_a_durable_classic_error_queue_when_the_subscription_starts()
    {
        const string queue = "warren.test.errorq.declared";
        string errorQueue = ErrorQueues.NameFor(queue);
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(exchanges: [ShipmentExchange], queues: [queue, errorQueue]);
        await using Bus bus = await Broker.ConnectAsync("error-queue-declared");

        await using Subscription subscription = await bus.SubscribeAsync<Shipment>((_, _, _) => default, new SubscribeOptions { Queue = queue, Bindings = ["declared"] });

        Assert.Equal("warren.test.errorq.declared.error", errorQueue);
        string line = Assert.Single(Broker.Ctl("list_queues", "--quiet", "--no-table-headers", "name", "durable", "auto_delete", "exclusive", "arguments")
            .Split('\n'), l => l.StartsWith(errorQueue + "\t", StringComparison.Ordinal));
        Assert.Equal([errorQueue, "true", "false", "false", "[]"], line.Trim().Split('\t'));
    }

    [Fact]
    public async Task Failures_of_a_server_named_subscription_go_to_the_error_queue_of_its_exchange()
    {
        const string exchange = "warren.test.errorq.fanout";
        string errorQueue = ErrorQueues.NameFor(exchange);
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [errorQueue], exchanges: [exchange]);
        await using Bus bus = await Broker.ConnectAsync("error-queue-server-named");
        Subscription subscription = await bus.SubscribeAsync<Broadcast>(
            (_, _, _) => throw new ArgumentException("cannot broadcast that"), new SubscribeOptions { Retry = RetryPolicy.None });
        Assert.StartsWith("amq.gen-", subscription.Queue, StringComparison.Ordinal);
        // A temporary subscription leaves no durable queue behind until something fails.
        Assert.False(await raw.QueueExistsAsync(errorQueue));

        await bus.PublishAsync(new Broadcast(1));

        await WorkQueueTests.WaitUntilAsync(async () => await raw.QueueExistsAsync(errorQueue) && await raw.MessageCountAsync(errorQueue) == 1);
        string serverNamedQueue = subscription.Queue;
        await subscription.DisposeAsync();
        BasicGetResult copy = Assert.IsType<BasicGetResult>(await raw.GetAsync(errorQueue));
        Assert.Equal(typeof(ArgumentException).FullName, Header(copy, ErrorQueues.ExceptionTypeHeader));
        Assert.Equal(exchange, Header(copy, ErrorQueues.OriginalExchangeHeader));
        Assert.Equal(serverNamedQueue, Header(copy, ErrorQueues.OriginalQueueHeader));
        Assert.Equal("1", Header(copy, ErrorQueues.AttemptsHeader));
        Assert.False(await raw.QueueExistsAsync(ErrorQueues.NameFor(serverNamedQueue)));
    }

    [Fact]
    public async Task SubscribeOptions_ErrorQueue_names_another_error_queue()
    {
        const string queue = "warren.test.errorq.custom";
        const string customErrorQueue = "warren.test.errorq.custom_failures";
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(exchanges: [ShipmentExchange], queues: [queue, customErrorQueue, ErrorQueues.NameFor(queue)]);
        await using Bus bus = await Broker.ConnectAsync("error-queue-custom");
        await using Subscription subscription = await bus.SubscribeAsync<Shipment>(
            (_, _, _) => throw new InvalidOperationException("lost in transit"),
            new SubscribeOptions { Queue = queue, Bindings = ["custom"], Retry = RetryPolicy.None, ErrorQueue = customErrorQueue });

        await bus.PublishAsync(new Shipment(4), routingKey: "custom");

        await WorkQueueTests.WaitUntilAsync(async () => await raw.MessageCountAsync(customErrorQueue) == 1);
        BasicGetResult copy = Assert.IsType<BasicGetResult>(await raw.GetAsync(customErrorQueue));
        Assert.Equal("lost in transit", Header(copy, ErrorQueues.ExceptionMessageHeader));
        Assert.False(await raw.QueueExistsAsync(ErrorQueues.NameFor(queue)));
    }

    [Fact]
    public async Task An_error_queue_that_would_feed_the_queue_itself_or_that_the_broker_reserves_is_refused()
    {
        const string queue = "warren.test.errorq.loop";
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(exchanges: [ShipmentExchange], queues: [queue]);
        await using Bus bus = await Broker.ConnectAsync("error-queue-loop");

        ArgumentException loop = await Assert.ThrowsAsync<ArgumentException>(() =>
            bus.SubscribeAsync<Shipment>((_, _, _) => default, new SubscribeOptions { Queue = queue, Bindings = ["loop"], ErrorQueue = queue }));
        Assert.Contains("cannot be the queue itself", loop.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() =>
            bus.SubscribeAsync<Shipment>((_, _, _) => default, new SubscribeOptions { Queue = queue, Bindings = ["loop"], ErrorQueue = "amq.errors" }));
    }

    [Fact]
    public async Task An_error_queue_deleted_while_the_subscription_runs_is_declared_again_and_the_message_still_lands_there()
    {
        const string queue = "warren.test.errorq.deleted";
        string errorQueue = ErrorQueues.NameFor(queue);
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(exchanges: [ShipmentExchange], queues: [queue, errorQueue]);
        await using Bus bus = await Broker.ConnectAsync("error-queue-deleted");
        await using Subscription subscription = await bus.SubscribeAsync<Shipment>(
            (_, _, _) => throw new InvalidOperationException("no such address"),
            new SubscribeOptions { Queue = queue, Bindings = ["deleted"], Retry = RetryPolicy.None });
        await using (IChannel channel = await raw.Connection.CreateChannelAsync())
        {
            await channel.QueueDeleteAsync(errorQueue, ifUnused: false, ifEmpty: false);
        }

        await bus.PublishAsync(new Shipment(5), routingKey: "deleted");

        await WorkQueueTests.WaitUntilAsync(async () => await raw.QueueExistsAsync(errorQueue) && await raw.MessageCountAsync(errorQueue) == 1);
        BasicGetResult copy = Assert.IsType<BasicGetResult>(await raw.GetAsync(errorQueue));
        Assert.Equal("no such address", Header(copy, ErrorQueues.ExceptionMessageHeader));
    }

    [Fact]
    public async Task A_message_the_error_queue_refuses_goes_back_to_its_queue_after_a_pause_and_moves_once_the_error_queue_takes_it()
    {
        const string queue = "warren.test.errorq.refused";
        const string policy = "warren-test-errorq-refused";
        string errorQueue = ErrorQueues.NameFor(queue);
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(exchanges: [ShipmentExchange], queues: [queue, errorQueue]);
        var logs = new CapturingLoggerFactory();
        await using Bus bus = await Broker.ConnectAsync("error-queue-refused", o => o.LoggerFactory = logs);
        var deliveries = new ConcurrentQueue<(DateTime At, bool Redelivered)>();
        Subscription subscription = await bus.SubscribeAsync<Shipment>(
            (_, context, _) =>
            {
                deliveries.Enqueue((DateTime.UtcNow, context.Redelivered));
                throw new InvalidOperationException("undeliverable");
            },
            new SubscribeOptions { Queue = queue, Bindings = ["refused"], Retry = RetryPolicy.None });
        try
        {
            // A full error queue that rejects what is published to it: the broker nacks the copy.
            Broker.Ctl("set_policy", "--apply-to", "queues", policy, $"^{errorQueue.Replace(".", "\\.", StringComparison.Ordinal)}$", """{"max-length": 0, "overflow": "reject-publish"}""");
            await WorkQueueTests.WaitUntilAsync(() => Broker.Ctl("list_queues", "--quiet", "--no-table-headers", "name", "policy")
                .Split('\n').Any(l => l.Trim() == $"{errorQueue}\t{policy}"));

            await bus.PublishAsync(new Shipment(6), routingKey: "refused");

            await WorkQueueTests.WaitUntilAsync(() => deliveries.Count >= 2);
            (DateTime At, bool Redelivered)[] seen = [.. deliveries];
            Assert.False(seen[0].Redelivered);
            Assert.True(seen[1].Redelivered);
            Assert.True(seen[1].At - seen[0].At >= TimeSpan.FromSeconds(1.5), $"Redelivered after {seen[1].At - seen[0].At}: no pause.");
            Assert.Equal(0u, await raw.MessageCountAsync(errorQueue));
            CapturingLoggerFactory.LogEntry refused = logs.At(LogLevel.Error).First(e => e.EventId.Id == 15);
            Assert.Contains($"error queue '{errorQueue}'", refused.Message, StringComparison.Ordinal);
            Assert.IsType<PublishNackedException>(refused.Exception);
        }
        finally
        {
            Broker.Ctl("clear_policy", policy);
        }

        await WorkQueueTests.WaitUntilAsync(async () => await raw.MessageCountAsync(errorQueue) == 1);
        await subscription.DisposeAsync();
        Assert.Equal(0u, await raw.MessageCountAsync(queue));
    }

    /// <summary>A header of a message read back with basic.get, as text (AMQP strings arrive as UTF-8 bytes).</summary>
    internal static string? Header(BasicGetResult message, string name) =>
        new MessageContext(message.Exchange, message.RoutingKey, message.Redelivered, string.Empty, message.BasicProperties).GetHeader(name);

    /// <summary>Takes every message from <paramref name="queue"/>, by message id.</summary>
    internal static async Task<Dictionary<string, BasicGetResult>> DrainAsync(RawBroker raw, string queue)
    {
        var messages = new Dictionary<string, BasicGetResult>(StringComparer.Ordinal);
        while (await raw.GetAsync(queue) is { } message)
        {
            messages.Add(message.BasicProperties.MessageId ?? $"no-id-{messages.Count}", message);
        }

        return messages;
    }
}
