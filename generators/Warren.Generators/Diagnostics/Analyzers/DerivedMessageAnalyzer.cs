using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Warren.Generators.Diagnostics.Analyzers;

/// <summary>
/// WARREN019: a class derived from a message type, without a routing attribute of its own, that the message does not list
/// with <c>[JsonDerivedType]</c> (or lists without a type discriminator). Published as the message, System.Text.Json would
/// write only the base's properties (or refuse it at run time), and a consumer would read a plain base back: data lost
/// without an error. Listed with a discriminator, the generator publishes it through the base's routing
/// (<c>DerivedMessageDescriptor</c>) and consumers of the base receive the derived instance.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DerivedMessageAnalyzer : DiagnosticAnalyzer
{
    private static readonly SymbolDisplayFormat TypeFormat = WarrenSymbols.TypeDisplay;

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.UnlistedDerivedMessage);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterWarrenSymbolAction(Analyze, SymbolKind.NamedType);
    }

    private static void Analyze(SymbolAnalysisContext context, WarrenSymbols symbols)
    {
        // An abstract class is never published itself; its concrete subclasses are checked one by one.
        if (context.Symbol is not INamedTypeSymbol { TypeKind: TypeKind.Class, IsAbstract: false } type || symbols.MessageBaseOf(type) is not { } message)
        {
            return;
        }

        string derivedName = type.ToDisplayString(TypeFormat);
        string messageName = message.ToDisplayString(TypeFormat);
        string typeOf = $"typeof({(type.IsGenericType ? type.OriginalDefinition.ToDisplayString(TypeFormat) : derivedName)})";
        string suggested = $"[JsonDerivedType({typeOf}, \"{Discriminator(type)}\")]";
        // What the code fix writes: the typeof and the discriminator.
        ImmutableDictionary<string, string?> fix = ImmutableDictionary<string, string?>.Empty
            .Add(FixProperties.DerivedType, typeOf)
            .Add(FixProperties.Discriminator, Discriminator(type));
        var listed = ContractRules.ListedDerivedTypes(message)
            .FirstOrDefault(d => SymbolEqualityComparer.Default.Equals(d.Type.OriginalDefinition, type.OriginalDefinition));
        if (listed.Type is null)
        {
            Location location = AttributeLocations.OfIdentifier(type);
            // The message's declaration, where the attribute goes, travels as an additional location.
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.UnlistedDerivedMessage,
                location,
                [AttributeLocations.OfIdentifier(message)],
                fix,
                $"'{derivedName}' derives from message '{messageName}' and has no routing attribute of its own, so it is published as '{messageName}'; " +
                $"but '{messageName}' does not list it with [JsonDerivedType], so its own properties would be silently dropped. " +
                $"Add {suggested} to '{messageName}', or give '{derivedName}' a routing attribute to make it a message of its own"));
            return;
        }

        if (!listed.HasDiscriminator)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.UnlistedDerivedMessage,
                AttributeLocations.Of(listed.Attribute, message, context.CancellationToken),
                fix,
                $"[JsonDerivedType(typeof({derivedName}))] on '{messageName}' gives no type discriminator: a '{derivedName}' is published with its properties, " +
                $"but consumers of '{messageName}' read it back as a plain '{messageName}' and lose them. Give it one: {suggested}"));
        }
    }

    /// <summary>A discriminator to suggest: the type's name in camel case.</summary>
    private static string Discriminator(INamedTypeSymbol type) =>
        type.Name.Length == 0 ? "derived" : char.ToLowerInvariant(type.Name[0]) + type.Name.Substring(1);
}
