using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Warren.IntegrationTests.Infrastructure;
using Xunit;

namespace Warren.Hosting.Tests;

/// <summary>Warren's options from appsettings.json, and the errors that name what is wrong in them before anything connects.</summary>
public sealed class ConfigurationTests
{
    private const string Settings = """
        {
          "Warren": {
            "Uri": "amqp://orders:secret@rabbit.example.com:5673/shop",
            "ClientName": "orders-worker",
            "Prefetch": 12,
            "MaxOutstandingConfirms": 100,
            "PublishTimeout": "00:00:05",
            "MaxMessageSize": 1048576,
            "Heartbeat": "00:00:10",
            "NetworkRecoveryInterval": "00:00:03",
            "ShutdownTimeout": "00:00:20",
            "DeclareMode": "verify",
            "Retry": { "MaxRetries": 5, "InitialDelay": "00:00:00.100", "MaxDelay": "00:00:02" },
            "Consumers": {
              "OrderConsumer": {
                "Queue": "orders.eu",
                "Durable": true,
                "QueueType": "Quorum",
                "DeliveryLimit": 3,
                "Prefetch": 4,
                "ConcurrentHandlers": 2,
                "Bindings": [ "eu", "fr" ],
                "ErrorQueue": "orders.failed",
                "MessageTtl": "00:05:00",
                "Expires": "1.00:00:00",
                "MaxLength": 1000,
                "MaxLengthBytes": 1048576,
                "Overflow": "RejectPublish",
                "DeadLetterExchange": "",
                "DeadLetterRoutingKey": "orders.expired",
                "MaxPriority": 0,
                "SingleActiveConsumer": true,
                "Retry": { "MaxRetries": 1 }
              }
            },
            "RpcServers": { "IPricing": { "Prefetch": 3, "ConcurrentRequests": 2, "IncludeExceptionDetails": true } },
            "RpcClients": { "IPricing": { "Timeout": "00:00:02", "ReplyQueue": "Private" } }
          }
        }
        """;

    [Fact]
    public void AddWarren_reads_every_setting_from_appsettings_json_including_the_named_consumer_server_and_client_sections()
    {
        using IHost host = Build(Settings);

        BusOptions bus = host.Services.GetRequiredService<IOptions<BusOptions>>().Value;
        Assert.Equal(new Uri("amqp://orders:secret@rabbit.example.com:5673/shop"), bus.Uri);
        Assert.Equal("orders-worker", bus.ClientName);
        Assert.Equal(12, bus.Prefetch);
        Assert.Equal(100, bus.MaxOutstandingConfirms);
        Assert.Equal(TimeSpan.FromSeconds(5), bus.PublishTimeout);
        Assert.Equal(1048576, bus.MaxMessageSize);
        Assert.Equal(TimeSpan.FromSeconds(10), bus.Heartbeat);
        Assert.Equal(TimeSpan.FromSeconds(3), bus.NetworkRecoveryInterval);
        Assert.Equal(TimeSpan.FromSeconds(20), bus.ShutdownTimeout);
        Assert.Equal(DeclareMode.Verify, bus.DeclareMode);
        Assert.Equal(5, bus.Retry.MaxRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(100), bus.Retry.InitialDelay);
        Assert.Equal(TimeSpan.FromSeconds(2), bus.Retry.MaxDelay);
        // The host's logging, unless the application sets its own.
        Assert.NotNull(bus.LoggerFactory);

        SubscribeOptions consumer = host.Services.GetRequiredService<IOptionsMonitor<SubscribeOptions>>().Get(nameof(OrderConsumer));
        Assert.Equal("orders.eu", consumer.Queue);
        Assert.True(consumer.Durable);
        Assert.Equal(QueueType.Quorum, consumer.QueueType);
        Assert.Equal(3, consumer.DeliveryLimit);
        Assert.Equal((ushort)4, consumer.Prefetch);
        Assert.Equal((ushort)2, consumer.ConcurrentHandlers);
        Assert.Equal(["eu", "fr"], consumer.Bindings);
        Assert.Equal("orders.failed", consumer.ErrorQueue);
        Assert.Equal(TimeSpan.FromMinutes(5), consumer.MessageTtl);
        Assert.Equal(TimeSpan.FromDays(1), consumer.Expires);
        Assert.Equal(1000L, consumer.MaxLength);
        Assert.Equal(1048576L, consumer.MaxLengthBytes);
        Assert.Equal(QueueOverflow.RejectPublish, consumer.Overflow);
        Assert.Equal("", consumer.DeadLetterExchange);
        Assert.Equal("orders.expired", consumer.DeadLetterRoutingKey);
        Assert.Equal((byte)0, consumer.MaxPriority);
        Assert.True(consumer.SingleActiveConsumer);
        Assert.Equal(1, consumer.Retry!.MaxRetries);

        ServeOptions server = host.Services.GetRequiredService<IOptionsMonitor<ServeOptions>>().Get(nameof(IPricing));
        Assert.Equal((ushort)3, server.Prefetch);
        Assert.Equal((ushort)2, server.ConcurrentRequests);
        Assert.True(server.IncludeExceptionDetails);

        RpcClientOptions client = host.Services.GetRequiredService<IOptionsMonitor<RpcClientOptions>>().Get(nameof(IPricing));
        Assert.Equal(TimeSpan.FromSeconds(2), client.Timeout);
        Assert.Equal(RpcReplyQueue.Private, client.ReplyQueue);
    }

    [Theory]
    [InlineData("first", "first")]
    [InlineData("LAST", "last")]
    [InlineData("next", "next")]
    [InlineData("12345", "12345")]
    [InlineData("2024-05-01T12:00:00Z", "2024-05-01T12:00:00Z")]
    [InlineData("2024-05-01T14:00:00+02:00", "2024-05-01T12:00:00Z")]
    public void A_stream_consumer_reads_its_offset_name_and_commit_policy_from_configuration(string offset, string expected)
    {
        string json = $$"""
            {
              "Warren": {
                "Consumers": {
                  "OrderConsumer": {
                    "Queue": "orders.stream", "QueueType": "Stream", "Bindings": [ "eu" ],
                    "StreamOffset": "{{offset}}", "StreamConsumerName": "billing", "TrackStreamOffset": true,
                    "StreamOffsetCommitEvery": 10, "StreamOffsetCommitInterval": "00:00:00.500"
                  }
                }
              }
            }
            """;
        using IHost host = Build(json);

        SubscribeOptions consumer = host.Services.GetRequiredService<IOptionsMonitor<SubscribeOptions>>().Get(nameof(OrderConsumer));
        Assert.Equal(expected, consumer.StreamOffset!.ToString());
        Assert.Equal(StreamOffset.Parse(expected), consumer.StreamOffset);
        Assert.Equal("billing", consumer.StreamConsumerName);
        Assert.True(consumer.TrackStreamOffset);
        Assert.Equal(10, consumer.StreamOffsetCommitEvery);
        Assert.Equal(TimeSpan.FromMilliseconds(500), consumer.StreamOffsetCommitInterval);
    }

    [Fact]
    public async Task An_invalid_stream_offset_in_configuration_fails_the_start_naming_the_key()
    {
        string json = """
            {
              "Warren": {
                "Consumers": {
                  "OrderConsumer": { "Queue": "orders.stream", "QueueType": "Stream", "Bindings": [ "eu" ], "StreamOffset": "beginning", "StreamOffsetCommitEvery": 0 }
                }
              }
            }
            """;
        using IHost host = Build(json, rpc: false);

        Exception failure = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());
        string all = string.Join("\n", Messages(failure));
        Assert.Contains("Warren:Consumers:OrderConsumer:StreamOffset must be first, last, next, a whole number (an offset) or an ISO 8601 time", all, StringComparison.Ordinal);
        Assert.Contains("'beginning' is not", all, StringComparison.Ordinal);
        Assert.Contains("StreamOffsetCommitEvery must be at least 1", all, StringComparison.Ordinal);
    }

    [Fact]
    public void Code_configures_after_configuration_and_wins()
    {
        using IHost host = Build(Settings, configure: options => options.Prefetch = 99, configureConsumer: options => options.Prefetch = 7);

        Assert.Equal(99, host.Services.GetRequiredService<IOptions<BusOptions>>().Value.Prefetch);
        Assert.Equal("orders-worker", host.Services.GetRequiredService<IOptions<BusOptions>>().Value.ClientName);
        SubscribeOptions consumer = host.Services.GetRequiredService<IOptionsMonitor<SubscribeOptions>>().Get(nameof(OrderConsumer));
        Assert.Equal((ushort)7, consumer.Prefetch);
        Assert.Equal("orders.eu", consumer.Queue);
    }

    [Fact]
    public void The_option_types_have_settable_properties_so_the_standard_configuration_binder_binds_them_too()
    {
        IConfigurationSection warren = Configuration(Settings).GetSection("Warren");

        RetryPolicy retry = warren.GetSection("Retry").Get<RetryPolicy>()!;
        Assert.Equal(5, retry.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(2), retry.MaxDelay);

        var bus = new BusOptions();
        warren.Bind(bus, o => o.ErrorOnUnknownConfiguration = false);
        Assert.Equal(12, bus.Prefetch);
        Assert.Equal(5, bus.Retry.MaxRetries);

        SubscribeOptions consumer = warren.GetSection("Consumers:OrderConsumer").Get<SubscribeOptions>()!;
        Assert.Equal("orders.eu", consumer.Queue);
        Assert.Equal((ushort)2, consumer.ConcurrentHandlers);
        Assert.Equal(1, consumer.Retry!.MaxRetries);
    }

    [Fact]
    public async Task Invalid_settings_fail_the_host_start_with_one_error_naming_each_setting_and_nothing_connects()
    {
        string broken = """
            {
              "Warren": {
                "Uri": "http://rabbit.example.com/",
                "Prefetch": 0,
                "PublishTimeout": "-00:00:05",
                "Heartbeat": "soon",
                "Retyr": { "MaxRetries": 2 },
                "DeclareMode": "Never",
                "DeclareMod": "None",
                "Retry": { "MaxRetries": -1 },
                "Consumers": {
                  "OrderConsumr": { "Prefetch": 4 },
                  "OrderConsumer": { "Prefetch": 0, "QueueType": "Lazy", "Bindings": [ "eu" ], "Prefech": 3, "MaxPriorty": 5, "Overflow": "Full", "MaxPriority": 300 }
                },
                "RpcClients": { "IPricing": { "Timeout": "00:00:00" } }
              }
            }
            """;
        using IHost host = Build(broken, rpc: true);

        Exception failure = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());
        string all = string.Join("\n", Messages(failure));
        Assert.Contains("Warren:Uri must be an amqp:// or amqps:// URI", all, StringComparison.Ordinal);
        Assert.Contains("Warren:Prefetch must be at least 1", all, StringComparison.Ordinal);
        Assert.Contains("Warren:PublishTimeout must be positive", all, StringComparison.Ordinal);
        Assert.Contains("Warren:Heartbeat must be a duration such as 00:00:30; 'soon' is not", all, StringComparison.Ordinal);
        Assert.Contains("Warren:Retyr is not a Warren setting; did you mean 'Warren:Retry'?", all, StringComparison.Ordinal);
        Assert.Contains("Warren:Retry:MaxRetries is refused", all, StringComparison.Ordinal);
        Assert.Contains("Warren:DeclareMode must be one of Declare, Verify, None; 'Never' is not", all, StringComparison.Ordinal);
        Assert.Contains("Warren:DeclareMod is not a Warren setting; did you mean 'Warren:DeclareMode'?", all, StringComparison.Ordinal);
        Assert.Contains("Warren:Consumers:OrderConsumr configures no consumer of this host", all, StringComparison.Ordinal);
        Assert.Contains("Warren:Consumers:OrderConsumer:QueueType must be one of Classic, Quorum, Stream; 'Lazy' is not", all, StringComparison.Ordinal);
        Assert.Contains("Warren:Consumers:OrderConsumer:MaxPriorty is not a Warren setting; did you mean 'Warren:Consumers:OrderConsumer:MaxPriority'?", all, StringComparison.Ordinal);
        Assert.Contains("Warren:Consumers:OrderConsumer:Overflow must be one of Default, DropHead, RejectPublish, RejectPublishDlx; 'Full' is not", all, StringComparison.Ordinal);
        Assert.Contains("Warren:Consumers:OrderConsumer:MaxPriority must be a whole number from 0 to 255; '300' is not", all, StringComparison.Ordinal);
        Assert.Contains("Warren:Consumers:OrderConsumer:Prefech is not a Warren setting; did you mean 'Warren:Consumers:OrderConsumer:Prefetch'?", all, StringComparison.Ordinal);
        Assert.Contains("Warren:Consumers:OrderConsumer: SubscribeOptions.Prefetch must be at least 1", all, StringComparison.Ordinal);
        Assert.Contains("Warren:RpcClients:IPricing:Timeout must be positive", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_options_set_in_code_are_named_by_their_property()
    {
        HostApplicationBuilder builder = TestHost.Builder("hosting-invalid-code");
        builder.Services.AddWarren(options =>
        {
            options.Prefetch = 0;
            options.MaxMessageSize = -1;
            options.ShutdownTimeout = TimeSpan.FromSeconds(-3);
        });
        using IHost host = builder.Build();

        Exception failure = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());
        string all = string.Join("\n", Messages(failure));
        Assert.Contains("BusOptions.Prefetch must be at least 1", all, StringComparison.Ordinal);
        Assert.Contains("BusOptions.MaxMessageSize must be positive (is -1)", all, StringComparison.Ordinal);
        Assert.Contains("BusOptions.ShutdownTimeout cannot be negative (is -00:00:03)", all, StringComparison.Ordinal);
        // Validation fails the start before Warren's hosted service runs: the bus never connected to the (reachable) broker.
        Assert.False(host.Services.GetRequiredService<IBus>().IsConnected);
        Assert.Null(host.Services.GetRequiredService<Warren.Hosting.HostedBus>().Current);
    }

    [Fact]
    public async Task Options_a_consumers_message_cannot_take_fail_the_start_and_name_the_consumer()
    {
        HostApplicationBuilder builder = TestHost.Builder("hosting-invalid-plan");
        // A direct exchange routes on keys: header bindings cannot apply to it.
        builder.Services.AddWarren().AddConsumer<OrderConsumer>(o => o.HeaderBindings = [HeadersBinding.FromPairs(HeadersMatch.All, "x", "y")]);
        using IHost host = builder.Build();

        Exception failure = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());
        Assert.Contains(
            "SubscribeOptions of OrderConsumer: Header bindings apply to headers exchanges; 'warren.hosting.orders' is a direct exchange.",
            string.Join("\n", Messages(failure)),
            StringComparison.Ordinal);
    }

    private static IHost Build(string json, Action<BusOptions>? configure = null, Action<SubscribeOptions>? configureConsumer = null, bool rpc = true)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        builder.Services.AddSingleton<HandledOrders>().AddSingleton<PriceList>().AddScoped<OrderLedger>();
        IWarrenBuilder warren = builder.Services.AddWarren(builder.Configuration.GetSection("Warren"), configure);
        warren.AddConsumer<OrderConsumer>(configureConsumer);
        if (rpc)
        {
            warren.AddWarrenRpcServices();
        }

        return builder.Build();
    }

    private static IConfiguration Configuration(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

    /// <summary>Every validation failure in what the host threw: one exception per options object, several failures each.</summary>
    private static IEnumerable<string> Messages(Exception exception) => exception switch
    {
        AggregateException aggregate => aggregate.InnerExceptions.SelectMany(Messages),
        OptionsValidationException validation => validation.Failures,
        _ => [exception.Message],
    };
}
