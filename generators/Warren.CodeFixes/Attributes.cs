using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;

namespace Warren.CodeFixes;

/// <summary>Adding an attribute on a line of its own above a declaration, with the <c>using</c> it needs.</summary>
internal static class Attributes
{
    /// <summary>
    /// <paramref name="member"/> with <c>[<paramref name="fullName"/><paramref name="arguments"/>]</c> on a line of its own at
    /// the member's indentation: above its attributes, or below them when <paramref name="afterAttributes"/>. The name is
    /// written fully qualified and annotated: <see cref="ImportAndSimplifyAsync"/> then adds the <c>using</c> if missing and
    /// shortens it.
    /// </summary>
    public static T AddOnOwnLine<T>(T member, string fullName, SyntaxNode root, AttributeArgumentListSyntax? arguments = null, bool afterAttributes = false)
        where T : MemberDeclarationSyntax
    {
        SyntaxTrivia eol = root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        SyntaxTriviaList leading = member.GetLeadingTrivia();
        NameSyntax name = SyntaxFactory.ParseName("global::" + fullName).WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
        AttributeListSyntax attribute = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Attribute(name, arguments)))
            .WithTrailingTrivia(eol.IsKind(SyntaxKind.EndOfLineTrivia) ? eol : SyntaxFactory.LineFeed);
        if (afterAttributes && member.AttributeLists.Count > 0)
        {
            return (T)member.WithAttributeLists(member.AttributeLists.Add(attribute.WithLeadingTrivia(Indentation(leading))));
        }

        return (T)member.WithLeadingTrivia(Indentation(leading)).WithAttributeLists(member.AttributeLists.Insert(0, attribute.WithLeadingTrivia(leading)));
    }

    /// <summary>Adds the <c>using</c> directives the annotated names need, then shortens the names.</summary>
    public static async Task<Document> ImportAndSimplifyAsync(Document document, CancellationToken cancellationToken)
    {
        document = await ImportAdder.AddImportsAsync(document, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await Simplifier.ReduceAsync(document, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The whitespace that ends <paramref name="leading"/>: the indentation of the line the declaration starts on.</summary>
    public static SyntaxTriviaList Indentation(SyntaxTriviaList leading) =>
        SyntaxFactory.TriviaList(leading.Reverse().TakeWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).Reverse());
}
