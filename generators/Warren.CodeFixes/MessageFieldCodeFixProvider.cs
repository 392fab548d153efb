using System.Collections.Generic;
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
/// WARREN020: a public field on a message, which System.Text.Json leaves out. "Make 'X' a property" turns the field into
/// an auto-property (<c>{ get; set; }</c>, or <c>{ get; init; }</c> for a readonly field, keeping its initializer);
/// "Mark 'X' [JsonInclude]" keeps the field and has it serialized. A field inherited from a base class (the diagnostic
/// then sits on the message's name) gets no fix here. Fix all applies either to every field of a document, project or
/// solution.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MessageFieldCodeFixProvider)), Shared]
public sealed class MessageFieldCodeFixProvider : CodeFixProvider
{
    private const string PropertyKey = "WARREN020:Property";
    private const string JsonIncludeKey = "WARREN020:JsonInclude";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.MessageField.Id);

    /// <summary>Each field declaration is rewritten once, however many of its variables are diagnosed.</summary>
    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(async (context, document, diagnostics) =>
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        FieldDeclarationSyntax[] fields = diagnostics
            .Select(d => root is null ? null : FieldAt(root, d))
            .OfType<FieldDeclarationSyntax>()
            .Distinct()
            .ToArray();
        return root is null || fields.Length == 0 ? document : await FixAsync(document, root, fields, context.CodeActionEquivalenceKey == JsonIncludeKey, context.CancellationToken).ConfigureAwait(false);
    });

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
            if (FieldAt(root, diagnostic) is not { } field)
            {
                continue;
            }

            string names = string.Join("', '", field.Declaration.Variables.Select(v => v.Identifier.ValueText));
            bool several = field.Declaration.Variables.Count > 1;
            context.RegisterCodeFix(
                CodeAction.Create(
                    several ? $"Make '{names}' properties" : $"Make '{names}' a property",
                    cancellationToken => FixAsync(context.Document, root, [field], jsonInclude: false, cancellationToken),
                    PropertyKey),
                diagnostic);
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Mark '{names}' [JsonInclude]",
                    cancellationToken => FixAsync(context.Document, root, [field], jsonInclude: true, cancellationToken),
                    JsonIncludeKey),
                diagnostic);
        }
    }

    /// <summary>The field declaration whose variable the diagnostic names, or null (an inherited field, reported on the type).</summary>
    private static FieldDeclarationSyntax? FieldAt(SyntaxNode root, Diagnostic diagnostic) =>
        root.FindToken(diagnostic.Location.SourceSpan.Start).Parent is VariableDeclaratorSyntax { Parent.Parent: FieldDeclarationSyntax field } ? field : null;

    private static async Task<Document> FixAsync(Document document, SyntaxNode root, IReadOnlyList<FieldDeclarationSyntax> fields, bool jsonInclude, CancellationToken cancellationToken)
    {
        if (!jsonInclude)
        {
            // One field declaration may declare several variables: each becomes a property of its own, in order.
            SyntaxNode tracked = root.TrackNodes(fields);
            foreach (FieldDeclarationSyntax field in fields)
            {
                tracked = tracked.ReplaceNode(tracked.GetCurrentNode(field)!, ToProperties(field));
            }

            return document.WithSyntaxRoot(tracked);
        }

        SyntaxNode marked = root.ReplaceNodes(fields, (original, _) => Attributes.AddOnOwnLine(original, "System.Text.Json.Serialization.JsonInclude", root));
        return await Attributes.ImportAndSimplifyAsync(document.WithSyntaxRoot(marked), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One auto-property per variable of <paramref name="field"/>, with its attributes, modifiers, type and initializer.</summary>
    private static IEnumerable<PropertyDeclarationSyntax> ToProperties(FieldDeclarationSyntax field)
    {
        bool readOnly = field.Modifiers.Any(SyntaxKind.ReadOnlyKeyword);
        SyntaxTokenList modifiers = field.Modifiers;
        // readonly and volatile belong to fields; a readonly field becomes a property that only initializers set.
        foreach (SyntaxKind fieldOnly in new[] { SyntaxKind.ReadOnlyKeyword, SyntaxKind.VolatileKeyword })
        {
            int index = modifiers.IndexOf(fieldOnly);
            if (index >= 0)
            {
                modifiers = modifiers.RemoveAt(index);
            }
        }

        SyntaxTriviaList leading = field.GetLeadingTrivia();
        SyntaxTriviaList indentation = Attributes.Indentation(leading);
        SeparatedSyntaxList<VariableDeclaratorSyntax> variables = field.Declaration.Variables;
        for (int i = 0; i < variables.Count; i++)
        {
            VariableDeclaratorSyntax variable = variables[i];
            bool last = i == variables.Count - 1;
            AccessorListSyntax accessors = SyntaxFactory.AccessorList(
                SyntaxFactory.Token(SyntaxKind.OpenBraceToken).WithLeadingTrivia(SyntaxFactory.Space).WithTrailingTrivia(SyntaxFactory.Space),
                SyntaxFactory.List(new[]
                {
                    Accessor(SyntaxKind.GetAccessorDeclaration),
                    Accessor(readOnly ? SyntaxKind.InitAccessorDeclaration : SyntaxKind.SetAccessorDeclaration),
                }),
                SyntaxFactory.Token(SyntaxKind.CloseBraceToken));
            PropertyDeclarationSyntax property = SyntaxFactory.PropertyDeclaration(
                field.AttributeLists,
                modifiers,
                field.Declaration.Type.WithTrailingTrivia(SyntaxFactory.Space),
                explicitInterfaceSpecifier: null,
                variable.Identifier.WithoutTrivia(),
                accessors);
            SyntaxTriviaList trailing = last ? field.SemicolonToken.TrailingTrivia : SyntaxFactory.TriviaList(field.GetTrailingTrivia().Where(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).DefaultIfEmpty(SyntaxFactory.LineFeed));
            property = variable.Initializer is { } initializer
                ? property
                    .WithInitializer(initializer.WithEqualsToken(initializer.EqualsToken.WithLeadingTrivia(SyntaxFactory.Space)).WithoutTrailingTrivia())
                    .WithSemicolonToken(SyntaxFactory.Token(SyntaxKind.SemicolonToken).WithTrailingTrivia(trailing))
                : property.WithAccessorList(accessors.WithCloseBraceToken(accessors.CloseBraceToken.WithTrailingTrivia(trailing)));
            yield return i == 0 ? property.WithLeadingTrivia(leading) : property.WithLeadingTrivia(indentation);
        }
    }

    private static AccessorDeclarationSyntax Accessor(SyntaxKind kind) =>
        SyntaxFactory.AccessorDeclaration(kind).WithSemicolonToken(SyntaxFactory.Token(SyntaxKind.SemicolonToken).WithTrailingTrivia(SyntaxFactory.Space));
}
