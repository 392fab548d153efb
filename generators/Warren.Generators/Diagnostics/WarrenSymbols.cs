using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Warren.Generators.Model;

namespace Warren.Generators.Diagnostics;

/// <summary>
/// Warren's attribute and interface symbols, resolved once per compilation (in a compilation-start action) so that symbol
/// actions compare symbols instead of building metadata names. Null when the compilation does not reference Warren.
/// </summary>
internal sealed class WarrenSymbols
{
    private WarrenSymbols(Compilation compilation, INamedTypeSymbol consumerAttribute, INamedTypeSymbol consumerInterface)
    {
        ConsumerAttribute = consumerAttribute;
        ConsumerInterface = consumerInterface;
        QueueAttribute = compilation.GetTypeByMetadataName(KnownNames.QueueAttribute);
        FanoutAttribute = compilation.GetTypeByMetadataName(KnownNames.FanoutAttribute);
        DirectAttribute = compilation.GetTypeByMetadataName(KnownNames.DirectAttribute);
        TopicAttribute = compilation.GetTypeByMetadataName(KnownNames.TopicAttribute);
        HeadersAttribute = compilation.GetTypeByMetadataName(KnownNames.HeadersAttribute);
        DurableAttribute = compilation.GetTypeByMetadataName(KnownNames.DurableAttribute);
        BindAttribute = compilation.GetTypeByMetadataName(KnownNames.BindAttribute);
        BindHeadersAttribute = compilation.GetTypeByMetadataName(KnownNames.BindHeadersAttribute);
    }

    public INamedTypeSymbol ConsumerAttribute { get; }

    /// <summary><c>IConsumer&lt;TMessage&gt;</c>, unconstructed.</summary>
    public INamedTypeSymbol ConsumerInterface { get; }

    public INamedTypeSymbol? QueueAttribute { get; }

    public INamedTypeSymbol? FanoutAttribute { get; }

    public INamedTypeSymbol? DirectAttribute { get; }

    public INamedTypeSymbol? TopicAttribute { get; }

    public INamedTypeSymbol? HeadersAttribute { get; }

    public INamedTypeSymbol? DurableAttribute { get; }

    public INamedTypeSymbol? BindAttribute { get; }

    public INamedTypeSymbol? BindHeadersAttribute { get; }

    /// <summary>The symbols of <paramref name="compilation"/>, or null when it does not reference Warren (nothing to analyze).</summary>
    public static WarrenSymbols? Create(Compilation compilation)
    {
        INamedTypeSymbol? consumerAttribute = compilation.GetTypeByMetadataName(KnownNames.ConsumerAttribute);
        INamedTypeSymbol? consumerInterface = compilation.GetTypeByMetadataName(KnownNames.ConsumerInterface);
        return consumerAttribute is null || consumerInterface is null ? null : new WarrenSymbols(compilation, consumerAttribute, consumerInterface);
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

    /// <summary>
    /// The routing attribute the generator uses for <paramref name="message"/>: the first one, as the parser picks it; null
    /// when the type has none.
    /// </summary>
    public AttributeData? RoutingAttribute(ITypeSymbol message, out ExchangeKindSpec kind)
    {
        foreach (AttributeData attribute in message.OriginalDefinition.GetAttributes())
        {
            if (KindOf(attribute.AttributeClass) is { } found)
            {
                kind = found;
                return attribute;
            }
        }

        kind = default;
        return null;
    }

    /// <summary>The message types of the <c>IConsumer&lt;T&gt;</c> interfaces <paramref name="type"/> implements, directly or inherited.</summary>
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

    public bool Is(AttributeData attribute, INamedTypeSymbol? attributeClass) =>
        attributeClass is not null && SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeClass);

    /// <summary>The first attribute of class <paramref name="attributeClass"/> on <paramref name="symbol"/>, or null.</summary>
    public static AttributeData? Find(ISymbol symbol, INamedTypeSymbol? attributeClass)
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
}
