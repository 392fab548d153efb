using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Warren.IntegrationTests.Infrastructure;
using Xunit;

namespace Warren.IntegrationTests.Telemetry;

[Queue(CoexistenceTests.Queue)]
public sealed record OtelCoexistNote(string Text);

/// <summary>Warren's spans beside RabbitMQ.Client 7's own instrumentation, when an app listens to both.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class CoexistenceTests
{
    internal const string Queue = "warren.test.otel.coexist";
    private const string ClientPublisher = "RabbitMQ.Client.Publisher";
    private const string ClientSubscriber = "RabbitMQ.Client.Subscriber";

    /// <summary>
    /// What RabbitMQ.Client 7.2.2 does, observed here:
    /// <list type="bullet">
    /// <item>Its <c>publish</c> span (source RabbitMQ.Client.Publisher) starts under the current activity, which is
    /// Warren's publish span, and it overwrites the <c>traceparent</c> header Warren wrote with its own span's context.
    /// So the message carries one traceparent, naming the client's span, and Warren's process span is a child of the
    /// client's publish span: root → Warren publish → client publish → Warren process, still one trace.</item>
    /// <item>Its <c>deliver</c> span (source RabbitMQ.Client.Subscriber) continues the trace the message carried: a
    /// child of, and linked to, the client's publish span (7.1.2 started a new trace instead). Warren's process span is
    /// its sibling, not its child (Warren takes the header's context as parent), and the handler runs under Warren's span.</item>
    /// <item>It also tags the current activity (Warren's spans) with network and envelope-size tags; Warren's own tags
    /// keep their values.</item>
    /// </list>
    /// </summary>
    [Fact]
    public async Task With_RabbitMQ_Client_sources_also_listened_to_Warren_spans_still_form_one_trace_and_the_message_carries_one_traceparent()
    {
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [Queue]);
        using var spans = new SpanCapture(ClientPublisher, ClientSubscriber);
        await using Bus bus = await Broker.ConnectAsync("otel-coexist");
        var inbox = new Inbox<OtelCoexistNote>();
        var handlerActivities = new List<Activity?>();
        await using Subscription subscription = await bus.SubscribeAsync<OtelCoexistNote>((m, c, _) =>
        {
            lock (handlerActivities)
            {
                handlerActivities.Add(Activity.Current);
            }

            inbox.Add(m, c);
            return default;
        });

        ActivityTraceId traceId;
        ActivitySpanId rootId;
        using (Activity root = SpanCapture.StartRoot("coexist"))
        {
            (traceId, rootId) = (root.TraceId, root.SpanId);
            await bus.PublishAsync(new OtelCoexistNote("both"));
        }

        await inbox.WaitForAsync(1);
        MessageContext context = inbox.Items.Single().Context;
        Activity warrenPublish = await spans.WaitForPublishAsync(traceId, Queue);
        Activity warrenProcess = await spans.WaitForProcessAsync(traceId, Queue);
        Activity clientPublish = Assert.Single(await spans.WaitForAsync(s => s.TraceId == traceId && s.Source.Name == ClientPublisher));
        Activity clientDeliver = Assert.Single(await spans.WaitForAsync(s =>
            s.Source.Name == ClientSubscriber && Equals(s.GetTagItem("messaging.message.id"), context.MessageId)));

        // Warren's spans: one trace, from the root through the publish to the process span.
        TraceAssert.IsWarren(warrenPublish, $"publish {Queue}", ActivityKind.Producer);
        TraceAssert.IsWarren(warrenProcess, $"process {Queue}", ActivityKind.Consumer);
        Assert.Equal(rootId, warrenPublish.ParentSpanId);
        Assert.Equal(warrenPublish.TraceId, warrenProcess.TraceId);

        // The client's publish span nests under Warren's, and its context is the one the message carried.
        TraceAssert.ChildOf(warrenPublish, clientPublish);
        Assert.Equal(ActivityKind.Producer, clientPublish.Kind);
        TraceAssert.ChildOf(clientPublish, warrenProcess);
        TraceAssert.LinkedTo(warrenProcess, traceId, clientPublish.SpanId);

        // Exactly one traceparent (no second key, not two values in one), the client's.
        Assert.Single(context.Headers.Keys, k => string.Equals(k, WarrenInstrumentation.TraceParentHeader, StringComparison.OrdinalIgnoreCase));
        string traceParent = context.GetHeader(WarrenInstrumentation.TraceParentHeader)!;
        Assert.True(ActivityContext.TryParse(traceParent, null, out ActivityContext carried), traceParent);
        Assert.Equal((traceId, clientPublish.SpanId), (carried.TraceId, carried.SpanId));

        // The client's deliver span continues the trace the message carried (the client's publish span, its parent and
        // link); Warren's process span is its sibling, not its child.
        Assert.Equal(ActivityKind.Consumer, clientDeliver.Kind);
        TraceAssert.ChildOf(clientPublish, clientDeliver);
        TraceAssert.LinkedTo(clientDeliver, traceId, clientPublish.SpanId);
        Assert.NotEqual(clientDeliver.SpanId, warrenProcess.ParentSpanId);

        // The handler runs under Warren's process span.
        Assert.Equal([warrenProcess.SpanId], handlerActivities.Select(a => a!.SpanId));

        // The client adds its network tags to Warren's spans, but Warren's own tags keep their values
        // (the client's spans say amq.default; Warren names the queue).
        Assert.Equal("amq.default", clientPublish.GetTagItem("messaging.destination.name"));
        TraceAssert.HasTags(warrenPublish, ("messaging.destination.name", Queue), ("messaging.operation.name", "publish"));
        TraceAssert.HasTags(
            warrenProcess,
            ("messaging.destination.name", Queue),
            ("messaging.operation.name", "process"),
            ("messaging.destination.subscription.name", Queue),
            ("warren.outcome", "acked"));
        TraceAssert.Succeeded(warrenPublish);
        TraceAssert.Succeeded(warrenProcess);
    }
}
