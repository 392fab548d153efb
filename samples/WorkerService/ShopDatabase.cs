using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Collections.Generic;

namespace Warren.Samples.WorkerService;

/// <summary>The shop's database, kept in memory so the sample needs nothing but a broker: a price list and the orders saved.</summary>
public sealed class ShopDatabase
{
    /// <summary>The unit price of every product, by SKU.</summary>
    public FrozenDictionary<string, decimal> Prices { get; } = new Dictionary<string, decimal>
    {
        ["apple"] = 0.40m,
        ["pear"] = 0.55m,
        ["plum"] = 0.25m,
    }.ToFrozenDictionary();

    /// <summary>The orders saved, by order id.</summary>
    public ConcurrentDictionary<string, OrderPlaced> Orders { get; } = new();
}

/// <summary>
/// What the handlers work with, standing in for an EF Core DbContext or a repository: registered scoped, so each order
/// and each price request gets one of its own, which lives as long as its handler.
/// </summary>
public sealed class ShopRepository(ShopDatabase database)
{
    /// <summary>The unit price of <paramref name="sku"/>, or null when the shop does not sell it.</summary>
    public decimal? UnitPriceOf(string sku) => database.Prices.TryGetValue(sku, out decimal price) ? price : null;

    /// <summary>Saves the order; false when an order with its id was saved already.</summary>
    public bool TrySaveOrder(OrderPlaced order) => database.Orders.TryAdd(order.OrderId, order);
}
