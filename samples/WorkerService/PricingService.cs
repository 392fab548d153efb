using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace Warren.Samples.WorkerService;

/// <summary>
/// Answers the <see cref="IPricing"/> requests of the queue 'shop.pricing'. [RpcServer] puts it in this project's
/// AddWarrenRpcServices(); Warren resolves it from a new DI scope for every request.
/// </summary>
[RpcServer]
public sealed class PricingService(ShopRepository shop, ILogger<PricingService> logger) : IPricing
{
    /// <inheritdoc/>
    public Task<Quote?> QuoteAsync(string sku, int quantity, CancellationToken cancellationToken = default)
    {
        // Throwing sends the caller an error reply (an RpcException), and the server goes on.
        ArgumentOutOfRangeException.ThrowIfLessThan(quantity, 1);
        if (shop.UnitPriceOf(sku) is not { } unitPrice)
        {
            logger.LogInformation("No price for {Sku}: not for sale", sku);
            return Task.FromResult<Quote?>(null);
        }

        var quote = new Quote(sku, quantity, unitPrice, unitPrice * quantity);
        logger.LogInformation("Quoted {Quantity} x {Sku}: {Total}", quantity, sku, quote.Total);
        return Task.FromResult<Quote?>(quote);
    }
}
