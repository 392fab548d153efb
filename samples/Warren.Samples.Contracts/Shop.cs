using System.Threading;
using System.Threading.Tasks;

namespace Warren.Samples;

// The shop of the hosted samples: samples/WebApi takes orders and asks for prices, samples/WorkerService handles the
// orders and answers the price requests. Both reference these contracts; the consumer and the server are the worker's.

/// <summary>
/// An order the web API accepted, on the durable fanout exchange 'shop.orders': the worker's queue takes every order,
/// and so would the queue of any other service bound to the exchange (billing, shipping). [Durable] makes the exchange
/// durable and the messages persistent.
/// </summary>
[Fanout(ExchangeName), Durable]
public sealed record OrderPlaced(string OrderId, string Sku, int Quantity)
{
    /// <summary>The exchange the web API publishes orders to.</summary>
    public const string ExchangeName = "shop.orders";
}

/// <summary>A price: <see cref="Total"/> is <see cref="Quantity"/> times <see cref="UnitPrice"/>.</summary>
public sealed record Quote(string Sku, int Quantity, decimal UnitPrice, decimal Total);

/// <summary>The shop's prices, served over RPC on the queue 'shop.pricing'.</summary>
[RpcService(QueueName)]
public interface IPricing
{
    /// <summary>The queue the worker serves and the web API sends its requests to.</summary>
    const string QueueName = "shop.pricing";

    /// <summary>The price of <paramref name="quantity"/> units of <paramref name="sku"/>, or null when the shop does not sell it.</summary>
    [RpcMethod]
    Task<Quote?> QuoteAsync(string sku, int quantity, CancellationToken cancellationToken = default);
}
