using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Warren.Generators.Diagnostics.Analyzers;

/// <summary>
/// WARREN011: a <c>[Consumer]</c> class the generated code cannot use. The generator emits nothing for such a class (or,
/// for one implementing <c>IConsumer&lt;T&gt;</c> twice, consumes only the first message), so without this diagnostic the
/// mistake would surface as a MessageNotRegisteredException when subscribing.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ConsumerClassAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.InvalidConsumerClass);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterWarrenSymbolAction(AnalyzeType, SymbolKind.NamedType, static symbols => symbols.HasConsumerSymbols);
    }

    private static void AnalyzeType(SymbolAnalysisContext context, WarrenSymbols symbols)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (WarrenSymbols.FindAttribute(type, symbols.ConsumerAttribute) is not { } consumer || WhyUnusable(type, symbols, out ImmutableDictionary<string, string?>? fix) is not { } problem)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.InvalidConsumerClass,
            AttributeLocations.OfDeclaringIdentifier(consumer, type, context.CancellationToken),
            fix,
            type.Name,
            problem));
    }

    /// <summary>Why the generated code cannot use <paramref name="type"/> as a consumer, or null; the first problem found.</summary>
    private static string? WhyUnusable(INamedTypeSymbol type, WarrenSymbols symbols, out ImmutableDictionary<string, string?>? fix)
    {
        if (ClassShape.WhyUnusable(
                type,
                "a consumer must be a class (the runtime holds consumers by reference). Declare it as a class",
                "it can neither implement IConsumer<T> nor be instantiated. Make it an ordinary class",
                "no instance of it can be passed to SubscribeAsync, and Warren generates nothing for it. Make it concrete, or move [Consumer] to the concrete classes that derive from it",
                out fix) is { } shape)
        {
            return shape;
        }

        ImmutableArray<ITypeSymbol> messages = symbols.ConsumedMessages(type);
        if (messages.IsEmpty)
        {
            return "does not implement IConsumer<TMessage>, so there is no message for it to handle. Implement IConsumer<TMessage> for the message it consumes";
        }

        for (int i = 1; i < messages.Length; i++)
        {
            for (int j = 0; j < i; j++)
            {
                if (!SymbolEqualityComparer.Default.Equals(messages[i], messages[j]))
                {
                    string first = messages[j].ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
                    string second = messages[i].ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
                    return $"implements IConsumer<T> more than once ('{first}' and '{second}'); a consumer has one queue and one message type, and Warren would consume only '{first}'. Write one consumer class per message";
                }
            }
        }

        if (!HasCallableConstructor(type))
        {
            return "has only private constructors and no static member that returns it, so nothing outside the class can create the instance SubscribeAsync takes. Make a constructor internal or public";
        }

        return null;
    }

    /// <summary>True unless every instance constructor is private and no non-private static member returns the type (a factory).</summary>
    private static bool HasCallableConstructor(INamedTypeSymbol type)
    {
        foreach (IMethodSymbol constructor in type.InstanceConstructors)
        {
            if (constructor.DeclaredAccessibility != Accessibility.Private)
            {
                return true;
            }
        }

        foreach (ISymbol member in type.GetMembers())
        {
            if (!member.IsStatic || member.DeclaredAccessibility == Accessibility.Private)
            {
                continue;
            }

            ITypeSymbol? returned = member switch
            {
                IMethodSymbol { MethodKind: MethodKind.Ordinary } method => method.ReturnType,
                IPropertySymbol property => property.Type,
                IFieldSymbol field => field.Type,
                _ => null,
            };
            if (SymbolEqualityComparer.Default.Equals(returned, type))
            {
                return true;
            }
        }

        return false;
    }
}
