using System.Threading;
using System.Threading.Tasks;

namespace Warren.Cluster.Tests;

/// <summary>
/// What the fault scenarios publish: a unique id and the run it belongs to, on a quorum queue with a member on every node.
/// The delivery limit is high: every node killed under the consumer gives its unacknowledged messages back once, and a
/// rolling restart kills three.
/// </summary>
[Queue(QueueName), Durable(QueueType.Quorum, DeliveryLimit = 1000)]
public sealed record ClusterEntry(string Run, int Id)
{
    /// <summary>The quorum queue every fault scenario publishes to and consumes from (deleted before each).</summary>
    public const string QueueName = "warren.test.cluster.ledger";
}

/// <summary>A fanout message, for a subscription on a server-named queue: exclusive to its connection, so lost with its node.</summary>
[Fanout(ExchangeName)]
public sealed record ClusterTick(string Run, int Id)
{
    /// <summary>The exchange.</summary>
    public const string ExchangeName = "warren.test.cluster.ticks";
}

/// <summary>An RPC service whose request queue is a quorum queue, so that it outlives any one node.</summary>
[RpcService("warren.test.cluster.echo"), Durable(QueueType.Quorum)]
public interface IClusterEcho
{
    /// <summary>Returns <paramref name="value"/>.</summary>
    [RpcMethod] Task<int> EchoAsync(int value, CancellationToken cancellationToken = default);
}

/// <summary>The service's implementation.</summary>
public sealed class ClusterEcho : IClusterEcho
{
    /// <inheritdoc/>
    public Task<int> EchoAsync(int value, CancellationToken cancellationToken = default) => Task.FromResult(value);
}
