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
/// WARREN019: lists the derived type on its message. For a derived class the message does not list, "Add
/// [JsonDerivedType(typeof(ExpressOrder), "expressOrder")] to 'Order'" puts the attribute below the message's other
/// attributes (the message's declaration is the diagnostic's additional location); for one listed without a
/// discriminator, "Add the discriminator" gives the existing attribute the one the analyzer suggests.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DerivedMessageCodeFixProvider)), Shared]
public sealed class DerivedMessageCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.UnlistedDerivedMessage.Id);

    /// <summary>Several derived types of one message would each rewrite the message's attribute lists: fix them one by one.</summary>
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
            if (!diagnostic.Properties.TryGetValue(FixProperties.DerivedType, out string? typeOf) || typeOf is null
                || !diagnostic.Properties.TryGetValue(FixProperties.Discriminator, out string? discriminator) || discriminator is null)
            {
                continue;
            }

            if (diagnostic.AdditionalLocations.FirstOrDefault() is { IsInSource: true } message)
            {
                Document? messageDocument = context.Document.Project.Solution.GetDocument(message.SourceTree);
                SyntaxNode? messageRoot = messageDocument is null ? null : await message.SourceTree!.GetRootAsync(context.CancellationToken).ConfigureAwait(false);
                if (messageDocument is null || messageRoot?.FindToken(message.SourceSpan.Start).Parent is not TypeDeclarationSyntax declaration)
                {
                    continue;
                }

                if (SyntaxFactory.ParseAttributeArgumentList($"({typeOf}, {SyntaxFactory.Literal(discriminator).Text})") is not { } arguments)
                {
                    continue;
                }

                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Add [JsonDerivedType({typeOf}, \"{discriminator}\")] to '{declaration.Identifier.ValueText}'",
                        cancellationToken => ListAsync(messageDocument, messageRoot, declaration, arguments, cancellationToken),
                        equivalenceKey: "WARREN019:List"),
                    diagnostic);
            }
            else if (root.FindNode(diagnostic.Location.SourceSpan) is AttributeSyntax { ArgumentList.Arguments.Count: 1 } attribute)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Add the discriminator \"{discriminator}\"",
                        cancellationToken => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(
                            attribute,
                            WithDiscriminator(attribute, discriminator)))),
                        equivalenceKey: "WARREN019:Discriminator"),
                    diagnostic);
            }
        }
    }

    private static async Task<Solution> ListAsync(Document document, SyntaxNode root, TypeDeclarationSyntax message, AttributeArgumentListSyntax arguments, CancellationToken cancellationToken)
    {
        SyntaxNode listed = root.ReplaceNode(message, Attributes.AddOnOwnLine(message, "System.Text.Json.Serialization.JsonDerivedTypeAttribute", root, arguments, afterAttributes: true));
        Document fixedDocument = await Attributes.ImportAndSimplifyAsync(document.WithSyntaxRoot(listed), cancellationToken).ConfigureAwait(false);
        return fixedDocument.Project.Solution;
    }

    /// <summary><c>[JsonDerivedType(typeof(X))]</c> becomes <c>[JsonDerivedType(typeof(X), "x")]</c>.</summary>
    private static AttributeSyntax WithDiscriminator(AttributeSyntax attribute, string discriminator)
    {
        AttributeArgumentListSyntax list = attribute.ArgumentList!;
        AttributeArgumentSyntax argument = SyntaxFactory.AttributeArgument(SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(discriminator)));
        return attribute.WithArgumentList(list.WithArguments(SyntaxFactory.SeparatedList(
            new[] { list.Arguments[0], argument },
            new[] { SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space) })));
    }
}
