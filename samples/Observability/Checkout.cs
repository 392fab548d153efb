using System;
using System.Threading;
using System.Threading.Tasks;

namespace Warren.Samples.Observability;

/// <summary>An order submitted at checkout, on the queue 'observability.orders'.</summary>
[Queue(QueueName)]
public sealed record OrderSubmitted(string OrderId, string Sku, int Quantity)
{
    public const string QueueName = "observability.orders";
}

/// <summary>The follow-up the order handler publishes once the stock is reserved, on the queue 'observability.confirmations'.</summary>
[Queue(QueueName)]
public sealed record OrderConfirmed(string OrderId, int Reserved)
{
    public const string QueueName = "observability.confirmations";
}

/// <summary>The stock service, called over RPC on the queue 'observability.stock'.</summary>
[RpcService(QueueName)]
public interface IStock
{
    const string QueueName = "observability.stock";

    /// <summary>Reserves up to <paramref name="quantity"/> units of <paramref name="sku"/>; returns how many it reserved.</summary>
    [RpcMethod]
    Task<int> ReserveAsync(string sku, int quantity, CancellationToken cancellationToken = default);
}

/// <summary>The stock service's implementation: everything is in stock.</summary>
public sealed class Stock : IStock
{
    public Task<int> ReserveAsync(string sku, int quantity, CancellationToken cancellationToken = default)
    {
        Console.WriteLine($" [stock] reserving {quantity} × {sku}");
        return Task.FromResult(quantity);
    }
}

/// <summary>Handles an order: reserves its stock over RPC, then publishes <see cref="OrderConfirmed"/>.</summary>
[Consumer]
public sealed class OrderHandler(IStock stock, IPublisher publisher) : IConsumer<OrderSubmitted>
{
    public async ValueTask HandleAsync(OrderSubmitted order, MessageContext context, CancellationToken cancellationToken)
    {
        Console.WriteLine($" [orders] handling order {order.OrderId}");
        int reserved = await stock.ReserveAsync(order.Sku, order.Quantity, cancellationToken);
        await publisher.PublishAsync(new OrderConfirmed(order.OrderId, reserved), cancellationToken: cancellationToken);
    }
}

/// <summary>Handles the follow-up, and tells the program it may stop.</summary>
[Consumer]
public sealed class ConfirmationHandler : IConsumer<OrderConfirmed>
{
    private readonly TaskCompletionSource<OrderConfirmed> _handled = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<OrderConfirmed> Handled => _handled.Task;

    public ValueTask HandleAsync(OrderConfirmed confirmation, MessageContext context, CancellationToken cancellationToken)
    {
        Console.WriteLine($" [confirmations] order {confirmation.OrderId} confirmed, {confirmation.Reserved} reserved");
        _handled.TrySetResult(confirmation);
        return ValueTask.CompletedTask;
    }
}
