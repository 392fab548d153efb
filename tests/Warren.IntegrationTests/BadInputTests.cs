using System;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using Warren.IntegrationTests.Infrastructure;
using Xunit;

namespace Warren.IntegrationTests;

[Queue("warren.test.bad_input")]
public sealed record Order(int Id, string Item);

[Queue("warren.test.failing_handler")]
public sealed record FragileOrder(int Id);

public sealed class BadInputTests
{
    [Fact]
    public async Task Unreadable_messages_are_rejected_without_requeue_and_logged_while_every_other_message_arrives()
    {
        const string queue = "warren.test.bad_input";
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [queue]);
        var logs = new CapturingLoggerFactory();
        await using Bus bus = await Broker.ConnectAsync("bad-input", o => o.LoggerFactory = logs);
        var inbox = new Inbox<Order>();
        await using Subscription subscription = await bus.SubscribeAsync<Order>((m, c, _) => { inbox.Add(m, c); return default; });

        await raw.PublishAsync("", queue, Encoding.UTF8.GetBytes("""{"id": 1, "item": "first"}"""), Json("good-1"));
        await raw.PublishAsync("", queue, Encoding.UTF8.GetBytes("this is not json"), Json("not-json"));
        await raw.PublishAsync("", queue, [], Json("empty-body"));
        await raw.PublishAsync("", queue, Encoding.UTF8.GetBytes("""{"id": 2, "item": "wrong type"}"""), new BasicProperties { ContentType = "text/plain", MessageId = "text-plain" });
        await raw.PublishAsync("", queue, Encoding.UTF8.GetBytes("""{"id": "not a number"}"""), Json("wrong-shape"));
        await raw.PublishAsync("", queue, Encoding.UTF8.GetBytes("""{"id": 3, "item": "foreign type"}"""), new BasicProperties { Type = "Evil.Type, Evil", MessageId = "foreign-type" });
        await raw.PublishAsync("", queue, Encoding.UTF8.GetBytes("""{"id": 4, "item": "last"}"""), Json("good-2"));

        await inbox.WaitForAsync(2);
        await inbox.AssertQuietAsync(2);
        Assert.Equal([new Order(1, "first"), new Order(4, "last")], inbox.Messages);

        // Rejected without requeue: nothing is left ready or unacknowledged, so there is no redelivery loop.
        await WorkQueueTests.WaitUntilAsync(async () => await raw.MessageCountAsync(queue) == 0);
        Assert.True(subscription.Queue == queue);
        string[] rejected = logs.At(LogLevel.Error).Select(e => e.Message).ToArray();
        Assert.Equal(5, rejected.Length);
        foreach (string id in new[] { "not-json", "empty-body", "text-plain", "wrong-shape", "foreign-type" })
        {
            string line = Assert.Single(rejected, m => m.Contains(id, StringComparison.Ordinal));
            Assert.Contains(queue, line);
        }

        Assert.Contains(rejected, m => m.Contains("content type 'text/plain'", StringComparison.Ordinal));
        Assert.Contains(rejected, m => m.Contains("the body is empty", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failing_handler_rejects_that_message_and_the_consumer_keeps_running()
    {
        const string queue = "warren.test.failing_handler";
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [queue]);
        var logs = new CapturingLoggerFactory();
        await using Bus bus = await Broker.ConnectAsync("failing-handler", o => o.LoggerFactory = logs);
        var inbox = new Inbox<FragileOrder>();
        int calls = 0;
        await using Subscription subscription = await bus.SubscribeAsync<FragileOrder>((m, c, _) =>
        {
            System.Threading.Interlocked.Increment(ref calls);
            if (m.Id == 2)
            {
                throw new InvalidOperationException("order 2 is cursed");
            }

            inbox.Add(m, c);
            return default;
        });

        for (int i = 1; i <= 3; i++)
        {
            await bus.PublishAsync(new FragileOrder(i));
        }

        await inbox.WaitForAsync(2);
        await inbox.AssertQuietAsync(2);
        Assert.Equal([1, 3], inbox.Messages.Select(m => m.Id));
        Assert.Equal(3, calls);   // the failed message was not redelivered
        await WorkQueueTests.WaitUntilAsync(async () => await raw.MessageCountAsync(queue) == 0);
        CapturingLoggerFactory.LogEntry failure = Assert.Single(logs.At(LogLevel.Error));
        Assert.IsType<InvalidOperationException>(failure.Exception);
        Assert.Contains(queue, failure.Message);
    }

    private static BasicProperties Json(string messageId) => new() { ContentType = "application/json", MessageId = messageId };
}
