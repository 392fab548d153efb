using System.Collections.Immutable;
using System.Composition;
using System.Text;
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
/// WARREN001: one action per readable property near the misspelled name in a routing-key template ("Use '{Region}'"),
/// replacing that placeholder, wherever it occurs in the string literal, and nothing else. The analyzer picks the names
/// (<see cref="FixProperties.Suggestions"/>); a template that is not a plain string literal (a constant, a concatenation)
/// gets no fix.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RoutingKeyTemplateCodeFixProvider)), Shared]
public sealed class RoutingKeyTemplateCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.RoutingKeyPropertyNotFound.Id);

    /// <summary>Each action picks one name for one typo: there is nothing to apply everywhere at once.</summary>
    public override FixAllProvider? GetFixAllProvider() => null;

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
            if (!diagnostic.Properties.TryGetValue(FixProperties.Placeholder, out string? placeholder) || placeholder is null
                || !diagnostic.Properties.TryGetValue(FixProperties.Suggestions, out string? suggestions) || suggestions is null
                || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not LiteralExpressionSyntax literal
                || !literal.IsKind(SyntaxKind.StringLiteralExpression))
            {
                continue;
            }

            foreach (string suggestion in suggestions.Split(FixProperties.Separator))
            {
                if (Replace(literal.Token.Text, placeholder, suggestion) is not { } text)
                {
                    continue;
                }

                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Use '{{{suggestion}}}'",
                        cancellationToken => UseAsync(context.Document, root, literal, text, Replace(literal.Token.ValueText, placeholder, suggestion) ?? literal.Token.ValueText, cancellationToken),
                        equivalenceKey: $"{DiagnosticDescriptors.RoutingKeyPropertyNotFound.Id}:{placeholder}:{suggestion}"),
                    diagnostic);
            }
        }
    }

    private static Task<Document> UseAsync(Document document, SyntaxNode root, LiteralExpressionSyntax literal, string text, string value, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        SyntaxToken token = SyntaxFactory.Literal(literal.Token.LeadingTrivia, text, value, literal.Token.TrailingTrivia);
        return Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(literal, literal.WithToken(token))));
    }

    /// <summary>
    /// <paramref name="template"/> with every <c>{name}</c> whose trimmed content is <paramref name="placeholder"/> replaced
    /// by <c>{replacement}</c>, splitting braces as the generator does; null when there is no such placeholder (it is
    /// spelled with escapes in source, say).
    /// </summary>
    internal static string? Replace(string template, string placeholder, string replacement)
    {
        var result = new StringBuilder(template.Length);
        bool replaced = false;
        int position = 0;
        while (position < template.Length)
        {
            int open = template.IndexOf('{', position);
            int close = open < 0 ? -1 : template.IndexOf('}', open + 1);
            if (close < 0)
            {
                result.Append(template, position, template.Length - position);
                break;
            }

            result.Append(template, position, open - position);
            if (template.Substring(open + 1, close - open - 1).Trim() == placeholder)
            {
                result.Append('{').Append(replacement).Append('}');
                replaced = true;
            }
            else
            {
                result.Append(template, open, close - open + 1);
            }

            position = close + 1;
        }

        return replaced ? result.ToString() : null;
    }
}
