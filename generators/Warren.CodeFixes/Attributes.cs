using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace Warren.CodeFixes;

/// <summary>Adding an attribute on a line of its own above a declaration, with the <c>using</c> it needs.</summary>
internal static class Attributes
{
    /// <summary>
    /// <paramref name="member"/> with <c>[<paramref name="fullName"/>]</c> first, on its own line at the member's
    /// indentation. The name is written fully qualified and annotated: <see cref="ImportAndSimplifyAsync"/> then adds the
    /// <c>using</c> if missing and shortens it.
    /// </summary>
    public static T AddOnOwnLine<T>(T member, string fullName, SyntaxNode root)
        where T : MemberDeclarationSyntax
    {
        SyntaxTrivia eol = root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        SyntaxTriviaList leading = member.GetLeadingTrivia();
        NameSyntax name = SyntaxFactory.ParseName("global::" + fullName).WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
        AttributeListSyntax attribute = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Attribute(name)))
            .WithLeadingTrivia(leading)
            .WithTrailingTrivia(eol.IsKind(SyntaxKind.EndOfLineTrivia) ? eol : SyntaxFactory.LineFeed);
        return (T)member.WithLeadingTrivia(Indentation(leading)).WithAttributeLists(member.AttributeLists.Insert(0, attribute));
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
