using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace Warren.Testing.Tests;

/// <summary>A message System.Text.Json cannot write when its value is NaN: that fails on the bus, so it must fail in the harness.</summary>
[Queue("harness.measured")]
public sealed record Measured(string Id, double Value) : IIdentified;

/// <summary>App code as a user writes it: it takes <see cref="IPublisher"/> and knows nothing of the harness.</summary>
public sealed class Checkout(IPublisher publisher)
{
    public async Task PlaceAsync(params string[] orders)
    {
        foreach (string order in orders)
        {
            await publisher.PublishAsync(new Work(order));
        }
    }
}

/// <summary>The harness's API as a user's tests use it: publish, consume, drain, assert.</summary>
public sealed class HarnessTests
{
    [Fact]
    public async Task Published_messages_carry_the_generated_routing_key_and_headers()
    {
        await using var harness = new WarrenTestHarness();
        await harness.PublishAsync(new Alert("error", "a1"));
        await harness.PublishAsync(new Shape("red", null, "s1"));

        PublishedMessage<Alert> alert = Assert.Single(harness.Published<Alert>());
        Assert.Equal("error", alert.RoutingKey);
        Assert.Equal("diff.direct", alert.Envelope.Exchange);
        Assert.Equal(new Alert("error", "a1"), alert.Message);
        Assert.False(alert.Routed);
        PublishedMessage<Shape> shape = Assert.Single(harness.Published<Shape>(s => s.Color == "red"));
        Assert.Equal("red", shape.Envelope.Properties.Headers!["color"]);
        Assert.False(shape.Envelope.Properties.Headers.ContainsKey("size"));
        Assert.Equal(2, harness.Unrouted().Count);
    }

    [Fact]
    public async Task App_code_taking_IPublisher_is_consumed_after_DrainAsync()
    {
        await using var harness = new WarrenTestHarness();
        var handled = new List<string>();
        await harness.SubscribeAsync<Work>((work, _, _) =>
        {
            lock (handled)
            {
                handled.Add(work.Id);
            }

            return ValueTask.CompletedTask;
        });

        await new Checkout(harness).PlaceAsync("o1", "o2", "o3");
        await harness.DrainAsync();

        Assert.Equal(["o1", "o2", "o3"], harness.Consumed<Work>().Select(c => c.Message.Id).Order());
        Assert.Equal(["o1", "o2", "o3"], handled.Order());
        Assert.All(harness.Consumed<Work>(), c => Assert.Equal("diff.work", c.Queue));
        Assert.Empty(harness.ErrorQueued<Work>());
    }

    [Fact]
    public async Task A_handler_that_keeps_throwing_is_retried_then_error_queued_with_the_reason()
    {
        await using var harness = new WarrenTestHarness(new HarnessOptions { Bus = new BusOptions { Retry = new RetryPolicy { MaxRetries = 2 } } });
        int calls = 0;
        await harness.SubscribeAsync<Work>((_, _, _) =>
        {
            Interlocked.Increment(ref calls);
            throw new InvalidOperationException("the warehouse is closed");
        });

        await harness.PublishAsync(new Work("w1"));
        ErrorQueuedMessage<Work> failed = Assert.Single(await harness.WaitForErrorQueuedAsync<Work>());

        Assert.Equal(3, calls);
        Assert.Equal(new Work("w1"), failed.Message);
        Assert.Equal("diff.work.error", failed.ErrorQueue);
        Assert.Equal(typeof(InvalidOperationException).FullName, failed.ExceptionType);
        Assert.Equal("the warehouse is closed", failed.Reason);
        Assert.Equal(3, failed.Attempts);
        Envelope copy = Assert.Single(harness.QueueContents("diff.work.error"));
        Assert.Equal(3, copy.Properties.Headers![ErrorQueues.AttemptsHeader]);
        Assert.Empty(harness.Consumed<Work>());
    }

    [Fact]
    public async Task An_unreadable_body_goes_to_the_error_queue_without_a_call()
    {
        await using var harness = new WarrenTestHarness();
        await harness.SubscribeAsync<Work>((_, _, _) => throw new InvalidOperationException("never called"));
        harness.PublishRaw(string.Empty, "diff.work", "not json"u8.ToArray());
        await harness.DrainAsync();

        ErrorQueuedMessage failed = Assert.Single(harness.ErrorQueued());
        Assert.Equal(ErrorQueues.UnreadableMessage, failed.ExceptionType);
        Assert.Equal(0, failed.Attempts);
        Assert.StartsWith("the body is not a Warren.Testing.Tests.Work in JSON", failed.Reason);
    }

    [Fact]
    public async Task A_mandatory_message_no_queue_takes_throws_as_the_bus_does()
    {
        await using var harness = new WarrenTestHarness();
        PublishReturnedException returned = await Assert.ThrowsAsync<PublishReturnedException>(() => harness.PublishAsync(new Urgent("u.1", "x")).AsTask());
        Assert.Equal(312, returned.ReplyCode);
        Assert.Single(harness.Unrouted());
    }

    [Fact]
    public async Task A_message_that_cannot_be_serialized_fails_as_on_the_wire()
    {
        await using var harness = new WarrenTestHarness();
        await harness.PublishAsync(new Measured("m1", 1.5));
        await Assert.ThrowsAsync<ArgumentException>(() => harness.PublishAsync(new Measured("m2", double.NaN)).AsTask());
        Assert.Equal(["m1"], harness.Published<Measured>().Select(p => p.Message.Id));
    }

    [Fact]
    public async Task What_a_handler_publishes_keeps_the_correlation_id_and_names_its_cause()
    {
        await using var harness = new WarrenTestHarness();
        await harness.SubscribeAsync<Work>((work, _, ct) => harness.PublishAsync(new Alert("info", "from-" + work.Id), cancellationToken: ct));
        await harness.SubscribeAsync<Alert>((_, _, _) => ValueTask.CompletedTask, new SubscribeOptions { Bindings = ["info"] });

        await harness.PublishAsync(new Work("w1"), new PublishOptions { MessageId = "m-1", CorrelationId = "c-1" });
        await harness.DrainAsync();

        ConsumedMessage<Alert> alert = Assert.Single(harness.Consumed<Alert>());
        Assert.Equal("from-w1", alert.Message.Id);
        Assert.Equal("c-1", alert.Context.CorrelationId);
        Assert.Equal("m-1", alert.Context.CausationId);
    }

    [Fact]
    public async Task A_generated_consumer_class_gets_what_its_bindings_select()
    {
        await using var harness = new WarrenTestHarness();
        var seen = new List<string>();
        await harness.SubscribeAsync(new AlertSink((alert, _) =>
        {
            lock (seen)
            {
                seen.Add(alert.Severity);
            }

            return ValueTask.CompletedTask;
        }));

        foreach (string severity in new[] { "info", "error", "critical", "warning" })
        {
            await harness.PublishAsync(new Alert(severity, severity));
        }

        await harness.DrainAsync();
        Assert.Equal(["critical", "error"], seen.Order());
        Assert.All(harness.Consumed<Alert>(), c => Assert.Equal("diff.class.alerts", c.Queue));
    }

    [Fact]
    public async Task A_stopped_subscription_leaves_new_messages_in_its_queue()
    {
        await using var harness = new WarrenTestHarness();
        Subscription subscription = await harness.SubscribeAsync<Work>((_, _, _) => ValueTask.CompletedTask);
        await subscription.DisposeAsync();

        await harness.PublishAsync(new Work("w1"));
        await harness.DrainAsync();

        Assert.Empty(harness.Consumed<Work>());
        Assert.Single(harness.QueueContents("diff.work"));
    }

    [Fact]
    public async Task Competing_consumers_share_a_queue()
    {
        await using var harness = new WarrenTestHarness();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int first = 0, second = 0;
        await harness.SubscribeAsync<Work>(async (_, _, _) => { Interlocked.Increment(ref first); await gate.Task; });
        await harness.SubscribeAsync<Work>(async (_, _, _) => { Interlocked.Increment(ref second); await gate.Task; });

        for (int i = 0; i < 4; i++)
        {
            await harness.PublishAsync(new Work($"w{i}"));
        }

        gate.SetResult();
        await harness.DrainAsync();
        Assert.Equal(4, first + second);
        Assert.True(first > 0 && second > 0, $"One consumer took everything ({first}, {second}).");
    }

    [Fact]
    public async Task WaitForConsumedAsync_times_out_with_what_it_saw()
    {
        await using var harness = new WarrenTestHarness();
        await harness.SubscribeAsync<Work>((_, _, _) => ValueTask.CompletedTask);
        await harness.PublishAsync(new Work("w1"));

        Assert.Single(await harness.WaitForConsumedAsync<Work>(1));
        TimeoutException timeout = await Assert.ThrowsAsync<TimeoutException>(() => harness.WaitForConsumedAsync<Work>(2, TimeSpan.FromMilliseconds(100)));
        Assert.Contains("1 of 2 Work", timeout.Message);
    }

    [Fact]
    public async Task Rpc_results_server_exceptions_and_timeouts_are_those_of_a_real_client()
    {
        await using var harness = new WarrenTestHarness();
        IDiffCalc client = harness.CreateClient<IDiffCalc>(new RpcClientOptions { Timeout = TimeSpan.FromMilliseconds(200) });
        await Assert.ThrowsAsync<TimeoutException>(() => client.AddAsync(1, 2));

        await harness.ServeAsync<IDiffCalc>(new DiffCalc());
        Assert.Equal(3, await client.AddAsync(1, 2));
        RpcException failed = await Assert.ThrowsAsync<RpcException>(() => client.FailAsync("argument", "bad amount"));
        Assert.Equal(typeof(ArgumentException).FullName, failed.RemoteType);
        Assert.Equal("bad amount", failed.RemoteMessage);
        await Assert.ThrowsAsync<TimeoutException>(() => client.SlowAsync(2000));
    }
}
