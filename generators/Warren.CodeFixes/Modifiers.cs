using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Warren.CodeFixes;

/// <summary>Adding and removing modifiers of a declaration while keeping its layout: the first token's leading trivia stays first.</summary>
internal static class Modifiers
{
    /// <summary>The indexes of <c>file</c> and the accessibility keywords among <paramref name="modifiers"/>.</summary>
    public static int[] AccessIndexes(SyntaxTokenList modifiers)
    {
        var indexes = new List<int>();
        for (int i = 0; i < modifiers.Count; i++)
        {
            if (modifiers[i].Kind() is SyntaxKind.FileKeyword or SyntaxKind.PrivateKeyword or SyntaxKind.ProtectedKeyword or SyntaxKind.InternalKeyword or SyntaxKind.PublicKeyword)
            {
                indexes.Add(i);
            }
        }

        return indexes.ToArray();
    }

    /// <summary>Removes modifier <paramref name="index"/>; the token after it inherits its leading trivia (indentation, comments).</summary>
    public static T RemoveAt<T>(T declaration, int index)
        where T : MemberDeclarationSyntax
    {
        SyntaxToken removed = declaration.Modifiers[index];
        SyntaxToken next = removed.GetNextToken();
        T moved = declaration.ReplaceToken(next, next.WithLeadingTrivia(removed.LeadingTrivia.AddRange(next.LeadingTrivia)));
        return (T)moved.WithModifiers(moved.Modifiers.RemoveAt(index));
    }

    /// <summary>Inserts the modifier <paramref name="kind"/> at <paramref name="index"/>, taking over the leading trivia of the token it goes before.</summary>
    public static T Insert<T>(T declaration, int index, SyntaxKind kind)
        where T : MemberDeclarationSyntax
    {
        SyntaxToken before = index < declaration.Modifiers.Count
            ? declaration.Modifiers[index]
            : declaration.Modifiers.Count > 0 ? declaration.Modifiers[declaration.Modifiers.Count - 1].GetNextToken() : FirstTokenAfterAttributes(declaration);
        T cleared = declaration.ReplaceToken(before, before.WithLeadingTrivia());
        SyntaxToken inserted = SyntaxFactory.Token(before.LeadingTrivia, kind, SyntaxFactory.TriviaList(SyntaxFactory.Space));
        return (T)cleared.WithModifiers(cleared.Modifiers.Insert(index, inserted));
    }

    private static SyntaxToken FirstTokenAfterAttributes(MemberDeclarationSyntax declaration) =>
        declaration.AttributeLists.Count > 0 ? declaration.AttributeLists[declaration.AttributeLists.Count - 1].GetLastToken().GetNextToken() : declaration.GetFirstToken();
}
