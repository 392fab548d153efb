using Microsoft.CodeAnalysis;

namespace Warren.Generators.Diagnostics;

/// <summary>
/// Every diagnostic Warren reports, in one place. IDs are stable and tracked in AnalyzerReleases.*.md; each links to its
/// section of docs/diagnostics.md.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "Warren";
    private const string HelpLinkBase = "https://github.com/warren-messaging/warren/blob/main/docs/diagnostics.md#";

    /// <summary>A routing-key template names a property that does not exist or is not readable, or leaves a brace open.</summary>
    public static readonly DiagnosticDescriptor RoutingKeyPropertyNotFound = Create(
        "WARREN001", DiagnosticSeverity.Error,
        "Routing-key template names a missing property",
        "The routing-key template '{0}' {1}");

    /// <summary>A routing or binding key AMQP or the exchange cannot use.</summary>
    public static readonly DiagnosticDescriptor InvalidRoutingKey = Create(
        "WARREN002", DiagnosticSeverity.Error,
        "Invalid routing or binding key",
        "The {0} is invalid: {1}");

    /// <summary>Two declarations of one exchange disagree.</summary>
    public static readonly DiagnosticDescriptor ExchangeDeclarationConflict = Create(
        "WARREN003", DiagnosticSeverity.Error,
        "Conflicting exchange declarations",
        "Exchange '{0}' is declared here as {1} but as {2} by '{3}'; RabbitMQ refuses the second declaration with PRECONDITION_FAILED");

    /// <summary>Two declarations of one queue disagree.</summary>
    public static readonly DiagnosticDescriptor QueueDeclarationConflict = Create(
        "WARREN004", DiagnosticSeverity.Error,
        "Conflicting queue declarations",
        "Queue '{0}' {1}");

    /// <summary>A consumer's message has no routing attribute, or the consumer has bindings its exchange ignores.</summary>
    public static readonly DiagnosticDescriptor ConsumerBindingMismatch = Create(
        "WARREN005", DiagnosticSeverity.Error,
        "Consumer cannot receive its message as declared",
        "{0}");

    /// <summary>An [RpcMethod] signature the proxy cannot implement.</summary>
    public static readonly DiagnosticDescriptor InvalidRpcMethod = Create(
        "WARREN006", DiagnosticSeverity.Error,
        "Invalid RPC method",
        "RPC method '{0}' {1}");

    /// <summary>Two RPC methods share a wire name, or [RpcMethod] without [RpcService].</summary>
    public static readonly DiagnosticDescriptor InvalidRpcService = Create(
        "WARREN007", DiagnosticSeverity.Error,
        "Invalid RPC service",
        "{0}");

    /// <summary>A type System.Text.Json cannot serialize.</summary>
    public static readonly DiagnosticDescriptor NotSerializable = Create(
        "WARREN008", DiagnosticSeverity.Error,
        "Type cannot be serialized as JSON",
        "'{0}' cannot be serialized by System.Text.Json: {1}");

    /// <summary>A message type not covered by the project's JsonSerializerContext while trimming or NativeAOT is on.</summary>
    public static readonly DiagnosticDescriptor NotInJsonContext = Create(
        "WARREN009", DiagnosticSeverity.Warning,
        "Type is not in the JsonSerializerContext",
        "'{0}' is not covered by a JsonSerializerContext of this project, which is trimmed or NativeAOT: add [JsonSerializable(typeof({0}))] to {1}");

    /// <summary>[Durable] where it cannot take effect.</summary>
    public static readonly DiagnosticDescriptor DurableIneffective = Create(
        "WARREN010", DiagnosticSeverity.Warning,
        "[Durable] has no effect here",
        "{0}");

    /// <summary>A consumer class the generated code cannot use.</summary>
    public static readonly DiagnosticDescriptor InvalidConsumerClass = Create(
        "WARREN011", DiagnosticSeverity.Error,
        "Invalid consumer class",
        "Consumer '{0}' {1}");

    /// <summary>A quorum queue's delivery limit that is negative.</summary>
    public static readonly DiagnosticDescriptor InvalidDeliveryLimit = Create(
        "WARREN012", DiagnosticSeverity.Error,
        "Invalid delivery limit",
        "{0}");

    /// <summary>An [RpcServer] class a host cannot serve with.</summary>
    public static readonly DiagnosticDescriptor InvalidRpcServerClass = Create(
        "WARREN013", DiagnosticSeverity.Error,
        "Invalid RPC server class",
        "RPC server '{0}' {1}");

    /// <summary>A queue argument the broker refuses: an invalid duration or size, or one the queue's type does not take.</summary>
    public static readonly DiagnosticDescriptor InvalidQueueArguments = Create(
        "WARREN014", DiagnosticSeverity.Error,
        "Invalid queue argument",
        "{0}");

    /// <summary>[QueueArguments] or [Consumer(SingleActive = true)] where Warren declares no queue with them.</summary>
    public static readonly DiagnosticDescriptor QueueArgumentsIneffective = Create(
        "WARREN015", DiagnosticSeverity.Warning,
        "Queue arguments have no effect here",
        "{0}");

    /// <summary>A stream consumer setting of [Consumer] that cannot work: a StreamOffset that is not one, an empty StreamConsumerName.</summary>
    public static readonly DiagnosticDescriptor InvalidStreamConsumer = Create(
        "WARREN016", DiagnosticSeverity.Error,
        "Invalid stream consumer setting",
        "{0}");

    /// <summary>A [Message] wire name or alias that cannot be the AMQP type property, or a redundant alias.</summary>
    public static readonly DiagnosticDescriptor InvalidMessageName = Create(
        "WARREN017", DiagnosticSeverity.Error,
        "Invalid message wire name or alias",
        "{0}");

    /// <summary>Two message types share a wire name or alias, so consumers cannot tell their messages apart.</summary>
    public static readonly DiagnosticDescriptor DuplicateMessageName = Create(
        "WARREN018", DiagnosticSeverity.Error,
        "Two message types share a wire name",
        "'{0}' is {1} here and {2} of '{3}': consumers could not tell the two messages apart on the wire. Give each message its own [Message] name and aliases.");

    /// <summary>A type derived from a message that is not listed with [JsonDerivedType], or is listed without a discriminator.</summary>
    public static readonly DiagnosticDescriptor UnlistedDerivedMessage = Create(
        "WARREN019", DiagnosticSeverity.Error,
        "Derived message type would lose its properties",
        "{0}");

    /// <summary>A public instance field on a message, which System.Text.Json leaves out.</summary>
    public static readonly DiagnosticDescriptor MessageField = Create(
        "WARREN020", DiagnosticSeverity.Error,
        "Public field on a message is not serialized",
        "{0}");

    /// <summary>A message property whose type cannot travel as JSON.</summary>
    public static readonly DiagnosticDescriptor UnserializableMessageProperty = Create(
        "WARREN021", DiagnosticSeverity.Error,
        "Message property cannot travel as JSON",
        "Property '{0}' of message '{1}' cannot be serialized: {2}. Change its type, or mark it [JsonIgnore] if it should not travel.");

    /// <summary>A class without [Consumer] passed to an API that needs its generated consumer descriptor.</summary>
    public static readonly DiagnosticDescriptor ConsumerWithoutAttribute = Create(
        "WARREN022", DiagnosticSeverity.Error,
        "Consumer class needs [Consumer]",
        "{0}");

    /// <summary>The current contracts break the contract lock (warren.contracts.json): one diagnostic per breaking change.</summary>
    public static readonly DiagnosticDescriptor ContractBreaksLock = Create(
        "WARREN023", DiagnosticSeverity.Error,
        "Contract change breaks the contract lock",
        "Breaking contract change: {0}. If the change is intended, accept it with 'dotnet build -p:WarrenAcceptContracts=true', which rewrites warren.contracts.json.");

    /// <summary>The contract lock cannot be read: not JSON, or a version this Warren does not know.</summary>
    public static readonly DiagnosticDescriptor UnreadableContractLock = Create(
        "WARREN024", DiagnosticSeverity.Error,
        "Contract lock cannot be read",
        "The contract lock warren.contracts.json cannot be read: {0}. Restore it, or rewrite it from the current contracts with 'dotnet build -p:WarrenAcceptContracts=true'.");

    private static DiagnosticDescriptor Create(string id, DiagnosticSeverity severity, string title, string messageFormat) =>
        new(id, title, messageFormat, Category, severity, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + id.ToLowerInvariant());
}
