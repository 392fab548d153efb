using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Warren.Generators.Model;

namespace Warren.Generators.Diagnostics.Analyzers;

/// <summary>
/// A consumer's topology against its message's: WARREN005 when the message has no routing attribute or the consumer has
/// bindings its exchange ignores (which the runtime rejects with an exception on subscribe), WARREN002 for invalid
/// <c>[Bind]</c> keys, WARREN010 for a <c>[Durable]</c> that cannot take effect. The consumer class itself is
/// <see cref="ConsumerClassAnalyzer"/>'s concern.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ConsumerAnalyzer : DiagnosticAnalyzer
{
    private const string QueueArgument = "Queue";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.InvalidRoutingKey, DiagnosticDescriptors.ConsumerBindingMismatch, DiagnosticDescriptors.DurableIneffective);

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
        AttributeData? consumer = null;
        AttributeData? durable = null;
        List<AttributeData>? bindings = null;
        foreach (AttributeData attribute in type.GetAttributes())
        {
            if (WarrenSymbols.Is(attribute, symbols.ConsumerAttribute))
            {
                consumer ??= attribute;
            }
            else if (WarrenSymbols.Is(attribute, symbols.DurableAttribute))
            {
                durable ??= attribute;
            }
            else if ((WarrenSymbols.Is(attribute, symbols.BindAttribute) || WarrenSymbols.Is(attribute, symbols.BindHeadersAttribute))
                && attribute.AttributeConstructor is not null)
            {
                // Bindings the compiler cannot bind ([Bind()], [Bind(42)]) already have a compiler error.
                (bindings ??= []).Add(attribute);
            }
        }

        if (consumer is null)
        {
            // [Bind] and [BindHeaders] are not inherited: on a class without its own [Consumer] the generator ignores them.
            foreach (AttributeData binding in bindings ?? [])
            {
                Report(context, binding, type,
                    $"[{AttributeName(binding)}] on '{type.Name}' has no effect: the class is not marked [Consumer] ([Consumer] and the bindings are not inherited), so no queue is ever bound with it. Add [Consumer] to '{type.Name}', or remove the binding");
            }

            return;
        }

        // A class that is not exactly one IConsumer<T> is WARREN011's; there is no single message to check bindings against.
        ImmutableArray<ITypeSymbol> messages = symbols.ConsumedMessages(type);
        if (messages.Length != 1 || messages[0] is ITypeParameterSymbol || messages[0].TypeKind == TypeKind.Error)
        {
            return;
        }

        ITypeSymbol message = messages[0];
        string messageName = message.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
        if (message is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            string underlying = nullable.TypeArguments[0].ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
            Report(context, consumer, type,
                $"Consumer '{type.Name}' handles '{messageName}', a nullable value type, which is not a Warren message, so subscribing throws MessageNotRegisteredException. Implement IConsumer<{underlying}> instead");
            return;
        }

        if (symbols.FirstRoutingAttribute(message.OriginalDefinition) is not (AttributeData routing, ExchangeKindSpec kind))
        {
            Report(context, consumer, type,
                $"Consumer '{type.Name}' handles '{messageName}', which has no routing attribute, so Warren generates nothing for it and subscribing throws MessageNotRegisteredException. Mark '{messageName}' with [Queue], [Fanout], [Direct], [Topic] or [Headers]");
            return;
        }

        if (IsGeneric(message))
        {
            Report(context, consumer, type,
                $"Consumer '{type.Name}' handles '{messageName}', a generic message type, for which Warren generates no descriptor, so subscribing throws MessageNotRegisteredException. Use a non-generic message type");
            return;
        }

        string exchangeName = routing.ConstructorArguments.Length == 1 && routing.ConstructorArguments[0].Value is string name ? name : "?";
        string? queue = NamedString(consumer, QueueArgument);
        if (kind == ExchangeKindSpec.Queue && queue is not null)
        {
            Report(context, AttributeLocations.OfNamedArgument(consumer, QueueArgument, type, context.CancellationToken),
                $"Consumer '{type.Name}' sets Queue = \"{queue}\", but '{messageName}' is a [Queue] message: its consumers always read its own queue '{exchangeName}', and this name is ignored. Remove Queue, or publish '{messageName}' to an exchange ([Fanout], [Direct], [Topic]) to give each consumer its own queue");
        }

        // A [Direct] consumer without [Bind] is valid: its keys may come from SubscribeOptions.Bindings (the routing
        // tutorial's receiver does that), and only a subscription with neither throws; that is not visible here.
        foreach (AttributeData binding in bindings ?? [])
        {
            AnalyzeBinding(context, symbols, type, binding, messageName, kind, exchangeName);
        }

        if (durable is not null)
        {
            AnalyzeDurable(context, symbols, type, durable, message, messageName, kind, exchangeName, queue);
        }
    }

    private static void AnalyzeBinding(
        SymbolAnalysisContext context, WarrenSymbols symbols, INamedTypeSymbol type, AttributeData binding,
        string messageName, ExchangeKindSpec kind, string exchangeName)
    {
        bool isBind = WarrenSymbols.Is(binding, symbols.BindAttribute);
        if (kind == ExchangeKindSpec.Queue)
        {
            Report(context, binding, type,
                $"[{AttributeName(binding)}] has no effect: '{messageName}' is a [Queue] message, sent straight to its queue '{exchangeName}' through the default exchange, and its consumers read that queue unbound. Remove the binding, or publish '{messageName}' to an exchange");
            return;
        }

        if (isBind && kind is ExchangeKindSpec.Fanout or ExchangeKindSpec.Headers)
        {
            string instead = kind == ExchangeKindSpec.Fanout
                ? "a fanout exchange gives every bound queue every message; remove the [Bind]"
                : "a headers exchange routes on headers; use [BindHeaders]";
            Report(context, binding, type,
                $"[Bind] does not apply to '{messageName}' on the {RoutingKeys.KindName(kind)} exchange '{exchangeName}', which ignores binding keys, and subscribing would throw ArgumentException: {instead}");
            return;
        }

        if (!isBind && kind != ExchangeKindSpec.Headers)
        {
            string instead = kind == ExchangeKindSpec.Fanout ? "remove it: every bound queue gets every message" : "use [Bind] with a binding key";
            Report(context, binding, type,
                $"[BindHeaders] does not apply to '{messageName}' on the {RoutingKeys.KindName(kind)} exchange '{exchangeName}', which ignores headers, and subscribing would throw ArgumentException: {instead}");
            return;
        }

        if (isBind)
        {
            if (binding.ConstructorArguments.Length != 1 || binding.ConstructorArguments[0].Kind == TypedConstantKind.Error)
            {
                return;
            }

            Location keyLocation = AttributeLocations.OfConstructorArgument(binding, 0, type, context.CancellationToken);
            if (binding.ConstructorArguments[0].Value is not string key)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidRoutingKey, keyLocation,
                    "binding key null", "the generator skips it, so the queue is not bound with it; write the key, or remove the [Bind]"));
            }
            else if (RoutingKeys.ValidateBindingKey(key, kind) is { } reason)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidRoutingKey, keyLocation, $"binding key '{key}'", reason));
            }

            return;
        }

        // [BindHeaders] on a headers exchange: names and values must pair up.
        if (binding.ConstructorArguments.Length == 2 && binding.ConstructorArguments[1] is { Kind: TypedConstantKind.Array } pairs)
        {
            if (pairs.IsNull)
            {
                Report(context, binding, type,
                    "[BindHeaders] has a null list of header names and values; pass them in pairs, such as [BindHeaders(HeadersMatch.All, \"color\", \"blue\")]");
            }
            else if (pairs.Values.Length % 2 != 0)
            {
                string last = pairs.Values[pairs.Values.Length - 1].Value as string ?? "null";
                Report(context, binding, type,
                    $"[BindHeaders] has {pairs.Values.Length} header names and values, but they alternate name, value, name, value: '{last}' has no partner. The generated registration would throw ArgumentException ('Header names and values must come in pairs') as soon as the assembly is loaded");
            }
        }
    }

    private static void AnalyzeDurable(
        SymbolAnalysisContext context, WarrenSymbols symbols, INamedTypeSymbol type, AttributeData durable,
        ITypeSymbol message, string messageName, ExchangeKindSpec kind, string exchangeName, string? queue)
    {
        bool quorum = ContractRules.QueueTypeOf(durable) == QueueTypeSpec.Quorum;
        string written = quorum ? "[Durable(QueueType.Quorum)]" : "[Durable]";
        string? problem;
        if (kind == ExchangeKindSpec.Queue)
        {
            AttributeData? messageDurable = WarrenSymbols.FindAttribute(message.OriginalDefinition, symbols.DurableAttribute);
            string fix = messageDurable is null
                ? $"Remove {written} here, and put it on '{messageName}' to make the queue {(quorum ? "a quorum queue" : "durable")}"
                : quorum && ContractRules.QueueTypeOf(messageDurable) != QueueTypeSpec.Quorum
                    ? $"Remove it here, and write [Durable(QueueType.Quorum)] on '{messageName}' to make its queue a quorum queue"
                    : $"'{messageName}' has {written} already: remove it here";
            problem = $"{written} on consumer '{type.Name}' has no effect: '{messageName}' is a [Queue] message, so the consumer reads its queue '{exchangeName}', whose durability {(quorum ? "and type " : "")}the message's own [Durable] decides. {fix}";
        }
        else if (queue is null)
        {
            string never = quorum ? "never durable, and never a quorum queue (a quorum queue cannot be exclusive)" : "never durable";
            problem = $"{written} on consumer '{type.Name}' has no effect: it names no queue, so each subscription gets an exclusive, auto-delete, server-named queue, which lives only as long as the subscription and is {never}. Name the queue with [Consumer(Queue = \"...\")], or remove {written}";
        }
        else if (!symbols.IsDurable(message.OriginalDefinition))
        {
            problem = $"{written} on consumer '{type.Name}' cannot keep its messages across a broker restart: its durable queue '{queue}' is bound to the {RoutingKeys.KindName(kind)} exchange '{exchangeName}', which is not durable because '{messageName}' has no [Durable]. After a restart the queue is back but the exchange and the binding are gone, and the messages, published non-persistent, are lost anyway. Mark '{messageName}' [Durable] as well, or remove {written} here";
        }
        else
        {
            problem = null;
        }

        if (problem is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.DurableIneffective, AttributeLocations.Of(durable, type, context.CancellationToken), problem));
        }
    }

    private static void Report(SymbolAnalysisContext context, AttributeData attribute, INamedTypeSymbol type, string message) =>
        Report(context, AttributeLocations.Of(attribute, type, context.CancellationToken), message);

    private static void Report(SymbolAnalysisContext context, Location location, string message) =>
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ConsumerBindingMismatch, location, message));

    private static bool IsGeneric(ITypeSymbol message)
    {
        for (INamedTypeSymbol? current = message as INamedTypeSymbol; current is not null; current = current.ContainingType)
        {
            if (current.IsGenericType)
            {
                return true;
            }
        }

        return false;
    }

    private static string? NamedString(AttributeData attribute, string name)
    {
        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            if (argument.Key == name && argument.Value.Kind != TypedConstantKind.Error)
            {
                return argument.Value.Value as string;
            }
        }

        return null;
    }

    private static string AttributeName(AttributeData attribute)
    {
        string name = attribute.AttributeClass?.Name ?? "Bind";
        return name.EndsWith("Attribute", System.StringComparison.Ordinal) ? name.Substring(0, name.Length - "Attribute".Length) : name;
    }
}
