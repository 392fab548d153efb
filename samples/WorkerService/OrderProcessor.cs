using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace Warren.Samples.WorkerService;

/// <summary>
/// Saves every order published to 'shop.orders', from the durable queue 'shop.order-processing'. Warren resolves it, with
/// its constructor's dependencies, from a new DI scope for every order; its concurrency comes from appsettings.json
/// (Warren:Consumers:OrderProcessor). Returning acknowledges the order; throwing retries it (Warren:Retry), then moves
/// it to 'shop.order-processing.error'.
/// </summary>
[Consumer(Queue = QueueName), Durable]
public sealed class OrderProcessor(ShopRepository shop, ILogger<OrderProcessor> logger) : IConsumer<OrderPlaced>
{
    /// <summary>The queue every worker process shares: start several and they take turns.</summary>
    public const string QueueName = "shop.order-processing";

    /// <inheritdoc/>
    public ValueTask HandleAsync(OrderPlaced order, MessageContext context, CancellationToken cancellationToken)
    {
        // Delivery is at least once: an order can come twice (say, after a worker died before acknowledging it).
        if (shop.TrySaveOrder(order))
        {
            logger.LogInformation("Saved order {OrderId}: {Quantity} x {Sku}", order.OrderId, order.Quantity, order.Sku);
        }
        else
        {
            logger.LogInformation("Order {OrderId} was saved already; skipping it", order.OrderId);
        }

        return ValueTask.CompletedTask;
    }
}
