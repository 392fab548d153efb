using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Warren.IntegrationTests.Infrastructure;
using Xunit;

namespace Warren.IntegrationTests.Telemetry;

[RpcService(RpcTraceTests.Queue)]
public interface IOtelInventory
{
    [RpcMethod] Task<int> CountAsync(string sku, CancellationToken cancellationToken = default);

    [RpcMethod] Task<int> BreakAsync(string message);

    [RpcMethod] Task<int> StallAsync(int milliseconds, CancellationToken cancellationToken = default);
}

public sealed class OtelInventory : IOtelInventory
{
    public Task<int> CountAsync(string sku, CancellationToken cancellationToken = default) => Task.FromResult(sku.Length);

    public Task<int> BreakAsync(string message) => throw new InvalidOperationException(message);

    public async Task<int> StallAsync(int milliseconds, CancellationToken cancellationToken = default)
    {
        // Not the call's token: the reply must come late, after the client gave up.
        await Task.Delay(milliseconds, CancellationToken.None);
        return milliseconds;
    }
}

/// <summary>RPC client and server spans against the real broker: the server span under the client span, across the queue.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class RpcTraceTests
{
    internal const string Queue = "warren.test.otel.inventory";
    private static readonly string Service = typeof(IOtelInventory).FullName!;

    [Fact]
    public async Task A_call_is_a_client_span_under_the_caller_and_a_server_span_under_the_client_span()
    {
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [Queue]);
        using var spans = new SpanCapture();
        await using Bus bus = await Broker.ConnectAsync("otel-rpc");
        await using Subscription server = await bus.ServeAsync<IOtelInventory>(new OtelInventory());
        IOtelInventory client = bus.CreateClient<IOtelInventory>();

        Activity root;
        using (root = SpanCapture.StartRoot("stock check"))
        {
            Assert.Equal(5, await client.CountAsync("bolts"));
            Assert.Same(root, Activity.Current);   // the client span was current only inside the call
        }

        Activity call = await spans.WaitForAsync(root.TraceId, $"{Service}/Count", ActivityKind.Client);
        Activity serve = await spans.WaitForAsync(root.TraceId, $"{Service}/Count", ActivityKind.Server);
        TraceAssert.IsWarren(call, $"{Service}/Count", ActivityKind.Client);
        TraceAssert.IsWarren(serve, $"{Service}/Count", ActivityKind.Server);
        TraceAssert.ChildOf(root, call);
        TraceAssert.ChildOf(call, serve);
        Assert.Equal(3, spans.InTrace(root.TraceId).Count);   // the reply is part of the call: no spans of its own
        foreach (Activity span in new[] { call, serve })
        {
            TraceAssert.Succeeded(span);
            TraceAssert.HasTags(
                span,
                ("rpc.system", "rabbitmq"),
                ("rpc.service", Service),
                ("rpc.method", "Count"),
                ("messaging.system", "rabbitmq"),
                ("messaging.destination.name", Queue));
        }

        // Both sides name the same correlation id: the one the request carried.
        Assert.IsType<string>(call.GetTagItem("messaging.message.conversation_id"));
        Assert.Equal(call.GetTagItem("messaging.message.conversation_id"), serve.GetTagItem("messaging.message.conversation_id"));
    }

    [Fact]
    public async Task A_method_that_throws_fails_both_spans_with_the_exception_type()
    {
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [Queue]);
        using var spans = new SpanCapture();
        await using Bus bus = await Broker.ConnectAsync("otel-rpc-error");
        await using Subscription server = await bus.ServeAsync<IOtelInventory>(new OtelInventory());
        IOtelInventory client = bus.CreateClient<IOtelInventory>();

        ActivityTraceId traceId;
        using (Activity root = SpanCapture.StartRoot("break things"))
        {
            traceId = root.TraceId;
            RpcException error = await Assert.ThrowsAsync<RpcException>(() => client.BreakAsync("the shelf collapsed"));
            Assert.Equal(typeof(InvalidOperationException).FullName, error.RemoteType);
        }

        Activity call = Assert.Single(await spans.WaitForAsync(s => s.TraceId == traceId && s.Kind == ActivityKind.Client));
        Activity serve = Assert.Single(await spans.WaitForAsync(s => s.TraceId == traceId && s.Kind == ActivityKind.Server));
        TraceAssert.ChildOf(call, serve);
        Assert.Equal($"{Service}/Break", serve.DisplayName);

        // The server span has the handler's own exception; the client span the RpcException that carried it back,
        // typed by the remote exception (the conventions' error.type), not as RpcException.
        TraceAssert.Failed(serve, typeof(InvalidOperationException).FullName!, withException: true);
        Assert.Equal("the shelf collapsed", TraceAssert.TagsOf(serve.Events.Single(e => e.Name == "exception"))["exception.message"]);
        Assert.Equal(ActivityStatusCode.Error, call.Status);
        TraceAssert.HasTags(call, ("error.type", typeof(InvalidOperationException).FullName), ("rpc.method", "Break"));
        ActivityEvent clientException = Assert.Single(call.Events, e => e.Name == "exception");
        Assert.Equal(typeof(RpcException).FullName, TraceAssert.TagsOf(clientException)["exception.type"]);
    }

    [Fact]
    public async Task A_call_that_times_out_fails_the_client_span_with_TimeoutException_while_the_late_server_span_succeeds()
    {
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [Queue]);
        using var spans = new SpanCapture();
        await using Bus bus = await Broker.ConnectAsync("otel-rpc-timeout");
        await using Subscription server = await bus.ServeAsync<IOtelInventory>(new OtelInventory());
        IOtelInventory client = bus.CreateClient<IOtelInventory>(new RpcClientOptions { Timeout = TimeSpan.FromMilliseconds(300) });
        long droppedBefore = bus.DroppedRpcReplies;

        ActivityTraceId traceId;
        using (Activity root = SpanCapture.StartRoot("impatient"))
        {
            traceId = root.TraceId;
            await Assert.ThrowsAsync<TimeoutException>(() => client.StallAsync(800));
        }

        Activity call = Assert.Single(await spans.WaitForAsync(s => s.TraceId == traceId && s.Kind == ActivityKind.Client));
        TraceAssert.Failed(call, typeof(TimeoutException).FullName!, withException: true);
        TraceAssert.HasTags(call, ("rpc.method", "Stall"));

        // The server finishes later, still under the abandoned call's span; its reply is dropped.
        Activity serve = Assert.Single(await spans.WaitForAsync(s => s.TraceId == traceId && s.Kind == ActivityKind.Server));
        TraceAssert.ChildOf(call, serve);
        TraceAssert.Succeeded(serve);
        Assert.True(serve.Duration >= TimeSpan.FromMilliseconds(700), $"served in {serve.Duration}");
        await WorkQueueTests.WaitUntilAsync(() => bus.DroppedRpcReplies == droppedBefore + 1);
    }
}
