using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Warren.IntegrationTests.Infrastructure;
using Xunit;

namespace Warren.IntegrationTests.Telemetry;

[Queue(PropagationTests.PikaQueue)]
public sealed record OtelPikaNote(string Text);

[Queue(PropagationTests.PlainQueue)]
public sealed record OtelPlainNote(string Text);

/// <summary>Trace context across the wire: from pika, garbage from anyone, and with nothing listening at all.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class PropagationTests
{
    internal const string PikaQueue = "warren.test.otel.from_pika";
    internal const string PlainQueue = "warren.test.otel.plain";
    private const string Python = "/usr/bin/python3";

    [Fact]
    public async Task A_pika_message_with_a_traceparent_is_processed_under_that_context_and_linked_to_it()
    {
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [PikaQueue]);
        using var spans = new SpanCapture();
        await using Bus bus = await Broker.ConnectAsync("otel-from-pika");
        var inbox = new Inbox<OtelPikaNote>();
        await using Subscription subscription = await bus.SubscribeAsync<OtelPikaNote>((m, c, _) => { inbox.Add(m, c); return default; });

        var traceId = ActivityTraceId.CreateRandom();
        var parentId = ActivitySpanId.CreateRandom();
        RunPika(PikaQueue, """{"text": "from python"}""", $"00-{traceId}-{parentId}-01", "vendor=opaque,other=1");

        await inbox.WaitForAsync(1);
        Assert.Equal(new OtelPikaNote("from python"), inbox.Messages.Single());
        Activity process = await spans.WaitForProcessAsync(traceId, PikaQueue);
        TraceAssert.IsWarren(process, $"process {PikaQueue}", ActivityKind.Consumer);
        Assert.Equal(parentId, process.ParentSpanId);
        Assert.True(process.HasRemoteParent);
        Assert.Equal("vendor=opaque,other=1", process.TraceStateString);
        TraceAssert.LinkedTo(process, traceId, parentId);
        TraceAssert.Succeeded(process);
        TraceAssert.HasTags(
            process,
            ("messaging.destination.name", PikaQueue),
            ("messaging.destination.subscription.name", PikaQueue),
            ("warren.message.type", typeof(OtelPikaNote).FullName),
            ("warren.outcome", "acked"));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("00-00000000000000000000000000000000-0000000000000000-01")]   // all-zero ids are invalid
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b71692")]           // cut short
    public async Task A_garbage_traceparent_starts_a_new_trace_and_never_fails_the_message(string traceParent)
    {
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [PikaQueue]);
        using var spans = new SpanCapture();
        await using Bus bus = await Broker.ConnectAsync("otel-garbage-traceparent");
        var inbox = new Inbox<OtelPikaNote>();
        await using Subscription subscription = await bus.SubscribeAsync<OtelPikaNote>((m, c, _) => { inbox.Add(m, c); return default; });

        string text = "garbage " + Guid.NewGuid().ToString("N");
        RunPika(PikaQueue, $$"""{"text": "{{text}}"}""", traceParent);

        await inbox.WaitForAsync(1);
        Assert.Equal(text, inbox.Messages.Single().Text);
        // No trace id to follow: this test's provider saw only this delivery on this queue (pika sends no message id).
        Activity process = Assert.Single(await spans.WaitForAsync(s => s.DisplayName == $"process {PikaQueue}"));
        Assert.Null(process.GetTagItem("messaging.message.id"));
        Assert.Equal(default, process.ParentSpanId);   // a root: nothing to continue
        Assert.Empty(process.Links);
        TraceAssert.Succeeded(process);
        TraceAssert.HasTags(process, ("warren.outcome", "acked"));
        Assert.Equal(0u, await raw.MessageCountAsync(ErrorQueues.NameFor(PikaQueue)));
    }

    /// <summary>
    /// Runs only when nothing in the process listens to Warren's source: the telemetry tests run alone (see
    /// <see cref="TelemetryCollection"/>) and each disposes its provider, so here nothing should.
    /// </summary>
    [Fact]
    public async Task With_no_listener_Warren_adds_no_trace_headers_but_passes_on_the_apps_own_activity()
    {
        using (var probe = new ActivitySource(WarrenInstrumentation.ActivitySourceName))
        {
            Assert.False(probe.HasListeners(), "something in the process listens to Warren's spans; this test needs nothing to");
        }

        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [PlainQueue]);
        await using Bus bus = await Broker.ConnectAsync("otel-no-listener");
        var inbox = new Inbox<OtelPlainNote>();
        var handlerActivities = new List<Activity?>();
        await using Subscription subscription = await bus.SubscribeAsync<OtelPlainNote>((m, c, _) =>
        {
            lock (handlerActivities)
            {
                handlerActivities.Add(Activity.Current);
            }

            inbox.Add(m, c);
            return default;
        });

        // No activity at all: no trace headers.
        Assert.Null(Activity.Current);
        await bus.PublishAsync(new OtelPlainNote("untraced"));

        // An activity of the app's own, with no listener anywhere (as an app tracing by hand, or ASP.NET Core's
        // request activity without OpenTelemetry): its context still travels, so a traced consumer elsewhere joins it.
        var ambient = new Activity("app request");
        ambient.SetIdFormat(ActivityIdFormat.W3C);
        ambient.TraceStateString = "app=1";
        ambient.Start();
        try
        {
            await bus.PublishAsync(new OtelPlainNote("ambient"));
        }
        finally
        {
            ambient.Stop();
        }

        await inbox.WaitForAsync(2);
        MessageContext untraced = inbox.Items.Single(i => i.Message.Text == "untraced").Context;
        MessageContext passedOn = inbox.Items.Single(i => i.Message.Text == "ambient").Context;
        Assert.Empty(untraced.Headers);
        Assert.Equal(ambient.Id, passedOn.GetHeader(WarrenInstrumentation.TraceParentHeader));
        Assert.Equal("app=1", passedOn.GetHeader(WarrenInstrumentation.TraceStateHeader));

        // The handler runs under no activity: no span of Warren's, and no stale ambient one either.
        Assert.Equal([null, null], handlerActivities);
    }

    internal static void RunPika(string queue, string body, string traceParent, string? traceState = null)
    {
        string[] arguments = [Path.Combine(AppContext.BaseDirectory, "Interop", "pika_traceparent.py"), queue, typeof(OtelPikaNote).FullName!, body, traceParent];
        Infrastructure.Process.Run(
            Python,
            traceState is null ? arguments : [.. arguments, traceState],
            TimeSpan.FromSeconds(30),
            new Dictionary<string, string> { ["WARREN_AMQP_URI"] = Broker.Uri.ToString() });
    }
}
