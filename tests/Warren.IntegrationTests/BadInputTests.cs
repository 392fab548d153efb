using System;
using System.Collections.Generic;
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

public sealed class BadInputTests
{
    private const string Queue = "warren.test.bad_input";

    /// <summary>Each kind of unreadable delivery, and a fragment of the reason its error-queue copy must give.</summary>
    private static (string Id, byte[] Body, BasicProperties Properties, string Reason)[] UnreadableMessages() =>
    [
        ("not-json", Utf8("this is not json"), Json(), "not a Warren.IntegrationTests.Order in JSON"),
        ("no-content-type-not-json", Utf8("Hello World!"), new BasicProperties(), "not a Warren.IntegrationTests.Order in JSON"),
        ("empty-body", [], Json(), "the body is empty"),
        ("json-null", Utf8("null"), Json(), "the body is JSON null"),
        ("wrong-shape", Utf8("""{"id": "not a number"}"""), Json(), "$.id"),
        ("array", Utf8("""[1, 2, 3]"""), Json(), "not a Warren.IntegrationTests.Order in JSON"),
        ("text-plain", Utf8("""{"id": 2, "item": "wrong content type"}"""), new BasicProperties { ContentType = "text/plain" }, "content type 'text/plain' is not JSON"),
        ("unknown-type", Utf8("""{"id": 3, "item": "unknown type"}"""), new BasicProperties { Type = "Evil.Type, Evil" }, "type header is 'Evil.Type, Evil'"),
        ("hostile-type", Utf8("""{"id": 3, "item": "hostile type"}"""),
            new BasicProperties { Type = "System.Diagnostics.Process, System.Diagnostics.Process" }, "type header is 'System.Diagnostics.Process, System.Diagnostics.Process'"),
        ("oversize", Utf8($$"""{"id": 5, "item": "{{new string('x', 5000)}}"}"""), Json(), "BusOptions.MaxMessageSize"),
    ];

    [Fact]
    public async Task Each_kind_of_unreadable_message_goes_to_the_error_queue_at_once_with_the_reason_and_the_good_ones_arrive()
    {
        string errorQueue = ErrorQueues.NameFor(Queue);
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [Queue, errorQueue]);
        var logs = new CapturingLoggerFactory();
        await using Bus bus = await Broker.ConnectAsync("bad-input", o =>
        {
            o.LoggerFactory = logs;
            o.MaxMessageSize = 4096;
        });
        var unreadable = UnreadableMessages();
        var inbox = new Inbox<Order>();
        Subscription subscription = await bus.SubscribeAsync<Order>((m, c, _) => { inbox.Add(m, c); return default; });

        await raw.PublishAsync("", Queue, Utf8("""{"id": 1, "item": "first"}"""), Json("good-1"));
        foreach ((string id, byte[] body, BasicProperties properties, _) in unreadable)
        {
            properties.MessageId = id;
            await raw.PublishAsync("", Queue, body, properties);
        }

        // The pika tutorials send no content type: JSON without one is accepted, as is the message's own type header.
        await raw.PublishAsync("", Queue, Utf8("""{"id": 2, "item": "no content type"}"""), new BasicProperties { MessageId = "good-2" });
        await raw.PublishAsync("", Queue, Utf8("""{"id": 3, "item": "own type"}"""), new BasicProperties { MessageId = "good-3", Type = typeof(Order).FullName });

        await inbox.WaitForAsync(3);
        await WorkQueueTests.WaitUntilAsync(async () => await raw.MessageCountAsync(errorQueue) == (uint)unreadable.Length);
        await subscription.DisposeAsync();
        Assert.Equal([new Order(1, "first"), new Order(2, "no content type"), new Order(3, "own type")], inbox.Messages);

        // Acked once moved, not requeued: with the consumer gone nothing is back in the queue, and nothing was copied twice.
        Assert.Equal(0u, await raw.MessageCountAsync(Queue));
        Dictionary<string, BasicGetResult> moved = await ErrorQueueTests.DrainAsync(raw, errorQueue);
        Assert.Equal(unreadable.Select(u => u.Id).Order(), moved.Keys.Order());
        foreach ((string id, byte[] body, _, string reason) in unreadable)
        {
            BasicGetResult copy = moved[id];
            Assert.Equal(body, copy.Body.ToArray());
            Assert.Equal(ErrorQueues.UnreadableMessage, ErrorQueueTests.Header(copy, ErrorQueues.ExceptionTypeHeader));
            Assert.Contains(reason, ErrorQueueTests.Header(copy, ErrorQueues.ExceptionMessageHeader), StringComparison.Ordinal);
            Assert.Equal("0", ErrorQueueTests.Header(copy, ErrorQueues.AttemptsHeader));
            Assert.Equal("", ErrorQueueTests.Header(copy, ErrorQueues.OriginalExchangeHeader));
            Assert.Equal(Queue, ErrorQueueTests.Header(copy, ErrorQueues.OriginalRoutingKeyHeader));
            Assert.Equal(Queue, ErrorQueueTests.Header(copy, ErrorQueues.OriginalQueueHeader));
        }

        Assert.Equal("text/plain", moved["text-plain"].BasicProperties.ContentType);
        Assert.Equal("Evil.Type, Evil", moved["unknown-type"].BasicProperties.Type);

        // One error line per message, naming it, its queue and where it went.
        await WorkQueueTests.WaitUntilAsync(() => logs.At(LogLevel.Error).Count() >= unreadable.Length);
        string[] lines = logs.At(LogLevel.Error).Select(e => e.Message).ToArray();
        Assert.Equal(unreadable.Length, lines.Length);
        foreach ((string id, _, _, _) in unreadable)
        {
            string line = Assert.Single(lines, m => m.Contains($"Message {id} ", StringComparison.Ordinal));
            Assert.Contains($"queue '{Queue}'", line, StringComparison.Ordinal);
            Assert.Contains($"error queue '{errorQueue}'", line, StringComparison.Ordinal);
        }
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static BasicProperties Json(string? messageId = null) => new() { ContentType = "application/json", MessageId = messageId };
}
