using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Warren.Generators.Model;

namespace Warren.Generators.Diagnostics.Analyzers;

/// <summary>
/// The routing-key templates of <c>[Direct]</c> and <c>[Topic]</c> messages: WARREN001 when a template names a property the
/// generated code cannot read or leaves a brace open (the generator then emits nothing for the message), WARREN002 when
/// its fixed text cannot be part of a routing key.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MessageRoutingAnalyzer : DiagnosticAnalyzer
{
    private const string RoutingKeyArgument = "RoutingKey";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.RoutingKeyPropertyNotFound, DiagnosticDescriptors.InvalidRoutingKey);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterWarrenSymbolAction(
            AnalyzeType, SymbolKind.NamedType, static symbols => symbols.DirectAttribute is not null || symbols.TopicAttribute is not null);
    }

    private static void AnalyzeType(SymbolAnalysisContext context, WarrenSymbols symbols)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        foreach (AttributeData attribute in type.GetAttributes())
        {
            ExchangeKindSpec? kind = symbols.KindOf(attribute.AttributeClass);
            if (kind is not (ExchangeKindSpec.Direct or ExchangeKindSpec.Topic))
            {
                continue;
            }

            foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
            {
                if (argument.Key == RoutingKeyArgument && argument.Value.Kind != TypedConstantKind.Error && argument.Value.Value is string template)
                {
                    AnalyzeTemplate(context, type, attribute, kind.Value, template);
                }
            }
        }
    }

    private static void AnalyzeTemplate(SymbolAnalysisContext context, INamedTypeSymbol type, AttributeData attribute, ExchangeKindSpec kind, string template)
    {
        ImmutableArray<TemplatePart> parts = RoutingKeys.SplitTemplate(template, out int unclosedBrace);
        Location? location = null;
        Location Where() => location ??= AttributeLocations.OfNamedArgument(attribute, RoutingKeyArgument, type, context.CancellationToken);

        var reported = new HashSet<string>();
        foreach (TemplatePart part in parts)
        {
            if (part.IsProperty && reported.Add(part.Text) && WhyNotReadable(type, part.Text) is { } reason)
            {
                // The nearest readable names travel with the diagnostic, for the code fix that puts one in the placeholder.
                ImmutableDictionary<string, string?>? fix = FixProperties.ForPlaceholder(part.Text, ContractRules.ReadableProperties(type).Select(p => p.Name));
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.RoutingKeyPropertyNotFound, Where(), fix, template, reason));
            }
        }

        if (unclosedBrace >= 0)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.RoutingKeyPropertyNotFound, Where(), template,
                $"opens a brace at position {unclosedBrace} that is never closed; write '{{Property}}', or leave braces out of fixed text"));
            return;
        }

        if (RoutingKeys.ValidateTemplate(parts, kind) is { } invalid)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidRoutingKey, Where(), $"routing-key template '{template}'", invalid));
        }
    }

    /// <summary>Why the generated code cannot read <paramref name="name"/> on <paramref name="type"/>, or null when it can.</summary>
    private static string? WhyNotReadable(INamedTypeSymbol type, string name)
    {
        if (ContractRules.ReadableProperties(type).Any(p => p.Name == name))
        {
            return null;
        }

        string typeName = type.Name;
        if (name.Length == 0)
        {
            return $"has empty braces '{{}}'; name a property of '{typeName}' between them, such as '{{{FirstReadable(type) ?? "Property"}}}'";
        }

        for (INamedTypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            foreach (ISymbol member in current.GetMembers(name))
            {
                string? problem = member switch
                {
                    IPropertySymbol { IsStatic: true } => $"a static property of '{typeName}'; the template reads the message's instance properties",
                    IPropertySymbol { GetMethod: null } => $"a property of '{typeName}' without a getter",
                    IPropertySymbol => $"a property of '{typeName}' whose getter is not public or internal, so the generated code cannot call it",
                    IFieldSymbol => $"a field of '{typeName}'; the template reads properties only",
                    IMethodSymbol => $"a method of '{typeName}'; the template reads properties only",
                    _ => null,
                };
                if (problem is not null)
                {
                    return $"names '{name}', {problem}";
                }
            }
        }

        string? similar = ContractRules.ReadableProperties(type)
            .FirstOrDefault(p => string.Equals(p.Name, name, System.StringComparison.OrdinalIgnoreCase))?.Name;
        return similar is not null
            ? $"names '{name}', which is not a property of '{typeName}'; names are case-sensitive: did you mean '{{{similar}}}'?"
            : $"names '{name}', which is not a readable property of '{typeName}'";
    }

    private static string? FirstReadable(INamedTypeSymbol type) => ContractRules.ReadableProperties(type).FirstOrDefault()?.Name;
}
