using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Warren.Generators.Model;

namespace Warren.Generators.Diagnostics.Analyzers;

/// <summary>
/// <c>[QueueArguments]</c> and <c>[Consumer(SingleActive = true)]</c>: WARREN014 for a value the broker refuses (a
/// duration that does not parse or is out of range, a negative size, a dead-letter routing key without an exchange, an
/// argument the queue's type does not take, as RabbitMQ 3.10 answers); WARREN015 where Warren declares no queue with them
/// (a message published to an exchange, a consumer without a named queue or of a <c>[Queue]</c> message, a type that is
/// neither a message, a consumer nor an RPC service). Whether two declarations of one queue agree is
/// <see cref="QueueDeclarationAnalyzer"/>'s concern.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class QueueArgumentsAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.InvalidQueueArguments, DiagnosticDescriptors.QueueArgumentsIneffective);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterWarrenSymbolAction(AnalyzeType, SymbolKind.NamedType,
            static symbols => symbols.QueueArgumentsAttribute is not null || symbols.ConsumerAttribute is not null);
    }

    private static void AnalyzeType(SymbolAnalysisContext context, WarrenSymbols symbols)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        AttributeData? arguments = WarrenSymbols.FindAttribute(type, symbols.QueueArgumentsAttribute);
        AttributeData? consumer = WarrenSymbols.FindAttribute(type, symbols.ConsumerAttribute);
        bool singleActive = ContractRules.IsSingleActive(consumer);
        if (arguments is not null && arguments.AttributeConstructor is null)
        {
            // One the compiler cannot bind: it reports that itself.
            arguments = null;
        }

        if (arguments is null && !singleActive)
        {
            return;
        }

        QueueTypeSpec queueType = ContractRules.QueueTypeOf(WarrenSymbols.FindAttribute(type, symbols.DurableAttribute));
        string typeName = type.Name;
        if (arguments is not null)
        {
            foreach ((string property, string problem) in ContractRules.QueueArgumentProblems(arguments, queueType))
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidQueueArguments,
                    AttributeLocations.OfNamedArgument(arguments, property, type, context.CancellationToken),
                    $"[QueueArguments] on '{typeName}': {problem}"));
            }
        }

        if (singleActive && queueType == QueueTypeSpec.Stream)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidQueueArguments,
                AttributeLocations.OfNamedArgument(consumer!, ContractRules.SingleActiveArgument, type, context.CancellationToken),
                $"SingleActive on consumer '{typeName}': RabbitMQ 3.10 refuses x-single-active-consumer on a stream queue with PRECONDITION_FAILED"));
        }

        string? ineffective = WhyIneffective(type, symbols, consumer);
        if (ineffective is not null)
        {
            Location location = arguments is not null
                ? AttributeLocations.Of(arguments, type, context.CancellationToken)
                : AttributeLocations.OfNamedArgument(consumer!, ContractRules.SingleActiveArgument, type, context.CancellationToken);
            string written = arguments is not null ? "[QueueArguments]" : "SingleActive";
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.QueueArgumentsIneffective, location,
                $"{written} on '{typeName}' has no effect: {ineffective}"));
        }
    }

    /// <summary>Why Warren declares no queue of <paramref name="type"/>'s with its arguments, or null when it does.</summary>
    private static string? WhyIneffective(INamedTypeSymbol type, WarrenSymbols symbols, AttributeData? consumer)
    {
        if (symbols.FirstRoutingAttribute(type) is { } routing)
        {
            return routing.Kind == ExchangeKindSpec.Queue
                ? null
                : $"'{type.Name}' is published to the {RoutingKeys.KindName(routing.Kind)} exchange '{ContractRules.NameArgument(routing.Attribute) ?? "?"}', and an exchange has no queue arguments. The queues are its consumers': put [QueueArguments] on each consumer that names its queue ([Consumer(Queue = \"...\")])";
        }

        if (type.TypeKind == TypeKind.Interface && WarrenSymbols.FindAttribute(type, symbols.RpcServiceAttribute) is not null)
        {
            return null;
        }

        if (consumer is null)
        {
            return $"'{type.Name}' is neither a [Queue] message, a consumer nor an [RpcService] interface, so Warren declares no queue for it";
        }

        ImmutableArray<ITypeSymbol> messages = symbols.ConsumedMessages(type);
        if (!messages.IsEmpty && messages[0] is INamedTypeSymbol message
            && symbols.FirstRoutingAttribute(message.OriginalDefinition) is { Kind: ExchangeKindSpec.Queue } messageRouting)
        {
            return $"'{message.Name}' is a [Queue] message, so the consumer reads its queue '{ContractRules.NameArgument(messageRouting.Attribute) ?? "?"}', whose arguments the message's own [QueueArguments] decides. Move them to '{message.Name}'";
        }

        bool named = false;
        foreach (var argument in consumer.NamedArguments)
        {
            named |= argument.Key == "Queue" && argument.Value.Value is string { Length: > 0 };
        }

        return named
            ? null
            : "the consumer names no queue, so each subscription gets an exclusive, auto-delete, server-named queue, declared without arguments. Name the queue with [Consumer(Queue = \"...\")], or remove them";
    }
}
