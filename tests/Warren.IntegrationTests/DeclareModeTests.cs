using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Warren.IntegrationTests.Infrastructure;
using Xunit;

namespace Warren.IntegrationTests;

[Queue("warren.test.dm.items")]
public sealed record DeclareModeItem(int Number);

[Fanout("warren.test.dm.events")]
public sealed record DeclareModeEvent(int Number);

[Fanout("warren.test.dm.missing")]
public sealed record DeclareModeMissingEvent(int Number);

[Queue("warren.test.dm.missing.q", Mandatory = true)]
public sealed record DeclareModeMissingItem(int Number);

/// <summary>
/// The three declare modes against the real broker, each test in a virtual host of its own with a user that may write
/// and read everything but configure nothing (the operator's topology), and the guest user as the operator.
/// </summary>
public sealed class DeclareModeTests
{
    private const string EventQueue = "warren.test.dm.events.audit";

    /// <summary>A virtual host with an operator (guest, every permission) and a user without configure permission.</summary>
    private sealed class Setup : IDisposable
    {
        private Setup(TemporaryVirtualHost vhost, string user, string password)
        {
            VirtualHost = vhost;
            User = user;
            Password = password;
        }

        public TemporaryVirtualHost VirtualHost { get; }

        public string User { get; }

        public string Password { get; }

        public static Setup Create(string purpose)
        {
            TemporaryVirtualHost vhost = Broker.TemporaryVirtualHost(purpose);
            string id = Guid.NewGuid().ToString("N");
            string user = $"warren-test-dm-{id[..12]}";
            string password = $"Pw{id}";
            Broker.Ctl("add_user", user, password);
            Broker.Ctl("set_permissions", "-p", vhost.Name, user, "", ".*", ".*");
            return new Setup(vhost, user, password);
        }

        public Uri RestrictedUri => new UriBuilder(VirtualHost.Uri) { UserName = User, Password = Password }.Uri;

        public Task<Bus> ConnectAsync(string clientName, Uri uri, DeclareMode mode, CapturingLoggerFactory? logs = null) =>
            Bus.ConnectAsync(Broker.Options(clientName, o =>
            {
                o.Uri = uri;
                o.DeclareMode = mode;
                o.LoggerFactory = logs;
                o.Retry = RetryPolicy.None;
            }));

        /// <summary>The operator's topology, made by a bus in Declare mode: the item queue, the event exchange with a bound named queue, and their error queues.</summary>
        public async Task CreateTopologyAsync()
        {
            await using Bus admin = await ConnectAsync("dm-admin", VirtualHost.Uri, DeclareMode.Declare);
            await using (await admin.SubscribeAsync<DeclareModeItem>((_, _, _) => default))
            await using (await admin.SubscribeAsync<DeclareModeEvent>((_, _, _) => default, new SubscribeOptions { Queue = EventQueue }))
            {
            }
        }

        public void Dispose()
        {
            Broker.Ctl("delete_user", User);
            VirtualHost.Dispose();
        }
    }

    [Fact]
    public async Task None_mode_with_a_user_without_configure_permission_publishes_and_consumes_and_moves_failures_to_the_error_queue()
    {
        using Setup setup = Setup.Create("dm-none");
        await setup.CreateTopologyAsync();
        await using RawBroker raw = await setup.VirtualHost.RawAsync();
        await using Bus bus = await setup.ConnectAsync("dm-none", setup.RestrictedUri, DeclareMode.None);

        var items = new ConcurrentQueue<int>();
        var events = new ConcurrentQueue<int>();
        await using Subscription itemSubscription = await bus.SubscribeAsync<DeclareModeItem>((item, _, _) =>
        {
            if (item.Number == 13)
            {
                throw new InvalidOperationException("unlucky");
            }

            items.Enqueue(item.Number);
            return default;
        });
        await using Subscription eventSubscription = await bus.SubscribeAsync<DeclareModeEvent>(
            (e, _, _) => { events.Enqueue(e.Number); return default; }, new SubscribeOptions { Queue = EventQueue });
        Assert.Equal(EventQueue, eventSubscription.Queue);

        await bus.DeclareTopologyAsync();
        await bus.PublishAsync(new DeclareModeItem(1));
        await bus.PublishAsync(new DeclareModeItem(13));
        await bus.PublishAsync(new DeclareModeEvent(2));

        await WorkQueueTests.WaitUntilAsync(() => items.Contains(1) && events.Contains(2));
        await WorkQueueTests.WaitUntilAsync(async () => await raw.MessageCountAsync(ErrorQueues.NameFor("warren.test.dm.items")) == 1);
        BasicGetResult failed = (await raw.GetAsync(ErrorQueues.NameFor("warren.test.dm.items")))!;
        Assert.Equal("unlucky", failed.BasicProperties.Headers![ErrorQueues.ExceptionMessageHeader] is byte[] text ? System.Text.Encoding.UTF8.GetString(text) : null);

        // What the operator did not make fails at first use, with typed errors.
        TopologyException missingQueue = await Assert.ThrowsAsync<TopologyException>(() => bus.SubscribeAsync<DeclareModeMissingItem>((_, _, _) => default));
        Assert.Contains("'warren.test.dm.missing.q'", missingQueue.Message, StringComparison.Ordinal);
        Assert.Contains("DeclareMode.None", missingQueue.Message, StringComparison.Ordinal);
        Assert.Equal(404, missingQueue.ReplyCode);
        PublishInterruptedException missingExchange = await Assert.ThrowsAsync<PublishInterruptedException>(async () => await bus.PublishAsync(new DeclareModeMissingEvent(1)));
        Assert.Contains("warren.test.dm.missing", missingExchange.Message, StringComparison.Ordinal);
        // A missing queue drops what is published to it unless the message is mandatory, as in any mode.
        await Assert.ThrowsAsync<PublishReturnedException>(async () => await bus.PublishAsync(new DeclareModeMissingItem(1)));
        Assert.False(await raw.QueueExistsAsync("warren.test.dm.missing.q"));
    }

    [Fact]
    public async Task Verify_mode_with_a_user_without_configure_permission_passes_when_the_topology_exists_and_says_what_it_could_not_check()
    {
        using Setup setup = Setup.Create("dm-verify");
        await setup.CreateTopologyAsync();
        var logs = new CapturingLoggerFactory();
        await using Bus bus = await setup.ConnectAsync("dm-verify", setup.RestrictedUri, DeclareMode.Verify, logs);

        var events = new ConcurrentQueue<int>();
        await using Subscription subscription = await bus.SubscribeAsync<DeclareModeEvent>(
            (e, _, _) => { events.Enqueue(e.Number); return default; }, new SubscribeOptions { Queue = EventQueue });
        await bus.PublishAsync(new DeclareModeEvent(7));
        await WorkQueueTests.WaitUntilAsync(() => events.Contains(7));

        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Information && e.Message.Contains($"queue '{EventQueue}' exists", StringComparison.Ordinal)
            && e.Message.Contains("not verified", StringComparison.Ordinal));
        Assert.Contains(logs.Entries, e => e.Message.Contains("exchange 'warren.test.dm.events' exists", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_mode_reports_a_missing_exchange_a_missing_queue_and_a_queue_of_the_wrong_type_in_one_error_before_consuming_or_publishing()
    {
        const string queue = "warren.test.dm.wrongtype";
        using Setup setup = Setup.Create("dm-mismatch");
        await using RawBroker raw = await setup.VirtualHost.RawAsync();
        await using (IChannel channel = await raw.Connection.CreateChannelAsync())
        {
            // The operator made the queue classic; the subscription wants it quorum, dead-lettering to its error queue, which is missing.
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        }

        // The operator's own user: it may configure, so the arguments are checked too.
        await using Bus bus = await setup.ConnectAsync("dm-mismatch", setup.VirtualHost.Uri, DeclareMode.Verify);
        int handled = 0;
        TopologyVerificationException error = await Assert.ThrowsAsync<TopologyVerificationException>(() => bus.SubscribeAsync<DeclareModeMissingEvent>(
            (_, _, _) => { Interlocked.Increment(ref handled); return default; },
            new SubscribeOptions { Queue = queue, QueueType = QueueType.Quorum, DeliveryLimit = 3 }));

        Assert.Equal(
            [
                (TopologyEntityKind.Exchange, "warren.test.dm.missing", (ushort)404),
                (TopologyEntityKind.Queue, ErrorQueues.NameFor(queue), (ushort)404),
                (TopologyEntityKind.Queue, queue, (ushort)406),
            ],
            error.Differences.Select(d => (d.Kind, d.Name, d.ReplyCode)));
        Assert.Contains("inequivalent arg", error.Differences[2].Problem, StringComparison.Ordinal);
        Assert.Contains($"for queue '{queue}'", error.Differences[2].Problem, StringComparison.Ordinal);
        Assert.Contains("exchange 'warren.test.dm.missing': does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains($"queue '{ErrorQueues.NameFor(queue)}': does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains($"queue '{queue}': exists with other properties", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<TopologyException>(error);

        // Nothing was made, nothing consumes, nothing was published.
        await using (IChannel channel = await raw.Connection.CreateChannelAsync())
        {
            QueueDeclareOk state = await channel.QueueDeclarePassiveAsync(queue);
            Assert.Equal(0u, state.ConsumerCount);
            Assert.Equal(0u, state.MessageCount);
        }

        Assert.False(await raw.QueueExistsAsync(ErrorQueues.NameFor(queue)));
        TopologyVerificationException publish = await Assert.ThrowsAsync<TopologyVerificationException>(async () => await bus.PublishAsync(new DeclareModeMissingEvent(1)));
        Assert.Equal("warren.test.dm.missing", Assert.Single(publish.Differences).Name);
        await using (IChannel channel = await raw.Connection.CreateChannelAsync())
        {
            OperationInterruptedException missing = await Assert.ThrowsAsync<OperationInterruptedException>(() => channel.ExchangeDeclarePassiveAsync("warren.test.dm.missing"));
            Assert.Equal(404, missing.ShutdownReason!.ReplyCode);
        }

        // DeclareTopologyAsync verifies everything the loaded code knows, in one error too.
        TopologyVerificationException all = await Assert.ThrowsAsync<TopologyVerificationException>(() => bus.DeclareTopologyAsync());
        Assert.Contains(all.Differences, d => d.Name == "warren.test.dm.missing");
        Assert.Contains(all.Differences, d => d.Name == "warren.test.dm.items");
        Assert.Equal(0, handled);
    }

    [Fact]
    public async Task Declare_mode_with_a_user_without_configure_permission_fails_with_access_refused()
    {
        using Setup setup = Setup.Create("dm-declare");
        await setup.CreateTopologyAsync();
        await using Bus bus = await setup.ConnectAsync("dm-declare", setup.RestrictedUri, DeclareMode.Declare);

        BrokerAccessDeniedException error = await Assert.ThrowsAsync<BrokerAccessDeniedException>(() => bus.SubscribeAsync<DeclareModeItem>((_, _, _) => default));
        Assert.Equal("queue 'warren.test.dm.items'", error.Resource);
        Assert.Equal(403, error.ReplyCode);
    }

    [Fact]
    public async Task Client_owned_temporary_queues_are_declared_in_every_mode_and_need_configure_permission_on_their_names()
    {
        using Setup setup = Setup.Create("dm-temporary");
        await setup.CreateTopologyAsync();
        await using Bus bus = await setup.ConnectAsync("dm-temporary", setup.RestrictedUri, DeclareMode.None);

        // RabbitMQ 3.10 checks configure permission on the name it generates (amq.gen-...).
        BrokerAccessDeniedException error = await Assert.ThrowsAsync<BrokerAccessDeniedException>(() => bus.SubscribeAsync<DeclareModeEvent>((_, _, _) => default));
        Assert.StartsWith("queue 'amq.gen-", error.Resource, StringComparison.Ordinal);

        // Granted on those names only, the subscription works, still without configure permission on the operator's entities.
        Broker.Ctl("set_permissions", "-p", setup.VirtualHost.Name, setup.User, "^amq\\.gen-.*", ".*", ".*");
        await using Bus granted = await setup.ConnectAsync("dm-temporary-granted", setup.RestrictedUri, DeclareMode.None);
        var events = new ConcurrentQueue<int>();
        await using Subscription subscription = await granted.SubscribeAsync<DeclareModeEvent>((e, _, _) => { events.Enqueue(e.Number); return default; });
        Assert.StartsWith("amq.gen-", subscription.Queue, StringComparison.Ordinal);
        await granted.PublishAsync(new DeclareModeEvent(3));
        await WorkQueueTests.WaitUntilAsync(() => events.Contains(3));
    }
}
