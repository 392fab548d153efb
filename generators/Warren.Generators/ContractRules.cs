using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Warren.Generators.Model;

namespace Warren.Generators;

/// <summary>
/// The rules by which the generator accepts or skips a contract (a message, consumer or RPC service), in one place: the
/// <see cref="WarrenGenerator.Parser"/> applies them, and the analyzers check against the same code, so that a diagnostic
/// appears exactly where the generator would silently emit nothing. Every helper takes symbols and returns names, kinds
/// or bools; none of it reaches the generator's models.
/// </summary>
internal static partial class ContractRules
{
    private const string AsyncSuffix = "Async";

    /// <summary>The namespace-qualified metadata name, such as <c>Warren.IConsumer`1</c>.</summary>
    public static string? MetadataName(INamedTypeSymbol? type)
    {
        if (type is null)
        {
            return null;
        }

        string ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() + "." : string.Empty;
        return type.ContainingType is { } outer ? MetadataName(outer) + "+" + type.MetadataName : ns + type.MetadataName;
    }

    /// <summary>
    /// The CLR's spelling of the type's name (<c>Ns.Outer+Inner</c>): what <c>typeof(T).FullName</c> says, the AMQP
    /// <c>type</c> property, and distinct from a namespace <c>Ns.Outer</c>.
    /// </summary>
    public static string FullName(INamedTypeSymbol type) => MetadataName(type)!;

    /// <summary>The named argument of <c>[Message]</c> that lists older wire names.</summary>
    public const string AliasesArgument = "Aliases";

    /// <summary>The type's <c>[Message]</c> attribute, or null.</summary>
    public static AttributeData? MessageAttributeOf(INamedTypeSymbol type) =>
        type.GetAttributes().FirstOrDefault(a => MetadataName(a.AttributeClass) == KnownNames.MessageAttribute);

    /// <summary>
    /// The message's wire name (the AMQP <c>type</c> property): <c>[Message("name")]</c> when it gives a non-empty constant,
    /// else the CLR full name as before. Whether the name is valid is the analyzer's to say (WARREN017).
    /// </summary>
    public static string WireName(INamedTypeSymbol type, AttributeData? message) =>
        message is not null && NameArgument(message) is { } name ? name : FullName(type);

    /// <summary>The <c>[Message(Aliases = ...)]</c> strings in written order, nulls left out; empty without any.</summary>
    public static IEnumerable<string> MessageAliases(AttributeData? message)
    {
        if (message is null)
        {
            yield break;
        }

        foreach (KeyValuePair<string, TypedConstant> argument in message.NamedArguments)
        {
            if (argument.Key == AliasesArgument && argument.Value.Kind == TypedConstantKind.Array && !argument.Value.IsNull)
            {
                foreach (TypedConstant value in argument.Value.Values)
                {
                    if (value.Value is string alias)
                    {
                        yield return alias;
                    }
                }
            }
        }
    }

    /// <summary>The longest wire name: the AMQP <c>type</c> property is a short string, at most 255 bytes of UTF-8.</summary>
    public const int MaxWireNameBytes = 255;

    /// <summary>
    /// Why <paramref name="name"/> cannot be a message's wire name or alias, or null when it can: it must be non-empty text
    /// without whitespace or control characters that fits an AMQP short string.
    /// </summary>
    public static string? WireNameProblem(string? name)
    {
        if (name is null)
        {
            return "is null";
        }

        if (name.Length == 0 || string.IsNullOrWhiteSpace(name))
        {
            return "is empty";
        }

        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsWhiteSpace(name[i]) || char.IsControl(name[i]))
            {
                string what = char.IsControl(name[i]) ? $"a control character (U+{(int)name[i]:X4})" : "whitespace";
                return $"contains {what} at position {i}; a wire name is one word such as \"orders.placed\"";
            }
        }

        int bytes = System.Text.Encoding.UTF8.GetByteCount(name);
        return bytes > MaxWireNameBytes
            ? $"is {bytes} bytes in UTF-8, over the {MaxWireNameBytes} an AMQP short string (the type property) can hold"
            : null;
    }

    /// <summary>The exchange kind of the routing attribute with this metadata name, or null when it is not one.</summary>
    public static ExchangeKindSpec? RoutingKindOf(string? attributeMetadataName) => attributeMetadataName switch
    {
        KnownNames.QueueAttribute => ExchangeKindSpec.Queue,
        KnownNames.FanoutAttribute => ExchangeKindSpec.Fanout,
        KnownNames.DirectAttribute => ExchangeKindSpec.Direct,
        KnownNames.TopicAttribute => ExchangeKindSpec.Topic,
        KnownNames.HeadersAttribute => ExchangeKindSpec.Headers,
        _ => null,
    };

    /// <summary>
    /// The routing attribute the generator emits for: the first one written on <paramref name="type"/>. (Two are an error
    /// the analyzer reports; taking the first keeps two outputs from claiming one file.) <paramref name="kindOf"/> tells a
    /// routing attribute class from others: by metadata name in the generator, by symbol in the analyzers.
    /// </summary>
    public static (AttributeData Attribute, ExchangeKindSpec Kind)? FirstRoutingAttribute(ISymbol type, Func<INamedTypeSymbol?, ExchangeKindSpec?> kindOf)
    {
        foreach (AttributeData attribute in type.GetAttributes())
        {
            if (kindOf(attribute.AttributeClass) is { } kind)
            {
                return (attribute, kind);
            }
        }

        return null;
    }

    /// <summary>
    /// The name an attribute's single constructor argument gives (a queue, an exchange, an RPC wire name), or null when it
    /// is not a non-empty constant string.
    /// </summary>
    public static string? NameArgument(AttributeData attribute) =>
        attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string { Length: > 0 } name ? name : null;

    /// <summary>
    /// Why the generated code (at namespace level, in the same assembly) cannot name <paramref name="type"/>, or null when
    /// it can: it must be non-generic, not file-local, and public or internal all the way out.
    /// </summary>
    public static string? WhyUnusable(INamedTypeSymbol type)
    {
        if (type.Arity > 0)
        {
            return "is generic";
        }

        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            string which = ReferenceEquals(current, type) ? "is" : $"is nested in '{current.Name}', which is";
            if (current.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
            {
                return which + " private or protected, so generated code cannot reach it";
            }

            if (current.Arity > 0 && !ReferenceEquals(current, type))
            {
                return which + " generic";
            }

            if (current.IsFileLocal)
            {
                return which + " file-local, so generated code in another file cannot reach it";
            }
        }

        return null;
    }

    /// <summary>Instance properties with a getter the generated code (in the same assembly) can call, the type's own first.</summary>
    public static IEnumerable<IPropertySymbol> ReadableProperties(INamedTypeSymbol type)
    {
        var seen = new HashSet<string>();
        for (INamedTypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            foreach (ISymbol member in current.GetMembers())
            {
                if (member is IPropertySymbol { IsStatic: false, IsIndexer: false, GetMethod: { } getter } property
                    && getter.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal
                    && seen.Add(property.Name))
                {
                    yield return property;
                }
            }
        }
    }

    /// <summary>
    /// A type that can travel as JSON and be named in generated code: no error types anywhere inside it (half-typed
    /// code), no ref structs or pointers.
    /// </summary>
    public static bool IsSendable(ITypeSymbol type) => type switch
    {
        { TypeKind: TypeKind.Error or TypeKind.Pointer or TypeKind.FunctionPointer } => false,
        { IsRefLikeType: true } => false,
        IArrayTypeSymbol array => IsSendable(array.ElementType),
        INamedTypeSymbol named => named.TypeArguments.All(IsSendable),
        _ => true,
    };

    /// <summary>True for <c>CancellationToken</c>: as an RPC method's last parameter it cancels the call and is not sent.</summary>
    public static bool IsCancellationToken(ITypeSymbol type) =>
        type is INamedTypeSymbol named && MetadataName(named) == KnownNames.CancellationToken;

    /// <summary>
    /// How an RPC method's return type is awaited, and the <c>T</c> it yields (<paramref name="result"/>, else null); null
    /// when it is not <c>Task</c>, <c>Task&lt;T&gt;</c>, <c>ValueTask</c> or <c>ValueTask&lt;T&gt;</c>, since every call waits
    /// for a reply.
    /// </summary>
    public static RpcReturnKind? RpcReturnKindOf(INamedTypeSymbol returnType, out ITypeSymbol? result)
    {
        RpcReturnKind? kind = MetadataName(returnType.OriginalDefinition) switch
        {
            KnownNames.Task => RpcReturnKind.Task,
            KnownNames.ValueTask => RpcReturnKind.ValueTask,
            KnownNames.TaskOfT => RpcReturnKind.TaskOfT,
            KnownNames.ValueTaskOfT => RpcReturnKind.ValueTaskOfT,
            _ => null,
        };
        result = kind is RpcReturnKind.TaskOfT or RpcReturnKind.ValueTaskOfT ? returnType.TypeArguments[0] : null;
        return kind;
    }

    /// <summary>The <c>[Consumer]</c> properties of a stream consumer.</summary>
    public const string StreamOffsetArgument = "StreamOffset";
    public const string StreamConsumerNameArgument = "StreamConsumerName";
    public const string TrackStreamOffsetArgument = "TrackStreamOffset";

    /// <summary>
    /// Why the text of <c>[Consumer(StreamOffset = ...)]</c> is not a stream offset, or null when it is: what
    /// <c>StreamOffset.TryParse</c> reads at run time (first, last, next, a whole number, an ISO 8601 time).
    /// </summary>
    public static string? StreamOffsetProblem(string? text)
    {
        if (text is null)
        {
            return null;
        }

        string trimmed = text.Trim();
        if (trimmed.Equals("first", System.StringComparison.OrdinalIgnoreCase) || trimmed.Equals("last", System.StringComparison.OrdinalIgnoreCase)
            || trimmed.Equals("next", System.StringComparison.OrdinalIgnoreCase)
            || long.TryParse(trimmed, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            return null;
        }

        if (trimmed.Length >= 10 && char.IsDigit(trimmed[0]) && System.DateTimeOffset.TryParse(
            trimmed, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out _))
        {
            return null;
        }

        return $"'{text}' is not a stream offset: use \"first\", \"last\", \"next\", a whole number (an offset) or an ISO 8601 time such as \"2024-05-01T12:00:00Z\"";
    }

    /// <summary>The method's name on the wire: <c>[RpcMethod("name")]</c>, else the C# name without <c>Async</c>.</summary>
    public static string WireName(IMethodSymbol method, AttributeData rpcMethod)
    {
        if (NameArgument(rpcMethod) is { } name)
        {
            return name;
        }

        return method.Name.EndsWith(AsyncSuffix, StringComparison.Ordinal) && method.Name.Length > AsyncSuffix.Length
            ? method.Name.Substring(0, method.Name.Length - AsyncSuffix.Length)
            : method.Name;
    }
}
