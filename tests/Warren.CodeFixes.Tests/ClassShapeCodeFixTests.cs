using System.Threading.Tasks;
using Xunit;
using VerifyConsumer = Warren.CodeFixes.Tests.CodeFixVerifier<
    Warren.Generators.Diagnostics.Analyzers.ConsumerClassAnalyzer,
    Warren.CodeFixes.ClassShapeCodeFixProvider>;
using VerifyServer = Warren.CodeFixes.Tests.CodeFixVerifier<
    Warren.Generators.Diagnostics.Analyzers.RpcServerClassAnalyzer,
    Warren.CodeFixes.ClassShapeCodeFixProvider>;

namespace Warren.CodeFixes.Tests;

/// <summary>WARREN011 and WARREN013: a consumer or RPC server class made non-abstract or accessible.</summary>
public sealed class ClassShapeCodeFixTests
{
    private const string Message = """
        [Queue("pings")] public sealed record Ping(string Text);

        """;

    private const string Handle = "public ValueTask HandleAsync(Ping message, MessageContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;";

    [Fact]
    public Task Abstract_consumer_with_nothing_abstract_left_becomes_concrete() => VerifyConsumer.VerifyAsync(
        VerifyConsumer.Usings + Message + $$"""
        /// <summary>Pings.</summary>
        [Consumer]
        public abstract class {|WARREN011:PingConsumer|} : IConsumer<Ping>
        {
            {{Handle}}
        }
        """,
        VerifyConsumer.Usings + Message + $$"""
        /// <summary>Pings.</summary>
        [Consumer]
        public class PingConsumer : IConsumer<Ping>
        {
            {{Handle}}
        }
        """);

    [Fact]
    public Task Abstract_first_modifier_hands_its_indentation_on() => VerifyConsumer.VerifyAsync(
        VerifyConsumer.Usings + Message + $$"""
        public static class Outer
        {
            [Consumer]
            abstract internal class {|WARREN011:PingConsumer|} : IConsumer<Ping> { {{Handle}} }
        }
        """,
        VerifyConsumer.Usings + Message + $$"""
        public static class Outer
        {
            [Consumer]
            internal class PingConsumer : IConsumer<Ping> { {{Handle}} }
        }
        """);

    [Fact]
    public Task Private_nested_consumer_becomes_internal() => VerifyConsumer.VerifyAsync(
        VerifyConsumer.Usings + Message + $$"""
        public sealed class Outer
        {
            [Consumer] private sealed class {|WARREN011:PingConsumer|} : IConsumer<Ping> { {{Handle}} }
        }
        """,
        VerifyConsumer.Usings + Message + $$"""
        public sealed class Outer
        {
            [Consumer] internal sealed class PingConsumer : IConsumer<Ping> { {{Handle}} }
        }
        """,
        equivalenceKey: "MakeAccessible:internal");

    [Fact]
    public Task Nested_consumer_without_a_modifier_can_become_public() => VerifyConsumer.VerifyAsync(
        VerifyConsumer.Usings + Message + $$"""
        public sealed class Outer
        {
            [Consumer]
            sealed class {|WARREN011:PingConsumer|} : IConsumer<Ping> { {{Handle}} }

            [Consumer]
            private protected sealed class {|WARREN011:OtherConsumer|} : IConsumer<Ping> { {{Handle}} }
        }
        """,
        VerifyConsumer.Usings + Message + $$"""
        public sealed class Outer
        {
            [Consumer]
            public sealed class PingConsumer : IConsumer<Ping> { {{Handle}} }

            [Consumer]
            public sealed class OtherConsumer : IConsumer<Ping> { {{Handle}} }
        }
        """,
        equivalenceKey: "MakeAccessible:public",
        actionIndex: 1);

    [Fact]
    public Task Consumer_nested_in_a_private_class_makes_that_class_internal() => VerifyConsumer.VerifyAsync(
        VerifyConsumer.Usings + Message + $$"""
        public sealed class Outer
        {
            private static class Inner
            {
                [Consumer] public sealed class {|WARREN011:PingConsumer|} : IConsumer<Ping> { {{Handle}} }
            }
        }
        """,
        VerifyConsumer.Usings + Message + $$"""
        public sealed class Outer
        {
            internal static class Inner
            {
                [Consumer] public sealed class PingConsumer : IConsumer<Ping> { {{Handle}} }
            }
        }
        """,
        equivalenceKey: "MakeAccessible:internal");

    [Fact]
    public Task File_local_consumer_becomes_internal() => VerifyConsumer.VerifyAsync(
        VerifyConsumer.Usings + Message + $$"""
        [Consumer] file sealed class {|WARREN011:PingConsumer|} : IConsumer<Ping> { {{Handle}} }
        """,
        VerifyConsumer.Usings + Message + $$"""
        [Consumer] internal sealed class PingConsumer : IConsumer<Ping> { {{Handle}} }
        """,
        equivalenceKey: "MakeAccessible:internal");

    [Theory]
    // Abstract with an abstract member: making it concrete means writing the member, a decision the fix cannot make.
    [InlineData("[Consumer] public abstract class {|WARREN011:PingConsumer|} : IConsumer<Ping> { " + Handle + " public abstract void Log(); }")]
    // Abstract, deriving an abstract member it does not override.
    [InlineData("public abstract class Base { public abstract void Log(); } [Consumer] public abstract class {|WARREN011:PingConsumer|} : Base, IConsumer<Ping> { " + Handle + " }")]
    // A struct, a static class, no IConsumer<T>, private constructors: each needs a decision.
    [InlineData("[{|CS0592:Consumer|}] public struct {|WARREN011:PingConsumer|} : IConsumer<Ping> { " + Handle + " }")]
    [InlineData("[Consumer] public sealed class {|WARREN011:PingConsumer|} { }")]
    [InlineData("[Consumer] public sealed class {|WARREN011:PingConsumer|} : IConsumer<Ping> { private PingConsumer() { } " + Handle + " }")]
    public Task No_fix_is_offered_when_the_change_is_not_clear(string source) => VerifyConsumer.VerifyNoFixAsync(VerifyConsumer.Usings + Message + source);

    [Fact]
    public Task Abstract_rpc_server_becomes_concrete() => VerifyServer.VerifyAsync(
        VerifyServer.Usings + """
        [RpcService("echo")] public interface IEcho { [RpcMethod] Task<string> EchoAsync(string text); }
        [RpcServer] public abstract class {|WARREN013:EchoServer|} : IEcho { public Task<string> EchoAsync(string text) => Task.FromResult(text); }
        """,
        VerifyServer.Usings + """
        [RpcService("echo")] public interface IEcho { [RpcMethod] Task<string> EchoAsync(string text); }
        [RpcServer] public class EchoServer : IEcho { public Task<string> EchoAsync(string text) => Task.FromResult(text); }
        """);

    [Fact]
    public Task Fix_all_makes_every_abstract_consumer_concrete() => VerifyConsumer.VerifyAsync(
        VerifyConsumer.Usings + Message + $$"""
        [Consumer] public abstract class {|WARREN011:First|} : IConsumer<Ping> { {{Handle}} }
        [Consumer] public abstract class {|WARREN011:Second|} : IConsumer<Ping> { {{Handle}} }
        """,
        VerifyConsumer.Usings + Message + $$"""
        [Consumer] public class First : IConsumer<Ping> { {{Handle}} }
        [Consumer] public class Second : IConsumer<Ping> { {{Handle}} }
        """);

    [Fact]
    public Task Every_part_of_a_partial_consumer_loses_abstract() => VerifyConsumer.VerifyAsync(
        VerifyConsumer.Usings + Message + $$"""
        [Consumer] public abstract partial class {|WARREN011:PingConsumer|} : IConsumer<Ping> { }
        public abstract partial class PingConsumer { {{Handle}} }
        """,
        VerifyConsumer.Usings + Message + $$"""
        [Consumer] public partial class PingConsumer : IConsumer<Ping> { }
        public partial class PingConsumer { {{Handle}} }
        """);
}
