using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Warren.Generators.Diagnostics.Analyzers;
using Xunit;

namespace Warren.Generators.Tests.Diagnostics;

/// <summary>
/// The topology, RPC, serialization and message-contract analyzers (WARREN003, 004, 006-009, 017-022) on code as it is while being
/// typed: they must never throw (AD0001). And the RPC analyzers agree with the generator: a service it emits nothing for
/// gets a diagnostic, one it emits gets none.
/// </summary>
public sealed class ContractAnalyzerRobustnessTests
{
    private static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers =
    [
        new ExchangeDeclarationAnalyzer(),
        new QueueDeclarationAnalyzer(),
        new RpcMethodAnalyzer(),
        new RpcServiceAnalyzer(),
        new SerializationAnalyzer(),
        new JsonContextCoverageAnalyzer(),
        new MessageNameAnalyzer(),
        new DerivedMessageAnalyzer(),
        new MessageMembersAnalyzer(),
        new ConsumerRegistrationAnalyzer(),
    ];

    /// <summary>More half-typed code, aimed at what these analyzers read.</summary>
    private static readonly Dictionary<string, string> MoreHalfTyped = new()
    {
        ["exchange name unfinished"] = """[Topic("x", RoutingKey = "{A}")] public sealed record A(string A); [Direct("x" public sealed record B(string A);""",
        ["exchange name from a missing constant"] = """[Topic(Names.Missing)] public sealed record A(string T); [Direct(Names.Missing)] public sealed record B(string T);""",
        ["consumer queue of the wrong type"] = """
            [Fanout("f")] public sealed record M(string A);
            [Consumer(Queue = 42)] public sealed class C : IConsumer<M> { public ValueTask HandleAsync(M message, MessageContext context, CancellationToken cancellationToken) => default; }
            """,
        ["consumer queue unfinished"] = """
            [Fanout("f")] public sealed record M(string A);
            [Consumer(Queue = )] public sealed class C : IConsumer<M> { public ValueTask HandleAsync(M message, MessageContext context, CancellationToken cancellationToken) => default; }
            """,
        ["consumer of a message without routing attribute"] = """
            public sealed record M(string A);
            [Consumer(Queue = "q")] public sealed class C : IConsumer<M> { public ValueTask HandleAsync(M message, MessageContext context, CancellationToken cancellationToken) => default; }
            """,
        ["rpc queue from a missing constant"] = """[RpcService(Names.Missing)] public interface I { [RpcMethod] Task RunAsync(); }""",
        ["rpc parameter without a name"] = """[RpcService("q")] public interface I { [RpcMethod] Task RunAsync(int); }""",
        ["rpc parameter without a type"] = """[RpcService("q")] public interface I { [RpcMethod] Task RunAsync(a); }""",
        ["rpc base list unfinished"] = """[RpcService("q")] public interface I : { [RpcMethod] Task RunAsync(); }""",
        ["rpc base list naming a missing interface"] = """[RpcService("q")] public interface I : IMissing { [RpcMethod] Task RunAsync(); }""",
        ["rpc result of a generic of a missing type"] = """[RpcService("q")] public interface I { [RpcMethod] Task<Dictionary<string, Missing>> GetAsync(Missing[] a, List<Missing> b); }""",
        ["json serializable without a type"] = """[Queue("q")] public sealed record M(string A); [JsonSerializable()] internal partial class Ctx : JsonSerializerContext { }""",
        ["json serializable of null"] = """[Queue("q")] public sealed record M(string A); [JsonSerializable(null)] internal partial class Ctx : JsonSerializerContext { }""",
        ["json derived type unfinished"] = """[RpcService("q")] public interface I { [RpcMethod] Task RunAsync(IShape s); } [JsonDerivedType(] public interface IShape { }""",
        ["message name of the wrong type"] = """[Message(42, Aliases = "a"), Queue("q")] public sealed record M(string A);""",
        ["message name unfinished"] = """[Message(, Aliases = new[] { "a", ), Queue("q")] public sealed record M(string A);""",
        ["message aliases null"] = """[Message("m", Aliases = null), Queue("q")] public sealed record M(string A); [Message("m", Aliases = new string[] { null! })] public sealed record N;""",
        ["message name from a missing constant"] = """[Message(Names.Missing, Aliases = new[] { Names.Other }), Queue("q")] public sealed record M(string A);""",
        ["derived type listed as a missing type"] = """[Queue("q"), JsonDerivedType(typeof(Missing), "m")] public record M(string A); public sealed record D(string A) : M(A);""",
        ["derived type listed unfinished"] = """[Queue("q"), JsonDerivedType(typeof(D), ] public record M(string A); public sealed record D(string A) : M(A);""",
        ["message with a field of a missing type"] = """[Queue("q")] public sealed class M { public Missing F; public Missing<int> P { get; init; } public int; }""",
        ["subscribe of a missing consumer"] = """public static class P { public static void Run(Bus bus) { _ = bus.SubscribeAsync<Missing>(null!); _ = bus.SubscribeAsync(); } }""",
        ["message of a type nested in a missing type"] = """[RpcService("q")] public interface I { [RpcMethod] Task RunAsync(Missing.Inner a); }""",
    };

    private static readonly Dictionary<string, string> AllHalfTyped = RobustnessTests.HalfTyped.Select(p => ("half-typed: " + p.Key, p.Value))
        .Concat(RobustnessTests.UnusableRpcServices.Select(p => ("unusable rpc: " + p.Key, p.Value)))
        .Concat(MoreHalfTyped.Select(p => ("more: " + p.Key, p.Value)))
        .ToDictionary(p => p.Item1, p => p.Item2);

    public static TheoryData<string> HalfTypedCases => new(AllHalfTyped.Keys);

    [Theory]
    [MemberData(nameof(HalfTypedCases))]
    public async Task Half_typed_code_does_not_make_the_analyzers_throw(string name)
    {
        (ImmutableArray<Diagnostic> diagnostics, IReadOnlyCollection<Exception> exceptions) = await AnalyzeAsync(AllHalfTyped[name]);

        Assert.Empty(exceptions);
        Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
    }

    public static TheoryData<string> ValidSources => new(
        ContractSamples.Readme, TutorialTopology.Source, Samples.Tutorials, Samples.Orders, Samples.Rpc, Samples.Unrelated);

    [Theory]
    [MemberData(nameof(ValidSources))]
    public Task Valid_code_of_the_readme_and_the_generator_tests_is_silent(string source) =>
        AnalyzerVerifier.VerifySilentAsync(Analyzers, source);

    [Fact]
    public async Task Every_rpc_service_the_generator_drops_gets_a_diagnostic_unless_the_compiler_reports_one()
    {
        var failures = new List<string>();
        foreach ((string name, string source) in RobustnessTests.UnusableRpcServices)
        {
            if (name == "rpc method on a class")
            {
                // No service is dropped: [RpcMethod] on a class (an implementation repeating it, say) is inert.
                continue;
            }

            (ImmutableArray<Diagnostic> diagnostics, _) = await AnalyzeAsync(source);
            bool reported = diagnostics.Any(d => d.Id is "WARREN006" or "WARREN007");
            if (!reported && !HasCompilerErrors(source))
            {
                failures.Add(name);
            }
        }

        Assert.True(failures.Count == 0, "No WARREN006/WARREN007 for: " + string.Join(", ", failures));
    }

    private static readonly Dictionary<string, string> EdgeServiceSources = new()
    {
        ["constant"] = """[RpcService("q")] public interface I { const string Queue = "q"; [RpcMethod] Task RunAsync(); }""",
        ["static method with a body"] = """[RpcService("q")] public interface I { [RpcMethod] Task RunAsync(); static Task Helper() => Task.CompletedTask; }""",
        ["default method"] = """[RpcService("q")] public interface I { [RpcMethod] Task RunAsync(); Task DefaultAsync() => RunAsync(); }""",
        ["nested class"] = """[RpcService("q")] public interface I { [RpcMethod] Task RunAsync(); public sealed class Helper { } }""",
        ["nested interface"] = """[RpcService("q")] public interface I { [RpcMethod] Task RunAsync(); public interface INested { } }""",
        ["nested abstract class"] = """[RpcService("q")] public interface I { [RpcMethod] Task RunAsync(); public abstract class Base { } }""",
        ["nested static class"] = """[RpcService("q")] public interface I { [RpcMethod] Task RunAsync(); public static class Helpers { } }""",
        ["nested delegate"] = """[RpcService("q")] public interface I { [RpcMethod] Task RunAsync(); public delegate void Callback(); }""",
        ["property with a body"] = """[RpcService("q")] public interface I { [RpcMethod] Task RunAsync(); int Count { get => 0; } }""",
        ["static abstract property"] = """[RpcService("q")] public interface I { [RpcMethod] Task RunAsync(); static abstract int Count { get; } }""",
        ["empty base interface"] = """public interface IEmpty { } [RpcService("q")] public interface I : IEmpty { [RpcMethod] Task RunAsync(); }""",
        ["rpc method with a body"] = """[RpcService("q")] public interface I { [RpcMethod] Task RunAsync() => Task.CompletedTask; }""",
        ["nullable types and a custom wire name"] = """[RpcService("q")] public interface I { [RpcMethod] Task<string?> EchoAsync(string? text); [RpcMethod("Echo2")] Task<int?> EchoAsync(int? n); }""",
        ["delegate result"] = """[RpcService("q")] public interface I { [RpcMethod] Task<Action> GetAsync(); }""",
        ["Type parameter"] = """[RpcService("q")] public interface I { [RpcMethod] Task RunAsync(Type type); }""",
        ["in parameter"] = """[RpcService("q")] public interface I { [RpcMethod] Task RunAsync(in int a); }""",
        ["static rpc method"] = """[RpcService("q")] public interface I { [RpcMethod] Task RunAsync(); [RpcMethod] static Task HelperAsync() => Task.CompletedTask; }""",
    };

    /// <summary>Services and interfaces at the edge of what the generator accepts; it emits a service exactly when the analyzers are silent.</summary>
    public static TheoryData<string> EdgeServices => new(EdgeServiceSources.Keys);

    [Theory]
    [MemberData(nameof(EdgeServices))]
    public async Task Generator_emits_a_service_exactly_when_the_rpc_analyzers_are_silent(string name)
    {
        string source = EdgeServiceSources[name];
        Assert.False(HasCompilerErrors(source));
        GeneratorRun run = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(AnalyzerVerifier.Usings + "namespace Ns;\n\n" + source));
        bool emitted = run.HintNames.Any(h => h.EndsWith(".Rpc.g.cs", StringComparison.Ordinal));
        run.AssertCompilesWithoutWarnings(generatedFilesOnly: true);

        (ImmutableArray<Diagnostic> diagnostics, _) = await AnalyzeAsync(source);
        Diagnostic[] rpc = diagnostics.Where(d => d.Id is "WARREN006" or "WARREN007").ToArray();

        Assert.True(emitted == (rpc.Length == 0),
            $"generator emitted: {emitted}; diagnostics: {string.Join("; ", rpc.Select(d => d.GetMessage()))}");
    }

    private static bool HasCompilerErrors(string source) =>
        GeneratorHarness.CreateCompilation(AnalyzerVerifier.Usings + "namespace Ns;\n\n" + source)
            .GetDiagnostics()
            .Any(d => d.Severity == DiagnosticSeverity.Error && d.Id != "CS0227");   // CS0227: unsafe code needs /unsafe

    /// <summary>Every analyzer of this group over the source, trimmed (so WARREN009 runs), recording analyzer exceptions.</summary>
    private static async Task<(ImmutableArray<Diagnostic> Diagnostics, IReadOnlyCollection<Exception> Exceptions)> AnalyzeAsync(string source)
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(AnalyzerVerifier.Usings + "namespace Ns;\n\n" + source);
        GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out Compilation withGenerated, out _);
        var exceptions = new ConcurrentBag<Exception>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, new TrimmedProject()),
            onAnalyzerException: (exception, _, _) => exceptions.Add(exception),
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false);
        ImmutableArray<Diagnostic> diagnostics = await withGenerated.WithAnalyzers(Analyzers, options).GetAnalyzerDiagnosticsAsync();
        return (diagnostics, exceptions);
    }

    private sealed class TrimmedProject : AnalyzerConfigOptionsProvider
    {
        private static readonly Options Global = new();

        public override AnalyzerConfigOptions GlobalOptions => Global;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Global;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Global;

        private sealed class Options : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, out string value)
            {
                value = "true";
                return key == "build_property.PublishAot";
            }
        }
    }
}
