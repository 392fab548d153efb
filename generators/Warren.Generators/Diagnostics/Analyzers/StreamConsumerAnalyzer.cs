using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Warren.Generators.Diagnostics.Analyzers;

/// <summary>
/// The stream settings of <c>[Consumer]</c>: WARREN016 for a <c>StreamOffset</c> that <c>StreamOffset.Parse</c> would
/// refuse at run time, or an empty <c>StreamConsumerName</c> (which names no offsets queue).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class StreamConsumerAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.InvalidStreamConsumer);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterWarrenSymbolAction(AnalyzeType, SymbolKind.NamedType, static symbols => symbols.ConsumerAttribute is not null);
    }

    private static void AnalyzeType(SymbolAnalysisContext context, WarrenSymbols symbols)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (WarrenSymbols.FindAttribute(type, symbols.ConsumerAttribute) is not { } consumer)
        {
            return;
        }

        foreach (var argument in consumer.NamedArguments)
        {
            string? problem = argument.Key switch
            {
                ContractRules.StreamOffsetArgument => ContractRules.StreamOffsetProblem(argument.Value.Value as string),
                ContractRules.StreamConsumerNameArgument when argument.Value.Value is string { Length: 0 } =>
                    "an empty name stores no offset; give a name, or set TrackStreamOffset = false",
                _ => null,
            };
            if (problem is not null)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidStreamConsumer,
                    AttributeLocations.OfNamedArgument(consumer, argument.Key, type, context.CancellationToken),
                    $"{argument.Key} on consumer '{type.Name}': {problem}"));
            }
        }
    }
}
