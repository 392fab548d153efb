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
        ["header property with no name yet"] = """[Headers("h")] public sealed record Shape([property: Header("color")] string""",
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
        ["rpc service attribute unfinished"] = """[RpcService("q" public interface I { [RpcMethod] Task RunAsync(); }""",
        ["rpc method attribute unfinished"] = """[RpcService("q")] public interface I { [RpcMethod("m" Task RunAsync(); }""",
        ["rpc method half typed"] = """[RpcService("q")] public interface I { [RpcMethod] Task<int> RunAs }""",
        ["rpc service half typed"] = """[RpcService("q")] public interface""",
        ["json context naming an undefined type"] = """
            [Queue("q")] public sealed record M(string A);
            [JsonSerializable(typeof(Undefined))] internal partial class Ctx : JsonSerializerContext { }
            """,
    };

    /// <summary>RPC declarations the generator cannot serve in full: it emits nothing for them rather than a proxy that misses a member.</summary>
    public static readonly Dictionary<string, string> UnusableRpcServices = new()
    {
        ["rpc method returning int"] = """[RpcService("q")] public interface I { [RpcMethod] int Get(); }""",
        ["rpc method returning void"] = """[RpcService("q")] public interface I { [RpcMethod] void Run(int a); }""",
        ["rpc method returning an undefined type"] = """[RpcService("q")] public interface I { [RpcMethod] Undefined GetAsync(); }""",
        ["rpc result of an undefined type"] = """[RpcService("q")] public interface I { [RpcMethod] Task<Undefined> GetAsync(); }""",
        ["rpc result of a generic of an undefined type"] = """[RpcService("q")] public interface I { [RpcMethod] Task<System.Collections.Generic.List<Undefined>> GetAsync(); }""",
        ["rpc method returning IAsyncEnumerable"] = """[RpcService("q")] public interface I { [RpcMethod] System.Collections.Generic.IAsyncEnumerable<int> GetAsync(); }""",
        ["generic rpc method"] = """[RpcService("q")] public interface I { [RpcMethod] Task<T> EchoAsync<T>(T value); }""",
        ["rpc method with a ref parameter"] = """[RpcService("q")] public interface I { [RpcMethod] Task RunAsync(ref int a); }""",
        ["rpc method with an out parameter"] = """[RpcService("q")] public interface I { [RpcMethod] Task RunAsync(out int a); }""",
        ["rpc method with an in parameter"] = """[RpcService("q")] public interface I { [RpcMethod] Task RunAsync(in int a); }""",
        ["rpc method with a ref readonly parameter"] = """[RpcService("q")] public interface I { [RpcMethod] Task RunAsync(ref readonly int a); }""",
        ["rpc method with a params parameter"] = """[RpcService("q")] public interface I { [RpcMethod] Task RunAsync(params int[] a); }""",
        ["rpc method with a params collection parameter"] = """[RpcService("q")] public interface I { [RpcMethod] Task RunAsync(params System.Collections.Generic.List<int> a); }""",
        ["rpc method with a cancellation token not last"] = """[RpcService("q")] public interface I { [RpcMethod] Task RunAsync(CancellationToken cancellationToken, int a); }""",
        ["rpc method with two cancellation tokens"] = """[RpcService("q")] public interface I { [RpcMethod] Task RunAsync(CancellationToken first, CancellationToken second); }""",
        ["rpc parameter of an undefined type"] = """[RpcService("q")] public interface I { [RpcMethod] Task RunAsync(Undefined a); }""",
        ["rpc parameter of a generic of an undefined type"] = """[RpcService("q")] public interface I { [RpcMethod] Task RunAsync(System.Collections.Generic.List<Undefined> a); }""",
        ["rpc parameter of an array of an undefined type"] = """[RpcService("q")] public interface I { [RpcMethod] Task RunAsync(Undefined[] a); }""",
        ["rpc parameter of a ref struct type"] = """[RpcService("q")] public interface I { [RpcMethod] Task<int> LengthAsync(ReadOnlySpan<char> text); }""",
        ["rpc method returning a nullable task"] = """[RpcService("q")] public interface I { [RpcMethod] Task<int>? CountAsync(); }""",
        ["rpc parameter of a pointer type"] = """[RpcService("q")] public unsafe interface I { [RpcMethod] Task<int> ReadAsync(int* p); }""",
        ["two rpc methods with the same wire name"] = """
            [RpcService("q")] public interface I { [RpcMethod("same")] Task OneAsync(); [RpcMethod("same")] Task TwoAsync(); }
            """,
        ["rpc default wire name equal to a custom one"] = """
            [RpcService("q")] public interface I { [RpcMethod] Task FooAsync(); [RpcMethod("Foo")] Task BarAsync(); }
            """,
        ["rpc method overloads with the default wire name"] = """
            [RpcService("q")] public interface I { [RpcMethod] Task FindAsync(int id); [RpcMethod] Task FindAsync(string name); }
            """,
        ["rpc service with a property"] = """[RpcService("q")] public interface I { [RpcMethod] Task RunAsync(); int Count { get; } }""",
        ["rpc service with an indexer"] = """[RpcService("q")] public interface I { [RpcMethod] Task RunAsync(); int this[int i] { get; } }""",
        ["rpc service with an event"] = """[RpcService("q")] public interface I { [RpcMethod] Task RunAsync(); event EventHandler Changed; }""",
        ["rpc service with an unmarked method"] = """[RpcService("q")] public interface I { [RpcMethod] Task RunAsync(); Task OtherAsync(); }""",
        ["rpc service with a static abstract rpc method"] = """[RpcService("q")] public interface I { [RpcMethod] static abstract Task RunAsync(); }""",
        ["rpc service inheriting an interface with members"] = """
            public interface IBase { Task PingAsync(); }
            [RpcService("q")] public interface I : IBase { [RpcMethod] Task RunAsync(); }
            """,
        ["rpc service inheriting rpc methods"] = """
            public interface IBase { [RpcMethod] Task PingAsync(); }
            [RpcService("q")] public interface I : IBase { [RpcMethod] Task RunAsync(); }
            """,
        ["rpc service inheriting members two levels up"] = """
            public interface IRoot { Task PingAsync(); }
            public interface IMiddle : IRoot { }
            [RpcService("q")] public interface I : IMiddle { [RpcMethod] Task RunAsync(); }
            """,
        ["rpc service without methods"] = """[RpcService("q")] public interface I { }""",
        ["rpc service with a null queue"] = """[RpcService(null)] public interface I { [RpcMethod] Task RunAsync(); }""",
        ["rpc service with an empty queue"] = """[RpcService("")] public interface I { [RpcMethod] Task RunAsync(); }""",
        ["rpc service without a queue"] = """[RpcService] public interface I { [RpcMethod] Task RunAsync(); }""",
        ["rpc service with a queue of the wrong type"] = """[RpcService(42)] public interface I { [RpcMethod] Task RunAsync(); }""",
        ["rpc service on a class"] = """[RpcService("q")] public class C { [RpcMethod] public Task RunAsync() => Task.CompletedTask; }""",
        ["rpc service on a struct"] = """[RpcService("q")] public struct S { [RpcMethod] public Task RunAsync() => Task.CompletedTask; }""",
        ["rpc method without rpc service"] = """public interface I { [RpcMethod] Task<long> FibAsync(int n, CancellationToken cancellationToken = default); }""",
        ["rpc method on a class"] = """public sealed class C { [RpcMethod] public Task RunAsync() => Task.CompletedTask; }""",
        ["generic rpc service"] = """[RpcService("q")] public interface I<T> { [RpcMethod] Task<T> GetAsync(); }""",
        ["rpc service nested in a generic class"] = """public static class Outer<T> { [RpcService("q")] public interface I { [RpcMethod] Task RunAsync(); } }""",
        ["private nested rpc service"] = """public sealed class Outer { [RpcService("q")] private interface I { [RpcMethod] Task RunAsync(); } }""",
        ["file-local rpc service"] = """[RpcService("q")] file interface I { [RpcMethod] Task RunAsync(); }""",
        ["rpc method with syntax errors"] = """[RpcService("q")] public interface I { [RpcMethod] Task<int> RunAsync(int a, ; }""",
        ["rpc method without a return type"] = """[RpcService("q")] public interface I { [RpcMethod] RunAsync(int a); }""",
        ["rpc method attribute unfinished"] = """[RpcService("q")] public interface I { [RpcMethod( Task RunAsync(); }""",
    };

    public static TheoryData<string> HalfTypedCases => new(HalfTyped.Keys);

    public static TheoryData<string> UnusableRpcServiceCases => new(UnusableRpcServices.Keys);

    [Theory]
    [MemberData(nameof(HalfTypedCases))]
    public void Half_typed_code_neither_throws_nor_breaks_the_build_further(string name)
    {
        GeneratorRun run = Run(CreateCompilation(Usings + "namespace Ns;\n\n" + HalfTyped[name]));

        Assert.Null(run.Result.Exception);
        Assert.DoesNotContain(run.Result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        run.AssertCompilesWithoutWarnings(generatedFilesOnly: true);
    }

    [Theory]
    [MemberData(nameof(UnusableRpcServiceCases))]
    public void Unusable_rpc_service_neither_throws_nor_emits_anything(string name)
    {
        GeneratorRun run = Run(CreateCompilation(Usings + "namespace Ns;\n\n" + UnusableRpcServices[name]));

        Assert.Null(run.Result.Exception);
        Assert.DoesNotContain(run.Result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        run.AssertCompilesWithoutWarnings(generatedFilesOnly: true);
        Assert.True(!run.Result.GeneratedSources.Any(), $"Expected no generated files; generated: {string.Join(", ", run.HintNames)}");
    }

    [Fact]
    public void Unusable_rpc_service_does_not_stop_a_usable_one_in_the_same_file()
    {
        GeneratorRun run = Run(CreateCompilation(Usings + "namespace Ns;\n\n" + UnusableRpcServices["rpc service with an unmarked method"] + """

            [RpcService("fine")] public interface IFine { [RpcMethod] Task<int> GetAsync(int id); }
            """));

        Assert.Null(run.Result.Exception);
        Assert.Equal(["Ns.IFine.Rpc.g.cs", "Warren.Contracts.g.cs", "Warren.Hosting.g.cs", "Warren.Registration.g.cs"], run.HintNames.Order(System.StringComparer.Ordinal));
        Assert.DoesNotContain("Ns_I_RpcDescriptor", run.Source("Warren.Registration.g.cs"), System.StringComparison.Ordinal);
        run.AssertCompilesWithoutWarnings(generatedFilesOnly: true);
    }

    [Fact]
    public void Two_routing_attributes_emit_one_descriptor_for_the_first()
    {
        GeneratorRun run = Run(CreateCompilation(Usings + "namespace Ns;\n\n" + HalfTyped["two routing attributes"]));

        Assert.Equal(["Ns.B.Message.g.cs", "Warren.Contracts.g.cs", "Warren.Registration.g.cs"], run.HintNames.Order());
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
        // The RPC declarations all name their interface I, so each gets a namespace of its own.
        string[] rpc = new[]
        {
            "rpc method returning int", "generic rpc method", "rpc service with an unmarked method", "rpc service with a null queue", "rpc method without rpc service",
        }.Select((name, i) => Usings + $"namespace Rpc{i};\n\n" + UnusableRpcServices[name]).ToArray();
        GeneratorRun run = Run(CreateCompilation([Usings + "namespace Ns;\n\n" + string.Join("\n", new[]
        {
            "template names a missing property", "generic message", "private nested message", "consumer of an undefined message", "consumer without the interface",
        }.Select(name => HalfTyped[name])), .. rpc]));

        Assert.Null(run.Result.Exception);
        Assert.Empty(run.Result.GeneratedSources);
    }
}
