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
/// The routing, binding and consumer analyzers on code as it is while being typed: they may report or stay silent, but
/// never throw (an analyzer exception shows up as AD0001 and disables the analyzer for the file).
/// </summary>
public sealed class RoutingAndConsumerAnalyzerRobustnessTests
{
    private static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers =
        [new MessageRoutingAnalyzer(), new ConsumerAnalyzer(), new ConsumerClassAnalyzer(), new DurableAnalyzer()];

    /// <summary>More half-typed routing and consumer declarations, on top of the generator's own set.</summary>
    private static readonly Dictionary<string, string> MoreHalfTyped = new()
    {
        ["routing key of the wrong type"] = """[Topic("t", RoutingKey = 42)] public sealed record A(string B);""",
        ["routing key null"] = """[Direct("d", RoutingKey = null)] public sealed record A(string B);""",
        ["routing key unfinished"] = """[Topic("t", RoutingKey = )] public sealed record A(string B);""",
        ["routing key named like no property"] = """[Topic("t", RoutingKy = "{B}")] public sealed record A(string B);""",
        ["routing key on a type without members"] = """[Topic("t", RoutingKey = "{B}")] public sealed class""",
        ["routing key with only braces"] = """[Topic("t", RoutingKey = "{{}}{")] public sealed record A(string B);""",
        ["template property of an undefined type"] = """[Topic("t", RoutingKey = "{B}")] public sealed record A(Undefined B);""",
        ["message deriving from an undefined type"] = """[Topic("t", RoutingKey = "{B}")] public sealed record A(string C) : Undefined;""",
        ["bind key of the wrong type"] = """
            [Topic("t")] public sealed record M(string A);
            [Consumer, Bind(42), Bind("a", "b"), BindHeaders("x"), BindHeaders(HeadersMatch.All, 1, 2)] public sealed class C : IConsumer<M>
            {
                public ValueTask HandleAsync(M message, MessageContext context, CancellationToken cancellationToken) => default;
            }
            """,
        ["bind unfinished"] = """
            [Headers("h")] public sealed record M(string A);
            [Consumer, Bind(, BindHeaders(HeadersMatch. public sealed class C : IConsumer<M>
            """,
        ["consumer queue of the wrong type"] = """
            [Queue("q")] public sealed record M(string A);
            [Consumer(Queue = 1, Prefetch = "x"), Durable(true)] public sealed class C : IConsumer<M>
            {
                public ValueTask HandleAsync(M message, MessageContext context, CancellationToken cancellationToken) => default;
            }
            """,
        ["consumer of an undefined generic message"] = """
            [Consumer, Durable] public sealed class C : IConsumer<Undefined<int>>, IConsumer<>
            {
            }
            """,
        ["consumer with an unfinished base list"] = """[Consumer(Queue = "q"), Durable] public sealed class C : IConsumer<""",
        ["consumer attribute on a method"] = """public sealed class C { [Consumer, Bind("x")] public void M() { } }""",
        ["consumer attribute on an interface"] = """
            [Queue("q")] public sealed record M(string A);
            [Consumer, Bind("x")] public interface IC : IConsumer<M> { }
            """,
        ["consumer attribute on an enum and a delegate"] = """
            [Consumer] public enum E { A }
            [Consumer] public delegate void D();
            """,
        ["consumer with a constructor of an undefined type"] = """
            [Queue("q")] public sealed record M(string A);
            [Consumer] public sealed class C : IConsumer<M>
            {
                private C(Undefined u) { }
                public static Undefined Create() => null!;
                public ValueTask HandleAsync(M message, MessageContext context, CancellationToken cancellationToken) => default;
            }
            """,
        ["consumer of a pointer and a function pointer"] = """
            [Consumer] public sealed unsafe class C : IConsumer<int*>, IConsumer<delegate*<void>> { }
            """,
        ["consumer of dynamic and a tuple"] = """
            [Consumer] public sealed class C : IConsumer<dynamic> { }
            [Consumer] public sealed class D : IConsumer<(int, string)> { }
            """,
        ["attributes with duplicate named arguments"] = """
            [Topic("t", RoutingKey = "{A}", RoutingKey = "{Nope}")] public sealed record M(string A);
            [Consumer(Queue = "a", Queue = "b"), Durable, Durable] public sealed class C : IConsumer<M>
            {
                public ValueTask HandleAsync(M message, MessageContext context, CancellationToken cancellationToken) => default;
            }
            """,
        ["durable with an unfinished queue type"] = """[Queue("q"), Durable(QueueType.)] public sealed record M(string A);""",
        ["durable with arguments of the wrong type"] = """
            [Fanout("f"), Durable("quorum", DeliveryLimit = "five")] public sealed record M(string A);
            [Consumer(Queue = "c"), Durable(1, DeliveryLimit = )] public sealed class C : IConsumer<M>
            {
                public ValueTask HandleAsync(M message, MessageContext context, CancellationToken cancellationToken) => default;
            }
            """,
        ["durable with an undefined queue type and a duplicate limit"] = """
            [Queue("q"), Durable((QueueType)7, DeliveryLimit = 1, DeliveryLimit = -1)] public sealed record M(string A);
            [RpcService("r"), Durable(QueueType.Quorum, DeliveryLimit = int.MinValue)] public interface IR { [RpcMethod] Task RunAsync(); }
            """,
        ["warren attributes under another namespace"] = """
            namespace Other { public sealed class ConsumerAttribute : Attribute { } public sealed class BindAttribute(string k) : Attribute { } }
            [Other.Consumer, Other.Bind("a..b")] public sealed class C { }
            """,
    };

    public static TheoryData<string> Cases => new(RobustnessTests.HalfTyped.Keys.Select(k => "generator: " + k).Concat(MoreHalfTyped.Keys));

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Analyzers_never_throw_on_half_typed_code(string name)
    {
        string source = name.StartsWith("generator: ", StringComparison.Ordinal)
            ? RobustnessTests.HalfTyped[name.Substring("generator: ".Length)]
            : MoreHalfTyped[name];
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(AnalyzerVerifier.Usings + "namespace Ns;\n\n" + source);
        GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out Compilation withGenerated, out _);

        var exceptions = new ConcurrentBag<string>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: (exception, analyzer, _) => exceptions.Add($"{analyzer.GetType().Name}: {exception}"),
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false);
        ImmutableArray<Diagnostic> diagnostics = await withGenerated.WithAnalyzers(Analyzers, options).GetAnalyzerDiagnosticsAsync();

        Assert.Empty(exceptions);
        Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
        Assert.All(diagnostics.Where(d => d.Id.StartsWith("WARREN", StringComparison.Ordinal)), d => Assert.NotEqual(Location.None, d.Location));
    }

    [Fact]
    public async Task Analyzers_are_silent_on_a_compilation_without_warren()
    {
        CSharpCompilation compilation = CSharpCompilation.Create(
            "NoWarren",
            [CSharpSyntaxTree.ParseText("[Consumer, Bind(\"a..b\")] public sealed class C { } public sealed class ConsumerAttribute : System.Attribute { }")],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

        ImmutableArray<Diagnostic> diagnostics = await compilation.WithAnalyzers(Analyzers).GetAnalyzerDiagnosticsAsync();

        Assert.Empty(diagnostics);
    }
}
