using System;
using System.Threading;
using System.Threading.Tasks;
using Warren.IntegrationTests.Infrastructure;
using Xunit;

namespace Warren.IntegrationTests;

[Queue("warren.test.limits.items")]
public sealed record LimitedItem(string Text);

[Topic("warren.test.limits.topic", RoutingKey = "{Key}")]
public sealed record KeyedItem(string Key);

[RpcService("warren.test.limits.echo")]
public interface ITestEcho
{
    [RpcMethod] Task<string> EchoAsync(string text, int times, CancellationToken cancellationToken = default);
}

public sealed class TestEcho : ITestEcho
{
    public int Calls;

    public Task<string> EchoAsync(string text, int times, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Calls);
        return Task.FromResult(string.Concat(System.Linq.Enumerable.Repeat(text, times)));
    }
}

public sealed class MessageLimitTests
{
    [Fact]
    public async Task A_message_larger_than_MaxMessageSize_is_refused_before_it_is_sent_with_the_sizes_and_how_to_raise_the_limit()
    {
        const string queue = "warren.test.limits.items";
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: [queue]);
        await using Bus bus = await Broker.ConnectAsync("limits-body", o => o.MaxMessageSize = 1024);

        MessageLimitException error = await Assert.ThrowsAsync<MessageLimitException>(async () => await bus.PublishAsync(new LimitedItem(new string('x', 2000))));

        Assert.Equal(MessageLimit.BodySize, error.Limit);
        Assert.Equal(2000 + """{"text":""}""".Length, error.ActualBytes);
        Assert.Equal(1024, error.AllowedBytes);
        Assert.Contains("BusOptions.MaxMessageSize", error.Message);
        Assert.Contains("1024", error.Message);
        Assert.IsAssignableFrom<WarrenException>(error);
        Assert.Equal(0u, await raw.MessageCountAsync(queue));

        await bus.PublishAsync(new LimitedItem(new string('x', 1000)));
        Assert.Equal(1u, await raw.MessageCountAsync(queue));
    }

    [Fact]
    public async Task A_routing_key_over_255_bytes_is_refused_with_the_same_typed_exception_saying_the_limit_cannot_be_raised()
    {
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(exchanges: ["warren.test.limits.topic"]);
        await using Bus bus = await Broker.ConnectAsync("limits-routing-key");

        // 200 characters, 400 bytes in UTF-8.
        MessageLimitException fromTemplate = await Assert.ThrowsAsync<MessageLimitException>(async () => await bus.PublishAsync(new KeyedItem(new string('é', 200))));
        MessageLimitException explicitKey = await Assert.ThrowsAsync<MessageLimitException>(async () => await bus.PublishAsync(new KeyedItem("a"), routingKey: new string('k', 256)));

        Assert.Equal(MessageLimit.RoutingKeyLength, fromTemplate.Limit);
        Assert.Equal(400, fromTemplate.ActualBytes);
        Assert.Equal(255, fromTemplate.AllowedBytes);
        Assert.Contains("cannot be raised", fromTemplate.Message);
        Assert.Equal(256, explicitKey.ActualBytes);

        // 255 bytes exactly is fine.
        await bus.PublishAsync(new KeyedItem(new string('k', 255)));
    }

    [Fact]
    public async Task An_rpc_request_or_reply_over_MaxMessageSize_fails_the_call_with_the_limit_instead_of_a_timeout()
    {
        await using RawBroker raw = await Broker.RawAsync();
        await raw.CleanAsync(queues: ["warren.test.limits.echo"]);
        await using Bus bus = await Broker.ConnectAsync("limits-rpc", o => o.MaxMessageSize = 1024);
        var echo = new TestEcho();
        await using Subscription server = await bus.ServeAsync<ITestEcho>(echo);
        ITestEcho client = bus.CreateClient<ITestEcho>(new RpcClientOptions { Timeout = TimeSpan.FromSeconds(10) });

        MessageLimitException request = await Assert.ThrowsAsync<MessageLimitException>(() => client.EchoAsync(new string('x', 2000), 1));
        Assert.Equal(MessageLimit.BodySize, request.Limit);
        Assert.Contains("request to warren.test.limits.echo.Echo", request.Message);
        Assert.Equal(0, Volatile.Read(ref echo.Calls));

        RpcException reply = await Assert.ThrowsAsync<RpcException>(() => client.EchoAsync("abc", 500));
        Assert.Equal(typeof(MessageLimitException).FullName, reply.RemoteType);
        Assert.Contains("reply of warren.test.limits.echo.Echo", reply.RemoteMessage);

        Assert.Equal("abcabc", await client.EchoAsync("abc", 2));
    }

    [Fact]
    public async Task The_limits_default_to_RabbitMQ_4s_max_message_size_and_a_30_second_publish_timeout_and_nonsense_values_are_refused()
    {
        var defaults = new BusOptions();
        Assert.Equal(16 * 1024 * 1024, defaults.MaxMessageSize);
        Assert.Equal(TimeSpan.FromSeconds(30), defaults.PublishTimeout);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Bus.ConnectAsync(Broker.Options("limits-zero", o => o.MaxMessageSize = 0)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Bus.ConnectAsync(Broker.Options("limits-timeout", o => o.PublishTimeout = TimeSpan.Zero)));
    }
}
