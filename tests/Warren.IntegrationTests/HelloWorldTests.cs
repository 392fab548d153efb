using System;
using System.Threading;
using System.Threading.Tasks;
using Warren.IntegrationTests.Infrastructure;
using Xunit;

namespace Warren.IntegrationTests;

[Queue("warren.test.hello")]
public sealed record TestHello(string Text, int Number);

[Consumer]
public sealed class TestHelloReceiver : InboxConsumer<TestHello>;

public sealed class HelloWorldTests
{
    [Fact]
    public async Task One_message_published_is_received_with_body_and_properties_intact()
    {
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: ["warren.test.hello"]);
        await using Bus bus = await Broker.ConnectAsync("hello-world-test");
        var receiver = new TestHelloReceiver();
        await using (Subscription subscription = await bus.SubscribeAsync(receiver))
        {
            Assert.Equal("warren.test.hello", subscription.Queue);
            await bus.PublishAsync(new TestHello("Hello World!", 42));
            await receiver.Inbox.WaitForAsync(1);
        }

        (TestHello message, MessageContext context) = Assert.Single(receiver.Inbox.Items);
        Assert.Equal(new TestHello("Hello World!", 42), message);
        Assert.Equal("", context.Exchange);
        Assert.Equal("warren.test.hello", context.RoutingKey);
        Assert.Equal("application/json", context.ContentType);
        Assert.Equal(typeof(TestHello).FullName, context.MessageType);
        Assert.False(string.IsNullOrEmpty(context.MessageId));
        Assert.False(context.Persistent);
        Assert.False(context.Redelivered);
        Assert.NotNull(context.Timestamp);
        Assert.InRange(context.Timestamp!.Value, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }
}
