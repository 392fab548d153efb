using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Warren.Generators.Diagnostics;

/// <summary>
/// Where in source an attribute, one of its arguments, or the declaration it marks (a type, a member, a parameter, a
/// return type) is written, so that a diagnostic points at the exact text to fix. Every method falls back to something
/// wider (the attribute, then the symbol's name) rather than to nothing, so half-typed code still gets a located
/// diagnostic; only a symbol without source gives <see cref="Location.None"/>.
/// </summary>
internal static class AttributeLocations
{
    /// <summary>The attribute as written (<c>Queue("hello")</c>, without the brackets), else <paramref name="owner"/>'s name.</summary>
    public static Location Of(AttributeData attribute, ISymbol owner, CancellationToken cancellationToken) =>
        Syntax(attribute, cancellationToken)?.GetLocation() ?? OfIdentifier(owner);

    /// <summary>
    /// The expression of the named argument <paramref name="name"/> (<c>RoutingKey = "{A}"</c> gives <c>"{A}"</c>); the
    /// attribute itself when the argument is not written out.
    /// </summary>
    public static Location OfNamedArgument(AttributeData attribute, string name, ISymbol owner, CancellationToken cancellationToken)
    {
        AttributeSyntax? syntax = Syntax(attribute, cancellationToken);
        if (syntax?.ArgumentList is { } arguments)
        {
            foreach (AttributeArgumentSyntax argument in arguments.Arguments)
            {
                if (argument.NameEquals?.Name.Identifier.ValueText == name)
                {
                    return argument.Expression.GetLocation();
                }
            }
        }

        return syntax?.GetLocation() ?? OfIdentifier(owner);
    }

    /// <summary>
    /// Element <paramref name="index"/> of the array given to the named argument <paramref name="name"/>
    /// (<c>"b"</c> in <c>Aliases = new[] { "a", "b" }</c>, also <c>new string[] { ... }</c> and <c>[...]</c>); the whole
    /// argument when the array is not written out element by element.
    /// </summary>
    public static Location OfNamedArgumentElement(AttributeData attribute, string name, int index, ISymbol owner, CancellationToken cancellationToken)
    {
        Location whole = OfNamedArgument(attribute, name, owner, cancellationToken);
        if (whole.SourceTree?.GetRoot(cancellationToken).FindNode(whole.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax expression)
        {
            return whole;
        }

        SyntaxNode? element = expression switch
        {
            ImplicitArrayCreationExpressionSyntax implicitArray => ElementAt(implicitArray.Initializer.Expressions, index),
            ArrayCreationExpressionSyntax { Initializer: { } initializer } => ElementAt(initializer.Expressions, index),
            CollectionExpressionSyntax collection => index < collection.Elements.Count ? collection.Elements[index] : null,
            _ => null,
        };
        return element?.GetLocation() ?? whole;
    }

    private static ExpressionSyntax? ElementAt(SeparatedSyntaxList<ExpressionSyntax> expressions, int index) =>
        index < expressions.Count ? expressions[index] : null;

    /// <summary>
    /// The expression passed for constructor parameter <paramref name="index"/>, positionally or as <c>name: value</c>
    /// (<c>"hello"</c> in <c>Queue("hello")</c>); the attribute itself when it cannot be found. For a <c>params</c>
    /// parameter this is its first element.
    /// </summary>
    public static Location OfConstructorArgument(AttributeData attribute, int index, ISymbol owner, CancellationToken cancellationToken)
    {
        AttributeSyntax? syntax = Syntax(attribute, cancellationToken);
        if (syntax?.ArgumentList is { } arguments)
        {
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
        }

        return syntax?.GetLocation() ?? OfIdentifier(owner);
    }

    /// <summary>
    /// The identifier of the declaration of <paramref name="type"/> that carries <paramref name="attribute"/> (for a partial
    /// type, the part the attribute is written on); the type's name otherwise.
    /// </summary>
    public static Location OfDeclaringIdentifier(AttributeData attribute, INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        for (SyntaxNode? node = Syntax(attribute, cancellationToken); node is not null; node = node.Parent)
        {
            if (node is BaseTypeDeclarationSyntax declaration)
            {
                return declaration.Identifier.GetLocation();
            }
        }

        return OfIdentifier(type);
    }

    /// <summary>The symbol's name where it is declared (the first declaration of a partial type).</summary>
    public static Location OfIdentifier(ISymbol symbol)
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
    public static Location OfReturnType(IMethodSymbol method, CancellationToken cancellationToken)
    {
        foreach (SyntaxReference reference in method.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is MethodDeclarationSyntax declaration)
            {
                return declaration.ReturnType.GetLocation();
            }
        }

        return OfIdentifier(method);
    }

    /// <summary>The whole parameter, <c>ref int value</c>.</summary>
    public static Location OfParameter(IParameterSymbol parameter, CancellationToken cancellationToken)
    {
        foreach (SyntaxReference reference in parameter.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is ParameterSyntax syntax)
            {
                return syntax.GetLocation();
            }
        }

        return OfIdentifier(parameter);
    }

    /// <summary>The parameter's type as written, <c>int</c> in <c>int n</c>.</summary>
    public static Location OfParameterType(IParameterSymbol parameter, CancellationToken cancellationToken)
    {
        foreach (SyntaxReference reference in parameter.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is ParameterSyntax { Type: { } type })
            {
                return type.GetLocation();
            }
        }

        return OfIdentifier(parameter);
    }

    /// <summary>The attribute's syntax, when it was written in source.</summary>
    public static AttributeSyntax? Syntax(AttributeData attribute, CancellationToken cancellationToken) =>
        attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
}
