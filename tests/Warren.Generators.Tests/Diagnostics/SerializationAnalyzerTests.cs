using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Warren.Generators.Diagnostics.Analyzers;
using Xunit;
using static Warren.Generators.Tests.Diagnostics.AnalyzerVerifier<Warren.Generators.Diagnostics.Analyzers.SerializationAnalyzer>;

namespace Warren.Generators.Tests.Diagnostics;

/// <summary>WARREN008: message, RPC parameter and RPC result types System.Text.Json cannot serialize.</summary>
public sealed class SerializationAnalyzerTests
{
    [Fact]
    public Task Readme_examples_are_silent() => VerifyAsync(ContractSamples.Readme);

    [Theory]
    [InlineData("object")]
    [InlineData("dynamic")]
    [InlineData("string?")]
    [InlineData("int?")]
    [InlineData("Guid")]
    [InlineData("DateTimeOffset")]
    [InlineData("DateOnly")]
    [InlineData("byte[]")]
    [InlineData("int[][]")]
    [InlineData("IEnumerable<int>")]
    [InlineData("IReadOnlyList<string>")]
    [InlineData("IDictionary<string, int>")]
    [InlineData("IReadOnlyDictionary<Guid, List<int>>")]
    [InlineData("ISet<string>")]
    [InlineData("System.Collections.IList")]
    [InlineData("System.Collections.Immutable.IImmutableList<int>")]
    [InlineData("ReadOnlyMemory<byte>")]
    [InlineData("System.Text.Json.JsonElement")]
    [InlineData("System.Text.Json.Nodes.JsonNode")]
    [InlineData("System.Text.Json.Nodes.JsonObject")]
    [InlineData("(int A, string B)")]
    [InlineData("Polymorphic")]
    [InlineData("IPolymorphic")]
    [InlineData("WithConverter")]
    [InlineData("List<Polymorphic>")]
    public Task Serializable_rpc_types_are_silent(string type) => VerifyAsync($$"""
        [JsonDerivedType(typeof(Circle), "circle")] public abstract record Polymorphic;
        public sealed record Circle(double Radius) : Polymorphic;
        [JsonPolymorphic] public interface IPolymorphic { }
        [System.Text.Json.Serialization.JsonConverter(typeof(Converter))] public abstract class WithConverter { }
        public sealed class Converter : System.Text.Json.Serialization.JsonConverter<WithConverter>
        {
            public override WithConverter? Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options) => null;
            public override void Write(System.Text.Json.Utf8JsonWriter writer, WithConverter value, System.Text.Json.JsonSerializerOptions options) { }
        }

        [RpcService("q")]
        public interface IService
        {
            [RpcMethod] Task<{{type}}> GetAsync({{type}} value, CancellationToken cancellationToken = default);
        }
        """);

    [Theory]
    [InlineData("""[Queue("q")] public readonly record struct Point(int X, int Y);""")]
    [InlineData("""[Fanout("f"), JsonDerivedType(typeof(Circle))] public abstract record Shape; public sealed record Circle(double R) : Shape;""")]
    [InlineData("""[Topic("t")] public class Open { public Action? Callback { get; set; } }""")]
    public Task Serializable_messages_are_silent(string source) => VerifyAsync(source);

    [Fact]
    public Task Rpc_signatures_other_rules_report_are_silent() => VerifyAsync("""
        [RpcService("q")]
        public interface IService
        {
            [RpcMethod] Task<T> EchoAsync<T>(T value);
            [RpcMethod] Task<int> LengthAsync(ReadOnlySpan<char> text);
            [RpcMethod] Action Get();
        }
        """);

    [Fact]
    public async Task Generic_message_is_reported_at_its_routing_attribute()
    {
        Diagnostic diagnostic = await VerifySingleAsync("""
            [{|WARREN008:Queue("envelopes")|}, Durable]
            public sealed record Envelope<T>(T Body);
            """);

        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(
            "'Envelope<T>' cannot be serialized by System.Text.Json: it is an open generic type; Warren publishes and consumes closed types, so declare one message type for each payload",
            diagnostic.GetMessage());
    }

    [Theory]
    [InlineData("""public static class Outer<T> { [{|WARREN008:Fanout("f")|}] public sealed record Inner(string A); }""", "it is an open generic type")]
    [InlineData("""[{|WARREN008:Fanout("f")|}] public abstract record Shape(string Name);""", "'Shape' cannot be serialized by System.Text.Json: it is an abstract class without [JsonDerivedType] subclasses")]
    public async Task Message_type_is_reported_at_its_routing_attribute(string source, string expected)
    {
        Diagnostic diagnostic = await VerifySingleAsync(source);

        Assert.Contains(expected, diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ref_struct_message_is_reported_at_its_routing_attribute()
    {
        // Compiler errors are not checked: the generator still emits a descriptor for the ref struct (CS0306 in its
        // generated files), so WARREN008 is what tells the user why.
        Diagnostic diagnostic = Assert.Single(await VerifyInvalidCodeAsync("""
            [{|WARREN008:Queue("q")|}] public ref struct Frame { public int Length { get; set; } }
            """));

        Assert.Contains("'Frame' cannot be serialized by System.Text.Json: it is a ref struct", diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Action<int>", "'System.Action<int>' cannot be serialized by System.Text.Json: it is a delegate: code cannot travel as JSON")]
    [InlineData("Delegate", "it is a delegate")]
    [InlineData("Type", "'System.Type' cannot be serialized by System.Text.Json: it is reflection metadata (System.Type, MethodInfo and the like), which System.Text.Json refuses; send a name instead")]
    [InlineData("System.Reflection.MethodInfo", "it is reflection metadata")]
    [InlineData("IntPtr", "'nint' cannot be serialized by System.Text.Json: it is a native-sized integer (IntPtr, UIntPtr), which System.Text.Json refuses; use long or ulong")]
    [InlineData("nuint", "it is a native-sized integer")]
    [InlineData("IShape", "'IShape' cannot be serialized by System.Text.Json: it is an interface without [JsonDerivedType] implementations, so System.Text.Json cannot create one when it reads the JSON")]
    [InlineData("Shape", "it is an abstract class without [JsonDerivedType] subclasses")]
    [InlineData("System.IO.Stream", "it is a stream")]
    [InlineData("int[,]", "'int[*,*]' cannot be serialized by System.Text.Json: it is a multi-dimensional array, which System.Text.Json does not support; use a jagged array such as int[][]")]
    [InlineData("List<Func<int>>", "'System.Collections.Generic.List<System.Func<int>>' cannot be serialized by System.Text.Json: it contains 'System.Func<int>', which is a delegate")]
    [InlineData("Dictionary<string, Type[]>", "it contains 'System.Type', which is reflection metadata")]
    [InlineData("IReadOnlyList<IShape>", "it contains 'IShape', which is an interface without [JsonDerivedType] implementations")]
    [InlineData("Shape?[]", "it contains 'Shape', which is an abstract class")]
    [InlineData("(int, Action)", "it contains 'System.Action', which is a delegate")]
    public async Task Rpc_parameter_is_reported_at_its_type(string type, string expected)
    {
        Diagnostic diagnostic = await VerifySingleAsync($$"""
            public interface IShape { double Area { get; } }
            public abstract class Shape { public abstract double Area { get; } }

            [RpcService("q")]
            public interface IService
            {
                [RpcMethod] Task SendAsync({|WARREN008:{{type}}|} value, CancellationToken cancellationToken = default);
            }
            """);

        Assert.Contains(expected, diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Task<IShape>", "'IShape' cannot be serialized by System.Text.Json: it is an interface")]
    [InlineData("ValueTask<Func<int>?>", "'System.Func<int>' cannot be serialized by System.Text.Json: it is a delegate")]
    [InlineData("Task<List<Type>>", "it contains 'System.Type'")]
    public async Task Rpc_result_is_reported_at_the_return_type(string returnType, string expected)
    {
        Diagnostic diagnostic = await VerifySingleAsync($$"""
            public interface IShape { double Area { get; } }

            [RpcService("q")]
            public interface IService
            {
                [RpcMethod] {|WARREN008:{{returnType}}|} GetAsync();
            }
            """);

        Assert.Contains(expected, diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_bad_parameter_and_result_is_reported()
    {
        IReadOnlyList<Diagnostic> diagnostics = await VerifyAsync("""
            [RpcService("q")]
            public interface IService
            {
                [RpcMethod] {|WARREN008:Task<Type>|} GetAsync({|WARREN008:Action|} first, int fine, {|WARREN008:IntPtr|} second, CancellationToken cancellationToken);
            }
            """);

        Assert.Equal(["Task<Type>", "Action", "IntPtr"], diagnostics.Select(LocatedText));
    }
}
