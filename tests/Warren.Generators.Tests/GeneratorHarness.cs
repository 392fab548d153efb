using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Warren.TestSupport;
using Xunit;

namespace Warren.Generators.Tests;

/// <summary>Builds compilations that reference Warren and runs <see cref="WarrenGenerator"/> over them.</summary>
internal static class GeneratorHarness
{
    public static CSharpParseOptions ParseOptions => WarrenTestReferences.ParseOptions;

    public static CSharpCompilationOptions CompilationOptions => WarrenTestReferences.CompilationOptions;

    public static ImmutableArray<MetadataReference> References => WarrenTestReferences.References;

    /// <summary>The usings every sample source starts with.</summary>
    public const string Usings = """
        using System;
        using System.Text.Json;
        using System.Text.Json.Serialization;
        using System.Text.Json.Serialization.Metadata;
        using System.Threading;
        using System.Threading.Tasks;
        using Warren;

        """;

    /// <summary>
    /// A <c>JsonSerializerContext</c> written by hand with the members System.Text.Json's own generator would add
    /// (which does not run in these tests), so that code calling <c>AppJsonContext.Default</c> compiles.
    /// </summary>
    public static string JsonContext(string name, params string[] serializableTypes) =>
        string.Concat(serializableTypes.Select(t => $"[JsonSerializable(typeof({t}))]\n")) + $$"""
        internal partial class {{name}} : JsonSerializerContext
        {
            public {{name}}() : base(null) { }
            public static {{name}} Default { get; } = new();
            protected override JsonSerializerOptions? GeneratedSerializerOptions => null;
            public override JsonTypeInfo? GetTypeInfo(Type type) => null;
        }
        """;

    public static SyntaxTree Parse(string source, string path = "Sample.cs") =>
        CSharpSyntaxTree.ParseText(source, ParseOptions, path);

    /// <summary>A compilation of the given sources, named Sample0.cs, Sample1.cs and so on.</summary>
    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        CreateCompilation(sources.Select((source, i) => Parse(source, $"Sample{i}.cs")));

    /// <summary>The name of the test compilations' assembly, which the generated registration class's name contains.</summary>
    public const string AssemblyName = "Warren.Samples";

    public static CSharpCompilation CreateCompilation(IEnumerable<SyntaxTree> trees, string assemblyName = AssemblyName) =>
        CSharpCompilation.Create(assemblyName, trees, References, CompilationOptions);

    /// <summary>A driver that records every named step, so tests can read the models and the reasons for each output.</summary>
    public static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create(
            [new WarrenGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>A driver like <see cref="CreateDriver()"/> whose project has these additional files and build properties.</summary>
    public static GeneratorDriver CreateDriver(IEnumerable<AdditionalText> additionalTexts, IReadOnlyDictionary<string, string>? buildProperties = null) =>
        CSharpGeneratorDriver.Create(
            [new WarrenGenerator().AsSourceGenerator()],
            additionalTexts,
            ParseOptions,
            new BuildPropertiesProvider(buildProperties ?? new Dictionary<string, string>()),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator once over the compilation with a new driver.</summary>
    public static GeneratorRun Run(Compilation compilation)
    {
        GeneratorDriver driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        return new GeneratorRun(driver, driver.GetRunResult().Results.Single(), output);
    }

    /// <summary>Runs the generator over a compilation of the sources and checks it ran cleanly.</summary>
    public static GeneratorRun RunClean(params string[] sources)
    {
        GeneratorRun run = Run(CreateCompilation(sources));
        run.AssertNoExceptionOrDiagnostics();
        return run;
    }
}

/// <summary>An additional file of the project (such as warren.contracts.json), held in memory.</summary>
internal sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
{
    public override string Path => path;

    public override Microsoft.CodeAnalysis.Text.SourceText GetText(System.Threading.CancellationToken cancellationToken = default) =>
        Microsoft.CodeAnalysis.Text.SourceText.From(text);
}

/// <summary>Build properties as the compiler passes them to generators: <c>build_property.Name</c> global options.</summary>
internal sealed class BuildPropertiesProvider(IReadOnlyDictionary<string, string> properties) : Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptionsProvider
{
    private readonly Options _global = new(properties.ToDictionary(p => "build_property." + p.Key, p => p.Value));

    public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GlobalOptions => _global;

    public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

    public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.Empty;

    private sealed class Options(Dictionary<string, string> values) : Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions
    {
        public static readonly Options Empty = new([]);

        public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }
}

/// <summary>The outcome of one generator run: the driver (to run again), the generator's result and the updated compilation.</summary>
internal sealed record GeneratorRun(GeneratorDriver Driver, GeneratorRunResult Result, Compilation OutputCompilation)
{
    public IEnumerable<string> HintNames => Result.GeneratedSources.Select(s => s.HintName);

    /// <summary>The text of one generated file; fails listing the files there are when it is missing.</summary>
    public string Source(string hintName)
    {
        GeneratedSourceResult[] matches = Result.GeneratedSources.Where(s => s.HintName == hintName).ToArray();
        Assert.True(matches.Length == 1, $"Expected one generated file '{hintName}'; generated: {string.Join(", ", HintNames)}");
        return matches[0].SourceText.ToString();
    }

    public void AssertNoExceptionOrDiagnostics()
    {
        Assert.Null(Result.Exception);
        Assert.Empty(Result.Diagnostics);
    }

    /// <summary>Fails listing every warning and error of the compilation that includes the generated files.</summary>
    public void AssertCompilesWithoutWarnings(bool generatedFilesOnly = false)
    {
        IReadOnlyList<string> problems = CompilationProblems(generatedFilesOnly);
        Assert.True(problems.Count == 0, "Expected no warnings or errors, got:\n" + string.Join("\n", problems));
    }

    /// <summary>Warnings and errors of the compilation that includes the generated files, formatted for a failure message.</summary>
    private IReadOnlyList<string> CompilationProblems(bool generatedFilesOnly)
    {
        HashSet<SyntaxTree> generated = Result.GeneratedSources.Select(s => s.SyntaxTree).ToHashSet();
        return OutputCompilation.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .Where(d => !generatedFilesOnly || (d.Location.SourceTree is { } tree && generated.Contains(tree)))
            .Select(d => d.ToString())
            .ToList();
    }
}
