using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;
using Warren.IntegrationTests.Infrastructure;
using Xunit;

namespace Warren.IntegrationTests;

[Queue("warren.test.publish.outage"), Durable]
public sealed record OutageItem(int Id);

[Queue("warren.test.publish.outage.fresh"), Durable]
public sealed record OutageFreshItem(int Id);

[Queue("warren.test.publish.forced"), Durable]
public sealed record ForcedCloseItem(int Id);

[Queue("warren.test.publish.channel_error"), Durable]
public sealed record ChannelErrorItem(int Id);

[Queue("warren.test.publish.blocked"), Durable]
public sealed record BlockedItem(int Id);

[Queue("warren.test.publish.frozen"), Durable]
public sealed record FrozenItem(int Id);

[Queue("warren.test.publish.poison")]
public sealed record PoisonItem(int Id, string Padding);

/// <summary>One private node for the publish fault tests, which stop, freeze and alarm it; they run one after the other.</summary>
public sealed class PublishFaultsBroker : IAsyncLifetime
{
    public PrivateBroker Node { get; private set; } = null!;

    /// <summary>The node's <c>max_message_size</c>, far below the bus's default limit, so a test can make the broker refuse a message.</summary>
    public const int BrokerMaxMessageSize = 65536;

    public async Task InitializeAsync() => Node = await PrivateBroker.StartAsync($"max_message_size = {BrokerMaxMessageSize}\n");

    public async Task DisposeAsync() => await Node.DisposeAsync();

    public async Task<Bus> ConnectAsync(string clientName, Action<BusOptions>? configure = null)
    {
        var options = new BusOptions
        {
            Uri = Node.Uri,
            ClientName = clientName,
            NetworkRecoveryInterval = TimeSpan.FromMilliseconds(500),
            ShutdownTimeout = TimeSpan.FromSeconds(5),
        };
        configure?.Invoke(options);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await Bus.ConnectAsync(options, timeout.Token);
    }

    public async Task<RawBroker> RawAsync() =>
        new(await new ConnectionFactory { Uri = Node.Uri, ClientProvidedName = "warren-tests-raw" }.CreateConnectionAsync());

    /// <summary>Every message in <paramref name="queue"/>, taken off it, as the ids of <typeparamref name="T"/>.</summary>
    public async Task<List<int>> DrainIdsAsync<T>(string queue, Func<T, int> id)
    {
        await using RawBroker raw = await RawAsync();
        await using IChannel channel = await raw.Connection.CreateChannelAsync();
        var ids = new List<int>();
        while (await channel.BasicGetAsync(queue, autoAck: true) is { } message)
        {
            ids.Add(id(JsonSerializer.Deserialize<T>(message.Body.Span, JsonSerializerOptions.Web)!));
        }

        return ids;
    }
}

public sealed class PublishReliabilityTests(PublishFaultsBroker broker) : IClassFixture<PublishFaultsBroker>
{
    [Fact]
    public async Task While_the_broker_is_down_a_publish_waits_for_recovery_and_is_confirmed_or_gives_up_at_its_timeout_saying_it_was_not_sent()
    {
        const string queue = "warren.test.publish.outage";
        await using Bus patient = await broker.ConnectAsync("publish-outage-patient");
        await using Bus hasty = await broker.ConnectAsync("publish-outage-hasty", o => o.PublishTimeout = TimeSpan.FromSeconds(1.5));
        await patient.PublishAsync(new OutageItem(0));
        await hasty.PublishAsync(new OutageItem(1));

        broker.Node.StopApp();
        Task waiting, firstOfItsType;
        try
        {
            await WorkQueueTests.WaitUntilAsync(() => !patient.IsConnected && !hasty.IsConnected);
            waiting = patient.PublishAsync(new OutageItem(2)).AsTask();
            // A type not published before on this bus: its queue is declared once the broker is back.
            firstOfItsType = patient.PublishAsync(new OutageFreshItem(1)).AsTask();

            var clock = System.Diagnostics.Stopwatch.StartNew();
            PublishTimeoutException timeout = await Assert.ThrowsAsync<PublishTimeoutException>(async () => await hasty.PublishAsync(new OutageItem(3)));
            Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.2), TimeSpan.FromSeconds(6));
            Assert.Equal(PublishTimeoutReason.ConnectionDown, timeout.Reason);
            Assert.False(timeout.MayHaveBeenPublished);
            Assert.Equal(TimeSpan.FromSeconds(1.5), timeout.Timeout);
            Assert.Equal(queue, timeout.RoutingKey);
            Assert.Contains("not sent", timeout.Message);
            Assert.False(waiting.IsCompleted || firstOfItsType.IsCompleted, "the patient publishes wait for the broker, neither failing nor reporting success");
        }
        finally
        {
            broker.Node.StartApp();
        }

        await Task.WhenAll(waiting, firstOfItsType).WaitAsync(TimeSpan.FromSeconds(30));
        await hasty.PublishAsync(new OutageItem(4)).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal([0, 1, 2, 4], (await broker.DrainIdsAsync<OutageItem>(queue, m => m.Id)).Order());
        Assert.Equal([1], await broker.DrainIdsAsync<OutageFreshItem>("warren.test.publish.outage.fresh", m => m.Id));
    }

    [Fact]
    public async Task Publishes_in_flight_when_the_broker_closes_every_connection_are_sent_again_and_every_confirmed_one_is_in_the_queue()
    {
        const string queue = "warren.test.publish.forced";
        var lost = 0;
        await using Bus bus = await broker.ConnectAsync("publish-forced", o => o.MaxOutstandingConfirms = 64);
        bus.ConnectionLost += (_, _) => Interlocked.Increment(ref lost);

        (int sent, HashSet<int> confirmed, List<Exception> failures) = await PublishDuringAsync(
            id => bus.PublishAsync(new ForcedCloseItem(id)), () => broker.Node.CloseAllConnections("warren test: forced close"));

        Assert.Empty(failures);
        Assert.Equal(sent, confirmed.Count);
        Assert.Equal(1, Volatile.Read(ref lost));
        AssertNoneLost(await broker.DrainIdsAsync<ForcedCloseItem>(queue, m => m.Id), sent, confirmed, window: 64);
    }

    [Fact]
    public async Task Publishes_in_flight_when_a_channel_error_closes_the_publish_channel_are_sent_again_on_a_new_channel()
    {
        const string queue = "warren.test.publish.channel_error";
        var lost = 0;
        await using Bus bus = await broker.ConnectAsync("publish-channel-error", o => o.MaxOutstandingConfirms = 64);
        bus.ConnectionLost += (_, _) => Interlocked.Increment(ref lost);

        (int sent, HashSet<int> confirmed, List<Exception> failures) = await PublishDuringAsync(
            id => bus.PublishAsync(new ChannelErrorItem(id)),
            // Every channel on the node fails with 406 PRECONDITION_FAILED (unknown delivery tag); the connection stays up.
            () => Assert.Contains("ok", broker.Node.Ctl("eval", "[rabbit_channel:do(P, {'basic.ack', 99999, false}) || P <- rabbit_channel:list()].")));

        Assert.Empty(failures);
        Assert.Equal(sent, confirmed.Count);
        Assert.Equal(0, Volatile.Read(ref lost));
        AssertNoneLost(await broker.DrainIdsAsync<ChannelErrorItem>(queue, m => m.Id), sent, confirmed, window: 64);
    }

    [Fact]
    public async Task While_the_broker_blocks_publishers_a_publish_is_not_sent_and_completes_once_the_alarm_clears()
    {
        const string queue = "warren.test.publish.blocked";
        await using Bus patient = await broker.ConnectAsync("publish-blocked-patient");
        await using Bus hasty = await broker.ConnectAsync("publish-blocked-hasty", o => o.PublishTimeout = TimeSpan.FromSeconds(1));
        await patient.PublishAsync(new BlockedItem(0));
        await hasty.PublishAsync(new BlockedItem(1));

        broker.Node.SetDiskFreeLimit("1000GB");
        Task patientFirst, patientSecond;
        try
        {
            // RabbitMQ blocks a connection, and says so, at its first publish after the alarm: that one is written but
            // gets no confirm until the alarm clears.
            patientFirst = patient.PublishAsync(new BlockedItem(2)).AsTask();
            PublishTimeoutException unconfirmed = await Assert.ThrowsAsync<PublishTimeoutException>(async () => await hasty.PublishAsync(new BlockedItem(3)));
            Assert.True(unconfirmed.MayHaveBeenPublished);
            await WorkQueueTests.WaitUntilAsync(() => patient.IsBlocked && hasty.IsBlocked);

            // Once the bus knows, it does not write at all.
            patientSecond = patient.PublishAsync(new BlockedItem(4)).AsTask();
            PublishTimeoutException timeout = await Assert.ThrowsAsync<PublishTimeoutException>(async () => await hasty.PublishAsync(new BlockedItem(5)));
            Assert.Equal(PublishTimeoutReason.ConnectionBlocked, timeout.Reason);
            Assert.False(timeout.MayHaveBeenPublished);
            Assert.Contains("disk", timeout.BrokerReason);
            Assert.Contains("blocking publishers", timeout.Message);
            Assert.False(patientFirst.IsCompleted || patientSecond.IsCompleted, "the patient publishes wait while the broker blocks publishers");
        }
        finally
        {
            broker.Node.SetDiskFreeLimit("50MB");
        }

        await Task.WhenAll(patientFirst, patientSecond).WaitAsync(TimeSpan.FromSeconds(30));
        List<int> ids = await broker.DrainIdsAsync<BlockedItem>(queue, m => m.Id);
        // 3 may or may not be there (its publish said so); 5 was never sent.
        Assert.Equal([0, 1, 2, 4], ids.Where(id => id != 3).Order());
    }

    [Fact]
    public async Task A_confirm_that_never_comes_fails_the_publish_at_its_timeout_saying_the_broker_may_have_it()
    {
        const string queue = "warren.test.publish.frozen";
        await using Bus bus = await broker.ConnectAsync("publish-frozen", o => o.PublishTimeout = TimeSpan.FromSeconds(1.5));
        await bus.PublishAsync(new FrozenItem(0));
        string pid = broker.Node.Ctl("eval", "os:getpid().").Trim().Trim('"');

        // A frozen broker (SIGSTOP) takes the bytes into its socket buffer but never answers: no confirm, no closure.
        Infrastructure.Process.Run("kill", "-STOP", pid);
        PublishTimeoutException timeout;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            timeout = await Assert.ThrowsAsync<PublishTimeoutException>(async () => await bus.PublishAsync(new FrozenItem(1)).AsTask().WaitAsync(TimeSpan.FromSeconds(20)));
        }
        finally
        {
            Infrastructure.Process.Run("kill", "-CONT", pid);
        }

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.2), TimeSpan.FromSeconds(6));
        Assert.Equal(PublishTimeoutReason.NoConfirm, timeout.Reason);
        Assert.True(timeout.MayHaveBeenPublished);
        Assert.Contains("may have taken it", timeout.Message);

        // It was indeed sent: once thawed, the broker has it, and the bus goes on publishing.
        await bus.PublishAsync(new FrozenItem(2)).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal([0, 1, 2], (await broker.DrainIdsAsync<FrozenItem>(queue, m => m.Id)).Order());
    }

    [Fact]
    public async Task A_message_the_broker_refuses_by_closing_the_channel_fails_after_three_tries_instead_of_a_resend_storm()
    {
        const string queue = "warren.test.publish.poison";
        var logs = new CapturingLoggerFactory();
        // The bus allows more than the broker: the broker closes the channel (406) for each oversize publish.
        await using Bus bus = await broker.ConnectAsync("publish-poison", o => o.LoggerFactory = logs);
        string tooLarge = new('x', PublishFaultsBroker.BrokerMaxMessageSize);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        PublishInterruptedException error = await Assert.ThrowsAsync<PublishInterruptedException>(async () => await bus.PublishAsync(new PoisonItem(1, tooLarge)));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"gave up after {clock.Elapsed}");
        Assert.Equal(406, error.ReplyCode);
        Assert.Contains("larger than configured max size", error.ReplyText);
        Assert.Equal(2, logs.Entries.Count(e => e.EventId.Id == 40));
        await bus.PublishAsync(new PoisonItem(2, "fine"));
        Assert.Equal([2], await broker.DrainIdsAsync<PoisonItem>(queue, m => m.Id));
    }

    /// <summary>
    /// Sixteen publishers send ids 0, 1, 2... as fast as they are confirmed; once some are confirmed, <paramref name="fault"/>
    /// strikes, and the stream goes on until 500 more are confirmed after it. Returns every id sent, every id confirmed and the failures.
    /// </summary>
    private static async Task<(int Sent, HashSet<int> Confirmed, List<Exception> Failures)> PublishDuringAsync(Func<int, ValueTask> publish, Action fault)
    {
        int nextId = -1;
        bool stop = false;
        var confirmed = new ConcurrentQueue<int>();
        var failures = new ConcurrentQueue<Exception>();
        Task[] publishers = [.. Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            while (!Volatile.Read(ref stop))
            {
                int id = Interlocked.Increment(ref nextId);
                try
                {
                    await publish(id);
                    confirmed.Enqueue(id);
                }
                catch (Exception ex)
                {
                    failures.Enqueue(ex);
                }
            }
        }))];

        try
        {
            await WorkQueueTests.WaitUntilAsync(() => confirmed.Count >= 200);
            fault();
            int atFault = confirmed.Count;
            await WorkQueueTests.WaitUntilAsync(() => Task.FromResult(confirmed.Count >= atFault + 500 || !failures.IsEmpty), TimeSpan.FromSeconds(30));
        }
        finally
        {
            Volatile.Write(ref stop, true);
            await Task.WhenAll(publishers).WaitAsync(TimeSpan.FromSeconds(60));
        }

        return (Volatile.Read(ref nextId) + 1, [.. confirmed], [.. failures]);
    }

    /// <summary>
    /// Every confirmed id was delivered (lost = 0), nothing was delivered that was not sent (unexpected = 0), and
    /// duplicates stay within one confirm window.
    /// </summary>
    private static void AssertNoneLost(List<int> delivered, int sent, HashSet<int> confirmed, int window)
    {
        Assert.Empty(confirmed.Except(delivered));
        Assert.DoesNotContain(delivered, id => id < 0 || id >= sent);
        int duplicates = delivered.Count - delivered.Distinct().Count();
        Assert.InRange(duplicates, 0, window);
    }
}
