using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Warren.Generators.Tests;

/// <summary>Builds compilations that reference Warren and runs <see cref="WarrenGenerator"/> over them.</summary>
internal static class GeneratorHarness
{
    /// <summary>The newest language version, with documentation comments checked as a project that generates docs would.</summary>
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.Diagnose);

    /// <summary>
    /// Nullable enabled and every warning wave on, so generated code is held to the strictest settings a user may have.
    /// CS1591 (public member without a doc comment) is off because it concerns the test's own public sample types: the
    /// generated types are internal, and documentation mode still checks their comments and crefs. CS1701 and CS1702
    /// (Warren.dll was built against net8.0's assemblies, the tests reference the running runtime's) are off as the SDK
    /// turns them off in every project.
    /// </summary>
    public static readonly CSharpCompilationOptions CompilationOptions = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable,
            warningLevel: 9999,
            deterministic: true)
        .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic>
        {
            ["CS1591"] = ReportDiagnostic.Suppress,
            ["CS1701"] = ReportDiagnostic.Suppress,
            ["CS1702"] = ReportDiagnostic.Suppress,
        });

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(LoadReferences);

    /// <summary>The framework assemblies of the running runtime, plus Warren and the assemblies its public API exposes.</summary>
    public static ImmutableArray<MetadataReference> References => s_references.Value;

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

    public static CSharpCompilation CreateCompilation(IEnumerable<SyntaxTree> trees, string assemblyName = "Warren.Samples") =>
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

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        string runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        string trusted = (string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty;
        IEnumerable<string> framework = trusted
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(path => string.Equals(Path.GetDirectoryName(path), runtimeDirectory, StringComparison.Ordinal));
        string[] warren =
        [
            typeof(Bus).Assembly.Location,
            typeof(RabbitMQ.Client.IConnection).Assembly.Location,
            typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location,
        ];
        return framework.Concat(warren)
            .Distinct(StringComparer.Ordinal)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
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
