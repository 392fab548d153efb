using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Warren.Generators.Model;

namespace Warren.Generators.Diagnostics.Analyzers;

/// <summary>
/// WARREN003: two message types declare one exchange differently (kind or durability). Warren declares an exchange the
/// first time a message type that names it is published or consumed, with the kind of its routing attribute, its
/// <c>[Durable]</c>, not auto-delete and without arguments; the broker refuses a declaration that differs from the
/// exchange as it exists with PRECONDITION_FAILED, and closes the channel.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ExchangeDeclarationAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.ExchangeDeclarationConflict);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterWarrenCollectAndCompare<ExchangeDeclaration>(Collect, Compare);
    }

    private static void Collect(SymbolAnalysisContext context, WarrenSymbols symbols, ConcurrentBag<ExchangeDeclaration> declarations)
    {
        if (context.Symbol is not INamedTypeSymbol type
            || symbols.FirstRoutingAttribute(type) is not { } routing
            || routing.Kind == ExchangeKindSpec.Queue
            || ContractRules.NameArgument(routing.Attribute) is not { } name
            || ContractRules.WhyUnusable(type) is not null)
        {
            // Queues are WARREN004's; a type the generator skips declares nothing at run time.
            return;
        }

        declarations.Add(new ExchangeDeclaration(
            name,
            routing.Kind,
            symbols.IsDurable(type),
            ContractRules.FullName(type),
            AttributeLocations.OfConstructorArgument(routing.Attribute, 0, type, context.CancellationToken)));
    }

    private static void Compare(CompilationAnalysisContext context, ConcurrentBag<ExchangeDeclaration> declarations)
    {
        foreach (IGrouping<string, ExchangeDeclaration> exchange in declarations.GroupBy(d => d.Name, System.StringComparer.Ordinal))
        {
            ExchangeDeclaration[] ordered = exchange
                .OrderBy(d => d.TypeName, System.StringComparer.Ordinal)
                .ThenBy(d => d.Location.SourceTree?.FilePath, System.StringComparer.Ordinal)
                .ThenBy(d => d.Location.SourceSpan.Start)
                .ToArray();
            ExchangeDeclaration first = ordered[0];
            foreach (ExchangeDeclaration other in ordered.Skip(1))
            {
                if (other.Kind != first.Kind || other.Durable != first.Durable)
                {
                    context.ReportDiagnostic(Diagnostic.Create(
                        DiagnosticDescriptors.ExchangeDeclarationConflict,
                        other.Location,
                        other.Name,
                        other.Describe(),
                        first.Describe(),
                        first.TypeName));
                }
            }
        }
    }

    private sealed record ExchangeDeclaration(string Name, ExchangeKindSpec Kind, bool Durable, string TypeName, Location Location)
    {
        /// <summary>"a durable topic exchange".</summary>
        public string Describe() => $"a {(Durable ? "durable" : "non-durable")} {RoutingKeys.KindName(Kind)} exchange";
    }
}
