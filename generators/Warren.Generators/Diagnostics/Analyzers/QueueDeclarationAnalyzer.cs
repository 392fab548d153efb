using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Warren.Generators.Model;

namespace Warren.Generators.Diagnostics.Analyzers;

/// <summary>
/// WARREN004: two declarations of one queue disagree. Warren declares a named queue (never exclusive, never auto-delete,
/// no arguments) for a <c>[Queue]</c> message, for a consumer of an exchange message with <c>[Consumer(Queue = "q")]</c>
/// and for an <c>[RpcService]</c>; each is durable when its type has <c>[Durable]</c>. Declarations that differ in
/// durability make the broker refuse the later one with PRECONDITION_FAILED. A queue that serves two purposes (two
/// message types, a consumer queue that is also a message's or a service's queue, two services) hands every message to
/// consumers that reject it as another type's, or to servers that answer it as an unknown method.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class QueueDeclarationAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.QueueDeclarationConflict);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterWarrenCollectAndCompare<QueueDeclaration>(Collect, Compare);
    }

    private static void Collect(SymbolAnalysisContext context, WarrenSymbols symbols, ConcurrentBag<QueueDeclaration> declarations)
    {
        if (context.Symbol is not INamedTypeSymbol type || ContractRules.WhyUnusable(type) is not null)
        {
            // The generator emits nothing for such a type, so nothing is declared at run time.
            return;
        }

        string typeName = ContractRules.FullName(type);
        if (symbols.FirstRoutingAttribute(type) is { Kind: ExchangeKindSpec.Queue } routing && ContractRules.NameArgument(routing.Attribute) is { } queue)
        {
            declarations.Add(new QueueDeclaration(queue, QueueUse.Message, typeName, typeName, symbols.IsDurable(type),
                AttributeLocations.OfConstructorArgument(routing.Attribute, 0, type, context.CancellationToken)));
        }

        if (type.TypeKind == TypeKind.Interface
            && WarrenSymbols.FindAttribute(type, symbols.RpcServiceAttribute) is { } service
            && ContractRules.NameArgument(service) is { } serviceQueue)
        {
            declarations.Add(new QueueDeclaration(serviceQueue, QueueUse.RpcService, typeName, typeName, symbols.IsDurable(type),
                AttributeLocations.OfConstructorArgument(service, 0, type, context.CancellationToken)));
        }

        if (type is { TypeKind: TypeKind.Class, IsAbstract: false }
            && WarrenSymbols.FindAttribute(type, symbols.ConsumerAttribute) is { } consumer
            && ConsumerQueue(consumer) is { } consumerQueue
            && ConsumedMessage(type, symbols) is { } message
            && symbols.FirstRoutingAttribute(message) is { } messageRouting
            && messageRouting.Kind != ExchangeKindSpec.Queue)
        {
            // A consumer of a [Queue] message consumes the message's queue and ignores its own name (WARREN010's concern).
            declarations.Add(new QueueDeclaration(consumerQueue, QueueUse.Consumer, ContractRules.FullName(message), typeName, symbols.IsDurable(type),
                AttributeLocations.OfNamedArgument(consumer, "Queue", type, context.CancellationToken)));
        }
    }

    private static string? ConsumerQueue(AttributeData consumer)
    {
        foreach (var argument in consumer.NamedArguments)
        {
            if (argument.Key == "Queue")
            {
                return argument.Value.Value is string { Length: > 0 } queue ? queue : null;
            }
        }

        return null;
    }

    /// <summary>The <c>T</c> of the first <c>IConsumer&lt;T&gt;</c> the class implements, as the generator picks it.</summary>
    private static INamedTypeSymbol? ConsumedMessage(INamedTypeSymbol type, WarrenSymbols symbols)
    {
        ImmutableArray<ITypeSymbol> messages = symbols.ConsumedMessages(type);
        return !messages.IsEmpty && messages[0] is INamedTypeSymbol { TypeKind: not TypeKind.Error } message ? message : null;
    }

    private static void Compare(CompilationAnalysisContext context, ConcurrentBag<QueueDeclaration> declarations)
    {
        foreach (IGrouping<string, QueueDeclaration> queue in declarations.GroupBy(d => d.Name, System.StringComparer.Ordinal))
        {
            // Messages first, then services, then consumers: the consumer's name is the one to change when they meet.
            QueueDeclaration[] ordered = queue
                .OrderBy(d => d.Use)
                .ThenBy(d => d.TypeName, System.StringComparer.Ordinal)
                .ThenBy(d => d.Location.SourceTree?.FilePath, System.StringComparer.Ordinal)
                .ThenBy(d => d.Location.SourceSpan.Start)
                .ToArray();
            QueueDeclaration first = ordered[0];
            foreach (QueueDeclaration other in ordered.Skip(1))
            {
                string? problem = null;
                if (other.Use != first.Use || other.Owner != first.Owner)
                {
                    problem = $"is {other.Purpose()} but also {first.Purpose()}: each would get the other's messages, "
                        + "which a consumer rejects as another type's and an RPC server answers as an unknown method; give each its own queue";
                    if (other.Durable != first.Durable)
                    {
                        problem += $" (they also disagree on durability, {Durability(other.Durable)} here and {Durability(first.Durable)} there, so RabbitMQ refuses the second declaration with PRECONDITION_FAILED)";
                    }
                }
                else if (other.Durable != first.Durable)
                {
                    problem = $"is declared here as {Durability(other.Durable)} but as {Durability(first.Durable)} by '{first.TypeName}'; "
                        + "RabbitMQ refuses the second declaration with PRECONDITION_FAILED";
                }

                if (problem is not null)
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.QueueDeclarationConflict, other.Location, other.Name, problem));
                }
            }
        }
    }

    private static string Durability(bool durable) => durable ? "durable" : "non-durable";

    private enum QueueUse
    {
        Message = 0,
        RpcService = 1,
        Consumer = 2,
    }

    /// <param name="Owner">What the queue carries: the message type (for a message or a consumer) or the service interface.</param>
    /// <param name="TypeName">The type whose attribute declares the queue.</param>
    private sealed record QueueDeclaration(string Name, QueueUse Use, string Owner, string TypeName, bool Durable, Location Location)
    {
        public string Purpose() => Use switch
        {
            QueueUse.Message => $"the queue of [Queue] message '{Owner}'",
            QueueUse.RpcService => $"the request queue of RPC service '{Owner}'",
            _ => $"the named queue of consumer '{TypeName}' for '{Owner}'",
        };
    }
}
