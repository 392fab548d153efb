using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Warren.Generators.Benchmarks;

/// <summary>
/// Times one set of generators, a round at a time so that the sets can alternate (a machine busy with something else
/// then slows them all alike): cold runs, a new driver over a new compilation each; and runs after an unrelated edit,
/// each on the driver the previous run returned, over the compilation with one more edit of the unrelated file.
/// </summary>
internal sealed class Measurement
{
    /// <summary>
    /// Roslyn's own tracked nodes: the driver's inputs (the compilation is new on every edit by definition) and the inner
    /// nodes of ForAttributeWithMetadataName. What matters is what the generator's own steps make of them.
    /// </summary>
    private static readonly HashSet<string> s_driverInputs = new(StringComparer.Ordinal)
    {
        "Compilation", "ParseOptions", "AdditionalTexts", "AnalyzerConfigOptions", "MetadataReferences", "SyntaxTrees",
    };

    private readonly Func<IIncrementalGenerator[]> _generators;
    private readonly CSharpCompilation _compilation;
    private readonly IReadOnlyCollection<string>? _ownSteps;
    private readonly List<double> _cold = [];
    private readonly List<double> _edit = [];
    private readonly List<double> _coldAllocated = [];
    private readonly List<double> _editAllocated = [];
    private readonly SortedSet<string> _notCached = new(StringComparer.Ordinal);
    private CSharpCompilation _edited;
    private GeneratorDriver _driver;
    private SyntaxTree _file;
    private int _edits;

    /// <param name="ownSteps">
    /// The generator's named steps, which must all run; null to check every tracked step that is not Roslyn's own.
    /// </param>
    public Measurement(string name, Func<IIncrementalGenerator[]> generators, CSharpCompilation compilation, IReadOnlyCollection<string>? ownSteps)
    {
        Name = name;
        _generators = generators;
        _compilation = compilation;
        _ownSteps = ownSteps;
        _file = compilation.SyntaxTrees.Single(t => t.FilePath == Workload.UnrelatedFileToEdit);
        _edited = compilation;

        // The first run in the process pays for loading and JIT: reported, not counted.
        (_driver, FirstRunMs, _) = Time(() => NewDriver().RunGenerators(compilation.Clone()));
        GeneratorDriverRunResult first = _driver.GetRunResult();
        GeneratedFiles = first.Results.Sum(r => r.GeneratedSources.Length);
        string[] exceptions = first.Results.Where(r => r.Exception is not null).Select(r => r.Exception!.ToString()).ToArray();
        if (exceptions.Length > 0)
        {
            throw new InvalidOperationException($"{name} threw:\n" + string.Join("\n", exceptions));
        }
    }

    public string Name { get; }

    public int GeneratedFiles { get; }

    public double FirstRunMs { get; }

    public Statistics ColdMs => Statistics.Of(_cold);

    public Statistics EditMs => Statistics.Of(_edit);

    public double ColdAllocatedMb => Statistics.Of(_coldAllocated).Median / (1024 * 1024);

    public double EditAllocatedMb => Statistics.Of(_editAllocated).Median / (1024 * 1024);

    /// <summary>Steps (and source outputs) that some unrelated edit left neither Cached nor Unchanged, with the reason.</summary>
    public IReadOnlyCollection<string> NotCached => _notCached;

    /// <summary>One round: <paramref name="cold"/> cold runs, then <paramref name="edits"/> unrelated edits; timed unless warming up.</summary>
    public void Round(int cold, int edits, bool warmUp)
    {
        for (int i = 0; i < cold; i++)
        {
            CSharpCompilation fresh = _compilation.Clone();
            (_, double ms, long bytes) = Time(() => NewDriver().RunGenerators(fresh));
            if (!warmUp)
            {
                _cold.Add(ms);
                _coldAllocated.Add(bytes);
            }
        }

        for (int i = 0; i < edits; i++)
        {
            SyntaxTree edited = Workload.EditedUnrelatedFile(++_edits);
            _edited = _edited.ReplaceSyntaxTree(_file, edited);
            _file = edited;
            CSharpCompilation compilation = _edited;
            GeneratorDriver previous = _driver;
            (_driver, double ms, long bytes) = Time(() => previous.RunGenerators(compilation));
            if (!warmUp)
            {
                _edit.Add(ms);
                _editAllocated.Add(bytes);
                _notCached.UnionWith(NotCachedSteps(_driver.GetRunResult()));
            }
        }
    }

    private GeneratorDriver NewDriver() => CSharpGeneratorDriver.Create(
        _generators().Select(GeneratorExtensions.AsSourceGenerator),
        parseOptions: Workload.ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Every output of the generator's steps and source outputs that is neither Cached nor Unchanged.</summary>
    private IEnumerable<string> NotCachedSteps(GeneratorDriverRunResult run)
    {
        foreach (GeneratorRunResult result in run.Results)
        {
            string generator = result.Generator.GetGeneratorType().Name;
            if (_ownSteps is not null)
            {
                foreach (string missing in _ownSteps.Where(step => !result.TrackedSteps.ContainsKey(step)))
                {
                    yield return $"{generator}: step {missing} did not run";
                }
            }

            var steps = result.TrackedSteps
                .Where(step => _ownSteps?.Contains(step.Key) ?? !IsRoslynStep(step.Key))
                .Concat(result.TrackedOutputSteps);
            foreach (var (step, runs) in steps)
            {
                foreach (IncrementalStepRunReason reason in runs.SelectMany(r => r.Outputs).Select(o => o.Reason).Distinct())
                {
                    if (reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged))
                    {
                        yield return $"{generator}: {step}: {reason}";
                    }
                }
            }
        }
    }

    private static bool IsRoslynStep(string name) =>
        s_driverInputs.Contains(name) || name.Contains("_ForAttribute", StringComparison.Ordinal);

    private static (T Result, double Milliseconds, long AllocatedBytes) Time<T>(Func<T> action)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long before = GC.GetAllocatedBytesForCurrentThread();
        long start = Stopwatch.GetTimestamp();
        T result = action();
        double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        return (result, ms, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}

/// <summary>Median, minimum and maximum of a sample.</summary>
internal readonly record struct Statistics(double Median, double Min, double Max)
{
    public static Statistics Of(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return new Statistics(double.NaN, double.NaN, double.NaN);
        }

        double[] sorted = values.OrderBy(v => v).ToArray();
        double median = sorted.Length % 2 == 1
            ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        return new Statistics(median, sorted[0], sorted[^1]);
    }
}
