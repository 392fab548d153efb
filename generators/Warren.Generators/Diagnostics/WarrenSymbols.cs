using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Warren.Generators.Model;

namespace Warren.Generators.Diagnostics;

/// <summary>What an RPC method returns, as the analyzers tell it apart (the generator's rule is <see cref="ContractRules.RpcReturnKindOf"/>).</summary>
internal enum RpcReturn
{
    /// <summary>Not a task: the generator rejects the method.</summary>
    Invalid,

    /// <summary>An error type somewhere (half-typed code): the compiler reports it, the analyzers stay quiet.</summary>
    Unknown,

    /// <summary><c>Task</c> or <c>ValueTask</c>: no result.</summary>
    NoResult,

    /// <summary><c>Task&lt;T&gt;</c> or <c>ValueTask&lt;T&gt;</c>.</summary>
    Result,
}

/// <summary>
/// The symbols Warren's analyzers look for, resolved once per compilation (in a compilation-start action) so that symbol
/// actions compare symbols instead of building metadata names, and the questions the analyzers ask of them. Where the
/// generator decides the same question, the answer comes from <see cref="ContractRules"/>. Null when the compilation does
/// not reference Warren; any single symbol is null when it is missing.
/// </summary>
internal sealed class WarrenSymbols
{
    /// <summary>How diagnostics name a type: as the compiler's messages do, and as C# that compiles in <c>typeof(...)</c> (no <c>?</c> on reference types).</summary>
    public static readonly SymbolDisplayFormat TypeDisplay = SymbolDisplayFormat.CSharpErrorMessageFormat
        .RemoveMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    private readonly Func<INamedTypeSymbol?, ExchangeKindSpec?> _routingKindOf;

    private WarrenSymbols(Compilation compilation)
    {
        QueueAttribute = compilation.GetTypeByMetadataName(KnownNames.QueueAttribute);
        FanoutAttribute = compilation.GetTypeByMetadataName(KnownNames.FanoutAttribute);
        DirectAttribute = compilation.GetTypeByMetadataName(KnownNames.DirectAttribute);
        TopicAttribute = compilation.GetTypeByMetadataName(KnownNames.TopicAttribute);
        HeadersAttribute = compilation.GetTypeByMetadataName(KnownNames.HeadersAttribute);
        DurableAttribute = compilation.GetTypeByMetadataName(KnownNames.DurableAttribute);
        QueueArgumentsAttribute = compilation.GetTypeByMetadataName(KnownNames.QueueArgumentsAttribute);
        ConsumerAttribute = compilation.GetTypeByMetadataName(KnownNames.ConsumerAttribute);
        ConsumerInterface = compilation.GetTypeByMetadataName(KnownNames.ConsumerInterface);
        BindAttribute = compilation.GetTypeByMetadataName(KnownNames.BindAttribute);
        BindHeadersAttribute = compilation.GetTypeByMetadataName(KnownNames.BindHeadersAttribute);
        RpcServiceAttribute = compilation.GetTypeByMetadataName(KnownNames.RpcServiceAttribute);
        RpcMethodAttribute = compilation.GetTypeByMetadataName(KnownNames.RpcMethodAttribute);
        RpcServerAttribute = compilation.GetTypeByMetadataName(KnownNames.RpcServerAttribute);
        JsonSerializerContext = compilation.GetTypeByMetadataName(KnownNames.JsonSerializerContext);
        JsonSerializableAttribute = compilation.GetTypeByMetadataName(KnownNames.JsonSerializableAttribute);
        JsonDerivedTypeAttribute = compilation.GetTypeByMetadataName(KnownNames.JsonDerivedTypeAttribute);
        JsonPolymorphicAttribute = compilation.GetTypeByMetadataName(KnownNames.JsonPolymorphicAttribute);
        JsonConverterAttribute = compilation.GetTypeByMetadataName(KnownNames.JsonConverterAttribute);
        JsonIncludeAttribute = compilation.GetTypeByMetadataName(KnownNames.JsonIncludeAttribute);
        JsonIgnoreAttribute = compilation.GetTypeByMetadataName(KnownNames.JsonIgnoreAttribute);
        MemberInfo = compilation.GetTypeByMetadataName(KnownNames.MemberInfo);
        Stream = compilation.GetTypeByMetadataName(KnownNames.Stream);
        MessageAttribute = compilation.GetTypeByMetadataName(KnownNames.MessageAttribute);
        Bus = compilation.GetTypeByMetadataName(KnownNames.Bus);
        BusInterface = compilation.GetTypeByMetadataName(KnownNames.BusInterface);
        WarrenServiceCollectionExtensions = compilation.GetTypeByMetadataName(KnownNames.WarrenServiceCollectionExtensions);
        Delegate = compilation.GetTypeByMetadataName(KnownNames.Delegate);

        // One delegate per compilation, not one per FirstRoutingAttribute call.
        _routingKindOf = KindOf;
    }

    public INamedTypeSymbol? QueueAttribute { get; }

    public INamedTypeSymbol? FanoutAttribute { get; }

    public INamedTypeSymbol? DirectAttribute { get; }

    public INamedTypeSymbol? TopicAttribute { get; }

    public INamedTypeSymbol? HeadersAttribute { get; }

    public INamedTypeSymbol? DurableAttribute { get; }

    public INamedTypeSymbol? QueueArgumentsAttribute { get; }

    public INamedTypeSymbol? ConsumerAttribute { get; }

    /// <summary><c>IConsumer&lt;TMessage&gt;</c>, unconstructed.</summary>
    public INamedTypeSymbol? ConsumerInterface { get; }

    public INamedTypeSymbol? BindAttribute { get; }

    public INamedTypeSymbol? BindHeadersAttribute { get; }

    public INamedTypeSymbol? RpcServiceAttribute { get; }

    public INamedTypeSymbol? RpcMethodAttribute { get; }

    public INamedTypeSymbol? RpcServerAttribute { get; }

    public INamedTypeSymbol? JsonSerializerContext { get; }

    public INamedTypeSymbol? JsonSerializableAttribute { get; }

    public INamedTypeSymbol? JsonDerivedTypeAttribute { get; }

    public INamedTypeSymbol? JsonPolymorphicAttribute { get; }

    public INamedTypeSymbol? JsonConverterAttribute { get; }

    public INamedTypeSymbol? JsonIncludeAttribute { get; }

    public INamedTypeSymbol? JsonIgnoreAttribute { get; }

    public INamedTypeSymbol? MemberInfo { get; }

    public INamedTypeSymbol? Stream { get; }

    public INamedTypeSymbol? MessageAttribute { get; }

    public INamedTypeSymbol? Bus { get; }

    public INamedTypeSymbol? BusInterface { get; }

    public INamedTypeSymbol? WarrenServiceCollectionExtensions { get; }

    public INamedTypeSymbol? Delegate { get; }

    /// <summary>True when <c>[Consumer]</c> and <c>IConsumer&lt;T&gt;</c> are both there; without them no class is a consumer.</summary>
    public bool HasConsumerSymbols => ConsumerAttribute is not null && ConsumerInterface is not null;

    /// <summary>The symbols of <paramref name="compilation"/>, or null when it references none of Warren's (nothing to analyze).</summary>
    public static WarrenSymbols? Create(Compilation compilation)
    {
        var symbols = new WarrenSymbols(compilation);
        return (symbols.QueueAttribute ?? symbols.FanoutAttribute ?? symbols.DirectAttribute ?? symbols.TopicAttribute ?? symbols.HeadersAttribute
            ?? symbols.DurableAttribute ?? symbols.ConsumerAttribute ?? symbols.ConsumerInterface ?? symbols.BindAttribute
            ?? symbols.BindHeadersAttribute ?? symbols.MessageAttribute ?? symbols.RpcServiceAttribute ?? symbols.RpcMethodAttribute ?? symbols.RpcServerAttribute) is null ? null : symbols;
    }

    /// <summary>The exchange kind a routing attribute class stands for, or null when it is not one.</summary>
    public ExchangeKindSpec? KindOf(INamedTypeSymbol? attributeClass)
    {
        if (attributeClass is null)
        {
            return null;
        }

        if (SymbolEqualityComparer.Default.Equals(attributeClass, QueueAttribute))
        {
            return ExchangeKindSpec.Queue;
        }

        if (SymbolEqualityComparer.Default.Equals(attributeClass, FanoutAttribute))
        {
            return ExchangeKindSpec.Fanout;
        }

        if (SymbolEqualityComparer.Default.Equals(attributeClass, DirectAttribute))
        {
            return ExchangeKindSpec.Direct;
        }

        if (SymbolEqualityComparer.Default.Equals(attributeClass, TopicAttribute))
        {
            return ExchangeKindSpec.Topic;
        }

        return SymbolEqualityComparer.Default.Equals(attributeClass, HeadersAttribute) ? ExchangeKindSpec.Headers : null;
    }

    /// <summary>The routing attribute the generator uses for <paramref name="type"/> (the first one), or null when it has none.</summary>
    public (AttributeData Attribute, ExchangeKindSpec Kind)? FirstRoutingAttribute(ISymbol type) =>
        ContractRules.FirstRoutingAttribute(type, _routingKindOf);

    /// <summary>The message <paramref name="type"/> is published as when it has no routing attribute of its own (its nearest routed base), or null.</summary>
    public INamedTypeSymbol? MessageBaseOf(INamedTypeSymbol type) => ContractRules.MessageBaseOf(type, _routingKindOf);

    /// <summary>
    /// The message types of the <c>IConsumer&lt;T&gt;</c> interfaces <paramref name="type"/> implements, directly or
    /// inherited, in <see cref="ITypeSymbol.AllInterfaces"/> order (the generator takes the first).
    /// </summary>
    public ImmutableArray<ITypeSymbol> ConsumedMessages(INamedTypeSymbol type)
    {
        ImmutableArray<ITypeSymbol>.Builder? messages = null;
        foreach (INamedTypeSymbol implemented in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(implemented.OriginalDefinition, ConsumerInterface) && implemented.TypeArguments.Length == 1)
            {
                messages ??= ImmutableArray.CreateBuilder<ITypeSymbol>();
                messages.Add(implemented.TypeArguments[0]);
            }
        }

        return messages?.ToImmutable() ?? ImmutableArray<ITypeSymbol>.Empty;
    }

    public bool IsDurable(ISymbol type) => HasAttribute(type, DurableAttribute);

    /// <summary>True when <paramref name="attribute"/> is of class <paramref name="attributeClass"/> (false when that is missing).</summary>
    public static bool Is(AttributeData attribute, INamedTypeSymbol? attributeClass) =>
        attributeClass is not null && SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeClass);

    /// <summary>The first attribute of class <paramref name="attributeClass"/> on <paramref name="symbol"/>, or null.</summary>
    public static AttributeData? FindAttribute(ISymbol symbol, INamedTypeSymbol? attributeClass)
    {
        if (attributeClass is null)
        {
            return null;
        }

        foreach (AttributeData attribute in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeClass))
            {
                return attribute;
            }
        }

        return null;
    }

    public static bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attributeClass) => FindAttribute(symbol, attributeClass) is not null;

    /// <summary>True when <paramref name="baseType"/> is <paramref name="type"/> itself or one of its base classes.</summary>
    public static bool IsOrDerivesFrom(INamedTypeSymbol? type, INamedTypeSymbol? baseType)
    {
        if (baseType is null)
        {
            return false;
        }

        for (INamedTypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, baseType))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="baseType"/> is one of <paramref name="type"/>'s base classes.</summary>
    public static bool DerivesFrom(INamedTypeSymbol type, INamedTypeSymbol? baseType) => IsOrDerivesFrom(type.BaseType, baseType);

    /// <summary>What <paramref name="method"/> returns, and its result type when it has one (the generator's rules).</summary>
    public static (RpcReturn Kind, ITypeSymbol? Result) ClassifyReturn(IMethodSymbol method)
    {
        if (ContainsErrorType(method.ReturnType))
        {
            return (RpcReturn.Unknown, null);
        }

        if (method.ReturnType is not INamedTypeSymbol named || ContractRules.RpcReturnKindOf(named, out ITypeSymbol? result) is null)
        {
            return (RpcReturn.Invalid, null);
        }

        return result is null ? (RpcReturn.NoResult, null) : (RpcReturn.Result, result);
    }

    /// <summary>True when an error type (half-typed code) appears anywhere in <paramref name="type"/>.</summary>
    public static bool ContainsErrorType(ITypeSymbol type) => type switch
    {
        { TypeKind: TypeKind.Error } => true,
        IArrayTypeSymbol array => ContainsErrorType(array.ElementType),
        IPointerTypeSymbol pointer => ContainsErrorType(pointer.PointedAtType),
        INamedTypeSymbol named => AnyError(named.TypeArguments),
        _ => false,
    };

    private static bool AnyError(ImmutableArray<ITypeSymbol> types)
    {
        foreach (ITypeSymbol type in types)
        {
            if (ContainsErrorType(type))
            {
                return true;
            }
        }

        return false;
    }
}
