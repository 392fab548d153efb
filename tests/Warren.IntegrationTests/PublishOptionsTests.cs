using System;
using System.Collections.Generic;
using System.Text;
using System.Threading.Tasks;
using RabbitMQ.Client;
using Warren.IntegrationTests.Infrastructure;
using Xunit;

namespace Warren.IntegrationTests;

[Queue("warren.test.publish_options.notes")]
public sealed record Note(string Text);

[Headers("warren.test.publish_options.tagged")]
public sealed record Tagged([property: Header("color")] string Color, string Text);

[Direct("warren.test.publish_options.causes", RoutingKey = "{Stage}")]
public sealed record Step(string Stage, string Text);

/// <summary>Per-publish properties and headers, and what flows from a handled message to what its handler publishes.</summary>
public sealed class PublishOptionsTests
{
    private const string Notes = "warren.test.publish_options.notes";

    [Fact]
    public async Task Publish_options_set_the_amqp_properties_and_headers_on_the_wire()
    {
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [Notes]);
        await using Bus bus = await Broker.ConnectAsync("publish-options-wire");

        await bus.PublishAsync(new Note("with options"), new PublishOptions
        {
            MessageId = "note-1",
            CorrelationId = "conversation-7",
            Expiration = TimeSpan.FromMinutes(5),
            Priority = 7,
            Headers = new Dictionary<string, object?>
            {
                ["tenant"] = "acme",
                ["attempt"] = 3,
                ["big"] = 5_000_000_000L,
                ["ratio"] = 0.25,
                ["flag"] = true,
                ["raw"] = new byte[] { 1, 2, 3 },
                ["list"] = new List<object?> { "a", 1 },
                ["nested"] = new Dictionary<string, object?> { ["inner"] = "value" },
                ["small"] = (short)-2,
                ["tiny"] = (sbyte)-1,
                ["octet"] = (byte)200,
                ["unsigned"] = 7u,
                ["unsigned16"] = (ushort)9,
                ["single"] = 1.5f,
                ["money"] = 12.34m,
                ["at"] = new AmqpTimestamp(1_700_000_000),
                ["none"] = null,
            },
        });

        BasicGetResult? got = await raw.GetAsync(Notes);
        Assert.NotNull(got);
        IReadOnlyBasicProperties properties = got.BasicProperties;
        Assert.Equal("note-1", properties.MessageId);
        Assert.Equal("conversation-7", properties.CorrelationId);
        Assert.Equal("300000", properties.Expiration);
        Assert.Equal(7, properties.Priority);
        Assert.Equal("application/json", properties.ContentType);
        Assert.Equal(typeof(Note).FullName, properties.Type);
        IDictionary<string, object?> headers = properties.Headers!;
        Assert.Equal("acme", Encoding.UTF8.GetString((byte[])headers["tenant"]!));
        Assert.Equal(3, headers["attempt"]);
        Assert.Equal(5_000_000_000L, headers["big"]);
        Assert.Equal(0.25, headers["ratio"]);
        Assert.Equal(true, headers["flag"]);
        Assert.Equal(new byte[] { 1, 2, 3 }, (byte[])headers["raw"]!);
        Assert.Equal(2, ((IList<object?>)headers["list"]!).Count);
        Assert.Equal("value", Encoding.UTF8.GetString((byte[])((IDictionary<string, object?>)headers["nested"]!)["inner"]!));
        foreach (string name in new[] { "small", "tiny", "octet", "unsigned", "unsigned16", "single", "money", "at", "none" })
        {
            Assert.True(headers.ContainsKey(name), $"header '{name}' did not arrive");
        }

        Assert.Equal(12.34m, headers["money"]);
        Assert.Equal(new AmqpTimestamp(1_700_000_000), headers["at"]);
        Assert.Equal("""{"text":"with options"}""", Encoding.UTF8.GetString(got.Body.Span));
    }

    [Fact]
    public async Task Without_options_a_publish_gets_a_new_message_id_and_no_correlation_expiration_priority_or_headers()
    {
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [Notes]);
        await using Bus bus = await Broker.ConnectAsync("publish-options-defaults");

        await bus.PublishAsync(new Note("plain"));
        await bus.PublishAsync(new Note("plain again"), new PublishOptions());

        foreach (string text in new[] { "plain", "plain again" })
        {
            BasicGetResult? got = await raw.GetAsync(Notes);
            Assert.Equal($$"""{"text":"{{text}}"}""", Encoding.UTF8.GetString(got!.Body.Span));
            Assert.True(Guid.TryParse(got.BasicProperties.MessageId, out _), $"message id '{got.BasicProperties.MessageId}' is not a GUID");
            Assert.Null(got.BasicProperties.CorrelationId);
            Assert.Null(got.BasicProperties.Expiration);
            Assert.False(got.BasicProperties.IsPriorityPresent());
            Assert.Null(got.BasicProperties.Headers);
        }
    }

    [Fact]
    public async Task An_expiration_drops_the_message_the_broker_holds_past_it()
    {
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [Notes]);
        await using Bus bus = await Broker.ConnectAsync("publish-options-expiration");

        await bus.PublishAsync(new Note("short-lived"), new PublishOptions { Expiration = TimeSpan.FromMilliseconds(50) });
        await bus.PublishAsync(new Note("kept"));
        await Task.Delay(400);

        BasicGetResult? first = await raw.GetAsync(Notes);
        Assert.Equal("""{"text":"kept"}""", Encoding.UTF8.GetString(first!.Body.Span));
        Assert.Null(await raw.GetAsync(Notes));
    }

    [Fact]
    public async Task Options_the_broker_cannot_carry_fail_before_anything_is_sent_and_the_bus_keeps_publishing()
    {
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [Notes], exchanges: ["warren.test.publish_options.tagged"]);
        await using Bus bus = await Broker.ConnectAsync("publish-options-refused");

        ArgumentException badHeader = await Assert.ThrowsAnyAsync<ArgumentException>(async () => await bus.PublishAsync(
            new Note("x"), new PublishOptions { Headers = new Dictionary<string, object?> { ["when"] = DateTimeOffset.UtcNow } }));
        Assert.Contains("PublishOptions.Headers['when'] is a System.DateTimeOffset", badHeader.Message, StringComparison.Ordinal);

        // What RabbitMQ.Client itself cannot write (an unsigned 64-bit number) is refused as clearly, not half-sent.
        ArgumentException unsigned = await Assert.ThrowsAnyAsync<ArgumentException>(async () => await bus.PublishAsync(
            new Note("x"), new PublishOptions { Headers = new Dictionary<string, object?> { ["count"] = new List<object?> { 1UL } } }));
        Assert.Contains("PublishOptions.Headers['count'] holds a System.UInt64", unsigned.Message, StringComparison.Ordinal);

        ArgumentOutOfRangeException negative = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await bus.PublishAsync(
            new Note("x"), new PublishOptions { Expiration = TimeSpan.FromSeconds(-1) }));
        Assert.Contains("PublishOptions.Expiration", negative.Message, StringComparison.Ordinal);

        // A headers-exchange message routes on its own header: the options may not set it a second time.
        ArgumentException routing = await Assert.ThrowsAnyAsync<ArgumentException>(async () => await bus.PublishAsync(
            new Tagged("blue", "x"), new PublishOptions { Headers = new Dictionary<string, object?> { ["color"] = "red" } }));
        Assert.Contains("'color'", routing.Message, StringComparison.Ordinal);

        // Refused before the declaration, so not even the queue was made.
        Assert.False(await raw.QueueExistsAsync(Notes));
        await bus.PublishAsync(new Note("after the refusals"));
        Assert.Equal(1u, await raw.MessageCountAsync(Notes));
    }

    [Fact]
    public async Task A_handler_publishes_with_the_handled_correlation_id_and_names_the_handled_message_as_the_cause()
    {
        const string exchange = "warren.test.publish_options.causes";
        string first = "warren.test.publish_options.causes.first";
        string second = "warren.test.publish_options.causes.second";
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [first, second], exchanges: [exchange]);
        await using Bus bus = await Broker.ConnectAsync("publish-options-flow");
        var seen = new Inbox<Step>();
        await using Subscription followUps = await bus.SubscribeAsync<Step>(
            (step, context, _) => { seen.Add(step, context); return default; }, new SubscribeOptions { Queue = second, Bindings = ["second"] });
        await using Subscription handler = await bus.SubscribeAsync<Step>(
            async (step, _, cancellationToken) => await bus.PublishAsync(new Step("second", "caused by " + step.Text), cancellationToken: cancellationToken),
            new SubscribeOptions { Queue = first, Bindings = ["first"] });

        await bus.PublishAsync(new Step("first", "a"), new PublishOptions { MessageId = "cause-a", CorrelationId = "conversation-a" });
        await bus.PublishAsync(new Step("first", "b"), new PublishOptions { MessageId = "cause-b" });
        await seen.WaitForAsync(2);

        var byText = new Dictionary<string, MessageContext>();
        foreach ((Step step, MessageContext context) in seen.Items)
        {
            byText[step.Text] = context;
        }

        Assert.Equal("conversation-a", byText["caused by a"].CorrelationId);
        Assert.Equal("cause-a", byText["caused by a"].CausationId);
        Assert.Null(byText["caused by b"].CorrelationId);
        Assert.Equal("cause-b", byText["caused by b"].CausationId);

        // Outside a handler nothing flows.
        await bus.PublishAsync(new Step("second", "outside"));
        await seen.WaitForAsync(3);
        Assert.Null(seen.Items[2].Context.CausationId);
    }
}
