using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Warren.Generators.Diagnostics.Analyzers;

/// <summary>
/// The members of a message type (one with a routing attribute, or derived from one) that System.Text.Json would lose:
/// WARREN020, a public instance field without <c>[JsonInclude]</c>, which it leaves out of the JSON without a word;
/// WARREN021, a public property whose type cannot travel as JSON at all (a delegate, a stream, a pointer, reflection
/// metadata and the other reasons of <see cref="SerializationAnalyzer"/>), which fails the first publish or delivery.
/// Members inherited from a base class that is not itself a message are reported on the message's declaration.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MessageMembersAnalyzer : DiagnosticAnalyzer
{
    private static readonly SymbolDisplayFormat TypeFormat = WarrenSymbols.TypeDisplay;

    /// <summary><c>JsonIgnoreCondition.Never</c>: <c>[JsonIgnore(Condition = Never)]</c> serializes the member after all.</summary>
    private const int JsonIgnoreNever = 0;

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.MessageField, DiagnosticDescriptors.UnserializableMessageProperty);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterWarrenSymbolAction(Analyze, SymbolKind.NamedType);
    }

    private static void Analyze(SymbolAnalysisContext context, WarrenSymbols symbols)
    {
        if (context.Symbol is not INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct } type || !IsMessage(type, symbols))
        {
            return;
        }

        string messageName = type.ToDisplayString(TypeFormat);
        var seen = new HashSet<string>(System.StringComparer.Ordinal);
        // The type's own members, then those of base classes in source that are not messages themselves (a message base
        // is analyzed on its own). Metadata bases are someone else's to fix.
        for (INamedTypeSymbol? current = type; current is not null && (ReferenceEquals(current, type) || (IsInSource(current) && !IsMessage(current, symbols))); current = current.BaseType)
        {
            bool inherited = !ReferenceEquals(current, type);
            foreach (ISymbol member in current.GetMembers())
            {
                if (member.IsStatic || member.IsImplicitlyDeclared || member.DeclaredAccessibility != Accessibility.Public || !seen.Add(member.Name) || IsIgnored(member, symbols))
                {
                    continue;
                }

                string where = inherited ? $" (inherited from '{current.ToDisplayString(TypeFormat)}')" : string.Empty;
                Location location = inherited ? AttributeLocations.OfIdentifier(type) : AttributeLocations.OfIdentifier(member);
                if (member is IFieldSymbol { IsConst: false } field && !WarrenSymbols.HasAttribute(field, symbols.JsonIncludeAttribute))
                {
                    context.ReportDiagnostic(Diagnostic.Create(
                        DiagnosticDescriptors.MessageField,
                        location,
                        $"Public field '{field.Name}' of message '{messageName}'{where} is not serialized: System.Text.Json leaves fields out, so its value never reaches consumers. " +
                        "Make it a property ({ get; init; }), or mark it [JsonInclude]"));
                }
                else if (member is IPropertySymbol { IsIndexer: false, GetMethod.DeclaredAccessibility: Accessibility.Public } property
                    && SerializationAnalyzer.Problem(property.Type, symbols) is { } problem)
                {
                    context.ReportDiagnostic(Diagnostic.Create(
                        DiagnosticDescriptors.UnserializableMessageProperty,
                        location,
                        property.Name + where,
                        messageName,
                        problem));
                }
            }
        }
    }

    /// <summary>A type Warren publishes: it has a routing attribute, or derives from a type that has one.</summary>
    private static bool IsMessage(INamedTypeSymbol type, WarrenSymbols symbols) =>
        symbols.FirstRoutingAttribute(type) is not null || symbols.MessageBaseOf(type) is not null;

    /// <summary><c>[JsonIgnore]</c>, unless its condition is <c>Never</c> (always serialized).</summary>
    private static bool IsIgnored(ISymbol member, WarrenSymbols symbols)
    {
        AttributeData? ignore = WarrenSymbols.FindAttribute(member, symbols.JsonIgnoreAttribute);
        if (ignore is null)
        {
            return false;
        }

        foreach (KeyValuePair<string, TypedConstant> argument in ignore.NamedArguments)
        {
            if (argument.Key == "Condition" && argument.Value.Value is int condition && condition == JsonIgnoreNever)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsInSource(INamedTypeSymbol type)
    {
        foreach (Location location in type.Locations)
        {
            if (location.IsInSource)
            {
                return true;
            }
        }

        return false;
    }
}
