using System.Collections.Generic;
using Xunit;
using static Warren.Generators.Tests.GeneratorHarness;

namespace Warren.Generators.Tests;

/// <summary>Valid but less common declarations: whatever the generator does with them, the build stays free of warnings.</summary>
public sealed class UnusualDeclarationTests
{
    /// <summary>Declarations, each put inside <c>namespace Ns { }</c>.</summary>
    public static readonly Dictionary<string, string> Declarations = new()
    {
        ["record struct message"] = """[Topic("t", RoutingKey = "{A}")] public readonly record struct Rs(int A);""",
        ["template property inherited from a base record"] = """
            public abstract record BaseMessage { public int Value { get; init; } }
            [Topic("t", RoutingKey = "{Value}.{Other}")] public sealed record Derived(string Other) : BaseMessage;
            """,
        ["template property protected internal"] = """[Topic("t", RoutingKey = "{Value}")] public class P { protected internal int Value { get; init; } }""",
        ["template of more than four parts"] = """[Topic("t", RoutingKey = "a.{A}.{B}.{C}.z")] public sealed record Many(long A, DateTime B, object? C);""",
        ["names needing escapes"] = """[Queue("q\"x\\y\n")] public sealed record Escaped([property: Header("h\"1")] string A);""",
        ["message in the global namespace"] = """
            }

            [Queue("global")] public sealed record GlobalMessage(string A);

            namespace Ns2
            {
            """,
        ["message and consumer in one class"] = """
            [Queue("self"), Consumer]
            public sealed class SelfConsumer : IConsumer<SelfConsumer>
            {
                public ValueTask HandleAsync(SelfConsumer message, MessageContext context, CancellationToken cancellationToken) => default;
            }
            """,
        ["consumer inheriting its interface"] = """
            [Queue("q")] public sealed record M(string A);
            public abstract class ConsumerBase : IConsumer<M>
            {
                public ValueTask HandleAsync(M message, MessageContext context, CancellationToken cancellationToken) => default;
            }
            [Consumer(Prefetch = 3)] public sealed class Concrete : ConsumerBase { }
            """,
        ["consumer of a nullable-annotated message"] = """
            [Queue("q")] public sealed record M(string A);
            [Consumer] public sealed class C : IConsumer<M?>
            {
                public ValueTask HandleAsync(M? message, MessageContext context, CancellationToken cancellationToken) => default;
            }
            """,
        ["consumer of two messages"] = """
            [Queue("q1")] public sealed record M1(string A);
            [Queue("q2")] public sealed record M2(string A);
            [Consumer] public sealed class C : IConsumer<M1>, IConsumer<M2>
            {
                public ValueTask HandleAsync(M1 message, MessageContext context, CancellationToken cancellationToken) => default;
                public ValueTask HandleAsync(M2 message, MessageContext context, CancellationToken cancellationToken) => default;
            }
            """,
        ["message named like Warren's namespace"] = """[Queue("q")] public sealed record Warren(string Generated);""",
    };

    /// <summary>Declarations an early generator mishandled (obsolete or uncompilable code, name clashes); kept as regressions.</summary>
    public static readonly Dictionary<string, string> Regressions = new()
    {
        ["enum property in a template"] = """
            public enum Level { Low, High }
            [Topic("t", RoutingKey = "{Level}")] public sealed record Leveled(Level Level);
            """,
        ["nullable enum property as a header"] = """
            public enum Level { Low, High }
            [Headers("h")] public sealed record Leveled([property: Header("level")] Level? Level);
            """,
        ["keyword-named property in a template"] = """[Topic("t", RoutingKey = "{event}")] public sealed record Keyworded(string @event);""",
        ["keyword-named property as a header"] = """[Headers("h")] public sealed record Keyworded([property: Header("class")] string @class);""",
        ["file-local message"] = """
            [Queue("q")] file sealed record Local(string A);
            [Queue("p")] public sealed record Public(string A);
            """,
        ["type names that map to the same identifier"] = """
            namespace Inner
            {
                [Queue("q1")] public sealed record A_B(string X);
                public static class A { [Queue("q2")] public sealed record B(string X); }
            }
            """,
        ["template property implementing IFormattable explicitly"] = """
            public sealed class Code : IFormattable { string IFormattable.ToString(string? format, IFormatProvider? provider) => "c"; }
            [Topic("t", RoutingKey = "{Value}")] public sealed record Coded(Code Value);
            """,
    };

    public static TheoryData<string> DeclarationCases => new(Declarations.Keys);

    public static TheoryData<string> RegressionCases => new(Regressions.Keys);

    [Theory]
    [MemberData(nameof(DeclarationCases))]
    public void Generated_code_for_unusual_declarations_compiles_without_warnings(string name) =>
        AssertGeneratedCodeCompilesWithoutWarnings(Declarations[name]);

    [Theory]
    [MemberData(nameof(RegressionCases))]
    public void Generated_code_for_formerly_mishandled_declarations_compiles_without_warnings(string name) =>
        AssertGeneratedCodeCompilesWithoutWarnings(Regressions[name]);

    [Fact]
    public void Record_class_consumer_gets_a_descriptor()
    {
        GeneratorRun run = RunClean(Usings + """
            namespace Ns;

            [Queue("q")] public sealed record M(string A);

            [Consumer]
            public sealed record RecordConsumer(int Id) : IConsumer<M>
            {
                public ValueTask HandleAsync(M message, MessageContext context, CancellationToken cancellationToken) => default;
            }
            """);

        Assert.Contains("Ns.RecordConsumer.Consumer.g.cs", run.HintNames);
        run.AssertCompilesWithoutWarnings();
    }

    private static void AssertGeneratedCodeCompilesWithoutWarnings(string declarations)
    {
        GeneratorRun run = RunClean(Usings + "namespace Ns\n{\n" + declarations + "\n}\n");

        Assert.NotEmpty(run.Result.GeneratedSources);
        run.AssertCompilesWithoutWarnings();
    }
}
