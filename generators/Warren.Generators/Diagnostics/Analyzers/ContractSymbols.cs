using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Warren.Generators.Diagnostics.Analyzers;

/// <summary>What a routing attribute declares: a queue on the default exchange, or an exchange of one kind.</summary>
internal enum RoutingKind
{
    Queue,
    Fanout,
    Direct,
    Topic,
    Headers,
}

/// <summary>What an RPC method returns, as <c>WarrenGenerator.Parser.ParseRpcMethod</c> classifies it.</summary>
internal enum RpcReturn
{
    /// <summary>Not a task: the generator rejects the method.</summary>
    Invalid,

    /// <summary>An error type somewhere (half-typed code): the compiler reports it, the analyzers stay quiet.</summary>
    Unknown,

    /// <summary><c>Task</c> or <c>ValueTask</c>: no result.</summary>
    NoResult,

    /// <summary><c>Task&lt;T&gt;</c> or <c>ValueTask&lt;T&gt;</c>.</summary>
    Result,
}

/// <summary>
/// The symbols the topology, RPC and serialization analyzers (WARREN003, 004, 006, 007, 008, 009) look for, resolved once
/// per compilation, and the rules they share with <see cref="WarrenGenerator.Parser"/> (first routing attribute, usable
/// types, RPC return types and wire names), so that an analyzer reports exactly what the generator silently skips.
/// </summary>
internal sealed class ContractSymbols
{
    private ContractSymbols(Compilation compilation, INamedTypeSymbol? rpcService, INamedTypeSymbol? rpcMethod)
    {
        Queue = compilation.GetTypeByMetadataName(KnownNames.QueueAttribute);
        Fanout = compilation.GetTypeByMetadataName(KnownNames.FanoutAttribute);
        Direct = compilation.GetTypeByMetadataName(KnownNames.DirectAttribute);
        Topic = compilation.GetTypeByMetadataName(KnownNames.TopicAttribute);
        Headers = compilation.GetTypeByMetadataName(KnownNames.HeadersAttribute);
        Durable = compilation.GetTypeByMetadataName(KnownNames.DurableAttribute);
        Consumer = compilation.GetTypeByMetadataName(KnownNames.ConsumerAttribute);
        ConsumerInterface = compilation.GetTypeByMetadataName(KnownNames.ConsumerInterface);
        RpcService = rpcService;
        RpcMethod = rpcMethod;
        CancellationToken = compilation.GetTypeByMetadataName(KnownNames.CancellationToken);
        Task = compilation.GetTypeByMetadataName(KnownNames.Task);
        TaskOfT = compilation.GetTypeByMetadataName(KnownNames.TaskOfT);
        ValueTask = compilation.GetTypeByMetadataName(KnownNames.ValueTask);
        ValueTaskOfT = compilation.GetTypeByMetadataName(KnownNames.ValueTaskOfT);
        JsonSerializerContext = compilation.GetTypeByMetadataName(KnownNames.JsonSerializerContext);
        JsonSerializable = compilation.GetTypeByMetadataName(KnownNames.JsonSerializableAttribute);
        JsonDerivedType = compilation.GetTypeByMetadataName("System.Text.Json.Serialization.JsonDerivedTypeAttribute");
        JsonPolymorphic = compilation.GetTypeByMetadataName("System.Text.Json.Serialization.JsonPolymorphicAttribute");
        JsonConverter = compilation.GetTypeByMetadataName("System.Text.Json.Serialization.JsonConverterAttribute");
        SystemType = compilation.GetTypeByMetadataName("System.Type");
        MemberInfo = compilation.GetTypeByMetadataName("System.Reflection.MemberInfo");
        Delegate = compilation.GetTypeByMetadataName("System.Delegate");
        RoutingAttributes = ImmutableArray.Create(Queue, Fanout, Direct, Topic, Headers);
    }

    public INamedTypeSymbol? Queue { get; }
    public INamedTypeSymbol? Fanout { get; }
    public INamedTypeSymbol? Direct { get; }
    public INamedTypeSymbol? Topic { get; }
    public INamedTypeSymbol? Headers { get; }
    public INamedTypeSymbol? Durable { get; }
    public INamedTypeSymbol? Consumer { get; }
    public INamedTypeSymbol? ConsumerInterface { get; }
    public INamedTypeSymbol? RpcService { get; }
    public INamedTypeSymbol? RpcMethod { get; }
    public INamedTypeSymbol? CancellationToken { get; }
    public INamedTypeSymbol? Task { get; }
    public INamedTypeSymbol? TaskOfT { get; }
    public INamedTypeSymbol? ValueTask { get; }
    public INamedTypeSymbol? ValueTaskOfT { get; }
    public INamedTypeSymbol? JsonSerializerContext { get; }
    public INamedTypeSymbol? JsonSerializable { get; }
    public INamedTypeSymbol? JsonDerivedType { get; }
    public INamedTypeSymbol? JsonPolymorphic { get; }
    public INamedTypeSymbol? JsonConverter { get; }
    public INamedTypeSymbol? SystemType { get; }
    public INamedTypeSymbol? MemberInfo { get; }
    public INamedTypeSymbol? Delegate { get; }

    /// <summary>Queue, Fanout, Direct, Topic, Headers, in <see cref="RoutingKind"/> order (an entry is null when missing).</summary>
    private ImmutableArray<INamedTypeSymbol?> RoutingAttributes { get; }

    /// <summary>The symbols of a compilation that references Warren; null when it does not (then there is nothing to check).</summary>
    public static ContractSymbols? Create(Compilation compilation)
    {
        INamedTypeSymbol? rpcService = compilation.GetTypeByMetadataName(KnownNames.RpcServiceAttribute);
        INamedTypeSymbol? rpcMethod = compilation.GetTypeByMetadataName(KnownNames.RpcMethodAttribute);
        INamedTypeSymbol? queue = compilation.GetTypeByMetadataName(KnownNames.QueueAttribute);
        return queue is null && rpcService is null && rpcMethod is null ? null : new ContractSymbols(compilation, rpcService, rpcMethod);
    }

    /// <summary>
    /// The routing attribute the generator uses for <paramref name="type"/>: the first one, as
    /// <c>WarrenGenerator.Parser.ParseMessage</c> does (a second one is reported by another rule).
    /// </summary>
    public (AttributeData Attribute, RoutingKind Kind)? FirstRoutingAttribute(INamedTypeSymbol type)
    {
        foreach (AttributeData attribute in type.GetAttributes())
        {
            if (attribute.AttributeClass is not { } attributeClass)
            {
                continue;
            }

            for (int i = 0; i < RoutingAttributes.Length; i++)
            {
                if (RoutingAttributes[i] is { } routing && SymbolEqualityComparer.Default.Equals(attributeClass, routing))
                {
                    return (attribute, (RoutingKind)i);
                }
            }
        }

        return null;
    }

    /// <summary>The queue or exchange name of a routing attribute, or null when it is not a non-empty constant string.</summary>
    public static string? RoutingName(AttributeData attribute) =>
        attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string { Length: > 0 } name ? name : null;

    public static AttributeData? FindAttribute(ISymbol symbol, INamedTypeSymbol? attributeClass)
    {
        if (attributeClass is null)
        {
            return null;
        }

        foreach (AttributeData attribute in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeClass))
            {
                return attribute;
            }
        }

        return null;
    }

    public static bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attributeClass) => FindAttribute(symbol, attributeClass) is not null;

    public bool IsDurable(INamedTypeSymbol type) => HasAttribute(type, Durable);

    public bool IsCancellationToken(ITypeSymbol type) =>
        CancellationToken is not null && SymbolEqualityComparer.Default.Equals(type, CancellationToken);

    /// <summary>What <paramref name="method"/> returns, and its result type when it has one (the generator's rules).</summary>
    public (RpcReturn Kind, ITypeSymbol? Result) ClassifyReturn(IMethodSymbol method)
    {
        ITypeSymbol returnType = method.ReturnType;
        if (ContainsErrorType(returnType))
        {
            return (RpcReturn.Unknown, null);
        }

        if (returnType is not INamedTypeSymbol named)
        {
            return (RpcReturn.Invalid, null);
        }

        INamedTypeSymbol definition = named.OriginalDefinition;
        if (Is(definition, Task) || Is(definition, ValueTask))
        {
            return (RpcReturn.NoResult, null);
        }

        if (Is(definition, TaskOfT) || Is(definition, ValueTaskOfT))
        {
            return (RpcReturn.Result, named.TypeArguments[0]);
        }

        return (RpcReturn.Invalid, null);

        static bool Is(INamedTypeSymbol type, INamedTypeSymbol? known) => known is not null && SymbolEqualityComparer.Default.Equals(type, known);
    }

    /// <summary>The method's name on the wire: <c>[RpcMethod("name")]</c>, else the C# name without <c>Async</c>.</summary>
    public static string WireName(IMethodSymbol method, AttributeData rpcMethod)
    {
        if (rpcMethod.ConstructorArguments.Length == 1 && rpcMethod.ConstructorArguments[0].Value is string { Length: > 0 } name)
        {
            return name;
        }

        const string Suffix = "Async";
        return method.Name.EndsWith(Suffix, System.StringComparison.Ordinal) && method.Name.Length > Suffix.Length
            ? method.Name.Substring(0, method.Name.Length - Suffix.Length)
            : method.Name;
    }

    /// <summary>True when an error type (half-typed code) appears anywhere in <paramref name="type"/>.</summary>
    public static bool ContainsErrorType(ITypeSymbol type) => type switch
    {
        { TypeKind: TypeKind.Error } => true,
        IArrayTypeSymbol array => ContainsErrorType(array.ElementType),
        IPointerTypeSymbol pointer => ContainsErrorType(pointer.PointedAtType),
        INamedTypeSymbol named => AnyError(named.TypeArguments),
        _ => false,
    };

    private static bool AnyError(ImmutableArray<ITypeSymbol> types)
    {
        foreach (ITypeSymbol type in types)
        {
            if (ContainsErrorType(type))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Why the generated code (at namespace level, in the same assembly) cannot name <paramref name="type"/>, or null when
    /// it can: the rules of <c>WarrenGenerator.Parser.IsUsable</c>.
    /// </summary>
    public static string? WhyUnusable(INamedTypeSymbol type)
    {
        if (type.Arity > 0)
        {
            return "is generic";
        }

        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            string which = ReferenceEquals(current, type) ? "is" : $"is nested in '{current.Name}', which is";
            if (current.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
            {
                return which + " private or protected, so generated code cannot reach it";
            }

            if (current.Arity > 0 && !ReferenceEquals(current, type))
            {
                return which + " generic";
            }

            if (current.IsFileLocal)
            {
                return which + " file-local, so generated code in another file cannot reach it";
            }
        }

        return null;
    }

    /// <summary>The CLR full name (<c>Ns.Outer+Inner</c>), as the generator and the AMQP <c>type</c> property spell it.</summary>
    public static string FullName(INamedTypeSymbol type) => WarrenGenerator.Parser.MetadataName(type) ?? type.Name;
}
