using System;
using System.Collections.Generic;
using System.Text;
using System.Threading.Tasks;
using RabbitMQ.Client;
using Warren.IntegrationTests.Infrastructure;
using Xunit;

namespace Warren.Cluster.Tests;

/// <summary>
/// The three-node test cluster itself (<c>scripts/cluster.sh</c>, <see cref="BrokerCluster"/>, shared by the <see cref="ClusterSuite"/>): every node takes AMQP
/// connections, a quorum queue has a member on each, and it keeps its messages when its leader crashes and comes back.
/// </summary>
[Collection(ClusterSuite.Name)]
public sealed class ClusterSmokeTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_quorum_queue_declared_on_one_node_takes_messages_on_another_and_keeps_them_when_its_leader_is_killed_and_restarted()
    {
        fixture.EnsureAllUp();
        BrokerCluster cluster = fixture.Cluster;
        string queue = $"warren.test.cluster.smoke.{Guid.NewGuid():N}";

        // Every node answers on its own AMQP port and is a member of one cluster.
        for (int node = 1; node <= 3; node++)
        {
            await using IConnection connection = await ConnectAsync(cluster, node);
            Assert.True(connection.IsOpen);
            Assert.Equal(node, cluster.NodeOfPort(connection.Endpoint.Port));
        }

        await using (IConnection connection = await ConnectAsync(cluster, 1))
        await using (IChannel channel = await connection.CreateChannelAsync())
        {
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
                arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" });
        }

        Assert.Equal([1, 2, 3], cluster.MembersOf(queue));

        await using (IConnection connection = await ConnectAsync(cluster, 2))
        await using (IChannel channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true)))
        {
            // With confirms on, each publish returns once a quorum of members has the message.
            foreach (string text in new[] { "first", "second" })
            {
                await channel.BasicPublishAsync("", queue, mandatory: true, new BasicProperties { Persistent = true }, Encoding.UTF8.GetBytes(text));
            }
        }

        await using (IConnection connection = await ConnectAsync(cluster, 3))
        {
            Assert.Equal("first", await GetAsync(connection, queue));
        }

        int leader = cluster.LeaderOf(queue);
        cluster.Kill(leader);
        int survivor = leader % 3 + 1;
        Assert.Contains("down", cluster.Status().Split('\n')[leader - 1]);

        // The two members left elect a new leader and still hold the message.
        await WaitUntilAsync(() => TryLeaderOf(cluster, queue, survivor) is int newLeader && newLeader != leader, TimeSpan.FromSeconds(60));
        await using (IConnection connection = await ConnectAsync(cluster, survivor))
        await using (IChannel channel = await connection.CreateChannelAsync())
        {
            Assert.Equal(1u, (await channel.QueueDeclarePassiveAsync(queue)).MessageCount);
        }

        cluster.Restart(leader);
        Assert.Equal([1, 2, 3], cluster.MembersOf(queue, askedNode: leader));
        await using (IConnection connection = await ConnectAsync(cluster, leader))
        {
            Assert.Equal("second", await GetAsync(connection, queue));
            Assert.Null(await GetAsync(connection, queue));
            await using IChannel channel = await connection.CreateChannelAsync();
            await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false);
        }
    }

    private static Task<IConnection> ConnectAsync(BrokerCluster cluster, int node) =>
        new ConnectionFactory { Uri = cluster.UriOf(node), ClientProvidedName = $"warren-tests-cluster-{node}", AutomaticRecoveryEnabled = false }.CreateConnectionAsync();

    private static async Task<string?> GetAsync(IConnection connection, string queue)
    {
        await using IChannel channel = await connection.CreateChannelAsync();
        BasicGetResult? result = await channel.BasicGetAsync(queue, autoAck: true);
        return result is null ? null : Encoding.UTF8.GetString(result.Body.Span);
    }

    private static int? TryLeaderOf(BrokerCluster cluster, string queue, int askedNode)
    {
        try
        {
            return cluster.LeaderOf(queue, askedNode);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not so within {timeout}.");
            }

            await Task.Delay(250);
        }
    }
}
