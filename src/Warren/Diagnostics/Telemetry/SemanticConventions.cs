namespace Warren.Internal;

/// <summary>
/// Attribute names and values of the OpenTelemetry semantic conventions for messaging and RPC that Warren's spans and
/// metrics use, and the few Warren adds (prefixed <c>warren.</c>) where the conventions have none.
/// </summary>
internal static class SemanticConventions
{
    public const string MessagingSystem = "messaging.system";
    public const string RabbitMq = "rabbitmq";
    public const string OperationType = "messaging.operation.type";
    public const string OperationName = "messaging.operation.name";
    public const string DestinationName = "messaging.destination.name";
    public const string SubscriptionName = "messaging.destination.subscription.name";
    public const string RoutingKey = "messaging.rabbitmq.destination.routing_key";
    public const string DeliveryTag = "messaging.rabbitmq.message.delivery_tag";
    public const string MessageId = "messaging.message.id";
    public const string ConversationId = "messaging.message.conversation_id";
    public const string BodySize = "messaging.message.body.size";
    public const string ErrorType = "error.type";

    public const string RpcSystem = "rpc.system";
    public const string RpcService = "rpc.service";
    public const string RpcMethod = "rpc.method";

    /// <summary>The .NET type name a message is published as (its AMQP <c>type</c> property).</summary>
    public const string MessageType = "warren.message.type";

    /// <summary>How a publish, delivery or call ended: one of the <c>Outcome*</c> values, for metrics without high cardinality.</summary>
    public const string Outcome = "warren.outcome";

    public const string ErrorQueue = "warren.error_queue";
    public const string Attempt = "warren.retry.attempt";
    public const string RetryDelay = "warren.retry.delay_ms";
    public const string RetryEvent = "warren.retry";

    public const string OutcomeConfirmed = "confirmed";
    public const string OutcomeFailed = "failed";
    public const string OutcomeAcked = "acked";
    public const string OutcomeErrorQueue = "error_queue";
    public const string OutcomeRequeued = "requeued";
    public const string OutcomeAbandoned = "abandoned";
}
