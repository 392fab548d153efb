using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Warren.Generators.Diagnostics.Analyzers;

/// <summary>
/// WARREN009: in a project that is trimmed or NativeAOT (<c>PublishAot</c>, <c>PublishTrimmed</c>, <c>IsTrimmable</c> or
/// <c>IsAotCompatible</c> is true; Warren's build props make them visible to analyzers), a type Warren serializes is not
/// listed by any <c>[JsonSerializable(typeof(T))]</c> of a <c>JsonSerializerContext</c> in the project. Reflection-based
/// serialization is off there, so the first publish, delivery or call of that type throws. The roots are what Warren
/// serializes itself: message types, and RPC parameter and result types, primitives included (System.Text.Json's
/// source generator needs every root listed; a listed type covers the types of its properties, not other roots).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class JsonContextCoverageAnalyzer : DiagnosticAnalyzer
{
    private static readonly string[] TrimmingProperties = ["PublishAot", "PublishTrimmed", "IsTrimmable", "IsAotCompatible"];

    private static readonly SymbolDisplayFormat TypeFormat = WarrenSymbols.TypeDisplay;

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.NotInJsonContext);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterWarrenCompilationStartAction(static (start, symbols) =>
        {
            if (!IsTrimmed(start.Options.AnalyzerConfigOptionsProvider.GlobalOptions))
            {
                return;
            }

            var contexts = new ConcurrentBag<JsonContext>();
            var roots = new ConcurrentBag<Root>();
            start.RegisterSymbolAction(symbolContext => Collect(symbolContext, symbols, contexts, roots), SymbolKind.NamedType);
            start.RegisterCompilationEndAction(end => Compare(end, contexts, roots));
        });
    }

    private static bool IsTrimmed(AnalyzerConfigOptions options)
    {
        foreach (string property in TrimmingProperties)
        {
            if (options.TryGetValue("build_property." + property, out string? value)
                && string.Equals(value?.Trim(), "true", System.StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static void Collect(SymbolAnalysisContext context, WarrenSymbols symbols, ConcurrentBag<JsonContext> contexts, ConcurrentBag<Root> roots)
    {
        if (context.Symbol is not INamedTypeSymbol type)
        {
            return;
        }

        if (type.TypeKind == TypeKind.Class && WarrenSymbols.DerivesFrom(type, symbols.JsonSerializerContext))
        {
            ImmutableArray<ITypeSymbol>.Builder listed = ImmutableArray.CreateBuilder<ITypeSymbol>();
            foreach (AttributeData attribute in type.GetAttributes())
            {
                if (WarrenSymbols.Is(attribute, symbols.JsonSerializableAttribute)
                    && attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is ITypeSymbol serializable)
                {
                    listed.Add(serializable);
                }
            }

            // The generator hands a message only a context its generated code can name (as WarrenGenerator.Parser.ParseJsonContext).
            contexts.Add(new JsonContext(type.ToDisplayString(TypeFormat), ContractRules.WhyUnusable(type) is null, listed.ToImmutable()));
        }

        if (symbols.FirstRoutingAttribute(type) is { } routing && ContractRules.WhyUnusable(type) is null && IsRoot(type, symbols))
        {
            roots.Add(new Root(type, IsMessage: true, AttributeLocations.Of(routing.Attribute, type, context.CancellationToken)));
        }

        if (type.TypeKind != TypeKind.Interface || !WarrenSymbols.HasAttribute(type, symbols.RpcServiceAttribute))
        {
            return;
        }

        foreach (ISymbol member in type.GetMembers())
        {
            if (member is not IMethodSymbol { MethodKind: MethodKind.Ordinary, IsGenericMethod: false } method || !WarrenSymbols.HasAttribute(method, symbols.RpcMethodAttribute))
            {
                continue;
            }

            if (WarrenSymbols.ClassifyReturn(method) is (RpcReturn.Result, { } result) && IsRoot(result, symbols))
            {
                roots.Add(new Root(result, IsMessage: false, AttributeLocations.OfReturnType(method, context.CancellationToken)));
            }

            foreach (IParameterSymbol parameter in method.Parameters)
            {
                if (!ContractRules.IsCancellationToken(parameter.Type) && IsRoot(parameter.Type, symbols))
                {
                    roots.Add(new Root(parameter.Type, IsMessage: false, AttributeLocations.OfParameterType(parameter, context.CancellationToken)));
                }
            }
        }
    }

    /// <summary>
    /// A type Warren serializes that a context can usefully list: no error types, type parameters, pointers or ref structs
    /// anywhere in it, and nothing System.Text.Json cannot serialize at all (WARREN006, 007 and 008 report those).
    /// </summary>
    private static bool IsRoot(ITypeSymbol type, WarrenSymbols symbols) => IsNameable(type) && SerializationAnalyzer.Problem(type, symbols) is null;

    private static bool IsNameable(ITypeSymbol type) => type switch
    {
        { TypeKind: TypeKind.Error or TypeKind.TypeParameter or TypeKind.Pointer or TypeKind.FunctionPointer } => false,
        { IsRefLikeType: true } => false,
        IArrayTypeSymbol array => IsNameable(array.ElementType),
        INamedTypeSymbol named => named.TypeArguments.All(IsNameable),
        _ => true,
    };

    private static void Compare(CompilationAnalysisContext context, ConcurrentBag<JsonContext> contexts, ConcurrentBag<Root> roots)
    {
        JsonContext[] ordered = contexts.OrderBy(c => c.Name, System.StringComparer.Ordinal).ToArray();
        foreach (Root root in roots)
        {
            if (ordered.Any(c => (c.Usable || !root.IsMessage) && c.Types.Contains(root.Type, SymbolEqualityComparer.Default)))
            {
                continue;
            }

            JsonContext? target = ordered.FirstOrDefault(c => c.Usable || !root.IsMessage);
            string where = target is not null
                ? $"'{target.Name}'"
                : ordered.Length == 0
                    ? "a partial class deriving from JsonSerializerContext (this project has none; create one)"
                    : $"an internal or public partial class deriving from JsonSerializerContext (the generated code cannot reach '{ordered[0].Name}', which is private, generic or file-local)";
            if (!root.IsMessage)
            {
                where += ", and make that context the TypeInfoResolver of BusOptions.JsonSerializerOptions, which RPC calls serialize with";
            }

            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NotInJsonContext, root.Location, root.Type.ToDisplayString(TypeFormat), where));
        }
    }

    /// <param name="Usable">Whether generated message code can name the context (WarrenGenerator.Parser's rule).</param>
    private sealed record JsonContext(string Name, bool Usable, ImmutableArray<ITypeSymbol> Types);

    private sealed record Root(ITypeSymbol Type, bool IsMessage, Location Location);
}
