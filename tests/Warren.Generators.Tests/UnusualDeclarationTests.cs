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
        ["rpc service inheriting a marker interface"] = """
            public interface IMarker { }
            [RpcService("q")] public interface IService : IMarker { [RpcMethod] Task<int> GetAsync(int id); }
            """,
        ["rpc service with a constant, a nested type, a static helper and a default method"] = """
            [RpcService(IService.QueueName)]
            public interface IService
            {
                const string QueueName = "svc";
                sealed record Reply(int Value);
                static int Twice(int x) => 2 * x;
                Task<int> PingTwiceAsync() => Task.FromResult(Twice(1));
                [RpcMethod] Task<Reply> GetAsync(int id);
            }
            """,
        ["rpc service with a static method"] = """[RpcService("q")] public interface I { [RpcMethod] Task RunAsync(); static Task HelperAsync() => Task.CompletedTask; }""",
        ["rpc service with a nested type"] = """[RpcService("q")] public interface I { [RpcMethod] Task RunAsync(); public sealed record Nested(int A); }""",
        ["rpc service with an operator"] = """[RpcService("q")] public interface I { [RpcMethod] Task RunAsync(); static I operator +(I a, I b) => a; }""",
        ["rpc service declared internal"] = """[RpcService("q")] internal interface IService { [RpcMethod] Task<int> GetAsync(int id); }""",
        ["rpc service nested in an interface"] = """
            public interface IOuter { [RpcService("q")] public interface IInner { [RpcMethod] Task<int> GetAsync(int id); } }
            """,
        ["rpc types named like generated members"] = """
            public sealed record Client(int Id);
            public sealed record Arguments0(int Id);
            public sealed record NoArguments;
            [RpcService("q")] public interface Instance
            {
                [RpcMethod] Task<Client> CreateClientAsync(Arguments0 arguments, NoArguments none);
                [RpcMethod] Task<Arguments0> DispatchAsync(Client client);
                [RpcMethod] Task Instance2Async(Instance instance);
            }
            """,
        ["rpc method with a default implementation"] = """
            [RpcService("q")] public interface IService { [RpcMethod] Task<int> GetAsync(int id) => Task.FromResult(id); }
            """,
        ["rpc method overloads with distinct wire names"] = """
            [RpcService("q")]
            public interface IService
            {
                [RpcMethod("byId")] Task<string> FindAsync(int id);
                [RpcMethod("byName")] Task<string> FindAsync(string name, CancellationToken cancellationToken = default);
            }
            """,
        ["rpc method with default parameter values"] = """
            [RpcService("q")] public interface IService { [RpcMethod] Task<int> GetAsync(int id = 3, string? name = null, CancellationToken cancellationToken = default); }
            """,
        ["rpc parameters of assorted types"] = """
            public enum Level { Low, High }
            public readonly record struct Point(int X, int Y);
            [RpcService("q")]
            public interface IService
            {
                [RpcMethod] Task<Level> GetAsync(Level level, Point point, Point? maybe, int[] numbers, object any, object? maybeAny, dynamic whatever);
                [RpcMethod] ValueTask<byte[]> BytesAsync(byte[] bytes);
            }
            """,
        ["rpc method with only a cancellation token"] = """
            [RpcService("q")] public interface IService { [RpcMethod] Task<int> CountAsync(CancellationToken cancellationToken); }
            """,
        ["rpc parameter of type CancellationToken?"] = """
            [RpcService("q")] public interface IService { [RpcMethod] Task<int> CountAsync(CancellationToken? cancellationToken); }
            """,
        ["rpc method named Async"] = """
            [RpcService("q")] public interface IService { [RpcMethod] Task Async(); [RpcMethod] Task<int> Run(int async, int await, int var, int nameof); }
            """,
        ["rpc service in a nullable-oblivious file"] = """
            #nullable disable
            public sealed class Dto { public string Name { get; set; } }
            [RpcService("q")]
            public interface IService
            {
                [RpcMethod] Task<string> GetAsync(string key, Dto dto, CancellationToken cancellationToken = default);
                [RpcMethod] Task<Dto> FindAsync(string key);
            }
            #nullable restore
            """,
        ["rpc nullable-annotated type arguments"] = """
            [RpcService("q")]
            public interface IService
            {
                [RpcMethod] Task<System.Collections.Generic.List<string?>?> GetAsync(System.Collections.Generic.Dictionary<string, string?>? map, (string? A, int B) pair);
            }
            """,
        ["rpc names differing only in case"] = """
            [RpcService("q")] public interface IService { [RpcMethod] Task<int> AddAsync(int value, int Value); [RpcMethod] Task<int> addAsync(int a); }
            """,
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
        ["rpc parameter named like the proxy's field"] = """
            [RpcService("q")] public interface IService { [RpcMethod] Task<int> GetAsync(int _caller, CancellationToken cancellationToken = default); }
            """,
        ["rpc method named like the proxy class"] = """
            [RpcService("q")] public interface IService { [RpcMethod] Task<int> Client(int id); }
            """,
        ["rpc method named like the proxy's field"] = """
            [RpcService("q")] public interface IService { [RpcMethod] Task<int> _caller(int id); }
            """,
        ["rpc methods named like object's methods"] = """
            [RpcService("q")]
            public interface IService
            {
                [RpcMethod] Task<string> GetType();
                [RpcMethod("hash")] Task<int> GetHashCode();
                [RpcMethod("string")] Task<string> ToString();
                [RpcMethod("clone")] Task<object> MemberwiseClone();
            }
            """,
        ["obsolete rpc method"] = """
            [RpcService("q")]
            public interface IService
            {
                [RpcMethod] Task<int> GetAsync(int id);
                [Obsolete("Use GetAsync.")] [RpcMethod] Task<int> OldGetAsync(int id);
            }
            """,
        ["rpc parameter of an obsolete type"] = """
            #pragma warning disable CS0618
            [Obsolete("Old.")] public sealed record OldDto(int Id);
            [RpcService("q")] public interface IService { [RpcMethod] Task<int> GetAsync(OldDto dto); }
            #pragma warning restore CS0618
            """,
        ["rpc parameter with a nullability attribute"] = """
            [RpcService("q")]
            public interface IService
            {
                [RpcMethod] Task SetAsync([System.Diagnostics.CodeAnalysis.AllowNull] string name);
            }
            """,
        ["rpc method returning a nullable result"] = """
            [RpcService("q")] public interface IService { [RpcMethod] ValueTask<string?> NameAsync(); }
            """,
        ["rpc method named await"] = """
            [RpcService("q")] public interface IService { [RpcMethod] Task<int> await(int id); }
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
