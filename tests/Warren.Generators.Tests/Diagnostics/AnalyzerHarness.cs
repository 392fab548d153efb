using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace Warren.Generators.Tests.Diagnostics;

/// <summary>
/// Runs Warren's analyzers over user source the way the compiler does (with the generator's output in the compilation,
/// so a project that would build is the baseline), and reads back where each diagnostic points.
/// </summary>
internal static class AnalyzerHarness
{
    public const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using System.Text.Json.Serialization;
        using Warren;

        """;

    /// <summary>The Warren diagnostics <paramref name="analyzer"/> reports for <paramref name="source"/> (prefixed with <see cref="Usings"/>).</summary>
    public static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(
        DiagnosticAnalyzer analyzer, string source, IReadOnlyDictionary<string, string>? buildProperties = null)
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(Usings + source);
        GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out Compilation withGenerated, out _);
        var options = new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, new BuildPropertiesProvider(buildProperties ?? new Dictionary<string, string>()));
        CompilationWithAnalyzers analyzed = withGenerated.WithAnalyzers(ImmutableArray.Create(analyzer), options);
        ImmutableArray<Diagnostic> diagnostics = await analyzed.GetAnalyzerDiagnosticsAsync();
        return diagnostics.Where(d => d.Id.StartsWith("WARREN", System.StringComparison.Ordinal))
            .OrderBy(d => d.Location.SourceSpan.Start)
            .ToImmutableArray();
    }

    /// <summary>Asserts exactly one diagnostic with <paramref name="id"/>, located on <paramref name="locatedText"/>; returns it.</summary>
    public static async Task<Diagnostic> AssertSingleAsync(DiagnosticAnalyzer analyzer, string id, string locatedText, string source,
        IReadOnlyDictionary<string, string>? buildProperties = null)
    {
        ImmutableArray<Diagnostic> diagnostics = await AnalyzeAsync(analyzer, source, buildProperties);
        Diagnostic diagnostic = Assert.Single(diagnostics, d => d.Id == id);
        Assert.Equal(locatedText, LocatedText(diagnostic));
        return diagnostic;
    }

    /// <summary>Asserts that valid code gets no Warren diagnostic from <paramref name="analyzer"/>.</summary>
    public static async Task AssertSilentAsync(DiagnosticAnalyzer analyzer, string source, IReadOnlyDictionary<string, string>? buildProperties = null)
    {
        ImmutableArray<Diagnostic> diagnostics = await AnalyzeAsync(analyzer, source, buildProperties);
        Assert.True(diagnostics.IsEmpty, "Unexpected: " + string.Join("; ", diagnostics.Select(d => $"{d.Id} at '{LocatedText(d)}': {d.GetMessage()}")));
    }

    /// <summary>The source text a diagnostic points at.</summary>
    public static string LocatedText(Diagnostic diagnostic) =>
        diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan);

    /// <summary>MSBuild properties as the compiler sees them (<c>build_property.X</c>), for analyzers that read them.</summary>
    private sealed class BuildPropertiesProvider(IReadOnlyDictionary<string, string> properties) : AnalyzerConfigOptionsProvider
    {
        private readonly Options _global = new(properties.ToDictionary(p => "build_property." + p.Key, p => p.Value));

        public override AnalyzerConfigOptions GlobalOptions => _global;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _global;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _global;

        private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
        }
    }
}
