using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Warren.Generators.Diagnostics;

/// <summary>
/// What makes a class unusable by generated code, whatever role Warren gives it (a consumer, an RPC server): it is not a
/// class, static, abstract, generic, file-local or unreachable from namespace level. The first problem found, worded for
/// the user, or null.
/// </summary>
internal static class ClassShape
{
    /// <param name="type">The class.</param>
    /// <param name="notAClass">The end of the message for a struct, interface, enum or delegate: what the role needs.</param>
    /// <param name="whyNotStatic">The end of the message for a static class.</param>
    /// <param name="whyNotAbstract">The end of the message for an abstract class.</param>
    /// <param name="fix">The diagnostic's properties for the code fix (<see cref="FixProperties.ClassFix"/>), or null when no fix is clear.</param>
    public static string? WhyUnusable(INamedTypeSymbol type, string notAClass, string whyNotStatic, string whyNotAbstract, out ImmutableDictionary<string, string?>? fix)
    {
        fix = null;
        if (type.TypeKind != TypeKind.Class)
        {
            string kind = type.TypeKind switch
            {
                TypeKind.Struct => type.IsRecord ? "a record struct" : "a struct",
                TypeKind.Interface => "an interface",
                TypeKind.Enum => "an enum",
                TypeKind.Delegate => "a delegate",
                _ => "not a class",
            };
            return $"is {kind}; {notAClass}";
        }

        if (type.IsStatic)
        {
            return $"is static, so {whyNotStatic}";
        }

        if (type.IsAbstract)
        {
            if (!HasAbstractMembersLeft(type))
            {
                fix = ImmutableDictionary<string, string?>.Empty.Add(FixProperties.ClassFix, FixProperties.RemoveAbstract);
            }

            return $"is abstract, so {whyNotAbstract}";
        }

        int depth = 0;
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType, depth++)
        {
            if (current.Arity > 0)
            {
                return SymbolEqualityComparer.Default.Equals(current, type)
                    ? "is generic; Warren generates descriptors for closed types only. Declare a non-generic class (it may derive from a generic base)"
                    : $"is nested in the generic type '{current.Name}'; Warren generates descriptors for closed types only. Move it out of '{current.Name}'";
            }

            if (current.IsFileLocal || current.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
            {
                fix = ImmutableDictionary<string, string?>.Empty
                    .Add(FixProperties.ClassFix, FixProperties.MakeAccessible)
                    .Add(FixProperties.Depth, depth.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            if (current.IsFileLocal)
            {
                return $"is {(SymbolEqualityComparer.Default.Equals(current, type) ? "file-local" : $"nested in the file-local type '{current.Name}'")}, so the generated code, in another file, cannot name it. Make it internal or public";
            }

            if (current.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
            {
                string accessibility = current.DeclaredAccessibility switch
                {
                    Accessibility.Private => "private",
                    Accessibility.Protected => "protected",
                    Accessibility.ProtectedAndInternal => "private protected",
                    _ => "not accessible",
                };
                return SymbolEqualityComparer.Default.Equals(current, type)
                    ? $"is {accessibility}, so the generated code, at namespace level, cannot name it. Make it internal or public"
                    : $"is nested in the {accessibility} type '{current.Name}', so the generated code, at namespace level, cannot name it. Make '{current.Name}' internal or public";
            }
        }

        return null;
    }

    /// <summary>True when the class, or a class it derives from, has an abstract member the class does not override.</summary>
    private static bool HasAbstractMembersLeft(INamedTypeSymbol type)
    {
        var overridden = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        for (INamedTypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            foreach (ISymbol member in current.GetMembers())
            {
                if (member.IsAbstract && !overridden.Contains(member.OriginalDefinition))
                {
                    return true;
                }

                ISymbol? overrides = member switch
                {
                    IMethodSymbol method => method.OverriddenMethod,
                    IPropertySymbol property => property.OverriddenProperty,
                    IEventSymbol @event => @event.OverriddenEvent,
                    _ => null,
                };
                if (overrides is not null)
                {
                    overridden.Add(overrides.OriginalDefinition);
                }
            }
        }

        return false;
    }
}
