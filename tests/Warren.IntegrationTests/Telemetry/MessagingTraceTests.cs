using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using RabbitMQ.Client;
using Warren.IntegrationTests.Infrastructure;
using Xunit;

namespace Warren.IntegrationTests.Telemetry;

[Direct(MessagingTraceTests.OrdersExchange)]
public sealed record OtelOrder(int Id);

[Queue(MessagingTraceTests.ShipmentsQueue)]
public sealed record OtelShipment(int OrderId);

[Direct(MessagingTraceTests.CursedExchange)]
public sealed record OtelCursedJob(int Id);

/// <summary>Publish and process spans against the real broker: the trace tree across a hop and two, retries and error-queue moves.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class MessagingTraceTests
{
    internal const string OrdersExchange = "warren.test.otel.orders";
    internal const string ShipmentsQueue = "warren.test.otel.shipments";
    internal const string CursedExchange = "warren.test.otel.cursed";
    private const string OrdersQueue = "warren.test.otel.orders.billing";
    private const string CursedQueue = "warren.test.otel.cursed.worker";

    [Fact]
    public async Task Publish_then_consume_then_publish_again_is_one_trace_each_span_under_the_one_before()
    {
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [OrdersQueue, ShipmentsQueue], exchanges: [OrdersExchange]);
        using var spans = new SpanCapture();
        await using Bus bus = await Broker.ConnectAsync("otel-publish-consume");
        var orders = new Inbox<OtelOrder>();
        var shipments = new Inbox<OtelShipment>();
        var handlerActivities = new List<(ActivityTraceId, ActivitySpanId)>();
        await using Subscription billing = await bus.SubscribeAsync<OtelOrder>(
            async (order, context, cancellationToken) =>
            {
                lock (handlerActivities)
                {
                    handlerActivities.Add((Activity.Current!.TraceId, Activity.Current.SpanId));
                }

                await bus.PublishAsync(new OtelShipment(order.Id), cancellationToken: cancellationToken);
                orders.Add(order, context);
            },
            new SubscribeOptions { Queue = OrdersQueue, Bindings = ["new"] });
        await using Subscription shipping = await bus.SubscribeAsync<OtelShipment>((m, c, _) => { shipments.Add(m, c); return default; });

        ActivityTraceId traceId;
        ActivitySpanId rootId;
        using (Activity root = SpanCapture.StartRoot("checkout"))
        {
            (traceId, rootId) = (root.TraceId, root.SpanId);
            await bus.PublishAsync(new OtelOrder(7), new PublishOptions { RoutingKey = "new", MessageId = "order-7", CorrelationId = "checkout-7" });
        }

        // Both: the handler records the order only once its own publish is confirmed, and the broker may deliver the
        // shipment before it sends that confirm.
        await shipments.WaitForAsync(1);
        await orders.WaitForAsync(1);
        MessageContext orderContext = orders.Items.Single().Context;
        MessageContext shipmentContext = shipments.Items.Single().Context;

        // root → publish orders → process billing queue → publish shipments → process shipments queue, one trace.
        Activity publish = await spans.WaitForPublishAsync(traceId, OrdersExchange);
        Activity process = await spans.WaitForProcessAsync(traceId, OrdersQueue);
        Activity publishAgain = await spans.WaitForPublishAsync(traceId, ShipmentsQueue);
        Activity processAgain = await spans.WaitForProcessAsync(traceId, ShipmentsQueue);
        Activity root2 = Assert.Single(spans.InTrace(traceId), s => s.Source == SpanCapture.Tests);
        Assert.Equal(rootId, root2.SpanId);
        Assert.Equal(5, spans.InTrace(traceId).Count);

        TraceAssert.IsWarren(publish, $"publish {OrdersExchange}", ActivityKind.Producer);
        TraceAssert.ChildOf(root2, publish);
        TraceAssert.Succeeded(publish);
        int bodySize = Encoding.UTF8.GetByteCount("""{"id":7}""");
        TraceAssert.HasTags(
            publish,
            ("messaging.system", "rabbitmq"),
            ("messaging.operation.type", "send"),
            ("messaging.operation.name", "publish"),
            ("messaging.destination.name", OrdersExchange),
            ("messaging.rabbitmq.destination.routing_key", "new"),
            ("messaging.message.id", "order-7"),
            ("messaging.message.conversation_id", "checkout-7"),
            ("messaging.message.body.size", bodySize),
            ("warren.message.type", typeof(OtelOrder).FullName));

        TraceAssert.IsWarren(process, $"process {OrdersQueue}", ActivityKind.Consumer);
        TraceAssert.ChildOf(publish, process);
        TraceAssert.LinkedTo(process, publish.TraceId, publish.SpanId);
        TraceAssert.Succeeded(process);
        TraceAssert.HasTags(
            process,
            ("messaging.system", "rabbitmq"),
            ("messaging.operation.type", "process"),
            ("messaging.operation.name", "process"),
            ("messaging.destination.name", OrdersExchange),
            ("messaging.destination.subscription.name", OrdersQueue),
            ("messaging.rabbitmq.destination.routing_key", "new"),
            ("messaging.message.id", "order-7"),
            ("messaging.message.conversation_id", "checkout-7"),
            ("messaging.message.body.size", bodySize),
            ("warren.message.type", typeof(OtelOrder).FullName),
            ("warren.outcome", "acked"));
        Assert.IsType<long>(process.GetTagItem("messaging.rabbitmq.message.delivery_tag"));
        Assert.Empty(process.Events);

        // The handler ran with the process span current, so its publish is a child of it...
        Assert.Equal([(traceId, process.SpanId)], handlerActivities);
        TraceAssert.IsWarren(publishAgain, $"publish {ShipmentsQueue}", ActivityKind.Producer);
        TraceAssert.ChildOf(process, publishAgain);
        TraceAssert.HasTags(
            publishAgain,
            ("messaging.destination.name", ShipmentsQueue),   // the default exchange: the queue names the destination
            ("messaging.rabbitmq.destination.routing_key", ShipmentsQueue),
            ("messaging.message.id", shipmentContext.MessageId),
            ("messaging.message.conversation_id", "checkout-7"));   // the handler's publish keeps the conversation

        // ...and the second consumer continues the same trace under it.
        TraceAssert.IsWarren(processAgain, $"process {ShipmentsQueue}", ActivityKind.Consumer);
        TraceAssert.ChildOf(publishAgain, processAgain);
        TraceAssert.LinkedTo(processAgain, traceId, publishAgain.SpanId);
        TraceAssert.HasTags(processAgain, ("messaging.destination.subscription.name", ShipmentsQueue), ("warren.outcome", "acked"));

        // The header each message carried names the publish span that sent it.
        Assert.Equal(publish.Id, orderContext.GetHeader(WarrenInstrumentation.TraceParentHeader));
        Assert.StartsWith($"00-{traceId}-{publish.SpanId}-", publish.Id, StringComparison.Ordinal);
        Assert.Equal(publishAgain.Id, shipmentContext.GetHeader(WarrenInstrumentation.TraceParentHeader));
        Assert.Null(orderContext.GetHeader(WarrenInstrumentation.TraceStateHeader));
    }

    [Fact]
    public async Task Retries_are_events_on_one_process_span_and_the_error_queue_move_fails_it()
    {
        string errorQueue = ErrorQueues.NameFor(CursedQueue);
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [CursedQueue, errorQueue], exchanges: [CursedExchange]);
        using var spans = new SpanCapture();
        await using Bus bus = await Broker.ConnectAsync("otel-retry");
        var retry = new RetryPolicy { MaxRetries = 2, InitialDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(20) };
        await using Subscription worker = await bus.SubscribeAsync<OtelCursedJob>(
            (job, _, _) => throw new InvalidOperationException($"job {job.Id} is cursed"),
            new SubscribeOptions { Queue = CursedQueue, Bindings = ["job"], Retry = retry });

        ActivityTraceId traceId;
        using (Activity root = SpanCapture.StartRoot("enqueue cursed job"))
        {
            traceId = root.TraceId;
            await bus.PublishAsync(new OtelCursedJob(13), routingKey: "job");
        }

        Activity publish = await spans.WaitForPublishAsync(traceId, CursedExchange);
        Activity process = await spans.WaitForProcessAsync(traceId, CursedQueue);
        TraceAssert.ChildOf(publish, process);
        TraceAssert.Succeeded(publish);

        // One span for the delivery, however many attempts: each retry is an event on it, in order.
        List<ActivityEvent> retries = process.Events.Where(e => e.Name == "warren.retry").ToList();
        Assert.Equal(2, retries.Count);
        for (int i = 0; i < retries.Count; i++)
        {
            Dictionary<string, object?> tags = TraceAssert.TagsOf(retries[i]);
            Assert.Equal(i + 1, tags["warren.retry.attempt"]);
            Assert.IsType<long>(tags["warren.retry.delay_ms"]);
            Assert.InRange((long)tags["warren.retry.delay_ms"]!, 0, 20);
            Assert.Equal(typeof(InvalidOperationException).FullName, tags["exception.type"]);
            Assert.Equal("job 13 is cursed", tags["exception.message"]);
        }

        TraceAssert.Failed(process, typeof(InvalidOperationException).FullName!, withException: true);
        TraceAssert.HasTags(process, ("warren.error_queue", errorQueue), ("warren.outcome", "error_queue"));
        Assert.Contains(errorQueue, process.StatusDescription, StringComparison.Ordinal);
        Assert.Equal(["warren.retry", "warren.retry", "exception"], process.Events.Select(e => e.Name));
        Assert.Equal(1u, await raw.MessageCountAsync(errorQueue));

        // The copy to the error queue is part of the process span, not a publish span of its own.
        Assert.Equal(3, spans.InTrace(traceId).Count);
    }

    [Fact]
    public async Task An_unreadable_message_fails_its_process_span_as_Warren_UnreadableMessage_without_retries()
    {
        string errorQueue = ErrorQueues.NameFor(CursedQueue);
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [CursedQueue, errorQueue], exchanges: [CursedExchange]);
        using var spans = new SpanCapture();
        await using Bus bus = await Broker.ConnectAsync("otel-unreadable");
        int calls = 0;
        await using Subscription worker = await bus.SubscribeAsync<OtelCursedJob>(
            (_, _, _) => { calls++; return default; },
            new SubscribeOptions { Queue = CursedQueue, Bindings = ["job"], Retry = new RetryPolicy { MaxRetries = 2, InitialDelay = TimeSpan.FromMilliseconds(10) } });

        // Raw bytes that are not JSON, with a trace context of the test's own so the span is easy to find.
        var traceId = ActivityTraceId.CreateRandom();
        var parentId = ActivitySpanId.CreateRandom();
        await raw.PublishAsync(CursedExchange, "job", Encoding.UTF8.GetBytes("{ this is not json"), new BasicProperties
        {
            ContentType = "application/json",
            Type = typeof(OtelCursedJob).FullName,
            MessageId = "unreadable-1",
            Headers = new Dictionary<string, object?> { [WarrenInstrumentation.TraceParentHeader] = $"00-{traceId}-{parentId}-01" },
        });

        Activity process = await spans.WaitForProcessAsync(traceId, CursedQueue);
        Assert.Equal(parentId, process.ParentSpanId);
        TraceAssert.HasTags(process, ("messaging.message.id", "unreadable-1"), ("warren.error_queue", errorQueue), ("warren.outcome", "error_queue"));
        // error.type names the reason, not the parser's exception, which is still recorded as the event.
        Assert.Equal(ActivityStatusCode.Error, process.Status);
        TraceAssert.HasTags(process, ("error.type", ErrorQueues.UnreadableMessage));
        ActivityEvent exception = Assert.Single(process.Events, e => e.Name == "exception");
        Assert.Equal(typeof(System.Text.Json.JsonException).FullName, TraceAssert.TagsOf(exception)["exception.type"]);
        Assert.DoesNotContain(process.Events, e => e.Name == "warren.retry");
        Assert.Equal(0, calls);
        await WorkQueueTests.WaitUntilAsync(async () => await raw.MessageCountAsync(errorQueue) == 1);
    }
}
