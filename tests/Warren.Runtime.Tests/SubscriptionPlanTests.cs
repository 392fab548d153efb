using System;
using System.Collections.Generic;
using Warren.Runtime;
using Xunit;

namespace Warren.Runtime.Tests;

/// <summary>
/// <see cref="SubscriptionPlan.Create"/>: which queue a subscription consumes, how it is declared and bound, and the
/// options it refuses, with the texts users see.
/// </summary>
public sealed class SubscriptionPlanTests
{
    private static readonly OrderPlacedDescriptor Fanout = new(ExchangeKind.Fanout, "orders");
    private static readonly OrderPlacedDescriptor Direct = new(ExchangeKind.Direct, "orders.direct");
    private static readonly OrderPlacedDescriptor Topic = new(ExchangeKind.Topic, "orders.topic");
    private static readonly OrderPlacedDescriptor Headers = new(ExchangeKind.Headers, "orders.headers");

    private static string Refused(MessageDescriptor message, ConsumerDescriptor? consumer, SubscribeOptions? options) =>
        Assert.ThrowsAny<ArgumentException>(() => SubscriptionPlan.Create(message, consumer, options, SubscribeOptions.DefaultPrefetch)).Message;

    [Fact]
    public void A_queue_message_is_consumed_from_its_own_queue_declared_as_the_message_says_whatever_the_options_name()
    {
        var message = new OrderPlacedDescriptor(ExchangeKind.Queue, "orders.work", queueType: QueueType.Quorum, deliveryLimit: 7);

        SubscriptionPlan plan = SubscriptionPlan.Create(message, Consumers.Billing(), new SubscribeOptions { Queue = "elsewhere", QueueType = QueueType.Classic }, 32);

        Assert.Equal("orders.work", plan.Queue);
        Assert.False(plan.Exclusive);
        Assert.Equal(QueueSettings.Of(true, QueueType.Quorum, 7), plan.QueueSettings);
        Assert.Empty(plan.BindingKeys);
        Assert.Empty(plan.HeaderBindings);
        Assert.Equal("orders.work.error", plan.ErrorQueueFor(message));
        Assert.Equal("the subscription of OrderPlaced to queue 'orders.work'", plan.Describe(message));
    }

    [Fact]
    public void Without_a_queue_name_the_subscription_gets_an_exclusive_server_named_transient_classic_queue()
    {
        SubscriptionPlan plan = SubscriptionPlan.Create(Fanout, Consumers.Billing(queue: null, durable: true), options: null, 32);

        Assert.Null(plan.Queue);
        Assert.True(plan.Exclusive);
        Assert.False(plan.Durable);
        Assert.Equal(QueueSettings.Classic(durable: false), plan.QueueSettings);
        Assert.Null(plan.Stream);
        // Its name changes with every subscription, so the error queue is named after the exchange.
        Assert.Equal("orders.error", plan.ErrorQueueFor(Fanout));
        Assert.Equal("the subscription of OrderPlaced to a server-named queue bound to 'orders'", plan.Describe(Fanout));
    }

    [Theory]
    [InlineData(QueueType.Quorum, "quorum")]
    [InlineData(QueueType.Stream, "stream")]
    public void A_server_named_queue_cannot_be_a_quorum_or_stream_queue(QueueType type, string name)
    {
        Assert.Equal(
            $"A subscription without a queue name gets an exclusive, server-named queue, which cannot be a {name} queue; name the queue (SubscribeOptions.Queue or [Consumer(Queue = ...)]).",
            Refused(Fanout, consumer: null, new SubscribeOptions { QueueType = type }));
    }

    [Fact]
    public void A_server_named_queue_takes_no_queue_arguments()
    {
        Assert.Equal(
            "A subscription without a queue name gets an exclusive, server-named queue, declared without queue arguments; name the queue (SubscribeOptions.Queue or [Consumer(Queue = ...)]) or remove the queue arguments from SubscribeOptions.",
            Refused(Fanout, consumer: null, new SubscribeOptions { MessageTtl = TimeSpan.FromMinutes(1) }));
    }

    [Fact]
    public void A_fanout_subscription_binds_with_the_empty_key_and_refuses_keys_and_headers()
    {
        SubscriptionPlan plan = SubscriptionPlan.Create(Fanout, Consumers.Billing(), options: null, 32);
        Assert.Equal([string.Empty], plan.BindingKeys);
        Assert.Empty(plan.HeaderBindings);

        string expected = "The fanout exchange 'orders' ignores binding keys and headers; remove them from the subscription.";
        Assert.Equal(expected, Refused(Fanout, Consumers.Billing(keys: ["eu"]), options: null));
        Assert.Equal(expected, Refused(Fanout, Consumers.Billing(), new SubscribeOptions { HeaderBindings = [HeadersBinding.FromPairs(HeadersMatch.All, "region", "eu")] }));
    }

    [Fact]
    public void A_topic_subscription_without_keys_takes_everything()
    {
        SubscriptionPlan plan = SubscriptionPlan.Create(Topic, Consumers.Billing(), options: null, 32);

        Assert.Equal(["#"], plan.BindingKeys);
    }

    [Fact]
    public void A_direct_subscription_needs_a_key_and_takes_no_header_bindings()
    {
        Assert.Equal(
            "A subscription to the direct exchange 'orders.direct' needs at least one binding key ([Bind] or SubscribeOptions.Bindings).",
            Refused(Direct, Consumers.Billing(), options: null));
        Assert.Equal(
            "Header bindings apply to headers exchanges; 'orders.direct' is a direct exchange.",
            Refused(Direct, Consumers.Billing(keys: ["eu"], headers: [HeadersBinding.FromPairs(HeadersMatch.Any, "region", "eu")]), options: null));
    }

    [Fact]
    public void Bindings_in_the_options_replace_the_consumers_keys_rather_than_adding_to_them()
    {
        SubscriptionPlan plan = SubscriptionPlan.Create(Direct, Consumers.Billing(keys: ["eu", "us"]), new SubscribeOptions { Bindings = ["apac"] }, 32);

        Assert.Equal(["apac"], plan.BindingKeys);
    }

    [Fact]
    public void A_headers_subscription_without_bindings_matches_every_message_and_refuses_binding_keys()
    {
        SubscriptionPlan plan = SubscriptionPlan.Create(Headers, Consumers.Billing(), options: null, 32);
        HeadersBinding binding = Assert.Single(plan.HeaderBindings);
        Assert.Equal(new Dictionary<string, object?> { ["x-match"] = "all" }, binding.ToArguments());

        Assert.Equal(
            "The headers exchange 'orders.headers' ignores binding keys; use [BindHeaders] or SubscribeOptions.HeaderBindings.",
            Refused(Headers, Consumers.Billing(), new SubscribeOptions { Bindings = ["eu"] }));
    }

    [Theory]
    [InlineData(null, (ushort)0, (ushort)32, (ushort)32)] // the bus's default
    [InlineData(null, (ushort)0, (ushort)0, (ushort)1)] // never 0, which RabbitMQ reads as no limit
    [InlineData(null, (ushort)10, (ushort)32, (ushort)10)] // [Consumer(Prefetch = 10)]
    [InlineData((ushort)5, (ushort)10, (ushort)32, (ushort)5)] // the options win
    public void The_prefetch_comes_from_the_options_then_the_consumer_then_the_bus(ushort? fromOptions, ushort fromConsumer, ushort busDefault, ushort expected)
    {
        SubscriptionPlan plan = SubscriptionPlan.Create(Fanout, Consumers.Billing(prefetch: fromConsumer), new SubscribeOptions { Prefetch = fromOptions }, busDefault);

        Assert.Equal(expected, plan.Prefetch);
        Assert.Equal(1, plan.Concurrency);
    }

    [Fact]
    public void A_prefetch_or_concurrency_of_zero_is_refused()
    {
        var prefetch = Assert.Throws<ArgumentOutOfRangeException>(() => SubscriptionPlan.Create(Fanout, null, new SubscribeOptions { Prefetch = 0 }, 32));
        Assert.StartsWith("SubscribeOptions.Prefetch must be at least 1 (RabbitMQ reads a prefetch of 0 as no limit at all).", prefetch.Message);

        var concurrency = Assert.Throws<ArgumentOutOfRangeException>(() => SubscriptionPlan.Create(Fanout, null, new SubscribeOptions { ConcurrentHandlers = 0 }, 32));
        Assert.StartsWith("SubscribeOptions.ConcurrentHandlers must be at least 1.", concurrency.Message);
    }

    [Fact]
    public void The_options_queue_name_replaces_the_consumers_and_keeps_its_durability()
    {
        SubscriptionPlan plan = SubscriptionPlan.Create(Fanout, Consumers.Billing(queue: "billing", durable: true), new SubscribeOptions { Queue = "billing.eu" }, 32);

        Assert.Equal("billing.eu", plan.Queue);
        Assert.False(plan.Exclusive);
        Assert.Equal(QueueSettings.Classic(durable: true), plan.QueueSettings);
        Assert.Equal("billing.eu.error", plan.ErrorQueueFor(Fanout));
        Assert.Equal("the subscription of OrderPlaced to queue 'billing.eu'", plan.Describe(Fanout));
    }

    [Fact]
    public void Durable_false_in_the_options_turns_a_quorum_consumer_queue_into_a_transient_classic_one()
    {
        SubscriptionPlan plan = SubscriptionPlan.Create(
            Fanout, Consumers.Billing(queueType: QueueType.Quorum, deliveryLimit: 3), new SubscribeOptions { Durable = false }, 32);

        Assert.Equal(QueueSettings.Classic(durable: false), plan.QueueSettings);
    }

    [Fact]
    public void A_quorum_queue_from_the_options_is_durable_with_the_default_delivery_limit_unless_one_is_given()
    {
        SubscriptionPlan byDefault = SubscriptionPlan.Create(Fanout, Consumers.Billing(durable: false), new SubscribeOptions { QueueType = QueueType.Quorum }, 32);
        Assert.Equal(QueueSettings.Of(true, QueueType.Quorum, DurableAttribute.DefaultDeliveryLimit), byDefault.QueueSettings);
        Assert.Equal(5, byDefault.QueueSettings.DeliveryLimit);

        SubscriptionPlan consumers = SubscriptionPlan.Create(Fanout, Consumers.Billing(queueType: QueueType.Quorum, deliveryLimit: 9), options: null, 32);
        Assert.Equal(9, consumers.QueueSettings.DeliveryLimit);

        SubscriptionPlan options = SubscriptionPlan.Create(
            Fanout, Consumers.Billing(queueType: QueueType.Quorum, deliveryLimit: 9), new SubscribeOptions { DeliveryLimit = 2 }, 32);
        Assert.Equal(2, options.QueueSettings.DeliveryLimit);
    }

    [Fact]
    public void Contradictory_durability_and_delivery_limits_are_refused()
    {
        Assert.Equal(
            "Queue 'billing': a quorum queue is always durable; remove SubscribeOptions.Durable = false or the queue type.",
            Refused(Fanout, Consumers.Billing(), new SubscribeOptions { QueueType = QueueType.Quorum, Durable = false }));
        Assert.Equal(
            "Queue 'billing': SubscribeOptions.DeliveryLimit applies to quorum queues only; set SubscribeOptions.QueueType = QueueType.Quorum, or remove it.",
            Refused(Fanout, Consumers.Billing(), new SubscribeOptions { DeliveryLimit = 3 }));
        Assert.StartsWith(
            "SubscribeOptions.DeliveryLimit cannot be negative.",
            Refused(Fanout, Consumers.Billing(queueType: QueueType.Quorum), new SubscribeOptions { DeliveryLimit = -1 }));
    }

    [Fact]
    public void Queue_arguments_in_the_options_replace_the_consumers_one_by_one()
    {
        var consumerArguments = new QueueArgumentValues { MessageTtlMilliseconds = 60_000, MaxLength = 100 };

        SubscriptionPlan plan = SubscriptionPlan.Create(
            Fanout, Consumers.Billing(arguments: consumerArguments), new SubscribeOptions { MaxLength = 10, Overflow = QueueOverflow.RejectPublish }, 32);

        Assert.Equal(new QueueArgumentValues { MessageTtlMilliseconds = 60_000, MaxLength = 10, Overflow = QueueOverflow.RejectPublish }, plan.QueueSettings.Arguments);
        Assert.Equal(
            new Dictionary<string, object?> { ["x-message-ttl"] = 60_000L, ["x-max-length"] = 10L, ["x-overflow"] = "reject-publish" },
            plan.QueueSettings.ArgumentsFor("billing"));
    }

    [Fact]
    public void Queue_arguments_the_queue_type_cannot_take_are_refused_naming_the_queue_and_its_settings()
    {
        Assert.Equal(
            "Queue 'billing' as a quorum queue with delivery limit 5 and x-max-priority=5: a quorum queue has no priorities (x-max-priority); use a classic queue.",
            Refused(Fanout, Consumers.Billing(), new SubscribeOptions { QueueType = QueueType.Quorum, MaxPriority = 5 }));
    }

    [Fact]
    public void The_error_queue_can_be_configured_but_not_as_the_queue_itself_nor_as_a_reserved_name()
    {
        SubscriptionPlan plan = SubscriptionPlan.Create(Fanout, Consumers.Billing(), new SubscribeOptions { ErrorQueue = "billing.failed" }, 32);
        Assert.Equal("billing.failed", plan.ErrorQueueFor(Fanout));

        SubscriptionPlan itself = SubscriptionPlan.Create(Fanout, Consumers.Billing(), new SubscribeOptions { ErrorQueue = "billing" }, 32);
        ArgumentException loop = Assert.Throws<ArgumentException>(() => itself.ErrorQueueFor(Fanout));
        Assert.Equal("The error queue of 'billing' cannot be the queue itself: failed messages would come straight back.", loop.Message);

        Assert.Equal(
            "SubscribeOptions.ErrorQueue 'amq.failed' is not a queue name Warren can declare: give a name that is not empty and does not start with 'amq.'.",
            Refused(Fanout, Consumers.Billing(), new SubscribeOptions { ErrorQueue = "amq.failed" }));
        Assert.Equal(
            "SubscribeOptions.ErrorQueue ' ' is not a queue name Warren can declare: give a name that is not empty and does not start with 'amq.'.",
            Refused(Fanout, Consumers.Billing(), new SubscribeOptions { ErrorQueue = " " }));
    }

    [Fact]
    public void The_retry_policy_of_the_options_is_kept_for_the_subscription()
    {
        var retry = new RetryPolicy { MaxRetries = 7 };

        Assert.Same(retry, SubscriptionPlan.Create(Fanout, Consumers.Billing(), new SubscribeOptions { Retry = retry }, 32).Retry);
        Assert.Null(SubscriptionPlan.Create(Fanout, Consumers.Billing(), options: null, 32).Retry);
    }
}
