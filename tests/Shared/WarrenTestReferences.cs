using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;

namespace Warren.TestSupport;

/// <summary>
/// The references and settings of every test compilation of Warren's generator, analyzers and code fixes, whether built
/// by hand (a <see cref="GeneratorDriver"/>) or by Microsoft.CodeAnalysis.Testing. Linked into both test projects.
/// </summary>
internal static class WarrenTestReferences
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
        .WithSpecificDiagnosticOptions(SuppressedDiagnostics);

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(LoadReferences);

    /// <summary>The framework assemblies of the running runtime, plus Warren and the assemblies its public API exposes.</summary>
    public static ImmutableArray<MetadataReference> References => s_references.Value;

    private static Dictionary<string, ReportDiagnostic> SuppressedDiagnostics => new()
    {
        ["CS1591"] = ReportDiagnostic.Suppress,
        ["CS1701"] = ReportDiagnostic.Suppress,
        ["CS1702"] = ReportDiagnostic.Suppress,
    };

    /// <summary>
    /// Gives a Microsoft.CodeAnalysis.Testing test the same compilation as <see cref="CompilationOptions"/> and
    /// <see cref="ParseOptions"/> describe, with no reference pack to download: the running runtime's assemblies, and
    /// Warren with what its API exposes.
    /// </summary>
    public static void Configure<TVerifier>(AnalyzerTest<TVerifier> test)
        where TVerifier : IVerifier, new()
    {
        test.ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        test.TestState.AdditionalReferences.AddRange(References);
        test.SolutionTransforms.Add((solution, projectId) =>
        {
            var options = (CSharpCompilationOptions)solution.GetProject(projectId)!.CompilationOptions!;
            options = options
                .WithNullableContextOptions(NullableContextOptions.Enable)
                .WithWarningLevel(CompilationOptions.WarningLevel)
                .WithSpecificDiagnosticOptions(options.SpecificDiagnosticOptions.SetItems(SuppressedDiagnostics));
            return solution
                .WithProjectCompilationOptions(projectId, options)
                .WithProjectParseOptions(projectId, ParseOptions);
        });
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
