using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Warren.Generators.Diagnostics;

namespace Warren.CodeFixes;

/// <summary>
/// WARREN010: removes the <c>[Durable]</c> argument that cannot take effect. <c>DeliveryLimit</c> without a quorum queue
/// goes; a queue type on a message published to an exchange goes, and its <c>DeliveryLimit</c> with it (without the
/// queue type it would be the next WARREN010). What remains is <c>[Durable]</c>, which still makes the exchange durable
/// and the messages persistent.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DurableCodeFixProvider)), Shared]
public sealed class DurableCodeFixProvider : CodeFixProvider
{
    private const string DeliveryLimit = "DeliveryLimit";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.DurableIneffective.Id);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            // The diagnostic sits on the argument's expression; without an argument written out there is nothing to remove.
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true)?.FirstAncestorOrSelf<AttributeArgumentSyntax>() is not { } argument
                || argument.Parent is not AttributeArgumentListSyntax { Parent: AttributeSyntax attribute } arguments)
            {
                continue;
            }

            bool isLimit = IsDeliveryLimit(argument);
            AttributeArgumentSyntax[] removed = isLimit
                ? [argument]
                : [argument, .. arguments.Arguments.Where(IsDeliveryLimit)];
            string title = isLimit
                ? "Remove DeliveryLimit"
                : removed.Length > 1 ? $"Remove '{argument.Expression}' and DeliveryLimit" : $"Remove '{argument.Expression}'";
            context.RegisterCodeFix(
                CodeAction.Create(
                    title,
                    cancellationToken => RemoveAsync(context.Document, root, attribute, removed, cancellationToken),
                    // One key for both: fix all removes every argument that cannot take effect.
                    equivalenceKey: "WARREN010:RemoveIneffective"),
                diagnostic);
        }
    }

    private static bool IsDeliveryLimit(AttributeArgumentSyntax argument) => argument.NameEquals?.Name.Identifier.ValueText == DeliveryLimit;

    private static Task<Document> RemoveAsync(Document document, SyntaxNode root, AttributeSyntax attribute, AttributeArgumentSyntax[] removed, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        AttributeArgumentListSyntax list = attribute.ArgumentList!;
        SeparatedSyntaxList<AttributeArgumentSyntax> remaining = list.Arguments;
        foreach (int index in removed.Select(a => list.Arguments.IndexOf(a)).OrderByDescending(i => i))
        {
            remaining = remaining.RemoveAt(index);
        }

        // [Durable()] says nothing [Durable] does not: drop the empty parentheses.
        AttributeSyntax fixedAttribute = remaining.Count == 0
            ? attribute.WithArgumentList(null).WithTrailingTrivia(list.GetTrailingTrivia())
            : attribute.WithArgumentList(list.WithArguments(remaining));
        return Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(attribute, fixedAttribute)));
    }
}
