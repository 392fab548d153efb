using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Warren.IntegrationTests.Infrastructure;
using Xunit;

namespace Warren.IntegrationTests.Telemetry;

[Direct(MetricsTests.Exchange)]
public sealed record OtelMeteredEvent(int Id);

/// <summary>Warren's meter read through the OpenTelemetry SDK, against the real broker, by this test's own destinations.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class MetricsTests
{
    internal const string Exchange = "warren.test.otel.metrics";
    private const string GoodQueue = "warren.test.otel.metrics.good";
    private const string BadQueue = "warren.test.otel.metrics.bad";
    private static readonly string Service = typeof(IOtelInventory).FullName!;

    [Fact]
    public async Task Publishes_deliveries_retries_and_error_queue_moves_are_counted_and_timed_by_destination_and_queue()
    {
        string badErrorQueue = ErrorQueues.NameFor(BadQueue);
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [GoodQueue, BadQueue, badErrorQueue], exchanges: [Exchange]);
        using var metrics = new MetricCapture();
        await using Bus bus = await Broker.ConnectAsync("otel-metrics");
        var good = new Inbox<OtelMeteredEvent>();
        await using Subscription goodSubscription = await bus.SubscribeAsync<OtelMeteredEvent>(
            (m, c, _) => { good.Add(m, c); return default; }, new SubscribeOptions { Queue = GoodQueue, Bindings = ["good"] });
        await using Subscription badSubscription = await bus.SubscribeAsync<OtelMeteredEvent>(
            (_, _, _) => throw new InvalidOperationException("always"),
            new SubscribeOptions { Queue = BadQueue, Bindings = ["bad"], Retry = new RetryPolicy { MaxRetries = 2, InitialDelay = TimeSpan.FromMilliseconds(10) } });

        for (int i = 0; i < 3; i++)
        {
            await bus.PublishAsync(new OtelMeteredEvent(i), routingKey: "good");
        }

        await bus.PublishAsync(new OtelMeteredEvent(99), routingKey: "bad");
        await good.WaitForAsync(3);

        (string, object?)[] goodQueue = [("messaging.destination.subscription.name", GoodQueue)];
        (string, object?)[] badQueue = [("messaging.destination.subscription.name", BadQueue)];
        await metrics.WaitUntilAsync(
            m => m.Sum("messaging.client.consumed.messages", goodQueue) == 3 && m.Sum("messaging.client.consumed.messages", badQueue) == 1,
            "every delivery counted");

        // Sent: four publishes to the exchange, all confirmed; each timed.
        Assert.Equal(4, metrics.Sum("messaging.client.sent.messages", ("messaging.destination.name", Exchange), ("warren.outcome", "confirmed")));
        Assert.Equal(0, metrics.Sum("messaging.client.sent.messages", ("messaging.destination.name", Exchange), ("warren.outcome", "failed")));
        Dictionary<string, object?> sentTags = Assert.Single(metrics.TagSets("messaging.client.sent.messages", ("messaging.destination.name", Exchange)));
        Assert.Equal(
            new Dictionary<string, object?>
            {
                ["messaging.system"] = "rabbitmq",
                ["messaging.operation.name"] = "publish",
                ["messaging.destination.name"] = Exchange,
                ["warren.outcome"] = "confirmed",
            },
            sentTags);
        Assert.Equal(4, metrics.HistogramCount("messaging.client.operation.duration", ("messaging.destination.name", Exchange), ("warren.outcome", "confirmed")));

        // Consumed: three acked from the good queue, one moved to the error queue from the bad one, each timed.
        Assert.Equal(3, metrics.Sum("messaging.client.consumed.messages", [.. goodQueue, ("warren.outcome", "acked"), ("messaging.destination.name", Exchange)]));
        Assert.Equal(
            1,
            metrics.Sum("messaging.client.consumed.messages", [.. badQueue, ("warren.outcome", "error_queue"), ("error.type", typeof(InvalidOperationException).FullName)]));
        Assert.Equal(3, metrics.HistogramCount("messaging.process.duration", [.. goodQueue, ("warren.outcome", "acked")]));
        Assert.Equal(1, metrics.HistogramCount("messaging.process.duration", [.. badQueue, ("warren.outcome", "error_queue")]));

        // Two retries then the move, on the bad queue only.
        Assert.Equal(2, metrics.Sum("warren.consumer.retries", badQueue));
        Assert.Equal(0, metrics.Sum("warren.consumer.retries", goodQueue));
        Assert.Equal(1, metrics.Sum("warren.consumer.error_queue.moves", [.. badQueue, ("error.type", typeof(InvalidOperationException).FullName)]));
        Assert.Equal(0, metrics.Sum("warren.consumer.error_queue.moves", goodQueue));
        Assert.Equal(1u, await raw.MessageCountAsync(badErrorQueue));
    }

    [Fact]
    public async Task RPC_calls_are_timed_on_both_sides_by_service_and_method_and_a_late_reply_is_counted_as_dropped()
    {
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [RpcTraceTests.Queue]);
        using var metrics = new MetricCapture();
        long droppedBefore = metrics.Sum("warren.rpc.client.dropped_replies", ("rpc.system", "rabbitmq"));
        await using Bus bus = await Broker.ConnectAsync("otel-rpc-metrics");
        await using Subscription server = await bus.ServeAsync<IOtelInventory>(new OtelInventory());
        IOtelInventory client = bus.CreateClient<IOtelInventory>(new RpcClientOptions { Timeout = TimeSpan.FromMilliseconds(300) });

        Assert.Equal(4, await client.CountAsync("nuts"));
        Assert.Equal(4, await client.CountAsync("bolt"));
        await Assert.ThrowsAsync<RpcException>(() => client.BreakAsync("no"));
        await Assert.ThrowsAsync<TimeoutException>(() => client.StallAsync(600));

        (string, object?)[] service = [("rpc.system", "rabbitmq"), ("rpc.service", Service)];
        await WorkQueueTests.WaitUntilAsync(() => bus.DroppedRpcReplies >= 1);
        await metrics.WaitUntilAsync(m => m.HistogramCount("rpc.server.call.duration", [.. service, ("rpc.method", "Stall")]) == 1, "the late call served");
        await metrics.WaitUntilAsync(m => m.Sum("warren.rpc.client.dropped_replies", ("rpc.system", "rabbitmq")) >= droppedBefore + 1, "the dropped reply");

        // Client side: two good calls (no error.type), one error reply typed by the remote exception, one timeout.
        Assert.Equal(2, metrics.HistogramCount("rpc.client.call.duration", [.. service, ("rpc.method", "Count")]));
        Dictionary<string, object?> countTags = Assert.Single(metrics.TagSets("rpc.client.call.duration", [.. service, ("rpc.method", "Count")]));
        Assert.False(countTags.ContainsKey("error.type"));
        Assert.Equal(1, metrics.HistogramCount("rpc.client.call.duration", [.. service, ("rpc.method", "Break"), ("error.type", typeof(InvalidOperationException).FullName)]));
        Assert.Equal(1, metrics.HistogramCount("rpc.client.call.duration", [.. service, ("rpc.method", "Stall"), ("error.type", typeof(TimeoutException).FullName)]));

        // Server side: the same calls, the failed one typed by its exception, the stalled one a success served late.
        Assert.Equal(2, metrics.HistogramCount("rpc.server.call.duration", [.. service, ("rpc.method", "Count")]));
        Assert.Equal(1, metrics.HistogramCount("rpc.server.call.duration", [.. service, ("rpc.method", "Break"), ("error.type", typeof(InvalidOperationException).FullName)]));
        Dictionary<string, object?> stallTags = Assert.Single(metrics.TagSets("rpc.server.call.duration", [.. service, ("rpc.method", "Stall")]));
        Assert.False(stallTags.ContainsKey("error.type"));

        // The dropped-replies counter has only rpc.system; other buses in the process could add to it, so: at least one more.
        Assert.True(metrics.Sum("warren.rpc.client.dropped_replies", ("rpc.system", "rabbitmq")) >= droppedBefore + 1);
    }
}
