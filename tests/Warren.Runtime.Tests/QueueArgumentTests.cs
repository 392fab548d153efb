using System;
using System.Collections.Generic;
using System.Linq;
using Warren.Internal;
using Warren.Runtime;
using Xunit;

namespace Warren.Runtime.Tests;

/// <summary>
/// <see cref="QueueArgumentValues"/> and <see cref="QueueSettings"/>: the <c>queue.declare</c> arguments the broker gets,
/// in its units and types, what each queue type refuses, and equality (every declaration of one queue must agree).
/// </summary>
public sealed class QueueArgumentTests
{
    private static readonly QueueArgumentValues Everything = new()
    {
        MessageTtlMilliseconds = 300_000,
        ExpiresMilliseconds = 3_600_000,
        MaxLength = 1_000,
        MaxLengthBytes = 1_048_576,
        Overflow = QueueOverflow.RejectPublishDlx,
        DeadLetterExchange = "dead",
        DeadLetterRoutingKey = "orders.dead",
        MaxPriority = 9,
        SingleActiveConsumer = true,
    };

    [Fact]
    public void Every_argument_goes_to_the_broker_under_its_name_in_a_fixed_order_with_the_type_the_broker_expects()
    {
        List<KeyValuePair<string, object>> entries = Everything.Entries().ToList();

        Assert.Equal(
            [
                new("x-message-ttl", 300_000L),
                new("x-expires", 3_600_000L),
                new("x-max-length", 1_000L),
                new("x-max-length-bytes", 1_048_576L),
                new("x-overflow", "reject-publish-dlx"),
                new("x-dead-letter-exchange", "dead"),
                new("x-dead-letter-routing-key", "orders.dead"),
                new("x-max-priority", 9),
                new KeyValuePair<string, object>("x-single-active-consumer", true),
            ],
            entries);
        // The AMQP field types, not only the values: a priority goes as an int, lengths and durations as longs.
        Assert.IsType<int>(entries.Single(e => e.Key == "x-max-priority").Value);
        Assert.IsType<long>(entries.Single(e => e.Key == "x-max-length").Value);
    }

    [Fact]
    public void Defaults_add_no_argument()
    {
        var defaults = new QueueArgumentValues { Overflow = QueueOverflow.Default, MaxPriority = 0, SingleActiveConsumer = false };

        Assert.Empty(defaults.Entries());
        Assert.True(defaults.IsEmpty);
        Assert.Equal(string.Empty, defaults.ToString());
    }

    [Theory]
    [InlineData(QueueOverflow.DropHead, "drop-head")]
    [InlineData(QueueOverflow.RejectPublish, "reject-publish")]
    [InlineData(QueueOverflow.RejectPublishDlx, "reject-publish-dlx")]
    public void Overflow_modes_carry_the_brokers_names(QueueOverflow overflow, string name)
    {
        Assert.Equal(name, QueueArgumentValues.OverflowName(overflow));
    }

    [Fact]
    public void Durations_in_the_options_are_rounded_up_to_the_brokers_units()
    {
        QueueArgumentValues values = QueueArgumentValues.Empty.With(new SubscribeOptions
        {
            MessageTtl = TimeSpan.FromMilliseconds(1.2),
            Expires = TimeSpan.FromMinutes(30),
            MaxAge = TimeSpan.FromSeconds(90.1),
        });

        Assert.Equal(new QueueArgumentValues { MessageTtlMilliseconds = 2, ExpiresMilliseconds = 1_800_000, MaxAgeSeconds = 91 }, values);
        Assert.Equal("x-message-ttl=2, x-expires=1800000, x-max-age='91s'", values.ToString());
    }

    [Fact]
    public void The_options_replace_only_the_arguments_they_set()
    {
        QueueArgumentValues merged = Everything.With(new SubscribeOptions { MaxLength = 5, SingleActiveConsumer = false, DeadLetterExchange = string.Empty });

        Assert.Equal(Everything with { MaxLength = 5, SingleActiveConsumer = false, DeadLetterExchange = string.Empty }, merged);
        Assert.Equal(Everything, Everything.With(new SubscribeOptions { Prefetch = 3 }));
        Assert.False(QueueArgumentValues.AnyIn(new SubscribeOptions { Prefetch = 3, Queue = "q", QueueType = QueueType.Quorum }));
        Assert.True(QueueArgumentValues.AnyIn(new SubscribeOptions { DeadLetterRoutingKey = "x" }));
    }

    [Fact]
    public void Arguments_compare_by_value_so_the_consumers_and_the_publishers_declarations_agree()
    {
        var fromAttribute = new QueueArgumentValues { MessageTtlMilliseconds = 60_000, Overflow = QueueOverflow.DropHead };
        QueueArgumentValues fromOptions = QueueArgumentValues.Empty.With(new SubscribeOptions { MessageTtl = TimeSpan.FromMinutes(1), Overflow = QueueOverflow.DropHead });

        Assert.Equal(fromAttribute, fromOptions);
        Assert.Equal(QueueSettings.Of(true, QueueType.Classic, 0, fromAttribute), QueueSettings.Of(true, QueueType.Classic, 0, fromOptions));
        Assert.NotEqual(QueueSettings.Of(true, QueueType.Classic, 0, fromAttribute), QueueSettings.Of(true, QueueType.Classic, 0, fromAttribute with { MaxLength = 1 }));
        // No arguments and an empty set are the same declaration.
        Assert.Equal(QueueSettings.Classic(durable: true), QueueSettings.Of(true, QueueType.Classic, 0, new QueueArgumentValues()));
        Assert.Null(QueueSettings.Of(true, QueueType.Classic, 0, new QueueArgumentValues()).Arguments);
    }

    public static TheoryData<QueueType, QueueArgumentValues, string?> Problems => new()
    {
        { QueueType.Classic, Everything, null },
        { QueueType.Classic, new QueueArgumentValues { MessageTtlMilliseconds = -1 }, "the message TTL (x-message-ttl) must be from 0 to 4294967295 ms" },
        { QueueType.Classic, new QueueArgumentValues { MessageTtlMilliseconds = 0 }, null },
        { QueueType.Classic, new QueueArgumentValues { ExpiresMilliseconds = 0 }, "the queue expiry (x-expires) must be from 1 to 4294967295 ms" },
        { QueueType.Classic, new QueueArgumentValues { ExpiresMilliseconds = 4_294_967_296 }, "the queue expiry (x-expires) must be from 1 to 4294967295 ms" },
        { QueueType.Classic, new QueueArgumentValues { MaxLength = -1 }, "lengths and sizes cannot be negative, and a stream's max age and segment size must be positive" },
        { QueueType.Stream, new QueueArgumentValues { MaxAgeSeconds = 0 }, "lengths and sizes cannot be negative, and a stream's max age and segment size must be positive" },
        { QueueType.Classic, new QueueArgumentValues { DeadLetterRoutingKey = "dead" }, "a dead-letter routing key (x-dead-letter-routing-key) needs a dead-letter exchange (empty for the default exchange)" },
        { QueueType.Stream, new QueueArgumentValues { MaxAgeSeconds = 3600, MaxLengthBytes = 1_000_000, MaxSegmentSizeBytes = 100_000 }, null },
        { QueueType.Stream, new QueueArgumentValues { MaxAgeSeconds = 3600, MaxLength = 10 }, "a stream queue takes x-max-age, x-max-length-bytes and x-stream-max-segment-size-bytes only, not x-max-length" },
        { QueueType.Classic, new QueueArgumentValues { MaxAgeSeconds = 3600 }, "x-max-age and x-stream-max-segment-size-bytes apply to stream queues only" },
        { QueueType.Quorum, new QueueArgumentValues { MaxSegmentSizeBytes = 1 }, "x-max-age and x-stream-max-segment-size-bytes apply to stream queues only" },
        { QueueType.Quorum, new QueueArgumentValues { MaxPriority = 1 }, "a quorum queue has no priorities (x-max-priority); use a classic queue" },
        { QueueType.Quorum, new QueueArgumentValues { Overflow = QueueOverflow.RejectPublishDlx }, "a quorum queue's overflow (x-overflow) is drop-head or reject-publish, not reject-publish-dlx" },
        { QueueType.Quorum, new QueueArgumentValues { Overflow = QueueOverflow.RejectPublish, SingleActiveConsumer = true, MessageTtlMilliseconds = 1 }, null },
    };

    [Theory]
    [MemberData(nameof(Problems))]
    public void Each_queue_type_refuses_what_the_broker_refuses(QueueType type, QueueArgumentValues arguments, string? problem)
    {
        Assert.Equal(problem, arguments.Problem(type));
    }

    [Fact]
    public void A_classic_queue_without_arguments_is_declared_with_none()
    {
        Assert.Null(QueueSettings.Classic(durable: true).ArgumentsFor("billing"));
    }

    [Fact]
    public void A_quorum_queue_carries_its_type_and_delivery_limit_and_dead_letters_to_its_error_queue()
    {
        QueueSettings quorum = QueueSettings.Of(durable: false, QueueType.Quorum, deliveryLimit: 5);

        Assert.True(quorum.Durable);
        Assert.Equal(
            new Dictionary<string, object?>
            {
                ["x-queue-type"] = "quorum",
                ["x-delivery-limit"] = 5,
                ["x-dead-letter-exchange"] = string.Empty,
                ["x-dead-letter-routing-key"] = "billing.error",
            },
            quorum.ArgumentsFor("billing"));
        Assert.Equal("quorum queue with delivery limit 5", quorum.ToString());
    }

    [Fact]
    public void A_quorum_queue_that_dead_letters_elsewhere_keeps_the_users_dead_lettering()
    {
        QueueSettings quorum = QueueSettings.Of(true, QueueType.Quorum, 3, new QueueArgumentValues { DeadLetterExchange = "dead", MessageTtlMilliseconds = 1000 });

        Assert.Equal(
            new Dictionary<string, object?>
            {
                ["x-queue-type"] = "quorum",
                ["x-delivery-limit"] = 3,
                ["x-message-ttl"] = 1000L,
                ["x-dead-letter-exchange"] = "dead",
            },
            quorum.ArgumentsFor("billing"));
        Assert.Equal("quorum queue with delivery limit 3 and x-message-ttl=1000, x-dead-letter-exchange='dead'", quorum.ToString());
    }

    [Fact]
    public void A_stream_queue_is_durable_and_has_no_delivery_limit()
    {
        QueueSettings stream = QueueSettings.Of(durable: false, QueueType.Stream, deliveryLimit: 5, new QueueArgumentValues { MaxLengthBytes = 1_000 });

        Assert.Equal(new QueueSettings(true, QueueType.Stream, 0, new QueueArgumentValues { MaxLengthBytes = 1_000 }), stream);
        Assert.Equal(new Dictionary<string, object?> { ["x-queue-type"] = "stream", ["x-max-length-bytes"] = 1_000L }, stream.ArgumentsFor("log"));
        Assert.Equal("stream queue with x-max-length-bytes=1000", stream.ToString());
    }

    [Fact]
    public void A_classic_queue_ignores_a_delivery_limit_and_describes_its_durability()
    {
        Assert.Equal(QueueSettings.Classic(durable: true), QueueSettings.Of(true, QueueType.Classic, deliveryLimit: 5));
        Assert.Equal("durable classic queue", QueueSettings.Classic(durable: true).ToString());
        Assert.Equal("classic queue with x-max-priority=3", QueueSettings.Of(false, QueueType.Classic, 0, new QueueArgumentValues { MaxPriority = 3 }).ToString());
    }

    [Fact]
    public void A_subscription_expects_its_quorum_queues_error_queue_first_and_its_own_error_queue()
    {
        var fanout = new OrderPlacedDescriptor(ExchangeKind.Fanout, "orders");
        SubscriptionPlan plan = SubscriptionPlan.Create(fanout, Consumers.Billing(queueType: QueueType.Quorum, deliveryLimit: 5), options: null, 32);

        List<TopologyExpectation> expected = TopologyExpectation.ForSubscription(fanout, plan, plan.ErrorQueueFor(fanout));

        Assert.Equal(["exchange 'orders'", "queue 'billing.error'", "queue 'billing'", "queue 'billing.error'"], expected.Select(e => e.ToString()));
        Assert.Equal(plan.QueueSettings, expected[2].QueueSettings);
        Assert.Equal(QueueSettings.Classic(durable: true), expected[1].QueueSettings);
    }

    [Fact]
    public void An_exclusive_subscription_expects_only_its_exchange()
    {
        var fanout = new OrderPlacedDescriptor(ExchangeKind.Fanout, "orders");
        SubscriptionPlan plan = SubscriptionPlan.Create(fanout, consumer: null, options: null, 32);

        TopologyExpectation only = Assert.Single(TopologyExpectation.ForSubscription(fanout, plan, plan.ErrorQueueFor(fanout)));
        Assert.Equal(TopologyExpectation.Exchange("orders", "fanout", durable: true), only);
    }
}
