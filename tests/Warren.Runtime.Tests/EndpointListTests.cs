using System;
using System.Collections.Generic;
using System.Linq;
using RabbitMQ.Client;
using Warren.Internal;
using Xunit;

namespace Warren.Runtime.Tests;

/// <summary><see cref="EndpointList"/>: which hosts and ports the bus connects to, and in which order it tries them.</summary>
public sealed class EndpointListTests
{
    private static readonly AmqpTcpEndpoint[] Nodes = [new("rabbit1", 5672), new("rabbit2", 5673), new("rabbit3", 5674)];

    private static string[] Names(IEnumerable<AmqpTcpEndpoint> endpoints) => endpoints.Select(e => $"{e.HostName}:{e.Port}").ToArray();

    [Fact]
    public void The_endpoints_come_from_the_list_else_from_the_uri_with_the_default_port_of_the_scheme()
    {
        var listed = new BusOptions { Uri = new Uri("amqp://guest:guest@localhost/"), Endpoints = [new Uri("amqp://rabbit1"), new Uri("amqp://rabbit2:5673"), new Uri("amqp://[::1]")] };
        Assert.Equal([("rabbit1", 5672), ("rabbit2", 5673), ("::1", 5672)], EndpointList.HostsOf(listed));

        Assert.Equal([("broker", 5672)], EndpointList.HostsOf(new BusOptions { Uri = new Uri("amqp://broker/vhost") }));
        Assert.Equal([("secure", 5671)], EndpointList.HostsOf(new BusOptions { Uri = new Uri("amqps://secure") }));
        Assert.Equal(
            [("rabbit1", 5671), ("rabbit2", 5999)],
            EndpointList.HostsOf(new BusOptions { Uri = new Uri("amqps://secure"), Endpoints = [new Uri("amqps://rabbit1"), new Uri("amqps://rabbit2:5999")] }));
    }

    [Fact]
    public void In_listed_order_every_attempt_tries_the_nodes_as_listed()
    {
        var list = new EndpointList(Nodes, EndpointOrder.InOrder);

        Assert.Equal(["rabbit1:5672", "rabbit2:5673", "rabbit3:5674"], Names(list.All()));
        Assert.Equal(["rabbit1:5672", "rabbit2:5673", "rabbit3:5674"], Names(list.All()));
        Assert.Equal("rabbit1:5672, rabbit2:5673, rabbit3:5674", list.ToString());
    }

    [Fact]
    public void The_node_whose_connection_was_lost_is_tried_last()
    {
        var list = new EndpointList(Nodes, EndpointOrder.InOrder);

        // Matched by host and port: the client reports its own endpoint object.
        list.Lost(new AmqpTcpEndpoint("rabbit1", 5672));
        Assert.Equal(["rabbit2:5673", "rabbit3:5674", "rabbit1:5672"], Names(list.All()));

        list.Lost(new AmqpTcpEndpoint("rabbit2", 5673));
        Assert.Equal(["rabbit1:5672", "rabbit3:5674", "rabbit2:5673"], Names(list.All()));

        // An endpoint that is not in the list forgets the last loss.
        list.Lost(new AmqpTcpEndpoint("elsewhere", 5672));
        Assert.Equal(["rabbit1:5672", "rabbit2:5673", "rabbit3:5674"], Names(list.All()));
    }

    [Fact]
    public void Shuffled_order_tries_every_node_once_with_the_lost_one_last_and_varies_between_attempts()
    {
        var list = new EndpointList(Nodes, EndpointOrder.Shuffle);
        list.Lost(new AmqpTcpEndpoint("rabbit3", 5674));

        var firsts = new HashSet<string>();
        for (int attempt = 0; attempt < 200; attempt++)
        {
            string[] order = Names(list.All());
            Assert.Equal(["rabbit1:5672", "rabbit2:5673", "rabbit3:5674"], order.Order());
            Assert.Equal("rabbit3:5674", order[^1]);
            firsts.Add(order[0]);
        }

        // 200 shuffles of two nodes that all start with the same one: a chance of 2^-199.
        Assert.Equal(2, firsts.Count);
        // The listed order itself is left alone.
        Assert.Equal(["rabbit1:5672", "rabbit2:5673", "rabbit3:5674"], Names(list.Endpoints));
    }

    [Fact]
    public void A_single_endpoint_has_no_order_to_change()
    {
        var list = new EndpointList([new AmqpTcpEndpoint("only", 5672)], EndpointOrder.InOrder);
        list.Lost(new AmqpTcpEndpoint("only", 5672));

        Assert.Equal(["only:5672"], Names(list.All()));
    }
}
