using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using System.Collections.Immutable;

namespace Warren.Generators.Diagnostics.Analyzers;

/// <summary>
/// WARREN013: an <c>[RpcServer]</c> class a host cannot serve with. The generated <c>AddWarrenRpcServices()</c> leaves such
/// a class out, so without this diagnostic the service would silently go unserved and its callers time out.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RpcServerClassAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.InvalidRpcServerClass);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterWarrenSymbolAction(AnalyzeType, SymbolKind.NamedType, static symbols => symbols.RpcServerAttribute is not null);
    }

    private static void AnalyzeType(SymbolAnalysisContext context, WarrenSymbols symbols)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (WarrenSymbols.FindAttribute(type, symbols.RpcServerAttribute) is not { } server || WhyUnusable(type, symbols, out ImmutableDictionary<string, string?>? fix) is not { } problem)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.InvalidRpcServerClass,
            AttributeLocations.OfDeclaringIdentifier(server, type, context.CancellationToken),
            fix,
            type.Name,
            problem));
    }

    private static string? WhyUnusable(INamedTypeSymbol type, WarrenSymbols symbols, out ImmutableDictionary<string, string?>? fix)
    {
        if (ClassShape.WhyUnusable(
                type,
                "an RPC server must be a class the host can create for each request. Declare it as a class",
                "the host cannot create it for a request. Make it an ordinary class",
                "the host cannot create it for a request. Make it concrete, or move [RpcServer] to the concrete class that derives from it",
                out fix) is { } shape)
        {
            return shape;
        }

        if (!type.AllInterfaces.Any(i => WarrenSymbols.FindAttribute(i, symbols.RpcServiceAttribute) is not null))
        {
            return "implements no [RpcService] interface, so there is nothing for it to serve. Implement the [RpcService] interface it answers";
        }

        if (!type.InstanceConstructors.Any(c => c.DeclaredAccessibility == Accessibility.Public))
        {
            return "has no public constructor, so the host's dependency injection cannot create it for each request. Make a constructor public";
        }

        return null;
    }
}
