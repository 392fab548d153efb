using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Warren.Generators.Model;

namespace Warren.Generators;

/// <summary>
/// The polymorphism rules: which derived types a message type publishes through its own descriptor (those its
/// <c>[JsonDerivedType]</c> lists), and which message a derived type would be published as.
/// </summary>
internal static partial class ContractRules
{
    /// <summary>
    /// The types <c>[JsonDerivedType(typeof(D), ...)]</c> on <paramref name="message"/> lists that derive from it, with
    /// whether the attribute gives a type discriminator (without one, a consumer reads the base back).
    /// </summary>
    public static IEnumerable<(INamedTypeSymbol Type, bool HasDiscriminator, AttributeData Attribute)> ListedDerivedTypes(INamedTypeSymbol message)
    {
        foreach (AttributeData attribute in message.GetAttributes())
        {
            if (MetadataName(attribute.AttributeClass) == KnownNames.JsonDerivedTypeAttribute
                && attribute.ConstructorArguments.Length > 0
                && attribute.ConstructorArguments[0].Value is INamedTypeSymbol derived
                && IsBaseOf(message, derived))
            {
                bool hasDiscriminator = attribute.ConstructorArguments.Length > 1 && !attribute.ConstructorArguments[1].IsNull;
                yield return (derived, hasDiscriminator, attribute);
            }
        }
    }

    /// <summary>
    /// The message <paramref name="type"/> is published as when it has no routing attribute of its own: its nearest base
    /// class that has one; null when no base class has one (or the type has its own).
    /// </summary>
    public static INamedTypeSymbol? MessageBaseOf(INamedTypeSymbol type, Func<INamedTypeSymbol?, ExchangeKindSpec?> kindOf)
    {
        if (FirstRoutingAttribute(type, kindOf) is not null)
        {
            return null;
        }

        for (INamedTypeSymbol? current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (FirstRoutingAttribute(current, kindOf) is not null)
            {
                return current;
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="baseType"/> is one of <paramref name="type"/>'s base classes.</summary>
    public static bool IsBaseOf(INamedTypeSymbol baseType, INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, baseType))
            {
                return true;
            }
        }

        return false;
    }
}
