namespace Warren.Reliability;

/// <summary>
/// What the fault scenarios publish: a unique integer id, and the run it belongs to, so that a message left over from
/// another run counts as unexpected rather than as delivered. Durable queue, persistent messages: they must survive a
/// broker restart and a SIGKILL.
/// </summary>
[Queue(LedgerEntry.QueueName), Durable]
public sealed record LedgerEntry(string Run, int Id)
{
    /// <summary>The queue every fault scenario publishes to and consumes from (emptied before and after each).</summary>
    public const string QueueName = "warren.test.reliability.ledger";
}

/// <summary>The bad-input scenarios' message: what a well-behaved publisher sends to the order queue.</summary>
[Queue(Order.QueueName), Durable]
public sealed record Order(int Id, string Sku, int Quantity)
{
    /// <summary>The order queue; foreign publishers put bad input on it.</summary>
    public const string QueueName = "warren.test.reliability.orders";

    /// <summary>An order with this SKU makes the handler throw, every time.</summary>
    public const string PoisonSku = "always-throws";
}

/// <summary>A fanout message for the permission case: the publishing user has no write permission on this exchange.</summary>
[Fanout(AuditEvent.ExchangeName)]
public sealed record AuditEvent(string Text)
{
    /// <summary>The exchange.</summary>
    public const string ExchangeName = "warren.test.reliability.audit";
}
