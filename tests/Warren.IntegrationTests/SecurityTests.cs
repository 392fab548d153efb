using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Warren.IntegrationTests.Infrastructure;
using Xunit;

namespace Warren.IntegrationTests;

[Fanout("warren.test.sec.nowrite")]
public sealed record NoWriteEvent(int Number);

[Queue("warren.test.sec.nowrite.q")]
public sealed record NoWriteItem(int Number);

[Fanout("warren.test.sec.noconfigure")]
public sealed record NoConfigureEvent(int Number);

[Queue("warren.test.sec.noconfigure.q")]
public sealed record NoConfigureItem(int Number);

[Queue("warren.test.sec.noread")]
public sealed record NoReadItem(int Number);

[Queue("warren.test.sec.leak")]
public sealed record LeakItem(int Number);

[Fanout("warren.test.sec.leak.denied")]
public sealed record LeakDeniedEvent(int Number);

/// <summary>A user of the shared broker made for one test, with a password nothing else uses; deleted at the end.</summary>
public sealed class TestUser : IDisposable
{
    private TestUser(string name, string password)
    {
        Name = name;
        Password = password;
    }

    public string Name { get; }

    public string Password { get; }

    public Uri Uri => new UriBuilder(Broker.Uri) { UserName = Name, Password = Uri.EscapeDataString(Password) }.Uri;

    /// <summary>Creates the user with these permission patterns on vhost '/' (configure, write, read; "" grants nothing).</summary>
    public static TestUser Create(string configure, string write, string read)
    {
        string id = Guid.NewGuid().ToString("N");
        var user = new TestUser($"warren-test-{id[..12]}", $"Pw{id}!hunter2");
        Broker.Ctl("add_user", user.Name, user.Password);
        Broker.Ctl("set_permissions", "-p", "/", user.Name, configure, write, read);
        return user;
    }

    public BusOptions Options(string clientName, CapturingLoggerFactory? logs = null) =>
        Broker.Options(clientName, o =>
        {
            o.Uri = Uri;
            o.LoggerFactory = logs;
            o.NetworkRecoveryInterval = TimeSpan.FromMilliseconds(200);
        });

    public async Task<Bus> ConnectAsync(string clientName, CapturingLoggerFactory? logs = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        return await Bus.ConnectAsync(Options(clientName, logs), timeout.Token);
    }

    /// <summary>Closes this user's connections from the broker side (CONNECTION_FORCED), as an operator would.</summary>
    public int CloseConnections()
    {
        int closed = 0;
        foreach (string line in Broker.Ctl("list_connections", "-q", "--no-table-headers", "pid", "user").Split('\n'))
        {
            string[] columns = line.Split('\t');
            if (columns.Length == 2 && columns[1].Trim() == Name)
            {
                Broker.Ctl("close_connection", columns[0].Trim(), "warren test: closed by an operator");
                closed++;
            }
        }

        return closed;
    }

    public void Dispose() => Broker.Ctl("delete_user", Name);
}

public sealed class SecurityTests
{
    [Fact]
    public async Task Publishing_without_write_permission_fails_at_once_with_access_denied_naming_the_exchange_and_vhost_without_resending()
    {
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: ["warren.test.sec.nowrite.q"], exchanges: ["warren.test.sec.nowrite"]);
        using TestUser user = TestUser.Create(configure: ".*", write: "", read: ".*");
        await using Bus bus = await user.ConnectAsync("sec-no-write");

        var clock = Stopwatch.StartNew();
        BrokerAccessDeniedException toExchange = await Assert.ThrowsAsync<BrokerAccessDeniedException>(async () => await bus.PublishAsync(new NoWriteEvent(1)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"refused after {clock.Elapsed}: access denied must not be retried");
        Assert.Equal("exchange 'warren.test.sec.nowrite'", toExchange.Resource);
        Assert.Equal("/", toExchange.VirtualHost);
        Assert.Equal(403, toExchange.ReplyCode);
        Assert.Contains(user.Name, toExchange.Message);

        // The default exchange too; and the bus stays usable, refusing each publish the same way.
        BrokerAccessDeniedException toQueue = await Assert.ThrowsAsync<BrokerAccessDeniedException>(async () => await bus.PublishAsync(new NoWriteItem(1)));
        Assert.Equal("exchange 'amq.default'", toQueue.Resource);
        await Assert.ThrowsAsync<BrokerAccessDeniedException>(async () => await bus.PublishAsync(new NoWriteEvent(2)));
        Assert.True(bus.IsConnected);
        Assert.Equal(0u, await raw.MessageCountAsync("warren.test.sec.nowrite.q"));
    }

    [Fact]
    public async Task Declaring_without_configure_permission_fails_with_access_denied_not_a_topology_error()
    {
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: ["warren.test.sec.noconfigure.q", ErrorQueues.NameFor("warren.test.sec.noconfigure.q")], exchanges: ["warren.test.sec.noconfigure"]);
        using TestUser user = TestUser.Create(configure: "", write: ".*", read: ".*");
        await using Bus bus = await user.ConnectAsync("sec-no-configure");

        BrokerAccessDeniedException exchange = await Assert.ThrowsAsync<BrokerAccessDeniedException>(async () => await bus.PublishAsync(new NoConfigureEvent(1)));
        Assert.Equal("exchange 'warren.test.sec.noconfigure'", exchange.Resource);
        BrokerAccessDeniedException queue = await Assert.ThrowsAsync<BrokerAccessDeniedException>(
            () => bus.SubscribeAsync<NoConfigureItem>((_, _, _) => default));
        Assert.Equal("queue 'warren.test.sec.noconfigure.q'", queue.Resource);
        Assert.Equal("/", queue.VirtualHost);
    }

    [Fact]
    public async Task Consuming_without_read_permission_fails_with_access_denied_naming_the_queue()
    {
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: ["warren.test.sec.noread", ErrorQueues.NameFor("warren.test.sec.noread")]);
        using TestUser user = TestUser.Create(configure: ".*", write: ".*", read: "");
        await using Bus bus = await user.ConnectAsync("sec-no-read");

        var clock = Stopwatch.StartNew();
        BrokerAccessDeniedException error = await Assert.ThrowsAsync<BrokerAccessDeniedException>(
            () => bus.SubscribeAsync<NoReadItem>((_, _, _) => default));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"refused after {clock.Elapsed}: access denied must not be retried");
        Assert.Equal("queue 'warren.test.sec.noread'", error.Resource);
        Assert.Equal("/", error.VirtualHost);
    }

    [Fact]
    public async Task The_password_never_appears_in_a_log_line_an_exception_a_ToString_or_a_trace_tag()
    {
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: ["warren.test.sec.leak", ErrorQueues.NameFor("warren.test.sec.leak")], exchanges: ["warren.test.sec.leak.denied"]);
        using TestUser user = TestUser.Create(configure: ".*", write: "^amq\\.default$", read: ".*");
        var logs = new CapturingLoggerFactory();
        var seen = new List<string>();
        using var traces = new TraceTagRecorder();
        using Activity test = traces.StartTestActivity();

        // 1. Nobody listening: each failed attempt is logged before the next.
        BusOptions unreachable = user.Options("sec-leak-unreachable", logs);
        unreachable.Uri = new UriBuilder(unreachable.Uri) { Host = "127.0.0.1", Port = 1 }.Uri;
        using (var patience = new CancellationTokenSource(TimeSpan.FromSeconds(1.5)))
        {
            seen.Add((await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Bus.ConnectAsync(unreachable, patience.Token))).ToString());
        }

        seen.Add(unreachable.ToString());

        // 2. A wrong password: refused at once; that password must not show either.
        BusOptions wrong = user.Options("sec-leak-wrong", logs);
        string wrongPassword = user.Password + "-wrong";
        wrong.Uri = new UriBuilder(wrong.Uri) { Password = Uri.EscapeDataString(wrongPassword) }.Uri;
        seen.Add((await Assert.ThrowsAsync<BrokerAccessDeniedException>(() => Bus.ConnectAsync(wrong))).ToString());

        // 3. Connected: a publish the user may not make, a connection the broker closes, and the recovery.
        await using Bus bus = await user.ConnectAsync("sec-leak", logs);
        var events = new ConcurrentQueue<string>();
        bus.ConnectionLost += (_, e) => events.Enqueue($"{e} {e.Reason} {e.Exception}");
        bus.ConnectionRecovered += (_, e) => events.Enqueue(e.ToString() ?? string.Empty);
        await using Subscription subscription = await bus.SubscribeAsync<LeakItem>((_, _, _) => default);
        await bus.PublishAsync(new LeakItem(1));
        seen.Add((await Assert.ThrowsAsync<BrokerAccessDeniedException>(async () => await bus.PublishAsync(new LeakDeniedEvent(1)))).ToString());

        Assert.Equal(1, user.CloseConnections());
        await WorkQueueTests.WaitUntilAsync(() => events.Count >= 2);
        await bus.PublishAsync(new LeakItem(2));
        seen.AddRange([bus.ToString(), bus.Options.ToString(), subscription.ToString(), .. events]);

        Assert.Contains(logs.Entries, e => e.Message.Contains("127.0.0.1:1", StringComparison.Ordinal));
        Assert.Contains(logs.Entries, e => e.Message.Contains("CONNECTION_FORCED", StringComparison.Ordinal));
        Assert.Contains(traces.Tags, tag => tag.Contains("warren.test.sec.leak", StringComparison.Ordinal));
        seen.AddRange(logs.Entries.Select(e => $"{e.Message} {e.Exception}"));
        seen.AddRange(traces.Tags);
        foreach (string secret in new[] { user.Password, wrongPassword })
        {
            foreach (string form in new[] { secret, Uri.EscapeDataString(secret) })
            {
                Assert.DoesNotContain(seen, text => text.Contains(form, StringComparison.Ordinal));
            }
        }

        Assert.Contains(seen, text => text.Contains(user.Name, StringComparison.Ordinal));
    }

    /// <summary>
    /// Records the tags of RabbitMQ.Client's publish and deliver activities, only under this test's own root activity, so
    /// that the other tests' publishes stay untraced.
    /// </summary>
    private sealed class TraceTagRecorder : IDisposable
    {
        private readonly ActivitySource _source = new("Warren.Tests.Security");
        private readonly ActivityListener _listener;
        private readonly ConcurrentQueue<string> _tags = new();
        private ActivityTraceId _trace;

        public TraceTagRecorder()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name.StartsWith("RabbitMQ", StringComparison.Ordinal) || source == _source,
                Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
                    options.Source == _source || options.Parent.TraceId == _trace ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.None,
                ActivityStopped = activity =>
                {
                    if (activity.TraceId == _trace)
                    {
                        _tags.Enqueue($"{activity.DisplayName} {string.Join(' ', activity.TagObjects.Select(tag => $"{tag.Key}={tag.Value}"))}");
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public IReadOnlyList<string> Tags => [.. _tags];

        public Activity StartTestActivity()
        {
            Activity activity = _source.StartActivity("security test")!;
            _trace = activity.TraceId;
            return activity;
        }

        public void Dispose()
        {
            _listener.Dispose();
            _source.Dispose();
        }
    }
}
