using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Warren.Generators.Diagnostics.Analyzers;

/// <summary>
/// Where the topology, RPC and serialization diagnostics point: an attribute's argument, a member's identifier, a
/// parameter or a return type. Each falls back to something wider (the attribute, the member) rather than to nothing,
/// and returns <see cref="Location.None"/> only when the symbol has no source at all.
/// </summary>
internal static class ContractLocations
{
    public static AttributeSyntax? Syntax(AttributeData attribute, CancellationToken cancellationToken) =>
        attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;

    /// <summary>The attribute as written, <c>Queue("hello")</c>.</summary>
    public static Location Attribute(AttributeData attribute, ISymbol owner, CancellationToken cancellationToken) =>
        Syntax(attribute, cancellationToken)?.GetLocation() ?? Identifier(owner);

    /// <summary>The expression of the constructor argument at <paramref name="index"/>, <c>"hello"</c> in <c>Queue("hello")</c>.</summary>
    public static Location ConstructorArgument(AttributeData attribute, int index, ISymbol owner, CancellationToken cancellationToken)
    {
        AttributeSyntax? syntax = Syntax(attribute, cancellationToken);
        if (syntax?.ArgumentList is not { } arguments)
        {
            return Attribute(attribute, owner, cancellationToken);
        }

        string? parameterName = attribute.AttributeConstructor is { } constructor && index < constructor.Parameters.Length
            ? constructor.Parameters[index].Name
            : null;
        int position = 0;
        foreach (AttributeArgumentSyntax argument in arguments.Arguments)
        {
            if (argument.NameEquals is not null)
            {
                continue;
            }

            if (argument.NameColon is { } nameColon ? nameColon.Name.Identifier.ValueText == parameterName : position == index)
            {
                return argument.Expression.GetLocation();
            }

            position++;
        }

        return syntax.GetLocation();
    }

    /// <summary>The expression of a named argument, <c>"kernel"</c> in <c>Consumer(Queue = "kernel")</c>.</summary>
    public static Location NamedArgument(AttributeData attribute, string name, ISymbol owner, CancellationToken cancellationToken)
    {
        AttributeSyntax? syntax = Syntax(attribute, cancellationToken);
        if (syntax?.ArgumentList is { } arguments)
        {
            foreach (AttributeArgumentSyntax argument in arguments.Arguments)
            {
                if (argument.NameEquals is { } nameEquals && nameEquals.Name.Identifier.ValueText == name)
                {
                    return argument.Expression.GetLocation();
                }
            }
        }

        return Attribute(attribute, owner, cancellationToken);
    }

    /// <summary>The symbol's name where it is declared (the first declaration of a partial type).</summary>
    public static Location Identifier(ISymbol symbol)
    {
        foreach (Location location in symbol.Locations)
        {
            if (location.IsInSource)
            {
                return location;
            }
        }

        return Location.None;
    }

    /// <summary>The method's return type as written, <c>Task&lt;long&gt;</c>.</summary>
    public static Location ReturnType(IMethodSymbol method, CancellationToken cancellationToken)
    {
        foreach (SyntaxReference reference in method.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is MethodDeclarationSyntax declaration)
            {
                return declaration.ReturnType.GetLocation();
            }
        }

        return Identifier(method);
    }

    /// <summary>The whole parameter, <c>ref int value</c>.</summary>
    public static Location Parameter(IParameterSymbol parameter, CancellationToken cancellationToken)
    {
        foreach (SyntaxReference reference in parameter.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is ParameterSyntax syntax)
            {
                return syntax.GetLocation();
            }
        }

        return Identifier(parameter);
    }

    /// <summary>The parameter's type as written, <c>int</c> in <c>int n</c>.</summary>
    public static Location ParameterType(IParameterSymbol parameter, CancellationToken cancellationToken)
    {
        foreach (SyntaxReference reference in parameter.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is ParameterSyntax { Type: { } type })
            {
                return type.GetLocation();
            }
        }

        return Identifier(parameter);
    }
}
