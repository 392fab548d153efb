using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Warren.Generators.Model;

namespace Warren.Generators.Diagnostics.Analyzers;

/// <summary>
/// The queue type and delivery limit of <c>[Durable]</c>, wherever it is written: WARREN010 for
/// <c>[Durable(QueueType.Quorum)]</c> on a message published to an exchange (an exchange has no queue type) and for a
/// <c>DeliveryLimit</c> without <c>QueueType.Quorum</c> (only quorum queues have one); WARREN012 for a negative delivery
/// limit. Whether a consumer's <c>[Durable]</c> reaches a queue at all is <see cref="ConsumerAnalyzer"/>'s concern.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DurableAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.DurableIneffective, DiagnosticDescriptors.InvalidDeliveryLimit);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterWarrenSymbolAction(AnalyzeType, SymbolKind.NamedType, static symbols => symbols.DurableAttribute is not null);
    }

    private static void AnalyzeType(SymbolAnalysisContext context, WarrenSymbols symbols)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (WarrenSymbols.FindAttribute(type, symbols.DurableAttribute) is not { } durable || durable.AttributeConstructor is null)
        {
            // No [Durable], or one the compiler cannot bind (it reports that itself).
            return;
        }

        bool quorum = ContractRules.QueueTypeOf(durable) == QueueTypeSpec.Quorum;
        if (ContractRules.ExplicitDeliveryLimit(durable) is { } limit)
        {
            Location limitLocation = AttributeLocations.OfNamedArgument(durable, ContractRules.DeliveryLimitArgument, type, context.CancellationToken);
            if (!quorum)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.DurableIneffective, limitLocation,
                    $"DeliveryLimit on '{type.Name}' has no effect: only quorum queues have a delivery limit, and [Durable] without QueueType.Quorum declares a classic queue, which redelivers an unacknowledged message forever. Write [Durable(QueueType.Quorum, DeliveryLimit = {limit})], or remove DeliveryLimit"));
            }
            else if (limit < 0)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidDeliveryLimit, limitLocation,
                    $"DeliveryLimit = {limit} on '{type.Name}' is negative: RabbitMQ 3 dead-letters such a message the first time it comes back, RabbitMQ 4 takes it as no limit at all and redelivers it forever. Use 0 to dead-letter a message the first time it comes back unacknowledged, or a positive limit"));
            }
        }

        QueueTypeSpec queueType = ContractRules.QueueTypeOf(durable);
        if (queueType != QueueTypeSpec.Classic && symbols.FirstRoutingAttribute(type) is { Kind: not ExchangeKindSpec.Queue } routing)
        {
            string exchange = ContractRules.NameArgument(routing.Attribute) ?? "?";
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.DurableIneffective,
                AttributeLocations.OfConstructorArgument(durable, 0, type, context.CancellationToken),
                $"QueueType.{queueType} on '{type.Name}' has no effect: '{type.Name}' is published to the {RoutingKeys.KindName(routing.Kind)} exchange '{exchange}', and an exchange has no queue type; [Durable] makes it durable and the messages persistent. The queues are its consumers': write [Durable] here, and [Durable(QueueType.{queueType})] on each consumer that names its queue ([Consumer(Queue = \"...\")])"));
        }
    }
}
