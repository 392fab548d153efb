using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Warren.Generators.Diagnostics.Analyzers;

/// <summary>
/// WARREN006: an <c>[RpcMethod]</c> of an interface whose signature the generated proxy cannot implement, by the rules of
/// <c>WarrenGenerator.Parser.ParseRpcMethod</c>: it must be an ordinary, non-generic instance method returning a
/// non-nullable <c>Task</c>, <c>Task&lt;T&gt;</c>, <c>ValueTask</c> or <c>ValueTask&lt;T&gt;</c>, with by-value parameters
/// that are neither <c>params</c>, pointers nor ref structs, and a <c>CancellationToken</c> only as the last one. The
/// generator emits nothing for a service with such a method, so <c>CreateClient</c> and <c>ServeAsync</c> would throw.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RpcMethodAnalyzer : DiagnosticAnalyzer
{
    private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.CSharpErrorMessageFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.InvalidRpcMethod);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterWarrenSymbolAction(Analyze, SymbolKind.Method, static symbols => symbols.RpcMethodAttribute is not null);
    }

    private static void Analyze(SymbolAnalysisContext context, WarrenSymbols symbols)
    {
        if (context.Symbol is not IMethodSymbol { ContainingType.TypeKind: TypeKind.Interface } method
            || !WarrenSymbols.HasAttribute(method, symbols.RpcMethodAttribute))
        {
            return;
        }

        string name = method.ContainingType.Name + "." + method.Name;
        Location identifier = AttributeLocations.OfIdentifier(method);
        if (method.MethodKind != MethodKind.Ordinary)
        {
            Report(context, identifier, name, "is not an ordinary method; only methods can be called remotely, not accessors or operators");
            return;
        }

        if (method.IsStatic)
        {
            Report(context, identifier, name, "is static; an RPC method must be an instance method, which the proxy implements");
        }

        if (method.IsGenericMethod)
        {
            Report(context, identifier, name, "is generic; the proxy cannot send type arguments, so declare one method for each type");
        }

        (RpcReturn kind, _) = WarrenSymbols.ClassifyReturn(method);
        if (kind == RpcReturn.Invalid)
        {
            Report(context, identifier, name,
                $"returns '{method.ReturnType.ToDisplayString(TypeFormat)}'; an RPC method must return Task, Task<T>, ValueTask or ValueTask<T>, because every call waits for a reply");
        }
        else if (kind != RpcReturn.Unknown && method.ReturnType.NullableAnnotation == NullableAnnotation.Annotated)
        {
            Report(context, identifier, name,
                $"returns the nullable '{method.ReturnType.ToDisplayString(TypeFormat)}'; the proxy always returns a task, so declare it without '?'");
        }

        for (int i = 0; i < method.Parameters.Length; i++)
        {
            IParameterSymbol parameter = method.Parameters[i];
            if (WarrenSymbols.ContainsErrorType(parameter.Type))
            {
                continue;
            }

            Location location = AttributeLocations.OfParameter(parameter, context.CancellationToken);
            if (parameter.RefKind != RefKind.None)
            {
                Report(context, location, name,
                    $"has the {RefKindText(parameter.RefKind)} parameter '{parameter.Name}'; arguments travel as JSON, by value, so remove the modifier");
            }
            else if (parameter.IsParams)
            {
                Report(context, location, name,
                    $"has the params parameter '{parameter.Name}'; remove 'params' and pass the array or collection as one argument");
            }

            // Error types were skipped above, so what is not sendable here is a pointer or ref struct.
            if (!ContractRules.IsSendable(parameter.Type))
            {
                Report(context, location, name,
                    $"has the parameter '{parameter.Name}' of type '{parameter.Type.ToDisplayString(TypeFormat)}', a pointer or ref struct, which cannot travel as JSON");
            }
            else if (ContractRules.IsCancellationToken(parameter.Type) && i != method.Parameters.Length - 1)
            {
                Report(context, location, name,
                    $"has the CancellationToken '{parameter.Name}' before other parameters; the CancellationToken (which is not sent) must be the last parameter");
            }
        }
    }

    private static string RefKindText(RefKind refKind) => refKind switch
    {
        RefKind.Ref => "ref",
        RefKind.Out => "out",
        RefKind.In => "in",
        _ => "ref readonly",
    };

    private static void Report(SymbolAnalysisContext context, Location location, string method, string problem) =>
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidRpcMethod, location, method, problem));
}
