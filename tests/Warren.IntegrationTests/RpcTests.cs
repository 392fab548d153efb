using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Warren.IntegrationTests.Infrastructure;
using Xunit;

namespace Warren.IntegrationTests;

[RpcService("warren.test.rpc.fib")]
public interface ITestFibonacci
{
    [RpcMethod] Task<long> FibAsync(int n, CancellationToken cancellationToken = default);
}

public sealed record Sum(int Total, string Expression);

[RpcService("warren.test.rpc.calc"), Durable]
public interface ITestCalculator
{
    [RpcMethod] Task<Sum> AddAsync(int a, int b, CancellationToken cancellationToken = default);

    [RpcMethod("div")] ValueTask<double> DivideAsync(double x, double y);

    [RpcMethod] Task ResetAsync();

    [RpcMethod] ValueTask TouchAsync(string? who, CancellationToken cancellationToken = default);

    [RpcMethod] Task<int> FailAsync(string message);

    [RpcMethod] Task<int> SlowAsync(int milliseconds, CancellationToken cancellationToken = default);
}

public sealed class TestFibonacci : ITestFibonacci
{
    public int Calls;

    public Task<long> FibAsync(int n, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Calls);
        long a = 0, b = 1;
        for (int i = 0; i < n; i++)
        {
            (a, b) = (b, a + b);
        }

        return Task.FromResult(a);
    }
}

public sealed class TestCalculator : ITestCalculator
{
    public int Resets;
    public ConcurrentQueue<string?> Touched { get; } = new();

    public Task<Sum> AddAsync(int a, int b, CancellationToken cancellationToken = default) => Task.FromResult(new Sum(a + b, $"{a} + {b}"));

    public ValueTask<double> DivideAsync(double x, double y) => ValueTask.FromResult(x / y);

    public Task ResetAsync()
    {
        Interlocked.Increment(ref Resets);
        return Task.CompletedTask;
    }

    public ValueTask TouchAsync(string? who, CancellationToken cancellationToken = default)
    {
        Touched.Enqueue(who);
        return ValueTask.CompletedTask;
    }

    public Task<int> FailAsync(string message) => throw new InvalidOperationException(message);

    public async Task<int> SlowAsync(int milliseconds, CancellationToken cancellationToken = default)
    {
        await Task.Delay(milliseconds, cancellationToken);
        return milliseconds;
    }
}

public sealed class RpcTests
{
    [Fact]
    public async Task Every_return_shape_round_trips()
    {
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: ["warren.test.rpc.calc"]);
        await using Bus bus = await Broker.ConnectAsync("rpc-shapes");
        var calculator = new TestCalculator();
        await using Subscription server = await bus.ServeAsync<ITestCalculator>(calculator);
        ITestCalculator client = bus.CreateClient<ITestCalculator>();

        Assert.Equal(new Sum(5, "2 + 3"), await client.AddAsync(2, 3));
        Assert.Equal(2.5, await client.DivideAsync(5, 2));
        await client.ResetAsync();
        Assert.Equal(1, calculator.Resets);
        await client.TouchAsync("ada");
        await client.TouchAsync(null);
        Assert.Equal(["ada", null], calculator.Touched);
    }

    [Fact]
    public async Task A_thousand_concurrent_calls_from_sixteen_tasks_are_all_answered_correctly()
    {
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: ["warren.test.rpc.fib"]);
        await using Bus bus = await Broker.ConnectAsync("rpc-concurrent");
        await using Subscription server = await bus.ServeAsync<ITestFibonacci>(new TestFibonacci(), new ServeOptions { Prefetch = 32 });
        ITestFibonacci client = bus.CreateClient<ITestFibonacci>();

        long[] expected = Enumerable.Range(0, 64).Select(n => new TestFibonacci().FibAsync(n).Result).ToArray();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(worker => Task.Run(async () =>
        {
            for (int i = 0; i < 63; i++)
            {
                int n = (worker * 7 + i) % 64;
                Assert.Equal(expected[n], await client.FibAsync(n));
            }
        })));
    }

    [Fact]
    public async Task Two_servers_on_one_queue_each_take_part_of_the_load()
    {
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: ["warren.test.rpc.fib"]);
        await using Bus serverBus = await Broker.ConnectAsync("rpc-two-servers");
        var first = new TestFibonacci();
        var second = new TestFibonacci();
        await using Subscription a = await serverBus.ServeAsync<ITestFibonacci>(first, new ServeOptions { Prefetch = 1 });
        await using Subscription b = await serverBus.ServeAsync<ITestFibonacci>(second, new ServeOptions { Prefetch = 1 });
        await using Bus clientBus = await Broker.ConnectAsync("rpc-two-servers-client");
        ITestFibonacci client = clientBus.CreateClient<ITestFibonacci>();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (int i = 0; i < 25; i++)
            {
                Assert.Equal(832040, await client.FibAsync(30));
            }
        })));

        Assert.Equal(200, first.Calls + second.Calls);
        Assert.InRange(first.Calls, 20, 180);
        Assert.InRange(second.Calls, 20, 180);
    }

    [Fact]
    public async Task A_server_exception_comes_back_as_an_RpcException_with_type_and_message_but_no_stack_trace_unless_asked()
    {
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: ["warren.test.rpc.calc"]);
        await using Bus bus = await Broker.ConnectAsync("rpc-errors");
        ITestCalculator client = bus.CreateClient<ITestCalculator>();

        await using (Subscription server = await bus.ServeAsync<ITestCalculator>(new TestCalculator()))
        {
            RpcException error = await Assert.ThrowsAsync<RpcException>(() => client.FailAsync("the disk is on fire"));
            Assert.Equal(typeof(InvalidOperationException).FullName, error.RemoteType);
            Assert.Equal("the disk is on fire", error.RemoteMessage);
            Assert.Null(error.RemoteStackTrace);
            Assert.Equal("Fail", error.Method);
            Assert.Equal(new Sum(3, "1 + 2"), await client.AddAsync(1, 2));   // the server is still serving
        }

        await using (Subscription server = await bus.ServeAsync<ITestCalculator>(new TestCalculator(), new ServeOptions { IncludeExceptionDetails = true }))
        {
            RpcException error = await Assert.ThrowsAsync<RpcException>(() => client.FailAsync("again"));
            Assert.Contains(nameof(TestCalculator.FailAsync), error.RemoteStackTrace);
        }
    }

    [Fact]
    public async Task A_call_without_reply_times_out_and_its_abandoned_request_expires_unexecuted()
    {
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: ["warren.test.rpc.calc"]);
        await using Bus bus = await Broker.ConnectAsync("rpc-timeout");
        ITestCalculator client = bus.CreateClient<ITestCalculator>(new RpcClientOptions { Timeout = TimeSpan.FromMilliseconds(300) });

        DateTime started = DateTime.UtcNow;
        TimeoutException timeout = await Assert.ThrowsAsync<TimeoutException>(() => client.ResetAsync());   // no server yet
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(3));
        Assert.Contains("Reset", timeout.Message);

        // The request carried the timeout as its expiration: a server that starts later never runs it.
        await Task.Delay(400);
        var calculator = new TestCalculator();
        await using Subscription server = await bus.ServeAsync<ITestCalculator>(calculator);
        await Task.Delay(500);
        Assert.Equal(0, calculator.Resets);
        Assert.Equal(0u, await raw.MessageCountAsync("warren.test.rpc.calc"));

        // A per-call token gives up sooner than the client's timeout.
        ITestCalculator patient = bus.CreateClient<ITestCalculator>();
        using var soon = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => patient.SlowAsync(5_000, soon.Token));
    }

    [Fact]
    public async Task Cancelling_a_call_stops_the_wait_and_the_late_reply_is_dropped_and_counted_not_delivered_elsewhere()
    {
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: ["warren.test.rpc.calc"]);
        await using Bus bus = await Broker.ConnectAsync("rpc-cancel");
        await using Subscription server = await bus.ServeAsync<ITestCalculator>(new TestCalculator(), new ServeOptions { ConcurrentRequests = 2, Prefetch = 2 });
        ITestCalculator client = bus.CreateClient<ITestCalculator>();

        using var cancel = new CancellationTokenSource();
        Task<int> slow = client.SlowAsync(400, cancel.Token);
        await Task.Delay(100);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slow);

        // Meanwhile other calls get their own answers, and the cancelled call's reply, when it comes, goes nowhere.
        Assert.Equal(50, await client.SlowAsync(50));
        await WorkQueueTests.WaitUntilAsync(() => bus.DroppedRpcReplies == 1);
        Assert.Equal(new Sum(9, "4 + 5"), await client.AddAsync(4, 5));
    }

    [Fact]
    public async Task Unknown_methods_and_malformed_requests_get_error_replies_and_the_server_keeps_serving()
    {
        const string queue = "warren.test.rpc.calc";
        const string replies = "warren.test.rpc.raw_replies";
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [queue, replies]);
        await using Bus bus = await Broker.ConnectAsync("rpc-bad-requests");
        await using Subscription server = await bus.ServeAsync<ITestCalculator>(new TestCalculator());
        await using (RabbitMQ.Client.IChannel channel = await raw.Connection.CreateChannelAsync())
        {
            await channel.QueueDeclareAsync(replies, durable: false, exclusive: false, autoDelete: false);
        }

        async Task<(string? Error, string Body)> AskAsync(string? type, string body)
        {
            string id = Guid.NewGuid().ToString();
            await raw.PublishAsync("", queue, System.Text.Encoding.UTF8.GetBytes(body),
                new RabbitMQ.Client.BasicProperties { Type = type, ReplyTo = replies, CorrelationId = id });
            RabbitMQ.Client.BasicGetResult? reply = null;
            await WorkQueueTests.WaitUntilAsync(async () => (reply = await raw.GetAsync(replies)) is not null);
            Assert.Equal(id, reply!.BasicProperties.CorrelationId);
            object? error = null;
            reply.BasicProperties.Headers?.TryGetValue("x-warren-error", out error);
            return (error is byte[] bytes ? System.Text.Encoding.UTF8.GetString(bytes) : null, System.Text.Encoding.UTF8.GetString(reply.Body.Span));
        }

        (string? unknown, string unknownBody) = await AskAsync("Multiply", "{}");
        Assert.Equal(RpcException.UnknownMethod, unknown);
        Assert.Contains("Multiply", unknownBody);

        (string? untyped, _) = await AskAsync(null, "{}");   // no type and more than one method: which one?
        Assert.Equal(RpcException.UnknownMethod, untyped);

        (string? notJson, _) = await AskAsync("Add", "this is not json");
        Assert.Equal(RpcException.MalformedRequest, notJson);

        (string? missing, string missingBody) = await AskAsync("Add", """{"a": 1}""");
        Assert.Equal(RpcException.MalformedRequest, missing);
        using (var parsed = System.Text.Json.JsonDocument.Parse(missingBody))
        {
            Assert.Contains("'b'", parsed.RootElement.GetProperty("message").GetString());
        }

        (string? wrongType, _) = await AskAsync("Slow", "\"soon\"");
        Assert.Equal(RpcException.MalformedRequest, wrongType);

        (string? fine, string fineBody) = await AskAsync("Add", """{"a": 20, "b": 22}""");
        Assert.Null(fine);
        Assert.Equal(new Sum(42, "20 + 22"), System.Text.Json.JsonSerializer.Deserialize<Sum>(fineBody, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)));
        Assert.Equal(0u, await raw.MessageCountAsync(queue));
    }

    [Fact]
    public async Task A_private_reply_queue_works_like_direct_reply_to()
    {
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: ["warren.test.rpc.fib"]);
        await using Bus bus = await Broker.ConnectAsync("rpc-private-reply");
        await using Subscription server = await bus.ServeAsync<ITestFibonacci>(new TestFibonacci());
        ITestFibonacci client = bus.CreateClient<ITestFibonacci>(new RpcClientOptions { ReplyQueue = RpcReplyQueue.Private });

        Assert.Equal(55, await client.FibAsync(10));
        Assert.Equal(832040, await client.FibAsync(30));
    }

    [Fact]
    public async Task Disposing_a_server_finishes_the_request_in_flight_and_takes_no_more()
    {
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: ["warren.test.rpc.calc"]);
        await using Bus bus = await Broker.ConnectAsync("rpc-server-dispose");
        var calculator = new TestCalculator();
        Subscription server = await bus.ServeAsync<ITestCalculator>(calculator);
        ITestCalculator client = bus.CreateClient<ITestCalculator>(new RpcClientOptions { Timeout = TimeSpan.FromSeconds(2) });

        Task<int> inFlight = client.SlowAsync(500);
        await Task.Delay(150);
        await server.DisposeAsync();
        Assert.Equal(500, await inFlight);

        await Assert.ThrowsAsync<TimeoutException>(() => client.ResetAsync());
        Assert.Equal(0, calculator.Resets);
    }

    [Theory]
    [InlineData(RpcReplyQueue.DirectReplyTo)]
    [InlineData(RpcReplyQueue.Private)]
    public async Task Calls_work_again_after_the_broker_restarts_with_either_kind_of_reply_queue(RpcReplyQueue replyQueue)
    {
        await using PrivateBroker broker = await PrivateBroker.StartAsync();
        var options = new BusOptions { Uri = broker.Uri, ClientName = "rpc-recovery", NetworkRecoveryInterval = TimeSpan.FromMilliseconds(500) };
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using Bus bus = await Bus.ConnectAsync(options, patience.Token);
        await using Subscription server = await bus.ServeAsync<ITestFibonacci>(new TestFibonacci());
        ITestFibonacci client = bus.CreateClient<ITestFibonacci>(new RpcClientOptions { ReplyQueue = replyQueue, Timeout = TimeSpan.FromSeconds(3) });
        Assert.Equal(55, await client.FibAsync(10));

        broker.StopApp();
        broker.StartApp();

        // The client library recovers the connection, the server's consumer and the reply consumer; calls go through again.
        long answer = 0;
        await WorkQueueTests.WaitUntilAsync(async () =>
        {
            try
            {
                answer = await client.FibAsync(11);
                return true;
            }
            catch (Exception ex) when (ex is TimeoutException or WarrenException or RabbitMQ.Client.Exceptions.AlreadyClosedException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30));
        Assert.Equal(89, answer);
        Assert.Equal(144, await client.FibAsync(12));
    }
}
