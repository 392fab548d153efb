namespace Warren.Generators.Tests;

/// <summary>A compilation with every kind of contract, for the documents' snapshots and the lock tests.</summary>
internal static class ContractSamples
{
    public const string Shop = GeneratorHarness.Usings + """
        using System.Collections.Generic;

        namespace Shop;

        public enum Priority { Low, High }

        [JsonConverter(typeof(JsonStringEnumConverter))]
        public enum Channel { Web, Store }

        public sealed record OrderLine(string Sku, int Quantity, decimal UnitPrice);

        public sealed class Customer
        {
            public string Name { get; init; } = "";
            [JsonPropertyName("e-mail")] public string? Email { get; init; }
            [JsonIgnore] public string Secret { get; init; } = "";
            public Customer? Referrer { get; init; }
        }

        [Message("orders.placed", Aliases = new[] { "Shop.OrderPlaced" })]
        [Topic("orders", RoutingKey = "orders.{Region}"), Durable]
        public sealed record OrderPlaced(string OrderId, string Region, Customer Customer, List<OrderLine> Lines, Priority Priority, Channel Channel)
        {
            public Guid Id { get; init; }
            public DateTimeOffset PlacedAt { get; init; }
            public long? Reference { get; init; }
            public Dictionary<string, double> Discounts { get; init; } = new();
            public required string Currency { get; init; }
            [JsonInclude] public int Version;
        }

        [Fanout("audit")]
        public sealed record AuditEntry(string Text, bool Important);

        [Direct("payments", RoutingKey = "card")]
        public sealed record PaymentTaken(string OrderId, double Amount);

        [Headers("shipments")]
        public sealed record Shipment([property: Header("carrier")] string Carrier, [property: Header("express")] bool Express, string OrderId);

        [Queue("invoices"), Durable(QueueType.Quorum, DeliveryLimit = 3), QueueArguments(MessageTtl = "00:10:00", MaxLength = 1000, Overflow = QueueOverflow.RejectPublish)]
        public sealed record InvoiceDue(string OrderId, decimal Total, DateTime DueAt);

        [Queue("ticks"), Durable(QueueType.Stream), QueueArguments(MaxAge = "1.00:00:00", MaxSegmentSizeBytes = 1000000)]
        public sealed record Tick(string Symbol, double Price);

        [Consumer(Queue = "billing.orders", Prefetch = 10), Bind("orders.eu"), Bind("orders.us"), Durable(QueueType.Quorum), QueueArguments(MaxLength = 500)]
        public sealed class BillingOrders : IConsumer<OrderPlaced>
        {
            public ValueTask HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken) => default;
        }

        [Consumer(Queue = "audit.log"), Durable]
        public sealed class AuditLog : IConsumer<AuditEntry>
        {
            public ValueTask HandleAsync(AuditEntry message, MessageContext context, CancellationToken cancellationToken) => default;
        }

        [Consumer]
        public sealed class AuditTail : IConsumer<AuditEntry>
        {
            public ValueTask HandleAsync(AuditEntry message, MessageContext context, CancellationToken cancellationToken) => default;
        }

        [Consumer(Queue = "payments.card", SingleActive = true), Bind("card"), Durable, QueueArguments(MessageTtl = "00:01:00", DeadLetterExchange = "", DeadLetterRoutingKey = "payments.dead")]
        public sealed class CardPayments : IConsumer<PaymentTaken>
        {
            public ValueTask HandleAsync(PaymentTaken message, MessageContext context, CancellationToken cancellationToken) => default;
        }

        [Consumer(Queue = "shipments.express"), BindHeaders(HeadersMatch.All, "express", "True", "carrier", "dhl"), BindHeaders(HeadersMatch.Any, "carrier", "ups")]
        public sealed class ExpressShipments : IConsumer<Shipment>
        {
            public ValueTask HandleAsync(Shipment message, MessageContext context, CancellationToken cancellationToken) => default;
        }

        [Consumer(Queue = "shipments.all")]
        public sealed class AllShipments : IConsumer<Shipment>
        {
            public ValueTask HandleAsync(Shipment message, MessageContext context, CancellationToken cancellationToken) => default;
        }

        [Consumer(Prefetch = 1)]
        public sealed class InvoiceWorker : IConsumer<InvoiceDue>
        {
            public ValueTask HandleAsync(InvoiceDue message, MessageContext context, CancellationToken cancellationToken) => default;
        }

        [Consumer(StreamOffset = "first", StreamConsumerName = "chart")]
        public sealed class TickChart : IConsumer<Tick>
        {
            public ValueTask HandleAsync(Tick message, MessageContext context, CancellationToken cancellationToken) => default;
        }

        [Fanout("ledger"), JsonDerivedType(typeof(Refund), "refund"), JsonDerivedType(typeof(Charge), 2)]
        public abstract record LedgerEntry(string Account, decimal Amount);

        public sealed record Refund(string Account, decimal Amount, string Reason) : LedgerEntry(Account, Amount);

        public sealed record Charge(string Account, decimal Amount, string Card) : LedgerEntry(Account, Amount);

        public sealed record Quote(string Sku, int Quantity, decimal Total);

        [RpcService("pricing"), Durable(QueueType.Quorum)]
        public interface IPricing
        {
            [RpcMethod] Task<Quote?> QuoteAsync(string sku, int quantity, CancellationToken cancellationToken = default);
            [RpcMethod("ping")] Task PingAsync();
            [RpcMethod] ValueTask<IReadOnlyList<string>> SkusAsync(Channel channel);
        }

        [RpcServer]
        public sealed class PricingServer : IPricing
        {
            public Task<Quote?> QuoteAsync(string sku, int quantity, CancellationToken cancellationToken = default) => Task.FromResult<Quote?>(null);
            public Task PingAsync() => Task.CompletedTask;
            public ValueTask<IReadOnlyList<string>> SkusAsync(Channel channel) => new(new List<string>());
        }
        """;
}
