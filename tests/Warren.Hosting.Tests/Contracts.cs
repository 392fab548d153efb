using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace Warren.Hosting.Tests;

// The hosted consumers and services these tests run. Each test gives them queues of its own through their options.

/// <summary>An order, published to a direct exchange and routed by its region.</summary>
[Direct(Exchange, RoutingKey = "{Region}")]
public sealed record OrderPlaced(string Id, string Region, int DelayMilliseconds = 0)
{
    public const string Exchange = "warren.hosting.orders";
}

/// <summary>What the order consumer publishes for each order it handles.</summary>
[Direct(Exchange, RoutingKey = "shipped")]
public sealed record OrderShipped(string OrderId)
{
    public const string Exchange = "warren.hosting.shipments";
}

/// <summary>
/// A scoped service, as a DbContext is: one instance per DI scope, disposed with it. It records which scope handled
/// which order, so tests can check that every message got a scope of its own.
/// </summary>
public sealed class OrderLedger(HandledOrders handled) : IDisposable
{
    public Guid Scope { get; } = Guid.NewGuid();

    public bool Disposed { get; private set; }

    public void Record(OrderPlaced order, MessageContext context) => handled.Add(new HandledOrder(order.Id, Scope, this, context.MessageId, context.CorrelationId));

    public void Dispose() => Disposed = true;
}

public sealed record HandledOrder(string OrderId, Guid Scope, OrderLedger Ledger, string? MessageId, string? CorrelationId);

/// <summary>A singleton the tests read: every order handled, and the handlers running right now.</summary>
public sealed class HandledOrders
{
    private readonly ConcurrentQueue<HandledOrder> _orders = new();
    private int _running;

    public HandledOrder[] All => [.. _orders];

    public int Running => Volatile.Read(ref _running);

    public int Started;

    public int Cancelled;

    public void Add(HandledOrder order) => _orders.Enqueue(order);

    public void Enter()
    {
        Interlocked.Increment(ref Started);
        Interlocked.Increment(ref _running);
    }

    public void Exit() => Interlocked.Decrement(ref _running);

    public async Task WaitForAsync(Func<HandledOrders, bool> condition, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!condition(this))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Gave up waiting: {_orders.Count} orders handled, {Running} running, {Started} started, {Cancelled} cancelled.");
            }

            await Task.Delay(20);
        }
    }
}

/// <summary>A consumer with constructor dependencies: a scoped ledger and the singleton publisher.</summary>
[Consumer(Queue = "warren.hosting.orders.default", Prefetch = 8), Bind("eu"), Bind("us")]
public sealed class OrderConsumer(OrderLedger ledger, HandledOrders handled, IPublisher publisher) : IConsumer<OrderPlaced>
{
    public async ValueTask HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken)
    {
        handled.Enter();
        try
        {
            if (message.DelayMilliseconds > 0)
            {
                await Task.Delay(message.DelayMilliseconds, cancellationToken);
            }

            ledger.Record(message, context);
            await publisher.PublishAsync(new OrderShipped(message.Id), cancellationToken: cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Increment(ref handled.Cancelled);
            throw;
        }
        finally
        {
            handled.Exit();
        }
    }
}

/// <summary>Records the shipments the order consumer published, with the context they arrived in.</summary>
[Consumer(Queue = "warren.hosting.shipments.default"), Bind("shipped")]
public sealed class ShipmentConsumer(Shipments shipments) : IConsumer<OrderShipped>
{
    public ValueTask HandleAsync(OrderShipped message, MessageContext context, CancellationToken cancellationToken)
    {
        shipments.Add(message, context);
        return ValueTask.CompletedTask;
    }
}

public sealed class Shipments
{
    private readonly ConcurrentQueue<(OrderShipped Message, string? CorrelationId, string? CausationId)> _items = new();

    public (OrderShipped Message, string? CorrelationId, string? CausationId)[] All => [.. _items];

    public void Add(OrderShipped message, MessageContext context) => _items.Enqueue((message, context.CorrelationId, context.CausationId));
}

/// <summary>An RPC contract served in the host.</summary>
[RpcService("warren.hosting.pricing")]
public interface IPricing
{
    [RpcMethod]
    Task<decimal> QuoteAsync(string sku, int quantity, CancellationToken cancellationToken = default);
}

/// <summary>The server of <see cref="IPricing"/>, resolved per request with a scoped dependency.</summary>
[RpcServer]
public sealed class PricingServer(OrderLedger ledger, PriceList prices) : IPricing
{
    public Task<decimal> QuoteAsync(string sku, int quantity, CancellationToken cancellationToken = default)
    {
        prices.Scopes.Enqueue(ledger.Scope);
        return Task.FromResult(prices.UnitPrice(sku) * quantity);
    }
}

public sealed class PriceList
{
    public ConcurrentQueue<Guid> Scopes { get; } = new();

    public decimal UnitPrice(string sku) => sku == "apple" ? 0.5m : throw new ArgumentException($"No price for '{sku}'.");
}
