using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Warren.Generators.Diagnostics;

namespace Warren.CodeFixes;

/// <summary>
/// WARREN022: "Add [Consumer] to 'X'" on a call that needs the consumer descriptor of a class without <c>[Consumer]</c>.
/// The diagnostic is on the call; the attribute goes on the class's declaration (the first part of a partial class),
/// wherever it is in the solution. Offered only for a concrete class declared in source: for an abstract class or an
/// interface the call itself must change.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddConsumerAttributeCodeFixProvider)), Shared]
public sealed class AddConsumerAttributeCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.ConsumerWithoutAttribute.Id);

    /// <summary>Several calls may name one class: fixing all at once would add the attribute more than once.</summary>
    public override FixAllProvider? GetFixAllProvider() => null;

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
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true)?.FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { } invocation
                || model.GetSymbolInfo(invocation, context.CancellationToken).Symbol is not IMethodSymbol { TypeArguments.Length: 1 } method
                || method.TypeArguments[0] is not INamedTypeSymbol { TypeKind: TypeKind.Class, IsAbstract: false, IsStatic: false } consumer
                || consumer.DeclaringSyntaxReferences.FirstOrDefault() is not { } declaration)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Add [Consumer] to '{consumer.Name}'",
                    cancellationToken => AddAsync(context.Document.Project.Solution, declaration, cancellationToken),
                    equivalenceKey: DiagnosticDescriptors.ConsumerWithoutAttribute.Id),
                diagnostic);
        }
    }

    private static async Task<Solution> AddAsync(Solution solution, SyntaxReference declaration, CancellationToken cancellationToken)
    {
        if (await declaration.GetSyntaxAsync(cancellationToken).ConfigureAwait(false) is not TypeDeclarationSyntax type
            || solution.GetDocument(type.SyntaxTree) is not { } document)
        {
            return solution;
        }

        SyntaxNode root = await type.SyntaxTree.GetRootAsync(cancellationToken).ConfigureAwait(false);
        Document marked = document.WithSyntaxRoot(root.ReplaceNode(type, Attributes.AddOnOwnLine(type, "Warren.ConsumerAttribute", root)));
        marked = await Attributes.ImportAndSimplifyAsync(marked, cancellationToken).ConfigureAwait(false);
        return marked.Project.Solution;
    }
}
