using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Warren.TestSupport;
using Xunit;

namespace Warren.Generators.Tests.Diagnostics;

/// <summary>
/// Runs one of Warren's analyzers over user source with Microsoft.CodeAnalysis.Testing, the way the compiler does: with
/// <see cref="WarrenGenerator"/>'s output in the compilation, so a project that would build is the baseline. The
/// diagnostics must be exactly those marked in the source (<c>{|WARREN002:"a..b"|}</c>) or passed as
/// <see cref="DiagnosticResult"/>s, and the compilation must have no other errors.
/// </summary>
internal static class AnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    /// <summary>The usings every test source starts with.</summary>
    public const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using System.Text.Json.Serialization;
        using Warren;

        """;

    /// <summary>A diagnostic expected at the location marked <c>{|#n:...|}</c>, for when it needs arguments or a message checked.</summary>
    public static DiagnosticResult Diagnostic(string id) => new(id, DiagnosticSeverity.Error);

    /// <summary>
    /// Checks that <paramref name="source"/> (after <see cref="Usings"/>) gets exactly the marked and
    /// <paramref name="expected"/> diagnostics, and returns them as reported, in the order expected, for tests that
    /// check more than the library can (a part of the message, the severity of a theory's case).
    /// </summary>
    public static Task<IReadOnlyList<Diagnostic>> VerifyAsync(string source, params DiagnosticResult[] expected) =>
        VerifyAsync(source, buildProperties: null, expected);

    /// <inheritdoc cref="VerifyAsync(string, DiagnosticResult[])"/>
    /// <param name="buildProperties">MSBuild properties as the compiler passes them (<c>build_property.Name</c>).</param>
    public static Task<IReadOnlyList<Diagnostic>> VerifyAsync(string source, IReadOnlyDictionary<string, string>? buildProperties, params DiagnosticResult[] expected) =>
        RunAsync(new Test(), source, buildProperties, expected);

    /// <summary>
    /// Like <see cref="VerifyAsync(string, DiagnosticResult[])"/> for a source that is invalid C# on purpose (a test of
    /// the analyzer's robustness against code being typed): compiler errors are not checked, only Warren's diagnostics.
    /// </summary>
    public static Task<IReadOnlyList<Diagnostic>> VerifyInvalidCodeAsync(string source, params DiagnosticResult[] expected) =>
        RunAsync(new Test { CompilerDiagnostics = CompilerDiagnostics.None }, source, buildProperties: null, expected);

    /// <summary>Like <see cref="VerifyAsync(string, DiagnosticResult[])"/> for a source with one diagnostic; returns it.</summary>
    public static async Task<Diagnostic> VerifySingleAsync(string source, params DiagnosticResult[] expected) =>
        Assert.Single(await VerifyAsync(source, expected));

    /// <summary>The source text a diagnostic points at.</summary>
    public static string LocatedText(Diagnostic diagnostic) =>
        diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan);

    private static async Task<IReadOnlyList<Diagnostic>> RunAsync(Test test, string source, IReadOnlyDictionary<string, string>? buildProperties, DiagnosticResult[] expected)
    {
        test.TestCode = Usings + source;
        test.ExpectedDiagnostics.AddRange(expected);
        if (buildProperties is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\n" + string.Concat(buildProperties.Select(p => $"build_property.{p.Key} = {p.Value}\n"))));
        }

        // The library hands each matched pair of actual and expected diagnostic to this check, first for the source as
        // written, then again (with another verifier) for its generated-code and #pragma variants: the test reads the first.
        var matched = new List<Diagnostic>();
        IVerifier? firstPass = null;
        test.DiagnosticVerifier = (actual, _, verifier) =>
        {
            firstPass ??= verifier;
            if (ReferenceEquals(verifier, firstPass))
            {
                matched.Add(actual);
            }
        };
        await test.RunAsync();
        return matched;
    }

    private sealed class Test : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    {
        public Test()
        {
            WarrenTestReferences.Configure(this);

            // The generator's own output is checked by the generator tests; here it only completes the compilation.
            TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
        }

        protected override IEnumerable<Type> GetSourceGenerators() => [typeof(WarrenGenerator)];
    }
}
