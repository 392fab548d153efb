// The cost of Warren's source generator on a large project, beside System.Text.Json's source generator on the same
// message types: a cold run (a new driver, as a fresh build) and a run after an edit to a file that has nothing to do
// with messaging (as every keystroke in the IDE), and whether that edit leaves every pipeline step cached.
//
//   dotnet run -c Release --project tests/Warren.Generators.Benchmarks [-- --messages 500 --services 50 --rounds 15 --edits 2]
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.InteropServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Warren.Generators;
using Warren.Generators.Benchmarks;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}
if (options.Help)
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

SdkFiles sdk = SdkFiles.Locate(options.SystemTextJsonGeneratorPath);
Func<IIncrementalGenerator> systemTextJson = SystemTextJsonGenerator.Load(sdk.SystemTextJsonGenerator);
Workload workload = Workload.Create(options.Messages, options.Services);
CSharpCompilation compilation = CSharpCompilation.Create(
    "Bench.App",
    workload.Trees,
    sdk.References,
    new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, deterministic: true));

Console.WriteLine($"Workload: {workload.Messages} message types (a fifth each [Queue], [Fanout], [Direct], [Topic], [Headers]), " +
                  $"{workload.Consumers} consumers with bindings, {workload.Services} RPC services of 3 methods, one JsonSerializerContext " +
                  $"listing every message; {workload.Trees.Count} files; the edit changes a method body in {Workload.UnrelatedFileToEdit}.");
Console.WriteLine($"Roslyn {Versions.Of(typeof(CSharpCompilation))}, Warren.Generators {Versions.Of(typeof(WarrenGenerator))}, " +
                  $"System.Text.Json.SourceGeneration {Versions.Of(systemTextJson().GetType())} ({sdk.SystemTextJsonGenerator}); " +
                  $".NET {Environment.Version}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores.");
Console.WriteLine($"{options.Warmup} untimed rounds, then {options.Rounds} rounds in which each generator in turn does one cold run (a new driver " +
                  $"over a new compilation) and {options.Edits} runs after an unrelated edit (the previous driver); medians; steps tracked " +
                  "(trackIncrementalGeneratorSteps: true), as the checks need.");
Console.WriteLine();

// Both generators once, as a build with both runs them: the workload must be valid, or the timings mean nothing.
if (!Validate(compilation, systemTextJson))
{
    return 1;
}

Measurement[] results =
[
    new("Warren", () => [new WarrenGenerator()], compilation, WarrenSteps()),
    new("System.Text.Json", () => [systemTextJson()], compilation, ownSteps: null),
    new("both, one driver", () => [new WarrenGenerator(), systemTextJson()], compilation, ownSteps: null),
    new("attribute lookup floor", () => [new AttributeLookupFloor()], compilation, ownSteps: null),
];
for (int round = 0; round < options.Warmup + options.Rounds; round++)
{
    bool warmUp = round < options.Warmup;
    // Progress goes to stderr, so that stdout is the report.
    Console.Error.Write(warmUp ? $"\rwarm-up round {round + 1}/{options.Warmup}   " : $"\rround {round + 1 - options.Warmup}/{options.Rounds}        ");
    foreach (Measurement m in results)
    {
        m.Round(cold: 1, options.Edits, warmUp);
    }
}
Console.Error.WriteLine();
Console.WriteLine();

Console.WriteLine("| Generator | files generated | cold ms (median) | unrelated edit ms (median) | edit / cold | allocated MB, cold | allocated MB, edit | every step Cached/Unchanged after the edit |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
foreach (Measurement m in results)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {m.Name} | {m.GeneratedFiles:N0} | {m.ColdMs.Median:F0} | {m.EditMs.Median:F0} | {m.EditMs.Median / m.ColdMs.Median * 100:F0}% | {m.ColdAllocatedMb:F1} | {m.EditAllocatedMb:F1} | {(m.NotCached.Count == 0 ? "yes" : "no")} |"));
}
Console.WriteLine();
foreach (Measurement m in results)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{m.Name}: cold {m.ColdMs.Min:F0}–{m.ColdMs.Max:F0} ms, edit {m.EditMs.Min:F0}–{m.EditMs.Max:F0} ms, first run in the process (loading and JIT included) {m.FirstRunMs:F0} ms."));
    foreach (string step in m.NotCached)
    {
        Console.WriteLine($"    not cached after an unrelated edit: {step}");
    }
}
Console.WriteLine();
Console.WriteLine("Command: dotnet run -c Release --project tests/Warren.Generators.Benchmarks" + (args.Length > 0 ? " -- " + string.Join(' ', args) : string.Empty));

Measurement warren = results[0];
Measurement floor = results[^1];
bool cached = warren.NotCached.Count == 0;
bool underFivePercent = warren.EditMs.Median < 0.05 * warren.ColdMs.Median;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Target: an unrelated edit under 5% of the cold run: {(underFivePercent ? "met" : "missed")} ({warren.EditMs.Median / warren.ColdMs.Median * 100:F0}%); " +
    $"every step Cached/Unchanged: {(cached ? "met" : "missed")}."));
if (!underFivePercent)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"ForAttributeWithMetadataName binds every attributed declaration again and re-runs the transforms on every new compilation; " +
        $"only its syntactic pass is cached per file. The attribute lookup floor alone costs {floor.EditMs.Median / warren.ColdMs.Median * 100:F0}% " +
        $"of Warren's cold run; Warren's edit run is {warren.EditMs.Median / floor.EditMs.Median:F1}x that floor."));
}
// Caching is a property of the code, not of the machine: that is what the exit code reports.
return cached ? 0 : 1;

// Warren's named pipeline steps (TrackingNames, internal to the generator: a benchmark may read them by reflection).
static IReadOnlyCollection<string> WarrenSteps() =>
    typeof(WarrenGenerator).Assembly.GetType("Warren.Generators.TrackingNames", throwOnError: true)!
        .GetFields()
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToArray();

static bool Validate(CSharpCompilation compilation, Func<IIncrementalGenerator> systemTextJson)
{
    GeneratorDriver driver = CSharpGeneratorDriver
        .Create([new WarrenGenerator().AsSourceGenerator(), systemTextJson().AsSourceGenerator()], parseOptions: Workload.ParseOptions)
        .RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out var generatorDiagnostics);
    var problems = new List<string>();
    foreach (GeneratorRunResult result in driver.GetRunResult().Results)
    {
        if (result.Exception is not null)
        {
            problems.Add($"{result.Generator.GetGeneratorType().Name} threw: {result.Exception}");
        }
        Console.WriteLine($"{result.Generator.GetGeneratorType().Name}: {result.GeneratedSources.Length} files, " +
                          $"{result.GeneratedSources.Sum(s => s.SourceText.Length) / 1024.0:F0} KiB of source.");
    }
    problems.AddRange(generatorDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()));
    problems.AddRange(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Take(20).Select(d => d.ToString()));
    foreach (string problem in problems)
    {
        Console.Error.WriteLine(problem);
    }
    if (problems.Count > 0)
    {
        Console.Error.WriteLine("The workload does not compile cleanly with both generators; fix it before timing.");
        return false;
    }
    Console.WriteLine("The workload compiles with both generators' output without errors.");
    return true;
}
