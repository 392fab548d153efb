using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Warren.IntegrationTests.Infrastructure;
using Xunit;

namespace Warren.IntegrationTests;

[Queue("warren.test.acks.trickle")]
public sealed record TrickleTask(int Number);

[Queue("warren.test.acks.stop"), Durable]
public sealed record StopTask(int Number);

[Queue("warren.test.acks.failing"), Durable]
public sealed record MixedTask(int Number);

/// <summary>
/// A consumer with one handler at a time acks its messages in batches (basic.ack multiple=true): every handled message
/// is still acknowledged, whether more come or not, when the subscription stops, and around a message that fails.
/// </summary>
public sealed class AckBatchTests
{
    [Fact]
    public async Task A_few_messages_less_than_a_batch_are_acknowledged_soon_after_they_are_handled()
    {
        const string queue = "warren.test.acks.trickle";
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [queue]);
        await using Bus bus = await Broker.ConnectAsync("acks-trickle");
        var inbox = new Inbox<TrickleTask>();
        // Prefetch 100: a batch would be 50 acks, far more than the 3 messages that come.
        await using Subscription subscription = await bus.SubscribeAsync<TrickleTask>(
            (m, c, _) => { inbox.Add(m, c); return default; }, new SubscribeOptions { Prefetch = 100 });

        for (int i = 0; i < 3; i++)
        {
            await bus.PublishAsync(new TrickleTask(i));
        }

        await WorkQueueTests.WaitUntilAsync(() => inbox.Count >= 3);
        // The subscription stays open: the acks must go out on their own, not only when it stops.
        await WorkQueueTests.WaitUntilAsync(() => Task.FromResult(Unacknowledged(queue) == 0), TimeSpan.FromSeconds(5));
        Assert.Equal(0u, await raw.MessageCountAsync(queue));
    }

    [Fact]
    public async Task Stopping_right_after_the_handlers_leaves_no_handled_message_for_redelivery()
    {
        const string queue = "warren.test.acks.stop";
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [queue]);
        await using Bus bus = await Broker.ConnectAsync("acks-stop");
        for (int i = 0; i < 30; i++)
        {
            await bus.PublishAsync(new StopTask(i));
        }

        var inbox = new Inbox<StopTask>();
        Subscription subscription = await bus.SubscribeAsync<StopTask>(
            (m, c, _) => { inbox.Add(m, c); return default; }, new SubscribeOptions { Prefetch = 100 });
        await WorkQueueTests.WaitUntilAsync(() => inbox.Count >= 30);
        await subscription.DisposeAsync();

        // Closing the channel returns every unacknowledged message to the queue: none may be back.
        Assert.Equal(0u, await raw.MessageCountAsync(queue));
        Assert.Equal(Enumerable.Range(0, 30), inbox.Messages.Select(m => m.Number).Order());
    }

    [Fact]
    public async Task A_message_that_fails_in_the_middle_of_a_batch_goes_to_the_error_queue_and_the_rest_are_acknowledged()
    {
        const string queue = "warren.test.acks.failing";
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [queue]);
        await using Bus bus = await Broker.ConnectAsync("acks-failing");
        for (int i = 0; i < 20; i++)
        {
            await bus.PublishAsync(new MixedTask(i));
        }

        int handled = 0;
        await using Subscription subscription = await bus.SubscribeAsync<MixedTask>(
            (m, _, _) =>
            {
                Interlocked.Increment(ref handled);
                return m.Number == 7 ? throw new InvalidOperationException("seven fails") : default(ValueTask);
            },
            new SubscribeOptions { Prefetch = 100, Retry = RetryPolicy.None });

        await WorkQueueTests.WaitUntilAsync(() => Volatile.Read(ref handled) >= 20);
        await WorkQueueTests.WaitUntilAsync(async () => await raw.MessageCountAsync(ErrorQueues.NameFor(queue)) == 1);
        await WorkQueueTests.WaitUntilAsync(() => Task.FromResult(Unacknowledged(queue) == 0), TimeSpan.FromSeconds(5));
        Assert.Equal(0u, await raw.MessageCountAsync(queue));
        Assert.Equal(20, Volatile.Read(ref handled));
    }

    /// <summary>The broker's count of the queue's delivered but unacknowledged messages.</summary>
    internal static int Unacknowledged(string queue) =>
        Broker.Ctl("list_queues", "--quiet", "--no-table-headers", "name", "messages_unacknowledged")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t', StringSplitOptions.TrimEntries))
            .Where(fields => fields.Length == 2 && fields[0] == queue)
            .Select(fields => int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture))
            .Single();
}
