using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Warren.IntegrationTests.Infrastructure;
using Xunit;

namespace Warren.IntegrationTests;

[Fanout("warren.test.logs")]
public sealed record TestLogLine(string Text);

[Direct("warren.test.direct_logs", RoutingKey = "{Severity}")]
public sealed record TestSeverityLog(string Severity, string Text);

[Topic("warren.test.topic_logs", RoutingKey = "{Facility}.{Severity}")]
public sealed record TestKernelLog(string Facility, string Severity, string Text);

[Headers("warren.test.shapes")]
public sealed record TestShape([property: Header("color")] string Color, [property: Header("size")] string Size);

[Consumer, Bind("error"), Bind("warning")]
public sealed class TestErrorSink : InboxConsumer<TestSeverityLog>;

[Consumer(Queue = "warren.test.kernel"), Bind("kern.*"), Bind("*.critical")]
public sealed class TestKernelWatch : InboxConsumer<TestKernelLog>;

[Consumer, BindHeaders(HeadersMatch.All, "color", "blue", "size", "big")]
public sealed class TestBigBlue : InboxConsumer<TestShape>;

[Consumer, BindHeaders(HeadersMatch.Any, "color", "blue", "size", "big")]
public sealed class TestBlueOrBig : InboxConsumer<TestShape>;

public sealed class PublishSubscribeTests
{
    [Fact]
    public async Task Every_subscriber_of_a_fanout_gets_every_message_and_one_that_left_gets_nothing_more()
    {
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(exchanges: ["warren.test.logs"]);
        await using Bus bus = await Broker.ConnectAsync("pubsub");
        var first = new Inbox<TestLogLine>();
        var second = new Inbox<TestLogLine>();
        Subscription leaving = await bus.SubscribeAsync<TestLogLine>((m, c, _) => { first.Add(m, c); return default; });
        await using Subscription staying = await bus.SubscribeAsync<TestLogLine>((m, c, _) => { second.Add(m, c); return default; });
        Assert.NotEqual(leaving.Queue, staying.Queue);
        Assert.StartsWith("amq.gen-", leaving.Queue);

        for (int i = 0; i < 3; i++)
        {
            await bus.PublishAsync(new TestLogLine($"info: {i}"));
        }

        await first.WaitForAsync(3);
        await second.WaitForAsync(3);
        Assert.Equal(second.Messages, first.Messages);
        Assert.All(first.Items, item => Assert.Equal("warren.test.logs", item.Context.Exchange));

        await leaving.DisposeAsync();
        // Its exclusive, auto-delete queue is gone with it.
        Assert.False(await raw.QueueExistsAsync(leaving.Queue));
        await bus.PublishAsync(new TestLogLine("after leaving"));
        await second.WaitForAsync(4);
        await first.AssertQuietAsync(3);
    }
}

public sealed class RoutingTests
{
    [Fact]
    public async Task Direct_exchange_routes_by_severity_to_every_queue_bound_with_that_key_and_drops_the_rest()
    {
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(exchanges: ["warren.test.direct_logs"]);
        await using Bus bus = await Broker.ConnectAsync("routing");
        var errorsAndWarnings = new TestErrorSink();
        var errorsAndInfo = new TestErrorSink();
        await using Subscription a = await bus.SubscribeAsync(errorsAndWarnings);
        // The second queue is bound from options, as receive_logs_direct.py takes its keys from the command line.
        await using Subscription b = await bus.SubscribeAsync(errorsAndInfo, new SubscribeOptions { Bindings = ["error", "info"] });

        await bus.PublishAsync(new TestSeverityLog("info", "i"));
        await bus.PublishAsync(new TestSeverityLog("warning", "w"));
        await bus.PublishAsync(new TestSeverityLog("error", "e"));
        await bus.PublishAsync(new TestSeverityLog("debug", "dropped: nobody binds debug"));
        await bus.PublishAsync(new TestSeverityLog("info", "overridden"), routingKey: "error");

        await errorsAndWarnings.Inbox.WaitForAsync(3);
        await errorsAndInfo.Inbox.WaitForAsync(3);
        await errorsAndWarnings.Inbox.AssertQuietAsync(3, TimeSpan.FromMilliseconds(300));
        await errorsAndInfo.Inbox.AssertQuietAsync(3, TimeSpan.FromMilliseconds(300));
        Assert.Equal(["w", "e", "overridden"], errorsAndWarnings.Inbox.Messages.Select(m => m.Text));
        Assert.Equal(["i", "e", "overridden"], errorsAndInfo.Inbox.Messages.Select(m => m.Text));
        Assert.Equal(["warning", "error", "error"], errorsAndWarnings.Inbox.Items.Select(i => i.Context.RoutingKey));
    }
}

public sealed class TopicTests
{
    [Theory]
    // The tables of the topics tutorial: Q1 binds "*.orange.*", Q2 binds "*.*.rabbit" and "lazy.#".
    [InlineData("quick.orange.rabbit", true, true)]
    [InlineData("lazy.orange.elephant", true, true)]
    [InlineData("quick.orange.fox", true, false)]
    [InlineData("lazy.brown.fox", false, true)]
    [InlineData("lazy.pink.rabbit", false, true)]
    [InlineData("quick.brown.fox", false, false)]
    [InlineData("orange", false, false)]
    [InlineData("quick.orange.male.rabbit", false, false)]
    [InlineData("lazy.orange.male.rabbit", false, true)]
    public async Task Topic_bindings_match_as_in_the_tutorial(string routingKey, bool q1Gets, bool q2Gets)
    {
        string exchange = "warren.test.topic_logs";
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(exchanges: [exchange]);
        await using Bus bus = await Broker.ConnectAsync("topics-" + routingKey);
        var q1 = new Inbox<TestKernelLog>();
        var q2 = new Inbox<TestKernelLog>();
        var everything = new Inbox<TestKernelLog>();
        await using Subscription s1 = await bus.SubscribeAsync<TestKernelLog>((m, c, _) => { q1.Add(m, c); return default; }, new SubscribeOptions { Bindings = ["*.orange.*"] });
        await using Subscription s2 = await bus.SubscribeAsync<TestKernelLog>((m, c, _) => { q2.Add(m, c); return default; }, new SubscribeOptions { Bindings = ["*.*.rabbit", "lazy.#"] });
        await using Subscription s3 = await bus.SubscribeAsync<TestKernelLog>((m, c, _) => { everything.Add(m, c); return default; }, new SubscribeOptions { Bindings = ["#"] });

        await bus.PublishAsync(new TestKernelLog("x", "y", routingKey), routingKey);

        await everything.WaitForAsync(1);
        await q1.AssertQuietAsync(q1Gets ? 1 : 0, TimeSpan.FromMilliseconds(400));
        await q2.AssertQuietAsync(q2Gets ? 1 : 0, TimeSpan.FromMilliseconds(1));
        Assert.Equal(exchange, everything.Items[0].Context.Exchange);
    }

    [Fact]
    public async Task A_routing_key_from_the_template_reaches_a_named_queue_once_even_when_two_bindings_match()
    {
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: ["warren.test.kernel"]);
        await using Bus bus = await Broker.ConnectAsync("topics-kernel");
        var watch = new TestKernelWatch();
        await using (Subscription subscription = await bus.SubscribeAsync(watch))
        {
            Assert.Equal("warren.test.kernel", subscription.Queue);
            await bus.PublishAsync(new TestKernelLog("kern", "critical", "A critical kernel error"));  // kern.* and *.critical
            await bus.PublishAsync(new TestKernelLog("kern", "info", "kernel info"));                 // kern.*
            await bus.PublishAsync(new TestKernelLog("cron", "critical", "cron critical"));           // *.critical
            await bus.PublishAsync(new TestKernelLog("cron", "info", "dropped"));                     // none
            await watch.Inbox.WaitForAsync(3);
            await watch.Inbox.AssertQuietAsync(3);
        }

        Assert.Equal(["kern.critical", "kern.info", "cron.critical"], watch.Inbox.Items.Select(i => i.Context.RoutingKey));
    }

    [Fact]
    public async Task Star_matches_exactly_one_word_and_hash_zero_or_more()
    {
        await using Bus bus = await Broker.ConnectAsync("topics-old");
        var star = new Inbox<TestKernelLog>();
        var hash = new Inbox<TestKernelLog>();
        await using Subscription s1 = await bus.SubscribeAsync<TestKernelLog>((m, c, _) => { star.Add(m, c); return default; }, new SubscribeOptions { Bindings = ["old.*"] });
        await using Subscription s2 = await bus.SubscribeAsync<TestKernelLog>((m, c, _) => { hash.Add(m, c); return default; }, new SubscribeOptions { Bindings = ["old.#"] });

        await bus.PublishAsync(new TestKernelLog("old", "boy.python", "three words"));   // template gives old.boy.python
        await bus.PublishAsync(new TestKernelLog("x", "x", "zero words after old"), routingKey: "old");
        await bus.PublishAsync(new TestKernelLog("old", "boy", "two words"));

        await hash.WaitForAsync(3);
        await star.WaitForAsync(1);
        await star.AssertQuietAsync(1);
        Assert.Equal("old.boy", star.Items.Single().Context.RoutingKey);
        Assert.Equal(["old.boy.python", "old", "old.boy"], hash.Items.Select(i => i.Context.RoutingKey));
    }
}

public sealed class HeadersTests
{
    [Fact]
    public async Task Headers_exchange_matches_all_and_any()
    {
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(exchanges: ["warren.test.shapes"]);
        await using Bus bus = await Broker.ConnectAsync("headers");
        var all = new TestBigBlue();
        var any = new TestBlueOrBig();
        await using Subscription a = await bus.SubscribeAsync(all);
        await using Subscription b = await bus.SubscribeAsync(any);

        await bus.PublishAsync(new TestShape("blue", "big"));
        await bus.PublishAsync(new TestShape("blue", "small"));
        await bus.PublishAsync(new TestShape("red", "big"));
        await bus.PublishAsync(new TestShape("red", "small"));

        await any.Inbox.WaitForAsync(3);
        await all.Inbox.WaitForAsync(1);
        await any.Inbox.AssertQuietAsync(3);
        await all.Inbox.AssertQuietAsync(1, TimeSpan.FromMilliseconds(1));
        Assert.Equal(new TestShape("blue", "big"), all.Inbox.Messages.Single());
        Assert.Equal([new TestShape("blue", "big"), new TestShape("blue", "small"), new TestShape("red", "big")], any.Inbox.Messages);
        MessageContext context = all.Inbox.Items.Single().Context;
        Assert.Equal("blue", context.GetHeader("color"));
        Assert.Equal("big", context.GetHeader("size"));
    }
}
