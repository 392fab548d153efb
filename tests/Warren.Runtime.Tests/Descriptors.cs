using System.Threading;
using System.Threading.Tasks;
using Warren.Runtime;

namespace Warren.Runtime.Tests;

/// <summary>The message the plans are made for; its descriptors stand in for generated ones.</summary>
public sealed record OrderPlaced(string Region);

/// <summary>A message descriptor as the generator writes one, for any exchange kind or queue.</summary>
internal sealed class OrderPlacedDescriptor(
    ExchangeKind kind, string name, bool durable = true, QueueType queueType = QueueType.Classic, int deliveryLimit = 0, QueueArgumentValues? arguments = null)
    : MessageDescriptor<OrderPlaced>("OrderPlaced", kind, name, durable, queueType: queueType, deliveryLimit: deliveryLimit, arguments: arguments)
{
    public override string GetRoutingKey(OrderPlaced message) => message.Region;
}

/// <summary>The consumer class whose attributes a <see cref="ConsumerDescriptor"/> describes.</summary>
public sealed class BillingConsumer : IConsumer<OrderPlaced>
{
    public ValueTask HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}

internal static class Consumers
{
    /// <summary>The descriptor of <c>[Consumer(Queue = ...)]</c> and its other attributes on <see cref="BillingConsumer"/>.</summary>
    public static ConsumerDescriptor<BillingConsumer, OrderPlaced> Billing(
        string? queue = "billing", bool durable = true, ushort prefetch = 0, string[]? keys = null, HeadersBinding[]? headers = null,
        QueueType queueType = QueueType.Classic, int deliveryLimit = 0, QueueArgumentValues? arguments = null,
        string? streamOffset = null, string? streamConsumerName = null, bool trackStreamOffset = true) =>
        new(queue, durable, prefetch, keys ?? [], headers ?? [], queueType, deliveryLimit, arguments, streamOffset, streamConsumerName, trackStreamOffset);
}
