using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Warren.IntegrationTests.Infrastructure;
using Xunit;

namespace Warren.IntegrationTests;

[Queue("warren.test.work.shared"), Durable]
public sealed record SharedTask(int Number);

[Queue("warren.test.work.fair"), Durable]
public sealed record FairTask(int Number);

[Queue("warren.test.work.dies"), Durable]
public sealed record DyingTask(int Number);

[Queue("warren.test.work.concurrent")]
public sealed record ConcurrentTask(int Number);

[Queue("warren.test.work.restart"), Durable]
public sealed record SurvivingTask(int Number, string Text);

/// <summary>A worker with prefetch 1, as in the work-queue tutorial.</summary>
[Consumer(Prefetch = 1)]
public sealed class FairWorker(Func<FairTask, CancellationToken, Task> work) : IConsumer<FairTask>
{
    public async ValueTask HandleAsync(FairTask message, MessageContext context, CancellationToken cancellationToken) =>
        await work(message, cancellationToken);
}

public sealed class WorkQueueTests
{
    [Fact]
    public async Task Two_workers_on_one_durable_queue_share_the_messages_round_robin()
    {
        const string queue = "warren.test.work.shared";
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [queue]);
        await using Bus bus = await Broker.ConnectAsync("work-round-robin");
        var first = new Inbox<SharedTask>();
        var second = new Inbox<SharedTask>();
        await using Subscription a = await bus.SubscribeAsync<SharedTask>((m, c, _) => { first.Add(m, c); return default; });
        await using Subscription b = await bus.SubscribeAsync<SharedTask>((m, c, _) => { second.Add(m, c); return default; });

        for (int i = 0; i < 20; i++)
        {
            await bus.PublishAsync(new SharedTask(i));
        }

        await WaitUntilAsync(() => first.Count + second.Count >= 20);
        int[] all = first.Messages.Concat(second.Messages).Select(m => m.Number).OrderBy(n => n).ToArray();
        Assert.Equal(Enumerable.Range(0, 20), all);
        // Round-robin: each worker gets its turn, so neither takes everything.
        Assert.InRange(first.Count, 7, 13);
        Assert.InRange(second.Count, 7, 13);
        Assert.All(first.Items.Concat(second.Items), item => Assert.True(item.Context.Persistent));
        Assert.Equal(0u, await raw.MessageCountAsync(queue));
    }

    [Fact]
    public async Task With_prefetch_one_a_slow_worker_does_not_hold_a_backlog()
    {
        const string queue = "warren.test.work.fair";
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [queue]);
        await using Bus bus = await Broker.ConnectAsync("work-fair-dispatch");

        var slowGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slowGot = new ConcurrentQueue<int>();
        var fastGot = new ConcurrentQueue<int>();
        await using Subscription slow = await bus.SubscribeAsync(new FairWorker(async (m, ct) =>
        {
            slowGot.Enqueue(m.Number);
            await slowGate.Task.WaitAsync(ct);
        }));
        await using Subscription fast = await bus.SubscribeAsync(new FairWorker((m, _) =>
        {
            fastGot.Enqueue(m.Number);
            return Task.CompletedTask;
        }));

        for (int i = 0; i < 10; i++)
        {
            await bus.PublishAsync(new FairTask(i));
        }

        // While the slow worker sits on its one message, the fast one gets all the rest.
        await WaitUntilAsync(() => slowGot.Count + fastGot.Count >= 10);
        Assert.Single(slowGot);
        Assert.Equal(9, fastGot.Count);
        slowGate.SetResult();
        await WaitUntilAsync(async () => await raw.MessageCountAsync(queue) == 0);
    }

    [Fact]
    public async Task A_worker_that_dies_before_acking_gets_its_message_redelivered_to_the_other()
    {
        const string queue = "warren.test.work.dies";
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [queue]);

        // The dying worker runs on its own connection, which the broker then closes under it, as when a process dies.
        string dyingName = "work-dying-" + Guid.NewGuid().ToString("N");
        Bus dyingBus = await Broker.ConnectAsync(dyingName, o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(500));
        var taken = new TaskCompletionSource<MessageContext>(TaskCreationOptions.RunContinuationsAsynchronously);
        Subscription dying = await dyingBus.SubscribeAsync<DyingTask>(async (m, c, ct) =>
        {
            taken.TrySetResult(c);
            await Task.Delay(Timeout.Infinite, ct);
        }, new SubscribeOptions { Prefetch = 1 });

        await using Bus survivorBus = await Broker.ConnectAsync("work-survivor");
        await survivorBus.PublishAsync(new DyingTask(7));
        MessageContext first = await taken.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.False(first.Redelivered);

        var survivor = new Inbox<DyingTask>();
        await using Subscription survivorSubscription = await survivorBus.SubscribeAsync<DyingTask>((m, c, _) => { survivor.Add(m, c); return default; });
        await survivor.AssertQuietAsync(0, TimeSpan.FromMilliseconds(300));

        CloseConnection(dyingName);
        await survivor.WaitForAsync(1);
        (DyingTask message, MessageContext context) = Assert.Single(survivor.Items);
        Assert.Equal(7, message.Number);
        Assert.True(context.Redelivered);

        await dying.DisposeAsync();
        await dyingBus.DisposeAsync();
    }

    [Fact]
    public async Task Durable_queue_and_persistent_messages_survive_a_broker_restart()
    {
        await using PrivateBroker broker = await PrivateBroker.StartAsync();
        var options = new BusOptions { Uri = broker.Uri, ClientName = "work-restart", NetworkRecoveryInterval = TimeSpan.FromMilliseconds(500) };
        await using (Bus bus = await Bus.ConnectAsync(options, new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token))
        {
            for (int i = 0; i < 5; i++)
            {
                await bus.PublishAsync(new SurvivingTask(i, "persist me"));
            }
        }

        broker.StopApp();
        broker.StartApp();

        await using Bus after = await Bus.ConnectAsync(options, new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        var inbox = new Inbox<SurvivingTask>();
        await using Subscription subscription = await after.SubscribeAsync<SurvivingTask>((m, c, _) => { inbox.Add(m, c); return default; });
        await inbox.WaitForAsync(5);
        Assert.Equal(Enumerable.Range(0, 5), inbox.Messages.Select(m => m.Number).OrderBy(n => n));
        Assert.All(inbox.Items, item => Assert.True(item.Context.Persistent));
    }

    [Fact]
    public async Task ConcurrentHandlers_runs_that_many_handlers_of_one_subscription_at_once_and_one_by_default()
    {
        const string queue = "warren.test.work.concurrent";
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [queue]);
        await using Bus bus = await Broker.ConnectAsync("work-concurrent");

        foreach ((ushort? concurrency, int expected) in new (ushort?, int)[] { (null, 1), (4, 4) })
        {
            int running = 0, most = 0, done = 0;
            await using (Subscription subscription = await bus.SubscribeAsync<ConcurrentTask>(async (m, c, ct) =>
            {
                int now = Interlocked.Increment(ref running);
                InterlockedMax(ref most, now);
                await Task.Delay(100, ct);
                Interlocked.Decrement(ref running);
                Interlocked.Increment(ref done);
            }, new SubscribeOptions { ConcurrentHandlers = concurrency, Prefetch = 10 }))
            {
                for (int i = 0; i < 8; i++)
                {
                    await bus.PublishAsync(new ConcurrentTask(i));
                }

                await WaitUntilAsync(() => Volatile.Read(ref done) == 8);
            }

            Assert.Equal(expected, most);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    /// <summary>Closes a connection by its client-provided name, as the broker does when a process dies.</summary>
    internal static void CloseConnection(string clientName)
    {
        string listing = Broker.Ctl("list_connections", "pid", "client_properties", "--no-table-headers", "--silent");
        string line = listing.Split('\n').FirstOrDefault(l => l.Contains(clientName, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"No connection named {clientName}: {listing}");
        string pid = line.Split('\t')[0].Trim();
        Broker.Ctl("close_connection", pid, "test: worker process died");
    }

    internal static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    internal static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The condition did not hold in time.");
            }

            await Task.Delay(25);
        }
    }
}
