using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Warren.IntegrationTests.Infrastructure;
using Xunit;

namespace Warren.IntegrationTests;

[Queue("warren.test.recovery.jobs"), Durable]
public sealed record RecoveryJob(int Number);

[Queue("warren.test.recovery.chores")]
public sealed record RecoveryChore(int Number);

[Direct("warren.test.recovery.notes", RoutingKey = "{Kind}")]
public sealed record RecoveryNote(string Kind, int Number);

[Fanout("warren.test.recovery.news")]
public sealed record RecoveryNews(int Number);

[RpcService("warren.test.recovery.echo")]
public interface IRecoveryEcho
{
    [RpcMethod] Task<int> EchoAsync(int value, CancellationToken cancellationToken = default);
}

public sealed class RecoveryEcho : IRecoveryEcho
{
    public Task<int> EchoAsync(int value, CancellationToken cancellationToken = default) => Task.FromResult(value);
}

/// <summary>One private node for all recovery tests: they close its connections, fail its channels and raise its alarms.</summary>
public sealed class RecoveryBroker : IAsyncLifetime
{
    public PrivateBroker Node { get; private set; } = null!;

    public async Task InitializeAsync() => Node = await PrivateBroker.StartAsync();

    public async Task DisposeAsync() => await Node.DisposeAsync();
}

public sealed class RecoveryTests(RecoveryBroker broker) : IClassFixture<RecoveryBroker>
{
    private PrivateBroker Node => broker.Node;

    [Fact]
    public async Task A_consumer_channel_failed_by_a_channel_level_error_is_rebuilt_and_its_unacked_message_comes_back_redelivered()
    {
        const string queue = "warren.test.recovery.jobs";
        var logs = new CapturingLoggerFactory();
        await using QueueCleanup cleanup = await QueueCleanup.StartAsync(Node, queue, ErrorQueues.NameFor(queue));
        await using Bus bus = await ConnectAsync("recovery-channel-error", logs);
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var abandoned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inbox = new Inbox<RecoveryJob>();
        await using Subscription subscription = await bus.SubscribeAsync<RecoveryJob>(async (job, context, cancellationToken) =>
        {
            if (job.Number == 0 && !context.Redelivered)
            {
                // The first delivery stays unacknowledged while the broker fails its channel, until its token says to stop.
                held.TrySetResult();
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                finally
                {
                    abandoned.TrySetResult();
                }
            }

            inbox.Add(job, context);
        }, new SubscribeOptions { Prefetch = 7 });

        await bus.PublishAsync(new RecoveryJob(0));
        await held.Task.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(1, Node.FailConsumerChannels());

        // The handler on the failed channel is told to stop; the broker put its message back, and the rebuilt channel
        // gets it, marked redelivered.
        await abandoned.Task.WaitAsync(TimeSpan.FromSeconds(15));
        await inbox.WaitForAsync(1);
        (RecoveryJob first, MessageContext firstContext) = inbox.Items[0];
        Assert.Equal(0, first.Number);
        Assert.True(firstContext.Redelivered);

        for (int i = 1; i <= 3; i++)
        {
            await bus.PublishAsync(new RecoveryJob(i));
        }

        await inbox.WaitForAsync(4);
        Assert.Equal(new[] { 0, 1, 2, 3 }, inbox.Messages.Select(m => m.Number).Order());
        Assert.Equal(1, await ConsumersAsync(queue));
        Assert.Equal(new[] { 7 }, ConsumerChannelPrefetches());
        Assert.Contains(logs.Entries, e => e.EventId.Id == 12 && e.Message.Contains("PRECONDITION_FAILED", StringComparison.Ordinal) && e.Message.Contains(queue, StringComparison.Ordinal));

        // The failed channel is gone for good: a later connection recovery brings back the one consumer, not two.
        Node.CloseAllConnections("test: recovery after a rebuilt channel");
        await bus.PublishAsync(new RecoveryJob(4)).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        await inbox.WaitForAsync(5, TimeSpan.FromSeconds(30));
        Assert.Equal(4, inbox.Items[4].Message.Number);
        Assert.Equal(1, await ConsumersAsync(queue));
    }

    [Fact]
    public async Task An_rpc_server_keeps_serving_after_a_channel_level_error_on_its_channel()
    {
        const string queue = "warren.test.recovery.echo";
        await using QueueCleanup cleanup = await QueueCleanup.StartAsync(Node, queue);
        await using Bus bus = await ConnectAsync("recovery-rpc-channel-error");
        await using Subscription server = await bus.ServeAsync<IRecoveryEcho>(new RecoveryEcho(), new ServeOptions { Prefetch = 3 });
        IRecoveryEcho client = bus.CreateClient<IRecoveryEcho>(new RpcClientOptions { Timeout = TimeSpan.FromSeconds(2) });
        Assert.Equal(1, await client.EchoAsync(1));

        // The server's channel fails (the client's direct reply-to consumer is no queue consumer the broker counts).
        Assert.Equal(1, Node.FailConsumerChannels());

        int answer = 0;
        await WorkQueueTests.WaitUntilAsync(async () =>
        {
            try
            {
                answer = await client.EchoAsync(2);
                return true;
            }
            catch (Exception ex) when (ex is TimeoutException or WarrenException or RabbitMQ.Client.Exceptions.AlreadyClosedException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(20));
        Assert.Equal(2, answer);
        Assert.Equal(1, await ConsumersAsync(queue));
        Assert.Equal(3, await client.EchoAsync(3));
    }

    [Fact]
    public async Task Deleting_the_consumed_queue_under_a_subscription_declares_it_again_with_its_bindings_and_consumption_resumes()
    {
        const string notesQueue = "warren.test.recovery.notes.kept";
        const string choresQueue = "warren.test.recovery.chores";
        var logs = new CapturingLoggerFactory();
        await using QueueCleanup cleanup = await QueueCleanup.StartAsync(Node, notesQueue, ErrorQueues.NameFor(notesQueue), choresQueue, ErrorQueues.NameFor(choresQueue));
        await using Bus bus = await ConnectAsync("recovery-queue-deleted", logs);
        var notes = new Inbox<RecoveryNote>();
        var chores = new Inbox<RecoveryChore>();
        await using Subscription noteSubscription = await bus.SubscribeAsync<RecoveryNote>(
            (note, context, _) => { notes.Add(note, context); return default; },
            new SubscribeOptions { Queue = notesQueue, Bindings = ["note"] });
        await using Subscription choreSubscription = await bus.SubscribeAsync<RecoveryChore>(
            (chore, context, _) => { chores.Add(chore, context); return default; });

        await using (IConnection connection = await new ConnectionFactory { Uri = Node.Uri }.CreateConnectionAsync())
        await using (IChannel channel = await connection.CreateChannelAsync())
        {
            await channel.QueueDeleteAsync(notesQueue, ifUnused: false, ifEmpty: false);
            await channel.QueueDeleteAsync(choresQueue, ifUnused: false, ifEmpty: false);
        }

        await WorkQueueTests.WaitUntilAsync(async () => await ConsumersAsync(notesQueue) == 1 && await ConsumersAsync(choresQueue) == 1, TimeSpan.FromSeconds(20));
        await bus.PublishAsync(new RecoveryNote("note", 1));
        await bus.PublishAsync(new RecoveryChore(1));
        await notes.WaitForAsync(1);
        await chores.WaitForAsync(1);
        Assert.Equal(notesQueue, notes.Items[0].Context.Queue);
        Assert.Equal(notesQueue, noteSubscription.Queue);
        Assert.Equal(2, logs.Entries.Count(e => e.EventId.Id == 33));
    }

    [Fact]
    public async Task Resuming_retries_with_back_off_while_the_broker_refuses_and_stops_when_the_subscription_is_disposed()
    {
        const string queue = "warren.test.recovery.refused";
        var logs = new CapturingLoggerFactory();
        await using QueueCleanup cleanup = await QueueCleanup.StartAsync(Node, queue, ErrorQueues.NameFor(queue));
        await using Bus bus = await ConnectAsync("recovery-refused", logs);
        var notes = new Inbox<RecoveryNote>();
        Subscription subscription = await bus.SubscribeAsync<RecoveryNote>(
            (note, context, _) => { notes.Add(note, context); return default; },
            new SubscribeOptions { Queue = queue, Bindings = ["refused"] });
        try
        {
            // Without configure permission the queue cannot be declared again, so each attempt to resume fails.
            Node.Ctl("set_permissions", "-p", "/", "guest", "^$", ".*", ".*");
            Assert.Equal(1, Node.FailConsumerChannels());
            await WorkQueueTests.WaitUntilAsync(() => Task.FromResult(logs.Entries.Count(e => e.EventId.Id == 35) >= 2), TimeSpan.FromSeconds(20));
            Assert.Contains(logs.Entries, e => e.EventId.Id == 35 && e.Message.Contains("ACCESS_REFUSED", StringComparison.Ordinal));
        }
        finally
        {
            Node.Ctl("set_permissions", "-p", "/", "guest", ".*", ".*", ".*");
        }

        await WorkQueueTests.WaitUntilAsync(async () => await ConsumersAsync(queue) == 1, TimeSpan.FromSeconds(20));
        await bus.PublishAsync(new RecoveryNote("refused", 1));
        await notes.WaitForAsync(1);

        // Disposed while resuming: the resume stops and nobody consumes the queue any more.
        Assert.Equal(1, Node.FailConsumerChannels());
        DateTime started = DateTime.UtcNow;
        await subscription.DisposeAsync();
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5), "disposing does not wait for a resume");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(0, await ConsumersAsync(queue));
    }

    [Fact]
    public async Task Closing_all_connections_raises_lost_and_recovered_and_a_server_named_subscription_follows_its_new_queue()
    {
        var logs = new CapturingLoggerFactory();
        await using Bus bus = await ConnectAsync("recovery-events", logs);
        var lost = new ConcurrentQueue<ConnectionLostEventArgs>();
        var recovered = new ConcurrentQueue<ConnectionRecoveredEventArgs>();
        bus.ConnectionLost += (_, _) => throw new InvalidOperationException("a careless handler");
        bus.ConnectionLost += (_, e) => lost.Enqueue(e);
        bus.ConnectionRecovered += (_, e) => recovered.Enqueue(e);
        var news = new Inbox<RecoveryNews>();
        await using Subscription subscription = await bus.SubscribeAsync<RecoveryNews>((item, context, _) => { news.Add(item, context); return default; });
        string before = subscription.Queue;
        Assert.StartsWith("amq.gen-", before);
        await bus.PublishAsync(new RecoveryNews(1));
        await news.WaitForAsync(1);

        Node.CloseAllConnections("test: recovery events");

        await WorkQueueTests.WaitUntilAsync(() => Task.FromResult(!recovered.IsEmpty), TimeSpan.FromSeconds(30));
        ConnectionLostEventArgs loss = Assert.Single(lost);
        Assert.Equal(320, loss.ReplyCode);
        Assert.Contains("CONNECTION_FORCED", loss.ReplyText);
        Assert.Contains("test: recovery events", loss.ReplyText);
        Assert.True(loss.InitiatedByBroker);
        ConnectionRecoveredEventArgs back = Assert.Single(recovered);
        Assert.True(back.Downtime > TimeSpan.Zero && back.Downtime < TimeSpan.FromSeconds(30), $"downtime {back.Downtime}");
        Assert.True(bus.IsConnected);

        // The client declared the exclusive queue again under a new name, with its binding; the subscription follows it.
        Assert.StartsWith("amq.gen-", subscription.Queue);
        Assert.NotEqual(before, subscription.Queue);
        await bus.PublishAsync(new RecoveryNews(2));
        await news.WaitForAsync(2);
        Assert.Equal(subscription.Queue, news.Items[1].Context.Queue);

        Assert.Contains(logs.Entries, e => e.EventId.Id == 3 && e.Message.Contains("CONNECTION_FORCED", StringComparison.Ordinal));
        Assert.Contains(logs.Entries, e => e.EventId.Id == 4);
        Assert.Contains(logs.Entries, e => e.EventId.Id == 31 && e.Exception is InvalidOperationException);
    }

    [Fact]
    public async Task A_server_named_subscription_gets_a_new_queue_after_a_channel_level_error_and_survives_a_later_connection_loss()
    {
        var recovered = new ConcurrentQueue<ConnectionRecoveredEventArgs>();
        await using Bus bus = await ConnectAsync("recovery-server-named");
        bus.ConnectionRecovered += (_, e) => recovered.Enqueue(e);
        var news = new Inbox<RecoveryNews>();
        await using Subscription subscription = await bus.SubscribeAsync<RecoveryNews>((item, context, _) => { news.Add(item, context); return default; });
        string first = subscription.Queue;

        // The exclusive, auto-delete queue goes with its channel's consumer; the subscription declares and binds a new one.
        Assert.Equal(1, Node.FailConsumerChannels());
        await WorkQueueTests.WaitUntilAsync(() => Task.FromResult(subscription.Queue != first), TimeSpan.FromSeconds(20));
        await bus.PublishAsync(new RecoveryNews(1));
        await news.WaitForAsync(1);
        Assert.Equal(subscription.Queue, news.Items[0].Context.Queue);
        string queues = Node.Ctl("list_queues", "name", "consumers", "--no-table-headers", "--silent");
        Assert.Contains($"{subscription.Queue}\t1", queues);
        Assert.DoesNotContain(first, queues);

        // Nothing of the first queue is left for the connection recovery to restore: it completes, and messages flow.
        string second = subscription.Queue;
        Node.CloseAllConnections("test: recovery after a new server-named queue");
        await WorkQueueTests.WaitUntilAsync(() => Task.FromResult(!recovered.IsEmpty), TimeSpan.FromSeconds(30));
        Assert.NotEqual(second, subscription.Queue);
        await bus.PublishAsync(new RecoveryNews(2));
        await news.WaitForAsync(2);
        Assert.Equal(subscription.Queue, news.Items[1].Context.Queue);
    }

    [Fact]
    public async Task A_disk_alarm_raises_blocked_with_the_brokers_reason_then_unblocked_and_the_waiting_publish_is_confirmed()
    {
        var logs = new CapturingLoggerFactory();
        await using Bus bus = await ConnectAsync("recovery-alarm", logs);
        var blocked = new ConcurrentQueue<BlockedEventArgs>();
        var unblocked = new ConcurrentQueue<UnblockedEventArgs>();
        bus.ConnectionBlocked += (_, e) => blocked.Enqueue(e);
        bus.ConnectionUnblocked += (_, e) => unblocked.Enqueue(e);
        await bus.PublishAsync(new RecoveryNews(0));
        Assert.False(bus.IsBlocked);

        Task? pending = null;
        try
        {
            Node.SetDiskFreeLimit("100000GB");
            // The broker blocks a connection when it next publishes during the alarm.
            await WorkQueueTests.WaitUntilAsync(() =>
            {
                if (pending is null || pending.IsCompleted)
                {
                    pending = bus.PublishAsync(new RecoveryNews(1)).AsTask();
                }

                return Task.FromResult(!blocked.IsEmpty);
            }, TimeSpan.FromSeconds(20));
            Assert.True(bus.IsBlocked);
            Assert.Contains("disk", Assert.Single(blocked).Reason);
        }
        finally
        {
            Node.SetDiskFreeLimit("50MB");
        }

        await WorkQueueTests.WaitUntilAsync(() => Task.FromResult(!unblocked.IsEmpty), TimeSpan.FromSeconds(20));
        Assert.False(bus.IsBlocked);
        Assert.True(Assert.Single(unblocked).BlockedFor > TimeSpan.Zero);
        await pending!.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Contains(logs.Entries, e => e.EventId.Id == 5 && e.Message.Contains("disk", StringComparison.Ordinal));
        Assert.Contains(logs.Entries, e => e.EventId.Id == 6);
    }

    [Fact]
    public async Task The_heartbeat_of_the_options_is_the_one_negotiated_with_the_broker()
    {
        await using Bus custom = await ConnectAsync("recovery-heartbeat-7", configure: o => o.Heartbeat = TimeSpan.FromSeconds(7));
        await using Bus standard = await ConnectAsync("recovery-heartbeat-default");

        string listing = Node.Ctl("list_connections", "client_properties", "timeout", "--no-table-headers", "--silent");
        Assert.Equal("7", HeartbeatOf(listing, "recovery-heartbeat-7"));
        Assert.Equal(((int)new BusOptions().Heartbeat.TotalSeconds).ToString(), HeartbeatOf(listing, "recovery-heartbeat-default"));
        Assert.NotEqual(TimeSpan.Zero, new BusOptions().Heartbeat);
    }

    private async Task<Bus> ConnectAsync(string clientName, CapturingLoggerFactory? logs = null, Action<BusOptions>? configure = null)
    {
        var options = new BusOptions
        {
            Uri = Node.Uri,
            ClientName = clientName,
            NetworkRecoveryInterval = TimeSpan.FromMilliseconds(500),
            ShutdownTimeout = TimeSpan.FromSeconds(5),
            LoggerFactory = logs,
        };
        configure?.Invoke(options);
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await Bus.ConnectAsync(options, patience.Token);
    }

    /// <summary>
    /// How many consumers the broker counts on a queue (0 when it does not exist), asked on a connection of its own (so
    /// not for exclusive queues, which only their own connection may look at).
    /// </summary>
    private async Task<int> ConsumersAsync(string queue)
    {
        await using IConnection connection = await new ConnectionFactory { Uri = Node.Uri, AutomaticRecoveryEnabled = false }.CreateConnectionAsync();
        await using IChannel channel = await connection.CreateChannelAsync();
        try
        {
            return (int)(await channel.QueueDeclarePassiveAsync(queue)).ConsumerCount;
        }
        catch (OperationInterruptedException)
        {
            return 0;
        }
    }

    /// <summary>The prefetch count of every channel on the node that has a consumer.</summary>
    private int[] ConsumerChannelPrefetches()
    {
        string listing = Node.Ctl("list_channels", "consumer_count", "prefetch_count", "--no-table-headers", "--silent");
        return [.. listing.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('\t'))
            .Where(f => int.Parse(f[0].Trim()) > 0)
            .Select(f => int.Parse(f[1].Trim()))];
    }

    private static string HeartbeatOf(string listing, string clientName)
    {
        string line = listing.Split('\n').FirstOrDefault(l => l.Contains($"\"{clientName}\"", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"No connection named {clientName}: {listing}");
        return line.Split('\t')[^1].Trim();
    }

    /// <summary>Deletes the test's queues before (leftovers of an aborted run) and after it.</summary>
    private sealed class QueueCleanup(PrivateBroker node, params string[] queues) : IAsyncDisposable
    {
        public static async Task<QueueCleanup> StartAsync(PrivateBroker node, params string[] queues)
        {
            var cleanup = new QueueCleanup(node, queues);
            await cleanup.DeleteAsync();
            return cleanup;
        }

        public ValueTask DisposeAsync() => new(DeleteAsync());

        private async Task DeleteAsync()
        {
            await using IConnection connection = await new ConnectionFactory { Uri = node.Uri, AutomaticRecoveryEnabled = false }.CreateConnectionAsync();
            await using IChannel channel = await connection.CreateChannelAsync();
            foreach (string queue in queues)
            {
                await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false);
            }
        }
    }
}
