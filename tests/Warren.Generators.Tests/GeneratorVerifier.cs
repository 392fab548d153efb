using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;
using Warren.TestSupport;
using Xunit;

namespace Warren.Generators.Tests;

/// <summary>
/// Runs <see cref="WarrenGenerator"/> over a source with Microsoft.CodeAnalysis.Testing and compares every file it
/// generates with the reviewed snapshots of the test (<c>Snapshots/&lt;TestName&gt;.&lt;HintName&gt;</c>): the same files,
/// the same text, no generator diagnostic, and a compilation with neither errors nor warnings (nullable on, every warning
/// wave, documentation comments checked). With <c>WARREN_UPDATE_SNAPSHOTS=1</c> the output becomes the new snapshots.
/// </summary>
internal static class GeneratorVerifier
{
    /// <param name="source">The whole source, usings included.</param>
    /// <param name="hintName">The file the test is about; it must be among the generated ones.</param>
    public static async Task VerifySnapshotsAsync(string source, string hintName, [CallerMemberName] string testName = "", [CallerFilePath] string callerFile = "")
    {
        IReadOnlyList<(string HintName, string Text)> snapshots = Snapshot.All(testName, () => Generate(source), callerFile);
        Assert.True(snapshots.Any(s => s.HintName == hintName),
            $"No snapshot '{testName}.{hintName}'. Run the tests with {Snapshot.UpdateVariable}=1 to create it; snapshots: {string.Join(", ", snapshots.Select(s => s.HintName))}");

        // The library compares the files in the order the generator adds them, which is no concern of a snapshot: list
        // them in that order (from a direct run), with the snapshots' text.
        string[] order = Generate(source).Select(file => file.HintName).ToArray();
        var test = new Test { TestCode = source };
        foreach ((string name, string text) in snapshots.OrderBy(s => Array.IndexOf(order, s.HintName) is var i and >= 0 ? i : int.MaxValue))
        {
            test.TestState.GeneratedSources.Add((typeof(WarrenGenerator), name, SourceText.From(text, Encoding.UTF8)));
        }

        await test.RunAsync();
    }

    /// <summary>The generator's files for the source, as the snapshot update writes them.</summary>
    private static IEnumerable<(string HintName, string Text)> Generate(string source) =>
        GeneratorHarness.Run(GeneratorHarness.CreateCompilation(source)).Result.GeneratedSources
            .Select(s => (s.HintName, s.SourceText.ToString()));

    private sealed class Test : CSharpSourceGeneratorTest<WarrenGenerator, DefaultVerifier>
    {
        public Test()
        {
            WarrenTestReferences.Configure(this);

            // The assembly name is in the generated registration class's name: the one the direct run (and update) uses.
            SolutionTransforms.Add((solution, projectId) => solution.WithProjectAssemblyName(projectId, GeneratorHarness.AssemblyName));

            // Generated code must not add a warning to a user's build, whatever the user's warning settings.
            CompilerDiagnostics = CompilerDiagnostics.Warnings;
        }
    }
}
