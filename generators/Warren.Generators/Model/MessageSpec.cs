using Warren.Generators.Common;

namespace Warren.Generators.Model;

// Models are immutable and compared by value: the incremental pipeline skips emission when a model equals the
// previous run's. They hold strings and equatable arrays only, never symbols, syntax nodes or locations.

/// <summary>Where a message type is published; mirrors <c>Warren.ExchangeKind</c>.</summary>
internal enum ExchangeKindSpec
{
    Queue = 0,
    Fanout = 1,
    Direct = 2,
    Topic = 3,
    Headers = 4,
}

/// <summary>The type of a queue Warren declares; mirrors <c>Warren.QueueType</c>.</summary>
internal enum QueueTypeSpec
{
    Classic = 0,
    Quorum = 1,
    Stream = 2,
}

/// <summary>
/// A queue's <c>[QueueArguments]</c> (and a consumer's <c>SingleActive</c>) in the broker's units: null for unset.
/// Mirrors <c>Warren.Runtime.QueueArgumentValues</c>; invalid values (the analyzer's WARREN014) are left unset.
/// </summary>
internal sealed record QueueArgumentsSpec(
    long? MessageTtlMilliseconds,
    long? ExpiresMilliseconds,
    long? MaxLength,
    long? MaxLengthBytes,
    int Overflow,
    string? DeadLetterExchange,
    string? DeadLetterRoutingKey,
    int MaxPriority,
    bool SingleActiveConsumer,
    long? MaxAgeSeconds,
    long? MaxSegmentSizeBytes)
{
    /// <summary>The broker's names of <c>Warren.QueueOverflow</c>'s values, by value.</summary>
    public static readonly string[] OverflowNames = { "default", "drop-head", "reject-publish", "reject-publish-dlx" };

    /// <summary>The <c>Warren.QueueOverflow</c> member names, by value.</summary>
    public static readonly string[] OverflowMembers = { "Default", "DropHead", "RejectPublish", "RejectPublishDlx" };

    /// <summary>Each argument that is set: its broker name, its value as the broker shows it, and the runtime property with a C# value.</summary>
    public System.Collections.Generic.IEnumerable<(string Argument, string Display, string Property, string Code)> Entries()
    {
        string L(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (MessageTtlMilliseconds is { } ttl)
        {
            yield return ("x-message-ttl", L(ttl), "MessageTtlMilliseconds", L(ttl) + "L");
        }

        if (ExpiresMilliseconds is { } expires)
        {
            yield return ("x-expires", L(expires), "ExpiresMilliseconds", L(expires) + "L");
        }

        if (MaxLength is { } maxLength)
        {
            yield return ("x-max-length", L(maxLength), "MaxLength", L(maxLength) + "L");
        }

        if (MaxLengthBytes is { } maxBytes)
        {
            yield return ("x-max-length-bytes", L(maxBytes), "MaxLengthBytes", L(maxBytes) + "L");
        }

        if (Overflow is > 0 and < 4)
        {
            yield return ("x-overflow", OverflowNames[Overflow], "Overflow", "global::Warren.QueueOverflow." + OverflowMembers[Overflow]);
        }

        if (DeadLetterExchange is { } exchange)
        {
            yield return ("x-dead-letter-exchange", "'" + exchange + "'", "DeadLetterExchange", Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(exchange, quote: true));
        }

        if (DeadLetterRoutingKey is { } key)
        {
            yield return ("x-dead-letter-routing-key", "'" + key + "'", "DeadLetterRoutingKey", Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(key, quote: true));
        }

        if (MaxPriority > 0)
        {
            yield return ("x-max-priority", L(MaxPriority), "MaxPriority", L(MaxPriority));
        }

        if (SingleActiveConsumer)
        {
            yield return ("x-single-active-consumer", "true", "SingleActiveConsumer", "true");
        }

        if (MaxAgeSeconds is { } age)
        {
            yield return ("x-max-age", L(age) + "s", "MaxAgeSeconds", L(age) + "L");
        }

        if (MaxSegmentSizeBytes is { } segment)
        {
            yield return ("x-stream-max-segment-size-bytes", L(segment), "MaxSegmentSizeBytes", L(segment) + "L");
        }
    }
}

/// <summary>How a property's value becomes routing-key or header text.</summary>
internal enum ValueFormat
{
    /// <summary>A string: used as is, null as empty.</summary>
    String,

    /// <summary>A non-nullable value type implementing IFormattable: formatted with the invariant culture.</summary>
    FormattableValue,

    /// <summary>A reference type or nullable value type implementing IFormattable.</summary>
    FormattableNullable,

    /// <summary>A non-nullable value type without IFormattable: ToString().</summary>
    OtherValue,

    /// <summary>Anything else that may be null: ToString(), null as empty.</summary>
    OtherNullable,
}

/// <summary>One piece of a routing-key template: literal text, or a property of the message.</summary>
internal sealed record RoutingKeySegment(bool IsProperty, string Text, ValueFormat Format);

/// <summary>A property sent as an AMQP header.</summary>
internal sealed record HeaderSpec(string HeaderName, string PropertyName, ValueFormat Format);

/// <summary>A message type and everything its descriptor needs.</summary>
/// <param name="TypeName">The fully qualified type, <c>global::Ns.Type</c>.</param>
/// <param name="MessageType">
/// The wire name, the AMQP <c>type</c> property value: <c>[Message("name")]</c>, else the type's CLR full name without
/// <c>global::</c>.
/// </param>
/// <param name="Aliases">
/// Older wire names from <c>[Message(Aliases = ...)]</c>, in written order, that consumers accept besides
/// <paramref name="MessageType"/>; never published. Empty without any.
/// </param>
/// <param name="DescriptorName">The generated descriptor class's name, unique in the compilation.</param>
/// <param name="HintName">The generated file's name.</param>
/// <param name="QueueType">For a queue message, the type of its queue; otherwise classic.</param>
/// <param name="DeliveryLimit">For a message on a quorum queue, the queue's delivery limit; otherwise 0.</param>
/// <param name="Arguments">For a queue message, its queue's <c>[QueueArguments]</c>; null when it sets none.</param>
/// <param name="DerivedTypes">
/// The types its <c>[JsonDerivedType]</c> lists that derive from it and have no routing attribute of their own: each gets
/// a descriptor that publishes it as this message. In written order.
/// </param>
internal sealed record MessageSpec(
    string TypeName,
    string MessageType,
    EquatableArray<string> Aliases,
    string DescriptorName,
    string HintName,
    ExchangeKindSpec Kind,
    string Name,
    bool Durable,
    QueueTypeSpec QueueType,
    int DeliveryLimit,
    QueueArgumentsSpec? Arguments,
    bool Mandatory,
    bool HasRoutingKeyTemplate,
    EquatableArray<RoutingKeySegment> RoutingKey,
    EquatableArray<HeaderSpec> Headers,
    EquatableArray<DerivedMessageSpec> DerivedTypes);

/// <summary>A type derived from a message, published as that message.</summary>
/// <param name="TypeName">The fully qualified type, <c>global::Ns.Type</c>.</param>
/// <param name="DescriptorName">The generated descriptor holder's name, unique in the compilation.</param>
internal sealed record DerivedMessageSpec(string TypeName, string DescriptorName);

/// <summary>A message spec paired with the JSON context that covers its type, if any.</summary>
internal sealed record MessageEmitSpec(MessageSpec Message, string? JsonContextTypeName);
