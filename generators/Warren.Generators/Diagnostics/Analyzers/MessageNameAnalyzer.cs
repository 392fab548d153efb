using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Warren.Generators.Diagnostics.Analyzers;

/// <summary>
/// WARREN017: a <c>[Message]</c> wire name or alias that cannot travel as the AMQP <c>type</c> property or that is
/// pointless (an alias repeating the name or another alias). WARREN018: two message types of the compilation that a
/// consumer could not tell apart, because one's wire name or alias is another's wire name or alias. A message without
/// <c>[Message]</c> takes part with its CLR full name, which is what it publishes with.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MessageNameAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.InvalidMessageName, DiagnosticDescriptors.DuplicateMessageName);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterWarrenCollectAndCompare<WireName>(Collect, Compare);
    }

    private static void Collect(SymbolAnalysisContext context, WarrenSymbols symbols, ConcurrentBag<WireName> names)
    {
        if (context.Symbol is not INamedTypeSymbol type)
        {
            return;
        }

        AttributeData? message = WarrenSymbols.FindAttribute(type, symbols.MessageAttribute);
        if (message is not null)
        {
            CheckNames(context, type, message);
        }

        // Only a type the generator emits a descriptor for publishes or consumes anything.
        if (symbols.FirstRoutingAttribute(type) is not { } routing || ContractRules.WhyUnusable(type) is not null)
        {
            return;
        }

        string fullName = ContractRules.FullName(type);
        string name = ContractRules.WireName(type, message);
        Location nameLocation = message is not null && ContractRules.NameArgument(message) is not null
            ? AttributeLocations.OfConstructorArgument(message, 0, type, context.CancellationToken)
            : AttributeLocations.Of(routing.Attribute, type, context.CancellationToken);
        names.Add(new WireName(name, IsAlias: false, fullName, nameLocation));

        int index = 0;
        var seen = new HashSet<string>(System.StringComparer.Ordinal) { name };
        foreach (string alias in ContractRules.MessageAliases(message))
        {
            if (ContractRules.WireNameProblem(alias) is null && seen.Add(alias))
            {
                Location location = AttributeLocations.OfNamedArgumentElement(message!, ContractRules.AliasesArgument, index, type, context.CancellationToken);
                names.Add(new WireName(alias, IsAlias: true, fullName, location));
            }

            index++;
        }
    }

    /// <summary>WARREN017 on the name and each alias of one <c>[Message]</c>.</summary>
    private static void CheckNames(SymbolAnalysisContext context, INamedTypeSymbol type, AttributeData message)
    {
        string? name = message.ConstructorArguments.Length == 1 ? message.ConstructorArguments[0].Value as string : null;
        if (message.ConstructorArguments.Length == 1 && ContractRules.WireNameProblem(name) is { } nameProblem)
        {
            Report(context, AttributeLocations.OfConstructorArgument(message, 0, type, context.CancellationToken), $"The wire name '{name}' {nameProblem}");
        }

        foreach (KeyValuePair<string, TypedConstant> argument in message.NamedArguments)
        {
            if (argument.Key != ContractRules.AliasesArgument || argument.Value.Kind != TypedConstantKind.Array || argument.Value.IsNull)
            {
                continue;
            }

            var seen = new HashSet<string>(System.StringComparer.Ordinal);
            ImmutableArray<TypedConstant> aliases = argument.Value.Values;
            for (int i = 0; i < aliases.Length; i++)
            {
                string? alias = aliases[i].Value as string;
                string? problem = ContractRules.WireNameProblem(alias) is { } aliasProblem
                    ? aliasProblem
                    : alias == name
                        ? "repeats the wire name; an alias is an older name consumers also accept, so leave it out"
                        : !seen.Add(alias!)
                            ? "is listed twice; leave one out"
                            : null;
                if (problem is not null)
                {
                    Report(context, AttributeLocations.OfNamedArgumentElement(message, ContractRules.AliasesArgument, i, type, context.CancellationToken), $"The alias '{alias}' {problem}");
                }
            }
        }
    }

    private static void Compare(CompilationAnalysisContext context, ConcurrentBag<WireName> names)
    {
        foreach (IGrouping<string, WireName> group in names.GroupBy(n => n.Name, System.StringComparer.Ordinal))
        {
            WireName[] ordered = group
                .OrderBy(n => n.TypeName, System.StringComparer.Ordinal)
                .ThenBy(n => n.IsAlias)
                .ThenBy(n => n.Location.SourceTree?.FilePath, System.StringComparer.Ordinal)
                .ThenBy(n => n.Location.SourceSpan.Start)
                .ToArray();
            if (ordered.Select(n => n.TypeName).Distinct(System.StringComparer.Ordinal).Count() < 2)
            {
                continue;
            }

            foreach (WireName name in ordered)
            {
                WireName other = ordered.First(n => n.TypeName != name.TypeName);
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.DuplicateMessageName,
                    name.Location,
                    name.Name,
                    name.Describe(),
                    other.Describe(),
                    other.TypeName));
            }
        }
    }

    private static void Report(SymbolAnalysisContext context, Location location, string text) =>
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidMessageName, location, text));

    /// <summary>One name a message type publishes with (<paramref name="IsAlias"/> false) or accepts.</summary>
    private sealed record WireName(string Name, bool IsAlias, string TypeName, Location Location)
    {
        public string Describe() => IsAlias ? "an alias" : "the wire name";
    }
}
