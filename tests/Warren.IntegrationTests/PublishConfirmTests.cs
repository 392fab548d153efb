using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using RabbitMQ.Client;
using Warren.IntegrationTests.Infrastructure;
using Xunit;

namespace Warren.IntegrationTests;

[Fanout("warren.test.confirms.limited")]
public sealed record LimitedEvent(int Number);

[Direct("warren.test.confirms.must_route", RoutingKey = "{Region}", Mandatory = true)]
public sealed record MustRoute(string Region);

[Queue("warren.test.confirms.many"), Durable]
public sealed record ManyItem(int Number);

public sealed class PublishConfirmTests
{
    [Fact]
    public async Task A_message_the_broker_refuses_fails_its_publish_with_a_typed_nack_and_the_next_publish_still_works()
    {
        const string exchange = "warren.test.confirms.limited";
        const string queue = "warren.test.confirms.limited.q";
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [queue], exchanges: [exchange]);
        await using Bus bus = await Broker.ConnectAsync("confirms-nack");
        await using (IChannel channel = await raw.Connection.CreateChannelAsync())
        {
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout);
            // A queue that holds one message and refuses publishes beyond that: the broker nacks them.
            await channel.QueueDeclareAsync(queue, durable: false, exclusive: false, autoDelete: false,
                arguments: new Dictionary<string, object?> { ["x-max-length"] = 1, ["x-overflow"] = "reject-publish" });
            await channel.QueueBindAsync(queue, exchange, "");
        }

        await bus.PublishAsync(new LimitedEvent(1));
        PublishNackedException nack = await Assert.ThrowsAsync<PublishNackedException>(async () => await bus.PublishAsync(new LimitedEvent(2)));
        Assert.Equal(exchange, nack.Exchange);

        BasicGetResult? kept = await raw.GetAsync(queue);
        Assert.Equal("""{"number":1}""", System.Text.Encoding.UTF8.GetString(kept!.Body.Span));
        await bus.PublishAsync(new LimitedEvent(3));
        Assert.Equal(1u, await raw.MessageCountAsync(queue));
    }

    [Fact]
    public async Task A_mandatory_message_no_queue_takes_fails_its_publish_with_a_typed_return()
    {
        const string exchange = "warren.test.confirms.must_route";
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(exchanges: [exchange]);
        await using Bus bus = await Broker.ConnectAsync("confirms-return");
        var inbox = new Inbox<MustRoute>();
        await using Subscription subscription = await bus.SubscribeAsync<MustRoute>((m, c, _) => { inbox.Add(m, c); return default; }, new SubscribeOptions { Bindings = ["eu"] });

        await bus.PublishAsync(new MustRoute("eu"));
        PublishReturnedException returned = await Assert.ThrowsAsync<PublishReturnedException>(async () => await bus.PublishAsync(new MustRoute("us")));
        Assert.Equal(312, returned.ReplyCode);   // NO_ROUTE
        Assert.Equal("us", returned.RoutingKey);
        Assert.Equal(exchange, returned.Exchange);

        await bus.PublishAsync(new MustRoute("eu"));
        await inbox.WaitForAsync(2);
        await inbox.AssertQuietAsync(2);
    }

    [Fact]
    public async Task Thousands_of_concurrent_publishes_are_each_confirmed_and_each_delivered_once_without_client_headers()
    {
        const string queue = "warren.test.confirms.many";
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [queue]);
        await using Bus bus = await Broker.ConnectAsync("confirms-many", o => o.MaxOutstandingConfirms = 64);

        // Many callers at once on the one publish channel: every publish is tracked and confirmed.
        await Task.WhenAll(Enumerable.Range(0, 16).Select(worker => Task.Run(async () =>
        {
            for (int i = 0; i < 250; i++)
            {
                await bus.PublishAsync(new ManyItem((worker * 250) + i));
            }
        })));
        Assert.Equal(4000u, await raw.MessageCountAsync(queue));

        var inbox = new Inbox<ManyItem>();
        await using (Subscription subscription = await bus.SubscribeAsync<ManyItem>((m, c, _) => { inbox.Add(m, c); return default; }))
        {
            await inbox.WaitForAsync(4000, TimeSpan.FromSeconds(30));
        }

        Assert.Equal(Enumerable.Range(0, 4000), inbox.Messages.Select(m => m.Number).Order());
        Assert.Equal(4000, inbox.Items.Select(i => i.Context.MessageId).Distinct().Count());
        Assert.All(inbox.Items, item => Assert.Empty(item.Context.Headers));
    }
}
