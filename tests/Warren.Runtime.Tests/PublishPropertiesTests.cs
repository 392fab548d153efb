using System;
using System.Collections.Generic;
using RabbitMQ.Client;
using Warren.Internal;
using Xunit;

namespace Warren.Runtime.Tests;

/// <summary><see cref="PublishProperties"/>: the AMQP properties of a publish, and the publish options refused before anything is sent.</summary>
public sealed class PublishPropertiesTests
{
    /// <summary>A message routed on a headers exchange by its own <c>region</c> header.</summary>
    private sealed class RegionHeaderDescriptor() : MessageDescriptor<OrderPlaced>("OrderPlaced", ExchangeKind.Headers, "orders.headers", durable: false)
    {
        public override bool HasHeaders => true;

        public override string GetRoutingKey(OrderPlaced message) => string.Empty;

        public override void WriteHeaders(OrderPlaced message, IDictionary<string, object?> headers) => headers["region"] = message.Region;
    }

    private static string Refused(PublishOptions options) =>
        Assert.ThrowsAny<ArgumentException>(() => PublishProperties.Validate(options)).Message;

    [Fact]
    public void A_publish_carries_json_its_type_its_durability_and_an_id()
    {
        var descriptor = new OrderPlacedDescriptor(ExchangeKind.Fanout, "orders", durable: true);

        BasicProperties properties = PublishProperties.For(descriptor, new OrderPlaced("eu"), new PublishOptions { MessageId = "m-1", CorrelationId = "c-1", Priority = 4 }, flow: null);

        Assert.Equal("application/json", properties.ContentType);
        Assert.Equal("OrderPlaced", properties.Type);
        Assert.Equal(DeliveryModes.Persistent, properties.DeliveryMode);
        Assert.Equal("m-1", properties.MessageId);
        Assert.Equal("c-1", properties.CorrelationId);
        Assert.Equal(4, properties.Priority);
        Assert.Null(properties.Headers);
        Assert.True(Guid.TryParse(PublishProperties.For(descriptor, new OrderPlaced("eu"), options: null, flow: null).MessageId, out _));
    }

    [Fact]
    public void The_expiration_is_sent_in_whole_milliseconds_rounded_up()
    {
        var descriptor = new OrderPlacedDescriptor(ExchangeKind.Fanout, "orders");

        BasicProperties properties = PublishProperties.For(descriptor, new OrderPlaced("eu"), new PublishOptions { Expiration = TimeSpan.FromMilliseconds(1500.2) }, flow: null);

        Assert.Equal("1501", properties.Expiration);
    }

    [Fact]
    public void Inside_a_handler_a_publish_carries_the_handled_messages_id_as_causation_and_its_correlation()
    {
        var descriptor = new OrderPlacedDescriptor(ExchangeKind.Fanout, "orders");

        BasicProperties properties = PublishProperties.For(descriptor, new OrderPlaced("eu"), options: null, new MessageFlow.Handled("handled-1", "corr-1"));

        Assert.Equal("corr-1", properties.CorrelationId);
        Assert.Equal(new Dictionary<string, object?> { [MessageHeaders.CausationId] = "handled-1" }, properties.Headers);
    }

    [Fact]
    public void Extra_headers_join_the_messages_own_but_cannot_replace_a_routing_header()
    {
        var descriptor = new RegionHeaderDescriptor();

        BasicProperties properties = PublishProperties.For(
            descriptor, new OrderPlaced("eu"), new PublishOptions { Headers = new Dictionary<string, object?> { ["tenant"] = "t1" } }, flow: null);
        Assert.Equal(DeliveryModes.Transient, properties.DeliveryMode);
        Assert.Equal(new Dictionary<string, object?> { ["region"] = "eu", ["tenant"] = "t1" }, properties.Headers);

        ArgumentException error = Assert.Throws<ArgumentException>(() => PublishProperties.For(
            descriptor, new OrderPlaced("eu"), new PublishOptions { Headers = new Dictionary<string, object?> { ["region"] = "us" } }, flow: null));
        Assert.StartsWith("PublishOptions.Headers sets 'region', which OrderPlaced sets from its own property to route on the headers exchange 'orders.headers'.", error.Message);
    }

    [Fact]
    public void Expirations_outside_what_amqp_carries_are_refused()
    {
        Assert.StartsWith(
            "PublishOptions.Expiration must be between zero and about 24 days (int.MaxValue milliseconds).",
            Refused(new PublishOptions { Expiration = TimeSpan.FromMilliseconds(-1) }));
        Assert.StartsWith(
            "PublishOptions.Expiration must be between zero and about 24 days (int.MaxValue milliseconds).",
            Refused(new PublishOptions { Expiration = TimeSpan.FromDays(25) }));
        PublishProperties.Validate(new PublishOptions { Expiration = TimeSpan.FromDays(24) });
    }

    [Fact]
    public void Headers_must_have_names_and_values_an_amqp_table_can_carry()
    {
        Assert.StartsWith("PublishOptions.Headers has a header without a name.", Refused(new PublishOptions { Headers = new Dictionary<string, object?> { [""] = "x" } }));
        Assert.StartsWith(
            "PublishOptions.Headers['when'] is a System.DateTime, which an AMQP header cannot carry: use a string, bool, number (not ulong), byte[], AmqpTimestamp, list or string-keyed dictionary.",
            Refused(new PublishOptions { Headers = new Dictionary<string, object?> { ["when"] = DateTime.UnixEpoch } }));
        Assert.StartsWith(
            "PublishOptions.Headers['nested'] holds a System.UInt64, which an AMQP header cannot carry",
            Refused(new PublishOptions { Headers = new Dictionary<string, object?> { ["nested"] = new List<object?> { 1, new Dictionary<string, object?> { ["big"] = 1UL } } } }));

        PublishProperties.Validate(new PublishOptions
        {
            Headers = new Dictionary<string, object?>
            {
                ["text"] = "x", ["flag"] = true, ["count"] = 3L, ["ratio"] = 0.5, ["raw"] = new byte[] { 1 }, ["at"] = new AmqpTimestamp(1), ["none"] = null,
                ["list"] = new List<object?> { 1, "two" }, ["table"] = new Dictionary<string, object?> { ["a"] = 1 },
            },
        });
    }
}
