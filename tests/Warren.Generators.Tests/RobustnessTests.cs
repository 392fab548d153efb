using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;
using static Warren.Generators.Tests.GeneratorHarness;

namespace Warren.Generators.Tests;

/// <summary>Half-typed and unusual code: the generator must neither throw nor emit code that breaks the build.</summary>
public sealed class RobustnessTests
{
    /// <summary>Code as it is while being typed, and declarations the generator cannot use.</summary>
    public static readonly Dictionary<string, string> HalfTyped = new()
    {
        ["template names a missing property"] = """[Topic("x", RoutingKey = "{Missing}")] public sealed record A(string B);""",
        ["template brace never closed"] = """[Topic("x", RoutingKey = "{Facility")] public sealed record A(string Facility);""",
        ["template braces empty"] = """[Direct("x", RoutingKey = "{}")] public sealed record A(string B);""",
        ["template property has no public getter"] = """[Topic("x", RoutingKey = "{B}")] public sealed class A { public string B { private get; set; } = ""; }""",
        ["routing attribute without a name"] = """[Queue] record B;""",
        ["routing attribute with a null name"] = """[Queue(null)] public sealed record B(string C);""",
        ["routing attribute with an empty name"] = """[Fanout("")] public sealed record B(string C);""",
        ["routing attribute with a name of the wrong type"] = """[Queue(42)] public sealed record B(string C);""",
        ["routing attribute unfinished"] = """[Queue("q" public sealed record B(string C);""",
        ["two routing attributes"] = """[Queue("q"), Fanout("f")] public sealed record B(string C);""",
        ["generic message"] = """[Queue("q")] public sealed record Envelope<T>(T Body);""",
        ["message nested in a generic type"] = """public static class Outer<T> { [Queue("q")] public sealed record Inner(string A); }""",
        ["private nested message"] = """public static class Outer { [Queue("q")] private sealed record Hidden(string A); }""",
        ["message with syntax errors"] = """[Queue("q")] public sealed class Broken { public string A { get; set; } public void M( { }""",
        ["header attribute without a name"] = """[Headers("h")] public sealed record S([property: Header] string Color);""",
        ["consumer of an undefined message"] = """
            [Consumer] public sealed class C : IConsumer<Undefined>
            {
                public ValueTask HandleAsync(Undefined message, MessageContext context, CancellationToken cancellationToken) => default;
            }
            """,
        ["abstract consumer"] = """
            [Queue("q")] public sealed record M(string A);
            [Consumer] public abstract class C : IConsumer<M>
            {
                public abstract ValueTask HandleAsync(M message, MessageContext context, CancellationToken cancellationToken);
            }
            """,
        ["consumer without the interface"] = """[Consumer] public sealed class C { }""",
        ["generic consumer"] = """
            [Queue("q")] public sealed record M(string A);
            [Consumer] public sealed class C<T> : IConsumer<M>
            {
                public ValueTask HandleAsync(M message, MessageContext context, CancellationToken cancellationToken) => default;
            }
            """,
        ["consumer declared as a struct"] = """
            [Queue("q")] public sealed record M(string A);
            [Consumer] public struct C : IConsumer<M>
            {
                public ValueTask HandleAsync(M message, MessageContext context, CancellationToken cancellationToken) => default;
            }
            """,
        ["consumer with an unfinished binding"] = """
            [Queue("q")] public sealed record M(string A);
            [Consumer, Bind(), BindHeaders(HeadersMatch.All, "a", null!), BindHeaders()] public sealed class C : IConsumer<M>
            {
                public ValueTask HandleAsync(M message, MessageContext context, CancellationToken cancellationToken) => default;
            }
            """,
        ["consumer with a prefetch out of range"] = """
            [Queue("q")] public sealed record M(string A);
            [Consumer(Prefetch = -1)] public sealed class C : IConsumer<M>
            {
                public ValueTask HandleAsync(M message, MessageContext context, CancellationToken cancellationToken) => default;
            }
            """,
        ["json context that is not a JsonSerializerContext"] = """[JsonSerializable(typeof(string))] internal partial class NotAContext { }""",
        ["json context naming an undefined type"] = """
            [Queue("q")] public sealed record M(string A);
            [JsonSerializable(typeof(Undefined))] internal partial class Ctx : JsonSerializerContext { }
            """,
    };

    public static TheoryData<string> HalfTypedCases => new(HalfTyped.Keys);

    [Theory]
    [MemberData(nameof(HalfTypedCases))]
    public void Half_typed_code_neither_throws_nor_breaks_the_build_further(string name)
    {
        GeneratorRun run = Run(CreateCompilation(Usings + "namespace Ns;\n\n" + HalfTyped[name]));

        Assert.Null(run.Result.Exception);
        Assert.DoesNotContain(run.Result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        run.AssertCompilesWithoutWarnings(generatedFilesOnly: true);
    }

    [Fact]
    public void Two_routing_attributes_emit_one_descriptor_for_the_first()
    {
        GeneratorRun run = Run(CreateCompilation(Usings + "namespace Ns;\n\n" + HalfTyped["two routing attributes"]));

        Assert.Equal(["Ns.B.Message.g.cs", "Warren.Registration.g.cs"], run.HintNames.Order());
        Assert.Contains("global::Warren.ExchangeKind.Queue, \"q\"", run.Source("Ns.B.Message.g.cs"), System.StringComparison.Ordinal);
    }

    [Fact]
    public void Compilation_without_warren_attributes_generates_nothing()
    {
        GeneratorRun run = RunClean(Usings + """
            namespace Ns;

            public sealed record NotAMessage(string Text);

            public sealed class NotAConsumer : IConsumer<NotAMessage>
            {
                public ValueTask HandleAsync(NotAMessage message, MessageContext context, CancellationToken cancellationToken) => default;
            }

            [JsonSerializable(typeof(NotAMessage))]
            internal partial class Ctx : JsonSerializerContext
            {
                public Ctx() : base(null) { }
                protected override JsonSerializerOptions? GeneratedSerializerOptions => null;
                public override JsonTypeInfo? GetTypeInfo(Type type) => null;
            }
            """, Samples.Unrelated);

        Assert.Empty(run.Result.GeneratedSources);
    }

    [Fact]
    public void Compilation_with_only_unusable_declarations_generates_nothing()
    {
        GeneratorRun run = Run(CreateCompilation(Usings + "namespace Ns;\n\n" + string.Join("\n", new[]
        {
            "template names a missing property", "generic message", "private nested message", "consumer of an undefined message", "consumer without the interface",
        }.Select(name => HalfTyped[name]))));

        Assert.Null(run.Result.Exception);
        Assert.Empty(run.Result.GeneratedSources);
    }
}
