using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Text.Json;

namespace Warren.Runtime;

/// <summary>
/// A type derived from a message type that lists it with <c>[JsonDerivedType]</c>: it is published exactly as its base
/// (same exchange or queue, routing key, headers, wire name and declaration) and serialized as the base, so that
/// System.Text.Json's polymorphism writes the type discriminator and the derived properties. A consumer of the base reads
/// the derived instance back. Generated code creates one per listed type; users do not.
/// </summary>
/// <typeparam name="TDerived">The derived type.</typeparam>
/// <typeparam name="TBase">The message type it derives from, which carries the routing attribute.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class DerivedMessageDescriptor<TDerived, TBase> : MessageDescriptor<TDerived>
    where TDerived : TBase
{
    private readonly MessageDescriptor<TBase> _base;

    /// <summary>Creates the descriptor of <typeparamref name="TDerived"/> from its base's; called by generated code.</summary>
    /// <param name="baseDescriptor">The generated descriptor of <typeparamref name="TBase"/>.</param>
    public DerivedMessageDescriptor(MessageDescriptor<TBase> baseDescriptor)
        : base(
            (baseDescriptor ?? throw new ArgumentNullException(nameof(baseDescriptor))).MessageType, baseDescriptor.Kind, baseDescriptor.Name, baseDescriptor.Durable,
            baseDescriptor.Mandatory, baseDescriptor.QueueType, baseDescriptor.DeliveryLimit, baseDescriptor.QueueArguments, CopyAliases(baseDescriptor))
    {
        _base = baseDescriptor;
    }

    /// <summary>The descriptor of the base type, which this one publishes and declares as.</summary>
    public MessageDescriptor<TBase> BaseDescriptor => _base;

    /// <inheritdoc/>
    public override bool HasHeaders => _base.HasHeaders;

    /// <inheritdoc/>
    internal override MessageDescriptor Declaration => _base.Declaration;

    /// <inheritdoc/>
    internal override bool SerializesAsOtherType => true;

    /// <inheritdoc/>
    public override string GetRoutingKey(TDerived message) => _base.GetRoutingKey(message);

    /// <inheritdoc/>
    public override void WriteHeaders(TDerived message, IDictionary<string, object?> headers) => _base.WriteHeaders(message, headers);

    /// <summary>Writes the message as <typeparamref name="TBase"/>: with its discriminator and every derived property.</summary>
    internal override void Serialize(Utf8JsonWriter writer, TDerived message, JsonSerializerOptions options) =>
        _base.Serialize(writer, message, options);

    /// <summary>Reads a <typeparamref name="TBase"/> and keeps it only when it is a <typeparamref name="TDerived"/>.</summary>
    internal override TDerived? Deserialize(ReadOnlySpan<byte> body, JsonSerializerOptions options) => _base.Deserialize(body, options) switch
    {
        null => default,
        TDerived derived => derived,
        { } other => throw new JsonException($"the body is a {other.GetType().FullName}, not a {typeof(TDerived).FullName}"),
    };

    private static string[]? CopyAliases(MessageDescriptor<TBase> baseDescriptor) => baseDescriptor.Aliases.Count == 0 ? null : [.. baseDescriptor.Aliases];
}
