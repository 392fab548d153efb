using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Warren.Generators.Diagnostics.Analyzers;

/// <summary>
/// WARREN022: a class without <c>[Consumer]</c> passed to an API that looks up its generated consumer descriptor:
/// <c>Bus.SubscribeAsync&lt;TConsumer&gt;(consumer)</c> (also through <c>IBus</c>) and <c>AddConsumer&lt;TConsumer&gt;()</c>.
/// The generator writes a descriptor only for <c>[Consumer]</c> classes, so such a call always throws
/// <c>MessageNotRegisteredException</c> at run time. A class implementing <c>IConsumer&lt;T&gt;</c> without
/// <c>[Consumer]</c> is otherwise fine: its <c>HandleAsync</c> can be subscribed as a handler
/// (<c>bus.SubscribeAsync&lt;T&gt;(consumer.HandleAsync, options)</c>), which needs only the message's descriptor; so the
/// diagnostic is on the call, not on the class.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ConsumerRegistrationAnalyzer : DiagnosticAnalyzer
{
    private static readonly SymbolDisplayFormat TypeFormat = WarrenSymbols.TypeDisplay;

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.ConsumerWithoutAttribute);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterWarrenCompilationStartAction(static (start, symbols) =>
        {
            if (symbols.ConsumerAttribute is not null && (symbols.Bus ?? symbols.BusInterface ?? symbols.WarrenServiceCollectionExtensions) is not null)
            {
                start.RegisterOperationAction(operation => Analyze(operation, symbols), OperationKind.Invocation);
            }
        });
    }

    private static void Analyze(OperationAnalysisContext context, WarrenSymbols symbols)
    {
        var invocation = (IInvocationOperation)context.Operation;
        IMethodSymbol method = invocation.TargetMethod;
        if (method.TypeArguments.Length != 1 || DescriptorApi(method, symbols) is not { } api)
        {
            return;
        }

        // A type parameter is checked where it is bound; an error type is the compiler's to report.
        if (method.TypeArguments[0] is not INamedTypeSymbol consumer || consumer.TypeKind == TypeKind.Error
            || WarrenSymbols.HasAttribute(consumer, symbols.ConsumerAttribute))
        {
            return;
        }

        string name = consumer.ToDisplayString(TypeFormat);
        ImmutableArray<ITypeSymbol> messages = symbols.ConsumedMessages(consumer);
        string instead = messages.Length == 1
            ? $", or subscribe its HandleAsync as a handler, which needs no [Consumer]: bus.SubscribeAsync<{messages[0].ToDisplayString(TypeFormat)}>(consumer.HandleAsync, options)"
            : string.Empty;
        string fix = consumer.TypeKind == TypeKind.Class && !consumer.IsAbstract
            ? $"Add [Consumer] to '{name}'{instead}"
            : $"Pass the concrete [Consumer] class as the type argument{instead}";
        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.ConsumerWithoutAttribute,
            NameLocation(invocation),
            $"{api}<{name}> needs the descriptor Warren generates for a [Consumer] class, and '{name}' has no [Consumer], so this call always throws MessageNotRegisteredException. {fix}"));
    }

    /// <summary>The API's name when <paramref name="method"/> is one that looks up a consumer descriptor, else null.</summary>
    private static string? DescriptorApi(IMethodSymbol method, WarrenSymbols symbols)
    {
        IMethodSymbol definition = method.ReducedFrom ?? method.OriginalDefinition;
        INamedTypeSymbol? owner = definition.ContainingType;
        if (definition.Name == "SubscribeAsync"
            && (SymbolEqualityComparer.Default.Equals(owner, symbols.Bus) || SymbolEqualityComparer.Default.Equals(owner, symbols.BusInterface))
            && definition.OriginalDefinition.Parameters.Length > 0 && definition.OriginalDefinition.Parameters[0].Type is ITypeParameterSymbol)
        {
            // SubscribeAsync<TConsumer>(TConsumer consumer, ...), not SubscribeAsync<TMessage>(handler, ...).
            return "SubscribeAsync";
        }

        return definition.Name == "AddConsumer" && SymbolEqualityComparer.Default.Equals(owner, symbols.WarrenServiceCollectionExtensions)
            ? "AddConsumer"
            : null;
    }

    /// <summary>The method's name as written (<c>SubscribeAsync&lt;Worker&gt;</c> or <c>SubscribeAsync</c>), else the whole call.</summary>
    private static Location NameLocation(IInvocationOperation invocation) => invocation.Syntax switch
    {
        InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } => access.Name.GetLocation(),
        InvocationExpressionSyntax { Expression: SimpleNameSyntax simple } => simple.GetLocation(),
        _ => invocation.Syntax.GetLocation(),
    };
}
