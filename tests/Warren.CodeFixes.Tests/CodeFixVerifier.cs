using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Warren.TestSupport;

namespace Warren.CodeFixes.Tests;

/// <summary>
/// Runs one analyzer and one code fix over a source, with Microsoft.CodeAnalysis.Testing: the diagnostics must be exactly
/// those marked (<c>{|WARREN001:...|}</c>), the chosen action must turn the source into the fixed one, fix-all must do the
/// same, and the fixed source must compile without errors.
/// </summary>
internal static class CodeFixVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    /// <summary>The usings every test source starts with.</summary>
    public const string Usings = """
        using System;
        using System.Text.Json.Serialization;
        using System.Threading;
        using System.Threading.Tasks;
        using Warren;

        """;

    /// <summary>
    /// Checks that the action with <paramref name="equivalenceKey"/> (else the one at <paramref name="actionIndex"/>, else
    /// the first) turns <paramref name="source"/> into <paramref name="fixedSource"/>, fixing one diagnostic at a time and
    /// all at once alike (unless <paramref name="fixAll"/> is false: a fix with nothing to apply everywhere).
    /// </summary>
    /// <param name="nonLocal">
    /// The diagnostic is reported outside the symbol analyzed (on the message, while analyzing its derived type): an IDE
    /// shows it with full solution analysis or after a build, and the fix then works as for any other.
    /// </param>
    /// <param name="expected">The diagnostics, when the markup cannot say all (additional locations); else from the markup.</param>
    public static Task VerifyAsync(string source, string fixedSource, string? equivalenceKey = null, int? actionIndex = null, bool fixAll = true, bool nonLocal = false, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source, FixedCode = fixedSource, CodeActionEquivalenceKey = equivalenceKey, CodeActionIndex = actionIndex };
        test.ExpectedDiagnostics.AddRange(expected);
        if (!fixAll)
        {
            test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipFixAllCheck;
        }

        if (nonLocal)
        {
            test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        }

        return test.RunAsync();
    }

    /// <summary>Checks that the marked diagnostics are reported and that no fix is offered for them.</summary>
    public static Task VerifyNoFixAsync(string source) => new Test { TestCode = source, FixedCode = source }.RunAsync();

    private sealed class Test : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    {
        public Test() => WarrenTestReferences.Configure(this);
    }
}
