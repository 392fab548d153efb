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
/// <param name="MessageType">The AMQP <c>type</c> property value: the type's full name without <c>global::</c>.</param>
/// <param name="DescriptorName">The generated descriptor class's name, unique in the compilation.</param>
/// <param name="HintName">The generated file's name.</param>
/// <param name="QueueType">For a queue message, the type of its queue; otherwise classic.</param>
/// <param name="DeliveryLimit">For a message on a quorum queue, the queue's delivery limit; otherwise 0.</param>
internal sealed record MessageSpec(
    string TypeName,
    string MessageType,
    string DescriptorName,
    string HintName,
    ExchangeKindSpec Kind,
    string Name,
    bool Durable,
    QueueTypeSpec QueueType,
    int DeliveryLimit,
    bool Mandatory,
    bool HasRoutingKeyTemplate,
    EquatableArray<RoutingKeySegment> RoutingKey,
    EquatableArray<HeaderSpec> Headers);

/// <summary>A message spec paired with the JSON context that covers its type, if any.</summary>
internal sealed record MessageEmitSpec(MessageSpec Message, string? JsonContextTypeName);
