using System;
using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Warren.Generators.Diagnostics;

/// <summary>
/// The registration every Warren analyzer starts with: Warren's symbols, resolved once per compilation that references
/// Warren. (Each analyzer still calls <c>EnableConcurrentExecution</c> and <c>ConfigureGeneratedCodeAnalysis</c> itself:
/// RS1025 and RS1026 look for them in its own <c>Initialize</c>.)
/// </summary>
internal static class AnalysisContextExtensions
{
    /// <summary>Calls <paramref name="onStart"/> once per compilation that references Warren, with its symbols.</summary>
    public static void RegisterWarrenCompilationStartAction(this AnalysisContext context, Action<CompilationStartAnalysisContext, WarrenSymbols> onStart) =>
        context.RegisterCompilationStartAction(start =>
        {
            if (WarrenSymbols.Create(start.Compilation) is { } symbols)
            {
                onStart(start, symbols);
            }
        });

    /// <summary>
    /// Runs <paramref name="analyze"/> on every symbol of <paramref name="kind"/>, in compilations that reference Warren
    /// and have the symbols <paramref name="needs"/> asks for (without them there is nothing to check).
    /// </summary>
    public static void RegisterWarrenSymbolAction(
        this AnalysisContext context, Action<SymbolAnalysisContext, WarrenSymbols> analyze, SymbolKind kind, Func<WarrenSymbols, bool>? needs = null) =>
        context.RegisterWarrenCompilationStartAction((start, symbols) =>
        {
            if (needs is null || needs(symbols))
            {
                start.RegisterSymbolAction(symbolContext => analyze(symbolContext, symbols), kind);
            }
        });

    /// <summary>
    /// For a conflict between types (two declarations of one exchange or queue): <paramref name="collect"/> runs on every
    /// named type and adds what it declares; <paramref name="compare"/> sees all of it once the compilation is complete.
    /// </summary>
    public static void RegisterWarrenCollectAndCompare<TDeclaration>(
        this AnalysisContext context,
        Action<SymbolAnalysisContext, WarrenSymbols, ConcurrentBag<TDeclaration>> collect,
        Action<CompilationAnalysisContext, ConcurrentBag<TDeclaration>> compare) =>
        context.RegisterWarrenCompilationStartAction((start, symbols) =>
        {
            var declarations = new ConcurrentBag<TDeclaration>();
            start.RegisterSymbolAction(symbolContext => collect(symbolContext, symbols, declarations), SymbolKind.NamedType);
            start.RegisterCompilationEndAction(end => compare(end, declarations));
        });
}
