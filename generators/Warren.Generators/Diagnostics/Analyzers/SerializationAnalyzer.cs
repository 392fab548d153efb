using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Warren.Generators.Diagnostics.Analyzers;

/// <summary>
/// WARREN008: a type Warren sends as JSON that System.Text.Json cannot serialize or cannot read back: a message type
/// (any routing attribute), an <c>[RpcMethod]</c> parameter or the <c>T</c> of its <c>Task&lt;T&gt;</c>. The check is
/// cheap on purpose: the type itself, its generic type arguments and array element types, never its properties.
/// </summary>
/// <remarks>
/// Type parameters, pointers and ref structs of RPC signatures are left to WARREN006 (generic method, pointer or ref
/// struct parameter) and WARREN007 (generic service), which already explain them.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SerializationAnalyzer : DiagnosticAnalyzer
{
    private const int MaxDepth = 16;

    private static readonly SymbolDisplayFormat TypeFormat = WarrenSymbols.TypeDisplay;

    /// <summary>Interfaces System.Text.Json reads into a concrete collection of its own choosing.</summary>
    private static readonly ImmutableHashSet<string> CollectionNamespaces = ImmutableHashSet.Create(
        System.StringComparer.Ordinal, "System.Collections", "System.Collections.Generic", "System.Collections.Immutable");

    /// <summary>JsonNode and JsonValue are abstract, and System.Text.Json reads them.</summary>
    private static readonly ImmutableHashSet<string> JsonNodeNamespace = ImmutableHashSet.Create(System.StringComparer.Ordinal, "System.Text.Json.Nodes");

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.NotSerializable);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterWarrenSymbolAction(Analyze, SymbolKind.NamedType);
    }

    private static void Analyze(SymbolAnalysisContext context, WarrenSymbols symbols)
    {
        if (context.Symbol is not INamedTypeSymbol type)
        {
            return;
        }

        if (symbols.FirstRoutingAttribute(type) is { } routing)
        {
            string? problem = type.IsGenericType
                ? "it is an open generic type; Warren publishes and consumes closed types, so declare one message type for each payload"
                : Why(type, type, symbols, 0);
            if (problem is not null)
            {
                Report(context, AttributeLocations.Of(routing.Attribute, type, context.CancellationToken), type, problem);
            }
        }

        if (type.TypeKind != TypeKind.Interface || symbols.RpcMethodAttribute is null)
        {
            return;
        }

        foreach (ISymbol member in type.GetMembers())
        {
            if (member is not IMethodSymbol { MethodKind: MethodKind.Ordinary } method || !WarrenSymbols.HasAttribute(method, symbols.RpcMethodAttribute))
            {
                continue;
            }

            if (WarrenSymbols.ClassifyReturn(method) is (RpcReturn.Result, { } result) && Why(result, result, symbols, 0) is { } resultProblem)
            {
                Report(context, AttributeLocations.OfReturnType(method, context.CancellationToken), result, resultProblem);
            }

            foreach (IParameterSymbol parameter in method.Parameters)
            {
                ITypeSymbol parameterType = parameter.Type;
                if (ContractRules.IsCancellationToken(parameterType) || WarrenSymbols.ContainsErrorType(parameterType)
                    || parameterType.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer || parameterType.IsRefLikeType)
                {
                    continue;
                }

                if (Why(parameterType, parameterType, symbols, 0) is { } parameterProblem)
                {
                    Report(context, AttributeLocations.OfParameterType(parameter, context.CancellationToken), parameterType, parameterProblem);
                }
            }
        }
    }

    /// <summary>Why System.Text.Json cannot serialize <paramref name="type"/>, or null: what WARREN008 reports (WARREN009 skips such types).</summary>
    internal static string? Problem(ITypeSymbol type, WarrenSymbols symbols) => Why(type, type, symbols, 0);

    /// <summary>Why System.Text.Json cannot serialize <paramref name="type"/> (a part of <paramref name="root"/>), or null.</summary>
    private static string? Why(ITypeSymbol type, ITypeSymbol root, WarrenSymbols symbols, int depth)
    {
        if (depth > MaxDepth)
        {
            return null;
        }

        string? what = type switch
        {
            { TypeKind: TypeKind.Error or TypeKind.TypeParameter or TypeKind.Dynamic } => null,
            { TypeKind: TypeKind.Pointer or TypeKind.FunctionPointer } => "is a pointer",
            { IsRefLikeType: true } => "is a ref struct, which cannot be boxed or stored in an object",
            IArrayTypeSymbol { Rank: > 1 } => "is a multi-dimensional array, which System.Text.Json does not support; use a jagged array such as int[][]",
            INamedTypeSymbol named => WhyNamed(named, symbols),
            _ => null,
        };
        if (what is not null)
        {
            return ReferenceEquals(type, root)
                ? "it " + what
                : $"it contains '{type.ToDisplayString(TypeFormat)}', which {what}";
        }

        switch (type)
        {
            case IArrayTypeSymbol array:
                return Why(array.ElementType, root, symbols, depth + 1);
            case INamedTypeSymbol named:
                foreach (ITypeSymbol argument in named.TypeArguments)
                {
                    if (Why(argument, root, symbols, depth + 1) is { } problem)
                    {
                        return problem;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static string? WhyNamed(INamedTypeSymbol type, WarrenSymbols symbols)
    {
        if (type.TypeKind == TypeKind.Delegate || WarrenSymbols.IsOrDerivesFrom(type, symbols.Delegate))
        {
            return "is a delegate: code cannot travel as JSON";
        }

        if (type.SpecialType is SpecialType.System_IntPtr or SpecialType.System_UIntPtr)
        {
            return "is a native-sized integer (IntPtr, UIntPtr), which System.Text.Json refuses; use long or ulong";
        }

        if (WarrenSymbols.IsOrDerivesFrom(type, symbols.Stream))
        {
            return "is a stream, which System.Text.Json cannot write or read; send its bytes (byte[] or ReadOnlyMemory<byte>) instead";
        }

        if (WarrenSymbols.IsOrDerivesFrom(type, symbols.MemberInfo))
        {
            return "is reflection metadata (System.Type, MethodInfo and the like), which System.Text.Json refuses; send a name instead";
        }

        if (type.IsUnboundGenericType)
        {
            return "is an open generic type";
        }

        if (type.TypeKind == TypeKind.Interface && !IsIn(type, CollectionNamespaces) && !IsPolymorphic(type, symbols))
        {
            return "is an interface without [JsonDerivedType] implementations, so System.Text.Json cannot create one when it reads the JSON; use a concrete type or list the implementations with [JsonDerivedType]";
        }

        if (type is { TypeKind: TypeKind.Class, IsAbstract: true, IsStatic: false }
            && type.SpecialType == SpecialType.None
            && !IsIn(type, JsonNodeNamespace)
            && !IsPolymorphic(type, symbols))
        {
            return "is an abstract class without [JsonDerivedType] subclasses, so System.Text.Json cannot create one when it reads the JSON; use a concrete type or list the subclasses with [JsonDerivedType]";
        }

        return null;
    }

    /// <summary>
    /// True when the type says how to read it: <c>[JsonPolymorphic]</c> or <c>[JsonDerivedType]</c> (known
    /// implementations) or <c>[JsonConverter]</c> (a converter of its own).
    /// </summary>
    private static bool IsPolymorphic(INamedTypeSymbol type, WarrenSymbols symbols)
    {
        foreach (AttributeData attribute in type.OriginalDefinition.GetAttributes())
        {
            if (WarrenSymbols.Is(attribute, symbols.JsonPolymorphicAttribute) || WarrenSymbols.Is(attribute, symbols.JsonDerivedTypeAttribute)
                || WarrenSymbols.IsOrDerivesFrom(attribute.AttributeClass, symbols.JsonConverterAttribute))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsIn(INamedTypeSymbol type, ImmutableHashSet<string> namespaces) =>
        type.ContainingNamespace is { IsGlobalNamespace: false } ns && namespaces.Contains(ns.ToDisplayString());

    private static void Report(SymbolAnalysisContext context, Location location, ITypeSymbol type, string problem) =>
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NotSerializable, location, type.ToDisplayString(TypeFormat), problem));
}
