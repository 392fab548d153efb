using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
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
/// WARREN011 (consumer) and WARREN013 (RPC server): a class the generated code cannot use because of its shape, where one
/// change fixes it — "Make 'X' non-abstract" for an abstract class with nothing abstract left to implement, "Make 'X'
/// internal" or "public" for a private, protected or file-local class, or for the inaccessible type it is nested in. The
/// analyzer says which (<see cref="FixProperties.ClassFix"/>); the other problems (a struct, a static class, no
/// IConsumer&lt;T&gt;, private constructors) need a decision and get no fix.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ClassShapeCodeFixProvider)), Shared]
public sealed class ClassShapeCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.InvalidConsumerClass.Id, DiagnosticDescriptors.InvalidRpcServerClass.Id);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(FixProperties.ClassFix, out string? fix)
                || root.FindToken(diagnostic.Location.SourceSpan.Start).Parent is not BaseTypeDeclarationSyntax declaration
                || model.GetDeclaredSymbol(declaration, context.CancellationToken) is not { } type)
            {
                continue;
            }

            if (fix == FixProperties.RemoveAbstract)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Make '{type.Name}' non-abstract",
                        cancellationToken => ChangeAsync(context.Document.Project.Solution, type, RemoveAbstract, cancellationToken),
                        equivalenceKey: FixProperties.RemoveAbstract),
                    diagnostic);
            }
            else if (fix == FixProperties.MakeAccessible
                && diagnostic.Properties.TryGetValue(FixProperties.Depth, out string? depthText)
                && int.TryParse(depthText, NumberStyles.None, CultureInfo.InvariantCulture, out int depth))
            {
                INamedTypeSymbol? target = type;
                for (int i = 0; i < depth && target is not null; i++)
                {
                    target = target.ContainingType;
                }

                if (target is not { } accessTarget)
                {
                    continue;
                }

                foreach ((SyntaxKind access, string word) in new[] { (SyntaxKind.InternalKeyword, "internal"), (SyntaxKind.PublicKeyword, "public") })
                {
                    context.RegisterCodeFix(
                        CodeAction.Create(
                            $"Make '{accessTarget.Name}' {word}",
                            cancellationToken => ChangeAsync(context.Document.Project.Solution, accessTarget, (parts, part) => MakeAccessible(parts, part, access), cancellationToken),
                            equivalenceKey: $"{FixProperties.MakeAccessible}:{word}"),
                        diagnostic);
                }
            }
        }
    }

    /// <summary>Rewrites every declaration of <paramref name="type"/> (each part of a partial type) with <paramref name="change"/>.</summary>
    private static async Task<Solution> ChangeAsync(
        Solution solution, INamedTypeSymbol type, System.Func<IReadOnlyList<TypeDeclarationSyntax>, TypeDeclarationSyntax, TypeDeclarationSyntax> change, CancellationToken cancellationToken)
    {
        var parts = new List<TypeDeclarationSyntax>();
        foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
        {
            if (await reference.GetSyntaxAsync(cancellationToken).ConfigureAwait(false) is TypeDeclarationSyntax part)
            {
                parts.Add(part);
            }
        }

        foreach (IGrouping<SyntaxTree, TypeDeclarationSyntax> inTree in parts.GroupBy(p => p.SyntaxTree))
        {
            if (solution.GetDocument(inTree.Key) is not { } document)
            {
                continue;
            }

            SyntaxNode root = await inTree.Key.GetRootAsync(cancellationToken).ConfigureAwait(false);
            // Parts of one type are never nested in each other: each is replaced whole.
            root = root.ReplaceNodes(inTree, (original, _) => change(parts, original));
            solution = solution.WithDocumentSyntaxRoot(document.Id, root);
        }

        return solution;
    }

    private static TypeDeclarationSyntax RemoveAbstract(IReadOnlyList<TypeDeclarationSyntax> parts, TypeDeclarationSyntax part)
    {
        int index = part.Modifiers.IndexOf(SyntaxKind.AbstractKeyword);
        return index < 0 ? part : Modifiers.RemoveAt(part, index);
    }

    /// <summary>
    /// <c>file</c>, <c>private</c>, <c>protected</c> or <c>private protected</c> becomes <paramref name="access"/> on each part
    /// that says so; when no part says anything (a nested type is private by default), the first part gets it.
    /// </summary>
    private static TypeDeclarationSyntax MakeAccessible(IReadOnlyList<TypeDeclarationSyntax> parts, TypeDeclarationSyntax part, SyntaxKind access)
    {
        int[] accessModifiers = Modifiers.AccessIndexes(part.Modifiers);
        if (accessModifiers.Length == 0)
        {
            return parts.Any(p => Modifiers.AccessIndexes(p.Modifiers).Length > 0) || part != parts[0] ? part : Modifiers.Insert(part, 0, access);
        }

        TypeDeclarationSyntax result = part;
        for (int i = accessModifiers.Length - 1; i > 0; i--)
        {
            result = Modifiers.RemoveAt(result, accessModifiers[i]);
        }

        SyntaxToken old = result.Modifiers[accessModifiers[0]];
        return result.WithModifiers(result.Modifiers.Replace(old, SyntaxFactory.Token(old.LeadingTrivia, access, old.TrailingTrivia)));
    }
}
