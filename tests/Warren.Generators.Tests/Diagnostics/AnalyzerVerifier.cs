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
    /// <summary>A diagnostic expected at a location marked <c>{|#n:...|}</c>: for two at one place, or one with other locations.</summary>
    public static DiagnosticResult Diagnostic(string id, DiagnosticSeverity severity = DiagnosticSeverity.Error) => new(id, severity);

    /// <inheritdoc cref="AnalyzerVerifier.LocatedText(Diagnostic)"/>
    public static string LocatedText(Diagnostic diagnostic) => AnalyzerVerifier.LocatedText(diagnostic);

    /// <summary>
    /// Checks that <paramref name="source"/> (after <see cref="AnalyzerVerifier.Usings"/>) gets exactly the marked and
    /// <paramref name="expected"/> diagnostics, and returns them as reported, in the order expected, for tests that
    /// check more than the library can (a part of the message, the severity of a theory's case).
    /// </summary>
    public static Task<IReadOnlyList<Diagnostic>> VerifyAsync(string source, params DiagnosticResult[] expected) =>
        VerifyAsync(source, buildProperties: null, expected);

    /// <inheritdoc cref="VerifyAsync(string, DiagnosticResult[])"/>
    /// <param name="buildProperties">MSBuild properties as the compiler passes them (<c>build_property.Name</c>).</param>
    public static Task<IReadOnlyList<Diagnostic>> VerifyAsync(string source, IReadOnlyDictionary<string, string>? buildProperties, params DiagnosticResult[] expected) =>
        AnalyzerVerifier.RunAsync(new AnalyzerVerifier.Test(new TAnalyzer()), source, buildProperties, expected);

    /// <summary>
    /// Like <see cref="VerifyAsync(string, DiagnosticResult[])"/> for a source that is invalid C# on purpose (a test of
    /// the analyzer's robustness against code being typed): compiler errors are not checked, only Warren's diagnostics.
    /// </summary>
    public static Task<IReadOnlyList<Diagnostic>> VerifyInvalidCodeAsync(string source, params DiagnosticResult[] expected) =>
        AnalyzerVerifier.RunAsync(new AnalyzerVerifier.Test(new TAnalyzer()) { CompilerDiagnostics = CompilerDiagnostics.None }, source, buildProperties: null, expected);

    /// <summary>Like <see cref="VerifyAsync(string, DiagnosticResult[])"/> for a source with one diagnostic; returns it.</summary>
    public static async Task<Diagnostic> VerifySingleAsync(string source, params DiagnosticResult[] expected) =>
        Assert.Single(await VerifyAsync(source, expected));

    /// <inheritdoc cref="VerifySingleAsync(string, DiagnosticResult[])"/>
    public static async Task<Diagnostic> VerifySingleAsync(string source, IReadOnlyDictionary<string, string>? buildProperties) =>
        Assert.Single(await VerifyAsync(source, buildProperties));
}

/// <summary>What the analyzer tests share: the usings of every source, the run, and a check of several analyzers at once.</summary>
internal static class AnalyzerVerifier
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

    /// <summary>Checks that none of <paramref name="analyzers"/> reports anything on <paramref name="source"/>, which compiles.</summary>
    public static Task VerifySilentAsync(IEnumerable<DiagnosticAnalyzer> analyzers, string source) =>
        RunAsync(new Test(analyzers.ToArray()), source, buildProperties: null, []);

    /// <summary>The source text a diagnostic points at.</summary>
    public static string LocatedText(Diagnostic diagnostic) =>
        diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan);

    internal static async Task<IReadOnlyList<Diagnostic>> RunAsync(Test test, string source, IReadOnlyDictionary<string, string>? buildProperties, DiagnosticResult[] expected)
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

    /// <summary>Warren's analyzers (all of them, or the one under test) with the generator, over the shared test references.</summary>
    internal sealed class Test : CSharpAnalyzerTest<EmptyDiagnosticAnalyzer, DefaultVerifier>
    {
        private readonly DiagnosticAnalyzer[] _analyzers;

        public Test(params DiagnosticAnalyzer[] analyzers)
        {
            _analyzers = analyzers;
            WarrenTestReferences.Configure(this);

            // The generator's own output is checked by the generator tests; here it only completes the compilation.
            TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
        }

        protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() => _analyzers;

        protected override IEnumerable<Type> GetSourceGenerators() => [typeof(WarrenGenerator)];
    }
}
