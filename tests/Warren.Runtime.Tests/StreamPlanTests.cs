using System;
using Warren.Runtime;
using Xunit;

namespace Warren.Runtime.Tests;

/// <summary>How a subscription reads a stream queue (<see cref="StreamPlan"/>): start, tracked name, offsets queue, commit cadence.</summary>
public sealed class StreamPlanTests
{
    private static readonly OrderPlacedDescriptor Fanout = new(ExchangeKind.Fanout, "orders");
    private static readonly OrderPlacedDescriptor Stream = new(ExchangeKind.Queue, "orders.log", queueType: QueueType.Stream);

    private static string Refused(MessageDescriptor message, ConsumerDescriptor? consumer, SubscribeOptions? options) =>
        Assert.ThrowsAny<ArgumentException>(() => SubscriptionPlan.Create(message, consumer, options, SubscribeOptions.DefaultPrefetch)).Message;

    [Fact]
    public void A_stream_consumer_starts_at_next_and_tracks_its_offset_under_its_class_name_by_default()
    {
        StreamPlan stream = SubscriptionPlan.Create(Stream, Consumers.Billing(), options: null, 32).Stream!;

        Assert.Equal(new StreamPlan("orders.log", StreamOffset.Next, "BillingConsumer", 100, TimeSpan.FromSeconds(1)), stream);
        Assert.Equal("orders.log.offsets.BillingConsumer", stream.OffsetsQueue);
    }

    [Fact]
    public void The_offsets_queue_is_a_durable_classic_queue_that_keeps_only_the_newest_offset()
    {
        Assert.Equal(
            new System.Collections.Generic.Dictionary<string, object?> { ["x-max-length"] = 1L, ["x-overflow"] = "drop-head" },
            StreamPlan.OffsetsQueueSettings.ArgumentsFor("orders.log.offsets.BillingConsumer"));
        Assert.True(StreamPlan.OffsetsQueueSettings.Durable);
        Assert.Equal(QueueType.Classic, StreamPlan.OffsetsQueueSettings.Type);
    }

    [Fact]
    public void The_options_replace_the_consumers_start_name_and_cadence()
    {
        var options = new SubscribeOptions
        {
            StreamOffset = StreamOffset.First,
            StreamConsumerName = "billing-eu",
            StreamOffsetCommitEvery = 10,
            StreamOffsetCommitInterval = TimeSpan.FromMilliseconds(250),
        };

        StreamPlan stream = SubscriptionPlan.Create(Stream, Consumers.Billing(streamOffset: "last", streamConsumerName: "billing"), options, 32).Stream!;

        Assert.Equal(new StreamPlan("orders.log", StreamOffset.First, "billing-eu", 10, TimeSpan.FromMilliseconds(250)), stream);
    }

    [Fact]
    public void The_consumers_start_attribute_is_parsed_and_an_untracked_consumer_has_no_offsets_queue()
    {
        StreamPlan stream = SubscriptionPlan.Create(Stream, Consumers.Billing(streamOffset: "1234", trackStreamOffset: false), options: null, 32).Stream!;

        Assert.Equal(StreamOffset.Offset(1234), stream.Start);
        Assert.Null(stream.ConsumerName);
        Assert.Null(stream.OffsetsQueue);
    }

    [Fact]
    public void A_handler_delegate_tracks_no_offset_unless_it_is_given_a_name()
    {
        Assert.Null(SubscriptionPlan.Create(Stream, consumer: null, options: null, 32).Stream!.ConsumerName);
        Assert.Equal(
            "Stream 'orders.log': SubscribeOptions.TrackStreamOffset needs SubscribeOptions.StreamConsumerName, the name to store the offset under.",
            Refused(Stream, consumer: null, new SubscribeOptions { TrackStreamOffset = true }));
    }

    [Fact]
    public void Stream_settings_for_a_queue_that_is_not_a_stream_are_refused()
    {
        Assert.Equal(
            "Queue 'billing' is not a stream queue: SubscribeOptions.StreamOffset, StreamConsumerName, TrackStreamOffset, StreamOffsetCommitEvery and StreamOffsetCommitInterval apply to stream queues only.",
            Refused(Fanout, Consumers.Billing(), new SubscribeOptions { StreamOffset = StreamOffset.First }));
        Assert.Equal(
            "A server-named queue is not a stream queue: SubscribeOptions.StreamOffset, StreamConsumerName, TrackStreamOffset, StreamOffsetCommitEvery and StreamOffsetCommitInterval apply to stream queues only.",
            Refused(Fanout, consumer: null, new SubscribeOptions { StreamOffsetCommitEvery = 5 }));
    }

    [Fact]
    public void A_named_queue_made_a_stream_by_the_options_gets_a_stream_plan()
    {
        SubscriptionPlan plan = SubscriptionPlan.Create(Fanout, Consumers.Billing(), new SubscribeOptions { QueueType = QueueType.Stream, MaxAge = TimeSpan.FromDays(1) }, 32);

        Assert.Equal("billing", plan.Stream!.Stream);
        Assert.Equal(
            new System.Collections.Generic.Dictionary<string, object?> { ["x-queue-type"] = "stream", ["x-max-age"] = "86400s" },
            plan.QueueSettings.ArgumentsFor("billing"));
    }

    [Fact]
    public void Bad_starts_names_and_cadences_are_refused()
    {
        Assert.Equal(
            "[Consumer(StreamOffset = \"yesterday\")] on BillingConsumer is not a stream offset: use first, last, next, a whole number or an ISO 8601 time.",
            Refused(Stream, Consumers.Billing(streamOffset: "yesterday"), options: null));
        Assert.Equal(
            "Stream 'orders.log': the stream consumer name '' cannot name the offsets queue 'orders.log.offsets.': it must not be empty, and the queue name must fit in 255 bytes.",
            Refused(Stream, Consumers.Billing(), new SubscribeOptions { StreamConsumerName = string.Empty }));

        string longName = new('n', 255 - "orders.log.offsets.".Length + 1);
        Assert.StartsWith($"Stream 'orders.log': the stream consumer name '{longName}' cannot name", Refused(Stream, Consumers.Billing(streamConsumerName: longName), options: null));
        Assert.Equal(
            "orders.log.offsets." + longName[..^1],
            SubscriptionPlan.Create(Stream, Consumers.Billing(streamConsumerName: longName[..^1]), options: null, 32).Stream!.OffsetsQueue);

        Assert.StartsWith("SubscribeOptions.StreamOffsetCommitEvery must be at least 1.", Refused(Stream, Consumers.Billing(), new SubscribeOptions { StreamOffsetCommitEvery = 0 }));
        Assert.StartsWith(
            "SubscribeOptions.StreamOffsetCommitInterval must be positive.",
            Refused(Stream, Consumers.Billing(), new SubscribeOptions { StreamOffsetCommitInterval = TimeSpan.Zero }));
    }
}
