using System;
using System.Threading;
using System.Threading.Tasks;
using Warren.IntegrationTests.Infrastructure;
using Xunit;

namespace Warren.IntegrationTests;

/// <summary><see cref="BusOptions.Endpoints"/> against the one shared broker: an endpoint that does not answer is skipped.</summary>
public sealed class EndpointsTests
{
    [Fact]
    public async Task The_bus_connects_to_the_first_endpoint_that_answers_and_says_which_node_it_reached()
    {
        // Port 1 refuses connections: the bus moves on to the broker, in the listed order.
        var dead = new UriBuilder(Broker.Uri) { Port = 1, UserName = string.Empty, Password = string.Empty, Path = "/" }.Uri;
        var options = new BusOptions
        {
            Uri = Broker.Uri,
            Endpoints = [dead, Broker.Uri],
            EndpointOrder = EndpointOrder.InOrder,
            ClientName = "endpoints-first-that-answers",
        };
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        await using Bus bus = await Bus.ConnectAsync(options, patience.Token);

        BrokerNode node = Assert.IsType<BrokerNode>(bus.ConnectedNode);
        Assert.Equal(Broker.Uri.Port, node.Port);
        Assert.Equal($"{Broker.Uri.Host}:{Broker.Uri.Port}", node.Endpoint);
        Assert.False(string.IsNullOrEmpty(node.Version));
        Assert.Contains(node.Endpoint, bus.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_endpoint_answering_keeps_retrying_until_cancelled_and_logs_every_node()
    {
        var logs = new CapturingLoggerFactory();
        var options = new BusOptions
        {
            Uri = new Uri("amqp://guest:guest@127.0.0.1:1/"),
            Endpoints = [new Uri("amqp://127.0.0.1:1"), new Uri("amqp://127.0.0.1:2")],
            LoggerFactory = logs,
        };
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Bus.ConnectAsync(options, patience.Token));

        Assert.Contains(logs.Entries, e => e.EventId.Id == 2 && e.Message.Contains("127.0.0.1:1, 127.0.0.1:2", StringComparison.Ordinal));
    }
}
