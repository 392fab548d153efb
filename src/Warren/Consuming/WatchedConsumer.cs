using System;
using System.Threading;
using System.Threading.Tasks;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Warren.Internal;

/// <summary>
/// Wraps a subscription's pump to tell the subscription when the broker cancels the consumer (basic.cancel: its queue
/// was deleted, or the queue's node went down), which RabbitMQ.Client neither recovers nor reports otherwise, and
/// whether the consumer is registered with the broker at all.
/// </summary>
internal sealed class WatchedConsumer : IAsyncBasicConsumer
{
    private readonly IAsyncBasicConsumer _pump;
    private readonly Subscription _subscription;
    private volatile bool _registered;
    private volatile bool _abandoned;

    public WatchedConsumer(IAsyncBasicConsumer pump, Subscription subscription)
    {
        _pump = pump;
        _subscription = subscription;
    }

    public IChannel? Channel => _pump.Channel;

    /// <summary>True between consume-ok and a cancellation or channel shutdown; the client sets it again when it recovers the consumer.</summary>
    public bool IsRegistered => _registered;

    /// <summary>basic.consume returned: the broker registered the consumer (consume-ok may reach <see cref="HandleBasicConsumeOkAsync"/> later).</summary>
    public void Registered() => _registered = true;

    /// <summary>The broker closed the channel: deliveries still queued for this consumer are skipped, the broker has put them back.</summary>
    public void Abandon() => _abandoned = true;

    /// <summary>Sends the acks the pump still batches, before the subscription closes the channel.</summary>
    public ValueTask CloseAcksAsync() => _pump is IBatchedAcks batched ? batched.CloseAcksAsync() : default;

    public Task HandleBasicDeliverAsync(
        string consumerTag, ulong deliveryTag, bool redelivered, string exchange, string routingKey,
        IReadOnlyBasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default) =>
        _abandoned
            ? Task.CompletedTask
            : _pump.HandleBasicDeliverAsync(consumerTag, deliveryTag, redelivered, exchange, routingKey, properties, body, cancellationToken);

    public Task HandleBasicConsumeOkAsync(string consumerTag, CancellationToken cancellationToken = default)
    {
        _registered = true;
        return _pump.HandleBasicConsumeOkAsync(consumerTag, cancellationToken);
    }

    public async Task HandleBasicCancelAsync(string consumerTag, CancellationToken cancellationToken = default)
    {
        _registered = false;
        try
        {
            await _pump.HandleBasicCancelAsync(consumerTag, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _subscription.CancelledByBroker(this);
        }
    }

    public Task HandleBasicCancelOkAsync(string consumerTag, CancellationToken cancellationToken = default)
    {
        _registered = false;
        return _pump.HandleBasicCancelOkAsync(consumerTag, cancellationToken);
    }

    public Task HandleChannelShutdownAsync(object channel, ShutdownEventArgs reason)
    {
        _registered = false;
        return _pump.HandleChannelShutdownAsync(channel, reason);
    }
}

/// <summary>A consumer that may hold handled messages' acks back to send them together.</summary>
internal interface IBatchedAcks
{
    /// <summary>Sends the waiting acks now; later ones go out at once.</summary>
    ValueTask CloseAcksAsync();
}
