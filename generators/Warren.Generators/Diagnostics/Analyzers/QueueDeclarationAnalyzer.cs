using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Warren.Generators.Model;

namespace Warren.Generators.Diagnostics.Analyzers;

/// <summary>
/// WARREN004: two declarations of one queue disagree. Warren declares a named queue (never exclusive, never auto-delete)
/// for a <c>[Queue]</c> message, for a consumer of an exchange message with <c>[Consumer(Queue = "q")]</c> and for an
/// <c>[RpcService]</c>; each is durable when its type has <c>[Durable]</c>, and a quorum queue with a delivery limit
/// (its arguments) for <c>[Durable(QueueType.Quorum)]</c>. Declarations that differ in durability, queue type or
/// delivery limit make the broker refuse the later one with PRECONDITION_FAILED. A queue that serves two purposes (two
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
        QueueShape shape = ShapeOf(type, symbols, consumerAttribute: null);
        if (symbols.FirstRoutingAttribute(type) is { Kind: ExchangeKindSpec.Queue } routing && ContractRules.NameArgument(routing.Attribute) is { } queue)
        {
            declarations.Add(new QueueDeclaration(queue, QueueUse.Message, typeName, typeName, shape,
                AttributeLocations.OfConstructorArgument(routing.Attribute, 0, type, context.CancellationToken)));
        }

        if (type.TypeKind == TypeKind.Interface
            && WarrenSymbols.FindAttribute(type, symbols.RpcServiceAttribute) is { } service
            && ContractRules.NameArgument(service) is { } serviceQueue)
        {
            declarations.Add(new QueueDeclaration(serviceQueue, QueueUse.RpcService, typeName, typeName, shape,
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
            declarations.Add(new QueueDeclaration(consumerQueue, QueueUse.Consumer, ContractRules.FullName(message), typeName, ShapeOf(type, symbols, consumer),
                AttributeLocations.OfNamedArgument(consumer, "Queue", type, context.CancellationToken)));
        }
    }

    /// <summary>
    /// How the type's <c>[Durable]</c> and <c>[QueueArguments]</c> (or their absence), and a consumer's <c>SingleActive</c>,
    /// make Warren declare the queue, by the generator's rules.
    /// </summary>
    private static QueueShape ShapeOf(INamedTypeSymbol type, WarrenSymbols symbols, AttributeData? consumerAttribute)
    {
        AttributeData? durable = WarrenSymbols.FindAttribute(type, symbols.DurableAttribute);
        QueueArgumentsSpec? arguments = ContractRules.QueueArgumentsOf(
            WarrenSymbols.FindAttribute(type, symbols.QueueArgumentsAttribute), ContractRules.IsSingleActive(consumerAttribute));
        return new QueueShape(durable is not null, ContractRules.QueueTypeOf(durable), ContractRules.DeliveryLimitOf(durable), arguments);
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
                    if (QueueShape.Difference(other.Shape, first.Shape) is { } difference)
                    {
                        problem += $" (they also disagree on {difference}, {QueueShape.Describe(other.Shape, first.Shape)} here and {QueueShape.Describe(first.Shape, other.Shape)} there, so RabbitMQ refuses the second declaration with PRECONDITION_FAILED)";
                    }
                }
                else if (QueueShape.Difference(other.Shape, first.Shape) is { } difference)
                {
                    string word = difference.StartsWith("x-", System.StringComparison.Ordinal) ? string.Empty : "as ";
                    problem = $"is declared here {word}{QueueShape.Describe(other.Shape, first.Shape)} but {word}{QueueShape.Describe(first.Shape, other.Shape)} by '{first.TypeName}'; "
                        + "RabbitMQ refuses the second declaration with PRECONDITION_FAILED";
                }

                if (problem is not null)
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.QueueDeclarationConflict, other.Location, other.Name, problem));
                }
            }
        }
    }

    /// <summary>
    /// What a declaration makes of the queue: durability, type, for a quorum queue its delivery limit, and its arguments
    /// (the generator's rules).
    /// </summary>
    private sealed record QueueShape(bool Durable, QueueTypeSpec Type, int DeliveryLimit, QueueArgumentsSpec? Arguments)
    {
        /// <summary>What two declarations disagree on, or null when the broker accepts both.</summary>
        public static string? Difference(QueueShape one, QueueShape other) =>
            one.Type != other.Type ? "the queue type"
            : one.DeliveryLimit != other.DeliveryLimit ? "the delivery limit"
            : (one.Durable != other.Durable && one.Type == QueueTypeSpec.Classic) ? "durability"
            : DifferingArgument(one, other) is { } argument ? argument
            : null;

        /// <summary>
        /// "durable" when only durability differs from <paramref name="other"/>; the arguments when only they differ;
        /// else the whole kind, "a quorum queue with delivery limit 5".
        /// </summary>
        public static string Describe(QueueShape shape, QueueShape other)
        {
            string durability = shape.Durable ? "durable" : "non-durable";
            if (shape.Type == other.Type && shape.DeliveryLimit == other.DeliveryLimit)
            {
                return shape.Durable != other.Durable && shape.Type == QueueTypeSpec.Classic ? durability : DescribeArguments(shape, DifferingArgument(shape, other));
            }

            return shape.Type switch
            {
                QueueTypeSpec.Quorum => $"a quorum queue with delivery limit {shape.DeliveryLimit}",
                QueueTypeSpec.Stream => "a stream queue",
                _ => $"a {durability} classic queue",
            };
        }

        /// <summary>The first queue argument (by its broker name) the two shapes set differently, or null.</summary>
        private static string? DifferingArgument(QueueShape one, QueueShape other)
        {
            var mine = ArgumentsOf(one);
            var theirs = ArgumentsOf(other);
            foreach (string name in mine.Keys.Concat(theirs.Keys).Distinct().OrderBy(n => n, System.StringComparer.Ordinal))
            {
                mine.TryGetValue(name, out string? a);
                theirs.TryGetValue(name, out string? b);
                if (a != b)
                {
                    return name;
                }
            }

            return null;
        }

        private static string DescribeArguments(QueueShape shape, string? argument)
        {
            if (argument is null)
            {
                return "the same";
            }

            return ArgumentsOf(shape).TryGetValue(argument, out string? value) ? $"with {argument} = {value}" : $"without {argument}";
        }

        private static System.Collections.Generic.Dictionary<string, string> ArgumentsOf(QueueShape shape) =>
            shape.Arguments is null
                ? new System.Collections.Generic.Dictionary<string, string>()
                : shape.Arguments.Entries().ToDictionary(e => e.Argument, e => e.Display, System.StringComparer.Ordinal);
    }

    private enum QueueUse
    {
        Message = 0,
        RpcService = 1,
        Consumer = 2,
    }

    /// <param name="Owner">What the queue carries: the message type (for a message or a consumer) or the service interface.</param>
    /// <param name="TypeName">The type whose attribute declares the queue.</param>
    private sealed record QueueDeclaration(string Name, QueueUse Use, string Owner, string TypeName, QueueShape Shape, Location Location)
    {
        public string Purpose() => Use switch
        {
            QueueUse.Message => $"the queue of [Queue] message '{Owner}'",
            QueueUse.RpcService => $"the request queue of RPC service '{Owner}'",
            _ => $"the named queue of consumer '{TypeName}' for '{Owner}'",
        };
    }
}
