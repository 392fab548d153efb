using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Warren.Generators.Diagnostics;

/// <summary>
/// Where in source an attribute, one of its arguments, or the type it is applied to is written, so that a diagnostic
/// points at the exact text to fix. Every method falls back to a wider location (the attribute, then the symbol) rather
/// than returning nothing, so half-typed code still gets a located diagnostic.
/// </summary>
internal static class AttributeLocations
{
    /// <summary>The attribute as written (<c>Bind("a.b")</c>, without the brackets), or <paramref name="fallback"/>'s first location.</summary>
    public static Location Of(AttributeData attribute, ISymbol? fallback, CancellationToken cancellationToken) =>
        Syntax(attribute, cancellationToken)?.GetLocation() ?? FirstLocation(fallback);

    /// <summary>
    /// The expression of the named argument <paramref name="name"/> (<c>RoutingKey = "{A}"</c> gives <c>"{A}"</c>); the
    /// attribute itself when the argument is not written out.
    /// </summary>
    public static Location OfNamedArgument(AttributeData attribute, string name, ISymbol? fallback, CancellationToken cancellationToken)
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

        return syntax?.GetLocation() ?? FirstLocation(fallback);
    }

    /// <summary>
    /// The expression passed for constructor parameter <paramref name="index"/>, positionally or as <c>name: value</c>; the
    /// attribute itself when it cannot be found. For a <c>params</c> parameter this is its first element.
    /// </summary>
    public static Location OfConstructorArgument(AttributeData attribute, int index, ISymbol? fallback, CancellationToken cancellationToken)
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

                if (argument.NameColon is { } nameColon)
                {
                    if (nameColon.Name.Identifier.ValueText == parameterName)
                    {
                        return argument.Expression.GetLocation();
                    }
                }
                else if (position == index)
                {
                    return argument.Expression.GetLocation();
                }

                position++;
            }
        }

        return syntax?.GetLocation() ?? FirstLocation(fallback);
    }

    /// <summary>
    /// The identifier of the declaration of <paramref name="type"/> that carries <paramref name="attribute"/> (for a partial
    /// type, the part the attribute is written on); the type's first location otherwise.
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

        return FirstLocation(type);
    }

    /// <summary>The attribute's syntax, when it was written in source.</summary>
    public static AttributeSyntax? Syntax(AttributeData attribute, CancellationToken cancellationToken) =>
        attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;

    private static Location FirstLocation(ISymbol? symbol) =>
        symbol is not null && !symbol.Locations.IsEmpty ? symbol.Locations[0] : Location.None;
}
