using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using Warren.IntegrationTests.Infrastructure;
using Xunit;

namespace Warren.IntegrationTests;

[Direct("warren.test.retry")]
public sealed record RetryJob(int Id);

public sealed class RetryTests
{
    private const string Exchange = "warren.test.retry";

    /// <summary>Short delays, so that the retries of a test take milliseconds.</summary>
    private static readonly RetryPolicy Quick = new() { MaxRetries = 3, InitialDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(100) };

    [Fact]
    public async Task An_always_failing_handler_is_called_retries_plus_one_times_then_the_message_is_in_the_error_queue_as_sent()
    {
        const string queue = "warren.test.retry.always";
        string errorQueue = ErrorQueues.NameFor(queue);
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(exchanges: [Exchange], queues: [queue, errorQueue]);
        var logs = new CapturingLoggerFactory();
        await using Bus bus = await Broker.ConnectAsync("retry-always", o => o.LoggerFactory = logs);
        var attempts = new ConcurrentQueue<int>();
        Subscription subscription = await bus.SubscribeAsync<RetryJob>(
            (job, context, _) =>
            {
                attempts.Enqueue(context.Attempt);
                throw new InvalidOperationException($"job {job.Id} is cursed");
            },
            new SubscribeOptions { Queue = queue, Bindings = ["cursed"], Durable = true, Retry = Quick });

        // Odd spacing and a foreign header: the error queue must hold the very bytes and properties that were sent.
        byte[] body = Encoding.UTF8.GetBytes("""{ "id" : 7,  "note": "kept as is" }""");
        var sent = new BasicProperties
        {
            ContentType = "application/json",
            Type = typeof(RetryJob).FullName,
            MessageId = "job-7",
            CorrelationId = "order-7",
            Timestamp = new AmqpTimestamp(1_700_000_000),
            Persistent = true,
            Headers = new Dictionary<string, object?> { ["tenant"] = "acme" },
        };
        await raw.PublishAsync(Exchange, "cursed", body, sent);

        await WorkQueueTests.WaitUntilAsync(async () => await raw.MessageCountAsync(errorQueue) == 1);
        await subscription.DisposeAsync();
        Assert.Equal([1, 2, 3, 4], attempts);
        Assert.Equal(0u, await raw.MessageCountAsync(queue));

        BasicGetResult copy = Assert.IsType<BasicGetResult>(await raw.GetAsync(errorQueue));
        Assert.Equal(body, copy.Body.ToArray());
        IReadOnlyBasicProperties moved = copy.BasicProperties;
        Assert.Equal("application/json", moved.ContentType);
        Assert.Equal(typeof(RetryJob).FullName, moved.Type);
        Assert.Equal("job-7", moved.MessageId);
        Assert.Equal("order-7", moved.CorrelationId);
        Assert.Equal(1_700_000_000, moved.Timestamp.UnixTime);
        Assert.True(moved.Persistent);
        Assert.Equal("acme", ErrorQueueTests.Header(copy, "tenant"));
        Assert.Equal(typeof(InvalidOperationException).FullName, ErrorQueueTests.Header(copy, ErrorQueues.ExceptionTypeHeader));
        Assert.Equal("job 7 is cursed", ErrorQueueTests.Header(copy, ErrorQueues.ExceptionMessageHeader));
        Assert.Equal(Exchange, ErrorQueueTests.Header(copy, ErrorQueues.OriginalExchangeHeader));
        Assert.Equal("cursed", ErrorQueueTests.Header(copy, ErrorQueues.OriginalRoutingKeyHeader));
        Assert.Equal(queue, ErrorQueueTests.Header(copy, ErrorQueues.OriginalQueueHeader));
        Assert.Equal("4", ErrorQueueTests.Header(copy, ErrorQueues.AttemptsHeader));
        Assert.Null(await raw.GetAsync(errorQueue));

        // Three warnings for the retries, then one error saying where the message went.
        Assert.Equal(3, logs.At(LogLevel.Warning).Count(e => e.Message.Contains("job-7", StringComparison.Ordinal) && e.Exception is InvalidOperationException));
        await WorkQueueTests.WaitUntilAsync(() => logs.At(LogLevel.Error).Any());
        CapturingLoggerFactory.LogEntry failure = Assert.Single(logs.At(LogLevel.Error));
        Assert.IsType<InvalidOperationException>(failure.Exception);
        Assert.Contains($"error queue '{errorQueue}'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_handler_that_fails_twice_then_succeeds_has_its_message_acked_on_attempt_three()
    {
        const string queue = "warren.test.retry.flaky";
        string errorQueue = ErrorQueues.NameFor(queue);
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(exchanges: [Exchange], queues: [queue, errorQueue]);
        var logs = new CapturingLoggerFactory();
        await using Bus bus = await Broker.ConnectAsync("retry-flaky", o => o.LoggerFactory = logs);
        var inbox = new Inbox<RetryJob>();
        int calls = 0;
        Subscription subscription = await bus.SubscribeAsync<RetryJob>(
            (job, context, _) =>
            {
                if (Interlocked.Increment(ref calls) <= 2)
                {
                    throw new TimeoutException("the database is slow");
                }

                inbox.Add(job, context);
                return default;
            },
            new SubscribeOptions { Queue = queue, Bindings = ["flaky"], Retry = Quick });

        await bus.PublishAsync(new RetryJob(3), routingKey: "flaky");

        await inbox.WaitForAsync(1);
        await subscription.DisposeAsync();
        (RetryJob job, MessageContext context) = Assert.Single(inbox.Items);
        Assert.Equal(new RetryJob(3), job);
        Assert.Equal(3, context.Attempt);
        Assert.False(context.Redelivered);   // retried in-process, not redelivered by the broker
        Assert.Equal(3, calls);
        Assert.Equal(0u, await raw.MessageCountAsync(queue));
        Assert.Equal(0u, await raw.MessageCountAsync(errorQueue));
        Assert.Empty(logs.At(LogLevel.Error));
        Assert.Equal(2, logs.At(LogLevel.Warning).Count(e => e.Exception is TimeoutException));
    }

    [Fact]
    public async Task The_bus_retry_policy_applies_unless_the_subscription_sets_its_own()
    {
        const string busPolicyQueue = "warren.test.retry.bus_policy";
        const string ownPolicyQueue = "warren.test.retry.own_policy";
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(exchanges: [Exchange], queues: [busPolicyQueue, ErrorQueues.NameFor(busPolicyQueue), ownPolicyQueue, ErrorQueues.NameFor(ownPolicyQueue)]);
        await using Bus bus = await Broker.ConnectAsync("retry-policies", o => o.Retry = RetryPolicy.None);
        int busPolicyCalls = 0;
        int ownPolicyCalls = 0;
        await using Subscription withBusPolicy = await bus.SubscribeAsync<RetryJob>(
            (_, _, _) => { Interlocked.Increment(ref busPolicyCalls); throw new InvalidOperationException("no"); },
            new SubscribeOptions { Queue = busPolicyQueue, Bindings = ["policy"] });
        await using Subscription withOwnPolicy = await bus.SubscribeAsync<RetryJob>(
            (_, _, _) => { Interlocked.Increment(ref ownPolicyCalls); throw new InvalidOperationException("no"); },
            new SubscribeOptions { Queue = ownPolicyQueue, Bindings = ["policy"], Retry = new RetryPolicy { MaxRetries = 1, InitialDelay = TimeSpan.FromMilliseconds(20) } });

        await bus.PublishAsync(new RetryJob(1), routingKey: "policy");

        await WorkQueueTests.WaitUntilAsync(async () =>
            await raw.MessageCountAsync(ErrorQueues.NameFor(busPolicyQueue)) == 1 && await raw.MessageCountAsync(ErrorQueues.NameFor(ownPolicyQueue)) == 1);
        Assert.Equal(1, busPolicyCalls);
        Assert.Equal(2, ownPolicyCalls);
    }

    [Fact]
    public async Task Disposing_the_subscription_during_a_back_off_returns_the_message_to_its_queue_at_once()
    {
        const string queue = "warren.test.retry.dispose";
        string errorQueue = ErrorQueues.NameFor(queue);
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(exchanges: [Exchange], queues: [queue, errorQueue]);
        await using Bus bus = await Broker.ConnectAsync("retry-dispose");
        var failed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new SubscribeOptions
        {
            Queue = queue,
            Durable = true,
            Bindings = ["slow"],
            Retry = new RetryPolicy { MaxRetries = 3, InitialDelay = TimeSpan.FromSeconds(30), MaxDelay = TimeSpan.FromSeconds(30) },
        };
        Subscription subscription = await bus.SubscribeAsync<RetryJob>(
            (_, _, _) =>
            {
                failed.TrySetResult();
                throw new InvalidOperationException("try again later");
            },
            options);
        await bus.PublishAsync(new RetryJob(9), routingKey: "slow");
        await failed.Task.WaitAsync(TimeSpan.FromSeconds(15));

        var stopwatch = Stopwatch.StartNew();
        await subscription.DisposeAsync();
        stopwatch.Stop();

        // Far shorter than the back-off and than the 5 s shutdown timeout: the wait ends as soon as disposing starts.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"Disposing took {stopwatch.Elapsed}.");
        Assert.Equal(1u, await raw.MessageCountAsync(queue));
        Assert.Equal(0u, await raw.MessageCountAsync(errorQueue));

        // The next consumer gets it, marked redelivered, and starts counting attempts afresh.
        var inbox = new Inbox<RetryJob>();
        await using Subscription next = await bus.SubscribeAsync<RetryJob>((job, context, _) => { inbox.Add(job, context); return default; }, options);
        await inbox.WaitForAsync(1);
        (RetryJob job, MessageContext context) = Assert.Single(inbox.Items);
        Assert.Equal(new RetryJob(9), job);
        Assert.True(context.Redelivered);
        Assert.Equal(1, context.Attempt);
    }

    [Fact]
    public async Task Disposing_the_bus_during_a_back_off_returns_the_message_to_its_queue()
    {
        const string queue = "warren.test.retry.dispose_bus";
        string errorQueue = ErrorQueues.NameFor(queue);
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(exchanges: [Exchange], queues: [queue, errorQueue]);
        Bus bus = await Broker.ConnectAsync("retry-dispose-bus");
        var failed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await bus.SubscribeAsync<RetryJob>(
            (_, _, _) =>
            {
                failed.TrySetResult();
                throw new InvalidOperationException("try again later");
            },
            new SubscribeOptions { Queue = queue, Durable = true, Bindings = ["slow-bus"], Retry = new RetryPolicy { InitialDelay = TimeSpan.FromSeconds(30) } });
        await bus.PublishAsync(new RetryJob(10), routingKey: "slow-bus");
        await failed.Task.WaitAsync(TimeSpan.FromSeconds(15));

        var stopwatch = Stopwatch.StartNew();
        await bus.DisposeAsync();

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"Disposing took {stopwatch.Elapsed}.");
        Assert.Equal(1u, await raw.MessageCountAsync(queue));
        Assert.Equal(0u, await raw.MessageCountAsync(errorQueue));
    }

    [Fact]
    public void Back_off_doubles_from_the_initial_delay_with_a_little_jitter_up_to_the_maximum()
    {
        var policy = new RetryPolicy { InitialDelay = TimeSpan.FromMilliseconds(200), MaxDelay = TimeSpan.FromSeconds(1) };

        for (int sample = 0; sample < 50; sample++)
        {
            Assert.InRange(policy.DelayBefore(1).TotalMilliseconds, 180, 220);
            Assert.InRange(policy.DelayBefore(2).TotalMilliseconds, 360, 440);
            Assert.InRange(policy.DelayBefore(3).TotalMilliseconds, 720, 880);
            Assert.InRange(policy.DelayBefore(4).TotalMilliseconds, 900, 1000);
            Assert.InRange(policy.DelayBefore(100).TotalMilliseconds, 900, 1000);
        }

        Assert.Equal(3, new RetryPolicy().MaxRetries);
        Assert.Equal(0, RetryPolicy.None.MaxRetries);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryPolicy { MaxRetries = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryPolicy { InitialDelay = TimeSpan.FromSeconds(-1) });
    }
}
