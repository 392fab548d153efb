using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;
using Warren.IntegrationTests.Infrastructure;

namespace Warren.Reliability;

/// <summary>
/// Bad input against a running consumer of the order queue: foreign messages it cannot read (each must go to the
/// error queue at once, untouched, with no handler call and no redelivery loop), a message whose handler always throws
/// (exactly retries + 1 calls, then the error queue), and messages the publisher must refuse before sending. A good
/// order follows every bad one, so the consumer must keep going.
/// </summary>
internal static class BadInput
{
    private const int MaxRetries = 2;
    private const int MaxMessageSize = 64 * 1024;
    private const int PoisonId = 301;
    private const string OrderType = "Warren.Reliability.Order";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly ForeignInput[] Foreign =
    [
        new("malformed JSON", 101, "{\"id\": 101, \"sku\": \"truncated"u8.ToArray(), "application/json", OrderType),
        new("valid JSON of the wrong shape", 102, "[\"id\", 102, \"sku\"]"u8.ToArray(), "application/json", OrderType),
        new("JSON null", 103, "null"u8.ToArray(), "application/json", OrderType),
        new("empty body", 104, [], "application/json", OrderType),
        new("no content type, body not JSON", 105, "order 105: one widget"u8.ToArray(), ContentType: null, Type: null),
        new("wrong content type (text/plain, JSON body)", 106, OrderJson(106, "plain"), "text/plain", OrderType),
        new("unknown type header", 107, OrderJson(107, "unknown-type"), "application/json", "Contoso.Billing.Invoice"),
        new("hostile type header (System.Diagnostics.Process, System)", 108, OrderJson(108, "hostile-type"), "application/json", "System.Diagnostics.Process, System"),
        new("oversize delivery from a foreign publisher (100 KiB > MaxMessageSize 64 KiB)", 109, OrderJson(109, new string('x', 100 * 1024)), "application/json", OrderType),
        new("no content type, JSON body (as pika sends): accepted", 110, OrderJson(110, "pika-style"), ContentType: null, Type: null, ExpectHandled: true),
    ];

    /// <summary>The rows, in table order.</summary>
    public static IReadOnlyList<string> RowNames => [.. Foreign.Select(f => f.Name), PoisonRow, OversizePublishRow, LongRoutingKeyRow, GoodRow];

    private const string PoisonRow = "handler always throws (MaxRetries 2)";
    private const string OversizePublishRow = "oversize publish (Warren, 70 KiB > MaxMessageSize 64 KiB)";
    private const string LongRoutingKeyRow = "routing key of 300 bytes (Warren)";
    private const string GoodRow = "good orders, one after each bad input";

    public static async Task<List<BadInputFigures>> RunAsync(PrivateBroker node, Action<string> progress, CancellationToken cancellationToken)
    {
        string errorQueue = ErrorQueues.NameFor(Order.QueueName);
        await using (RawNode raw = await RawNode.ConnectAsync(node.Uri, cancellationToken))
        {
            await raw.DeleteQueuesAsync([Order.QueueName, errorQueue], cancellationToken);
        }

        var calls = new ConcurrentDictionary<int, int>();
        var options = new BusOptions { Uri = node.Uri, ClientName = "reliability-bad-input", MaxMessageSize = MaxMessageSize, ShutdownTimeout = TimeSpan.FromSeconds(5) };
        await using Bus bus = await Bus.ConnectAsync(options, cancellationToken);
        Subscription subscription = await bus.SubscribeAsync<Order>(
            (order, _, _) =>
            {
                calls.AddOrUpdate(order.Id, 1, static (_, count) => count + 1);
                return order.Sku == Order.PoisonSku
                    ? throw new InvalidOperationException($"order {order.Id} is poison")
                    : ValueTask.CompletedTask;
            },
            new SubscribeOptions { Retry = new RetryPolicy { MaxRetries = MaxRetries, InitialDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(200) } },
            cancellationToken);

        progress($"bad input: sending {Foreign.Length} foreign messages, a poison order and {Foreign.Length + 1} good orders");
        var goodIds = new List<int>();
        await using (RawNode raw = await RawNode.ConnectAsync(node.Uri, cancellationToken))
        {
            foreach (ForeignInput input in Foreign)
            {
                var properties = new BasicProperties { MessageId = MessageIdOf(input.Id), ContentType = input.ContentType, Type = input.Type, DeliveryMode = DeliveryModes.Persistent };
                await raw.PublishAsync(string.Empty, Order.QueueName, properties, input.Body, cancellationToken);
                goodIds.Add(1000 + input.Id);
                await bus.PublishAsync(new Order(1000 + input.Id, "good", 1), cancellationToken: cancellationToken);
            }
        }

        await bus.PublishAsync(new Order(PoisonId, Order.PoisonSku, 1), cancellationToken: cancellationToken);
        goodIds.Add(1000 + PoisonId);
        await bus.PublishAsync(new Order(1000 + PoisonId, "good", 1), cancellationToken: cancellationToken);

        BadInputFigures oversizePublish = await ExpectRefusedAsync(
            OversizePublishRow,
            () => bus.PublishAsync(new Order(201, new string('x', 70 * 1024), 1), cancellationToken: cancellationToken),
            MessageLimit.BodySize);
        BadInputFigures longKey = await ExpectRefusedAsync(
            LongRoutingKeyRow,
            () => bus.PublishAsync(new AuditEvent("long key"), routingKey: new string('k', 300), cancellationToken: cancellationToken),
            MessageLimit.RoutingKeyLength);

        int expectedInErrorQueue = Foreign.Count(i => !i.ExpectHandled) + 1;
        await using (RawNode raw = await RawNode.ConnectAsync(node.Uri, cancellationToken))
        {
            await Wait.UntilAsync(
                async () => goodIds.All(calls.ContainsKey) && calls.GetValueOrDefault(PoisonId) >= MaxRetries + 1
                            && (await raw.ReadyCountAsync(errorQueue, cancellationToken) ?? 0) >= expectedInErrorQueue,
                TimeSpan.FromSeconds(20),
                cancellationToken);
        }

        // A quiet second: a message requeued in a loop, or a retry too many, shows up here.
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        await subscription.DisposeAsync();

        List<RawMessage> errored;
        List<RawMessage> leftover;
        await using (RawNode raw = await RawNode.ConnectAsync(node.Uri, cancellationToken))
        {
            errored = await raw.DrainAsync(errorQueue, cancellationToken);
            leftover = await raw.DrainAsync(Order.QueueName, cancellationToken);
            await raw.DeleteQueuesAsync([Order.QueueName, errorQueue], cancellationToken);
        }

        var rows = new List<BadInputFigures>();
        foreach (ForeignInput input in Foreign)
        {
            rows.Add(ForeignRow(input, calls, errored, leftover));
        }

        rows.Add(PoisonOrderRow(PoisonId, calls, errored, leftover));
        rows.Add(oversizePublish);
        rows.Add(longKey);
        rows.Add(GoodOrdersRow(goodIds, calls, errored, leftover));
        return rows;
    }

    private static BadInputFigures ForeignRow(ForeignInput input, ConcurrentDictionary<int, int> calls, List<RawMessage> errored, List<RawMessage> leftover)
    {
        var row = new BadInputFigures { Input = input.Name, Sent = 1, HandlerCalls = calls.GetValueOrDefault(input.Id) };
        RawMessage[] inErrorQueue = errored.Where(m => m.Properties.MessageId == MessageIdOf(input.Id)).ToArray();
        int left = leftover.Count(m => m.Properties.MessageId == MessageIdOf(input.Id));
        row.InErrorQueue = inErrorQueue.Length;
        row.Lost = row.HandlerCalls == 0 && row.InErrorQueue == 0 && left == 0 ? 1 : 0;
        if (left > 0)
        {
            row.Violations.Add("still in the queue after the consumer stopped: not consumed, or requeued in a loop");
        }

        if (input.ExpectHandled)
        {
            row.Outcome = row.HandlerCalls == 1 ? "handled" : $"{row.HandlerCalls} handler calls";
            if (row.HandlerCalls != 1 || row.InErrorQueue != 0)
            {
                row.Violations.Add($"expected one handler call and nothing in the error queue, got {row.HandlerCalls} calls and {row.InErrorQueue} in the error queue");
            }

            return row;
        }

        if (row.HandlerCalls > 0)
        {
            row.Violations.Add($"the handler was called {row.HandlerCalls} times with input it should never see");
        }

        if (row.InErrorQueue != 1)
        {
            row.Violations.Add($"expected exactly one copy in the error queue, found {row.InErrorQueue}");
        }

        if (inErrorQueue.FirstOrDefault() is { } copy)
        {
            row.Outcome = Describe(copy);
            CheckHeaders(row, copy, ErrorQueues.UnreadableMessage, expectedAttempts: "0");
            if (!copy.Body.AsSpan().SequenceEqual(input.Body))
            {
                row.Violations.Add("the error queue's copy is not byte-identical to what was sent");
            }
        }
        else
        {
            row.Outcome = row.Lost > 0 ? "dropped" : "not in the error queue";
        }

        if (row.Lost > 0)
        {
            row.Violations.Add("lost: neither handled nor in the error queue nor left in the queue");
        }

        return row;
    }

    private static BadInputFigures PoisonOrderRow(int id, ConcurrentDictionary<int, int> calls, List<RawMessage> errored, List<RawMessage> leftover)
    {
        var row = new BadInputFigures { Input = PoisonRow, Sent = 1, HandlerCalls = calls.GetValueOrDefault(id) };
        RawMessage[] inErrorQueue = errored.Where(m => OrderIdOf(m) == id).ToArray();
        int left = leftover.Count(m => OrderIdOf(m) == id);
        row.InErrorQueue = inErrorQueue.Length;
        row.Lost = row.InErrorQueue == 0 && left == 0 ? 1 : 0;
        if (row.HandlerCalls != MaxRetries + 1)
        {
            row.Violations.Add($"the handler was called {row.HandlerCalls} times; retries + 1 is {MaxRetries + 1}");
        }

        if (row.InErrorQueue != 1)
        {
            row.Violations.Add($"expected exactly one copy in the error queue, found {row.InErrorQueue}");
        }

        if (left > 0)
        {
            row.Violations.Add("still in the queue after the consumer stopped");
        }

        if (inErrorQueue.FirstOrDefault() is { } copy)
        {
            row.Outcome = Describe(copy);
            CheckHeaders(row, copy, typeof(InvalidOperationException).FullName!, expectedAttempts: (MaxRetries + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            row.Outcome = row.Lost > 0 ? "dropped" : "not in the error queue";
        }

        return row;
    }

    private static BadInputFigures GoodOrdersRow(List<int> ids, ConcurrentDictionary<int, int> calls, List<RawMessage> errored, List<RawMessage> leftover)
    {
        var row = new BadInputFigures
        {
            Input = GoodRow,
            Sent = ids.Count,
            HandlerCalls = ids.Sum(calls.GetValueOrDefault),
            InErrorQueue = errored.Count(m => OrderIdOf(m) is { } id && ids.Contains(id)),
        };
        int unhandled = ids.Count(id => !calls.ContainsKey(id));
        int left = leftover.Count(m => OrderIdOf(m) is { } id && ids.Contains(id));
        row.Lost = ids.Count(id => !calls.ContainsKey(id) && !errored.Any(m => OrderIdOf(m) == id) && !leftover.Any(m => OrderIdOf(m) == id));
        row.Outcome = unhandled == 0 ? "all handled: the consumer kept going" : $"{unhandled} not handled";
        if (unhandled > 0 || row.InErrorQueue > 0 || left > 0)
        {
            row.Violations.Add($"{unhandled} good orders not handled, {row.InErrorQueue} in the error queue, {left} left in the queue");
        }

        return row;
    }

    private static async Task<BadInputFigures> ExpectRefusedAsync(string name, Func<ValueTask> publish, MessageLimit limit)
    {
        var row = new BadInputFigures { Input = name, Sent = 1 };
        try
        {
            await publish();
            row.Outcome = "published";
            row.Violations.Add("the publisher sent it; it should have refused it before sending");
        }
        catch (MessageLimitException ex)
        {
            row.Outcome = $"{nameof(MessageLimitException)} ({ex.Limit}, {ex.ActualBytes:N0} > {ex.AllowedBytes:N0} bytes), nothing sent";
            if (ex.Limit != limit)
            {
                row.Violations.Add($"the exception names the limit {ex.Limit}, not {limit}");
            }
        }
        catch (Exception ex)
        {
            row.Outcome = $"{ex.GetType().Name}: {ex.Message}";
            row.Violations.Add($"expected {nameof(MessageLimitException)}, got {ex.GetType().FullName}");
        }

        return row;
    }

    private static void CheckHeaders(BadInputFigures row, RawMessage copy, string expectedType, string expectedAttempts)
    {
        string? type = copy.Header(ErrorQueues.ExceptionTypeHeader);
        string? attempts = copy.Header(ErrorQueues.AttemptsHeader);
        if (type != expectedType)
        {
            row.Violations.Add($"{ErrorQueues.ExceptionTypeHeader} is '{type}', expected '{expectedType}'");
        }

        if (attempts != expectedAttempts)
        {
            row.Violations.Add($"{ErrorQueues.AttemptsHeader} is '{attempts}', expected {expectedAttempts}");
        }

        if (string.IsNullOrEmpty(copy.Header(ErrorQueues.ExceptionMessageHeader)))
        {
            row.Violations.Add($"no {ErrorQueues.ExceptionMessageHeader} header saying why");
        }

        if (copy.Header(ErrorQueues.OriginalRoutingKeyHeader) != Order.QueueName || copy.Header(ErrorQueues.OriginalExchangeHeader) is null)
        {
            row.Violations.Add($"the original exchange and routing key headers are missing or wrong ('{copy.Header(ErrorQueues.OriginalExchangeHeader)}', '{copy.Header(ErrorQueues.OriginalRoutingKeyHeader)}')");
        }
    }

    private static string Describe(RawMessage copy)
    {
        string why = copy.Header(ErrorQueues.ExceptionMessageHeader) ?? "(no reason)";
        if (why.Length > 70)
        {
            why = why[..67] + "...";
        }

        return $"{copy.Header(ErrorQueues.ExceptionTypeHeader)}, attempts {copy.Header(ErrorQueues.AttemptsHeader)}: {why}";
    }

    private static string MessageIdOf(int id) => $"bad-input-{id}";

    private static byte[] OrderJson(int id, string sku) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Order(id, sku, 1), Json));

    private static int? OrderIdOf(RawMessage message)
    {
        try
        {
            return JsonSerializer.Deserialize<Order>(message.Body, Json)?.Id;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record ForeignInput(string Name, int Id, byte[] Body, string? ContentType, string? Type, bool ExpectHandled = false);
}
