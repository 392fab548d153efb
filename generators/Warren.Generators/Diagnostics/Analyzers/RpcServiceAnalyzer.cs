using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Warren.Generators.Diagnostics.Analyzers;

/// <summary>
/// WARREN007: an RPC service the generator cannot serve, by the rules of <c>WarrenGenerator.Parser.ParseRpcService</c>:
/// <c>[RpcMethod]</c> methods on an interface without <c>[RpcService]</c>; a service without a queue name, that generated
/// code cannot name, that inherits members, that has an abstract member other than an <c>[RpcMethod]</c> method, that has
/// no <c>[RpcMethod]</c> at all, or two methods with one wire name. The generator emits nothing for such a service, so
/// <c>CreateClient</c> and <c>ServeAsync</c> would throw at run time. Method signatures are WARREN006's.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RpcServiceAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.InvalidRpcService);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterWarrenSymbolAction(
            Analyze, SymbolKind.NamedType, static symbols => symbols.RpcServiceAttribute is not null && symbols.RpcMethodAttribute is not null);
    }

    private static void Analyze(SymbolAnalysisContext context, WarrenSymbols symbols)
    {
        if (context.Symbol is not INamedTypeSymbol { TypeKind: TypeKind.Interface } type)
        {
            return;
        }

        string name = type.Name;
        Location identifier = AttributeLocations.OfIdentifier(type);
        AttributeData? service = WarrenSymbols.FindAttribute(type, symbols.RpcServiceAttribute);
        if (service is null)
        {
            if (HasRpcMethod(type, symbols))
            {
                Report(context, identifier,
                    $"Interface '{name}' has [RpcMethod] methods but no [RpcService]: nothing is generated for it, so CreateClient and ServeAsync would throw; add [RpcService(\"queue\")]");
            }

            return;
        }

        bool reported = false;
        if (service.ConstructorArguments.Length == 1
            && service.ConstructorArguments[0] is { Kind: not TypedConstantKind.Error } queue
            && queue.Value is not string { Length: > 0 })
        {
            Report(context, AttributeLocations.OfConstructorArgument(service, 0, type, context.CancellationToken),
                $"RPC service '{name}' has no queue name: requests are sent to the queue [RpcService] names, so give it one");
            reported = true;
        }

        if (ContractRules.WhyUnusable(type) is { } unusable)
        {
            Report(context, identifier, $"RPC service '{name}' {unusable}; the generator emits nothing for it, so make it a non-generic public or internal interface");
            reported = true;
        }

        foreach (INamedTypeSymbol inherited in type.Interfaces)
        {
            if (HasMembers(inherited))
            {
                Report(context, BaseTypeLocation(type, inherited, context.CancellationToken) ?? identifier,
                    $"RPC service '{name}' inherits members from '{inherited.Name}'; the proxy implements only the service's own [RpcMethod] methods, so the generator emits nothing for it: declare the methods on '{name}' itself");
                reported = true;
            }
        }

        var wireNames = new Dictionary<string, IMethodSymbol>(System.StringComparer.Ordinal);
        foreach (ISymbol member in type.GetMembers())
        {
            AttributeData? rpcMethod = member is IMethodSymbol ? WarrenSymbols.FindAttribute(member, symbols.RpcMethodAttribute) : null;
            if (member is IMethodSymbol { MethodKind: MethodKind.Ordinary, IsStatic: false } method && rpcMethod is not null)
            {
                string wireName = ContractRules.WireName(method, rpcMethod);
                if (wireNames.TryGetValue(wireName, out IMethodSymbol? first))
                {
                    Report(context, AttributeLocations.OfIdentifier(method),
                        $"RPC methods '{first.Name}' and '{method.Name}' of '{name}' share the wire name '{wireName}', so a request could not say which it calls; give one another name with [RpcMethod(\"name\")]");
                    reported = true;
                }
                else
                {
                    wireNames.Add(wireName, method);
                }

                continue;
            }

            // Members with a body, static non-abstract members, constants and nested types need nothing from the proxy;
            // accessors are reported through their property or event, [RpcMethod] signatures by WARREN006.
            if (!member.IsAbstract || rpcMethod is not null || member is IMethodSymbol { MethodKind: not MethodKind.Ordinary } || member is INamedTypeSymbol)
            {
                continue;
            }

            string what = member switch
            {
                IMethodSymbol => "a method without [RpcMethod]",
                IPropertySymbol { IsIndexer: true } => "an indexer",
                IPropertySymbol => "a property",
                IEventSymbol => "an event",
                _ => "a member",
            };
            string fix = member is IMethodSymbol ? "mark it [RpcMethod], or give it a default body" : "remove it, or give it a default body";
            Report(context, AttributeLocations.OfIdentifier(member),
                $"'{name}.{member.Name}' is {what}: every abstract member of an [RpcService] interface must be an [RpcMethod] method, or the generator emits nothing for the service; {fix}");
            reported = true;
        }

        if (wireNames.Count == 0 && !reported && !HasRpcMethod(type, symbols))
        {
            Report(context, identifier, $"RPC service '{name}' has no [RpcMethod] methods, so the generator emits nothing for it; add one");
        }
    }

    private static bool HasRpcMethod(INamedTypeSymbol type, WarrenSymbols symbols)
    {
        foreach (ISymbol member in type.GetMembers())
        {
            if (member is IMethodSymbol && WarrenSymbols.HasAttribute(member, symbols.RpcMethodAttribute))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the interface or one it inherits declares any member, as the generator checks it.</summary>
    private static bool HasMembers(INamedTypeSymbol type)
    {
        if (!type.GetMembers().IsEmpty)
        {
            return true;
        }

        foreach (INamedTypeSymbol inherited in type.AllInterfaces)
        {
            if (!inherited.GetMembers().IsEmpty)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The entry of the base list that names <paramref name="inherited"/>, matched by name (no semantic model needed).</summary>
    private static Location? BaseTypeLocation(INamedTypeSymbol type, INamedTypeSymbol inherited, System.Threading.CancellationToken cancellationToken)
    {
        Location? baseList = null;
        foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is not InterfaceDeclarationSyntax { BaseList: { } bases })
            {
                continue;
            }

            baseList ??= bases.GetLocation();
            foreach (BaseTypeSyntax baseType in bases.Types)
            {
                if (RightmostName(baseType.Type) == inherited.Name)
                {
                    return baseType.GetLocation();
                }
            }
        }

        return baseList;
    }

    private static string? RightmostName(TypeSyntax type) => type switch
    {
        SimpleNameSyntax simple => simple.Identifier.ValueText,
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
        _ => null,
    };

    private static void Report(SymbolAnalysisContext context, Location location, string message) =>
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidRpcService, location, message));
}
