using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Warren.Generators.Diagnostics.Analyzers;
using Xunit;
using static Warren.Generators.Tests.Diagnostics.AnalyzerVerifier<Warren.Generators.Diagnostics.Analyzers.MessageMembersAnalyzer>;

namespace Warren.Generators.Tests.Diagnostics;

/// <summary>WARREN020 (public fields on messages) and WARREN021 (message properties that cannot travel as JSON).</summary>
public sealed class MessageMembersAnalyzerTests
{
    [Fact]
    public Task Readme_examples_are_silent() => VerifyAsync(ContractSamples.Readme);

    [Theory]
    [InlineData("public const int Version = 1;")]
    [InlineData("public static int Count;")]
    [InlineData("private int _hidden;")]
    [InlineData("internal int Internal;")]
    [InlineData("[JsonInclude] public int Included;")]
    [InlineData("[JsonIgnore] public int Ignored;")]
    [InlineData("[JsonIgnore] public Action? Callback { get; init; }")]
    [InlineData("public Action? Callback { private get; init; }")]
    [InlineData("internal System.IO.Stream? Body { get; init; }")]
    [InlineData("public static Func<int>? Factory { get; set; }")]
    [InlineData("public byte[] Bytes { get; init; } = [];")]
    [InlineData("public ReadOnlyMemory<byte> Memory { get; init; }")]
    [InlineData("public string Name { get; init; } = \"\";")]
    public Task Serializable_members_are_silent(string member) => VerifyAsync($$"""
        [Queue("q")]
        public sealed class Message
        {
            {{member}}
        }
        """);

    [Fact]
    public Task Members_of_types_that_are_not_messages_are_silent() => VerifyAsync("""
        public sealed class NotAMessage { public int Field; public Action? Callback { get; init; } }
        """);

    [Fact]
    public async Task Public_field_is_reported_on_the_field()
    {
        Diagnostic diagnostic = await VerifySingleAsync("""
            [Queue("orders")]
            public sealed class Order
            {
                public string Id { get; init; } = "";
                public int {|WARREN020:Quantity|};
            }
            """);

        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(
            "Public field 'Quantity' of message 'Order' is not serialized: System.Text.Json leaves fields out, so its value never reaches consumers. Make it a property ({ get; init; }), or mark it [JsonInclude]",
            diagnostic.GetMessage());
    }

    [Fact]
    public Task Readonly_field_of_a_struct_message_is_reported() => VerifySingleAsync("""
        [Fanout("prices")] public readonly struct Tick { public readonly decimal {|WARREN020:Price|}; public Tick(decimal price) => Price = price; }
        """);

    [Fact]
    public async Task Field_inherited_from_a_base_in_source_is_reported_on_the_message()
    {
        Diagnostic diagnostic = await VerifySingleAsync("""
            public abstract class Envelope { public string Tenant = ""; }
            [Queue("orders")] public sealed class {|WARREN020:Order|} : Envelope { public string Id { get; init; } = ""; }
            """);

        Assert.StartsWith("Public field 'Tenant' of message 'Order' (inherited from 'Envelope') is not serialized", diagnostic.GetMessage());
    }

    [Fact]
    public Task Field_of_a_derived_message_is_reported() => VerifySingleAsync("""
        [Queue("orders"), JsonDerivedType(typeof(Express), "express")] public class Order { public string Id { get; init; } = ""; }
        public sealed class Express : Order { public int {|WARREN020:Hours|}; }
        """);

    [Theory]
    [InlineData("Action", "it is a delegate: code cannot travel as JSON")]
    [InlineData("Func<int, string>", "it is a delegate: code cannot travel as JSON")]
    [InlineData("EventHandler", "it is a delegate: code cannot travel as JSON")]
    [InlineData("Delegate", "it is a delegate: code cannot travel as JSON")]
    [InlineData("System.IO.Stream", "it is a stream, which System.Text.Json cannot write or read; send its bytes (byte[] or ReadOnlyMemory<byte>) instead")]
    [InlineData("System.IO.MemoryStream", "it is a stream, which System.Text.Json cannot write or read; send its bytes (byte[] or ReadOnlyMemory<byte>) instead")]
    [InlineData("IntPtr", "it is a native-sized integer (IntPtr, UIntPtr), which System.Text.Json refuses; use long or ulong")]
    [InlineData("nuint", "it is a native-sized integer (IntPtr, UIntPtr), which System.Text.Json refuses; use long or ulong")]
    [InlineData("Type", "it is reflection metadata (System.Type, MethodInfo and the like), which System.Text.Json refuses; send a name instead")]
    [InlineData("System.Reflection.MethodInfo", "it is reflection metadata (System.Type, MethodInfo and the like), which System.Text.Json refuses; send a name instead")]
    [InlineData("List<Action>", "it contains 'System.Action', which is a delegate: code cannot travel as JSON")]
    public async Task Property_that_cannot_travel_is_reported_on_the_property(string type, string reason)
    {
        Diagnostic diagnostic = await VerifySingleAsync($$"""
            [Topic("jobs")]
            public sealed record Job(string Id)
            {
                public {{type}} {|WARREN021:Payload|} { get; init; } = default!;
            }
            """);

        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal($"Property 'Payload' of message 'Job' cannot be serialized: {reason}. Change its type, or mark it [JsonIgnore] if it should not travel.", diagnostic.GetMessage());
    }

    [Fact]
    public Task Pointer_property_is_reported() => VerifySingleAsync("""
        [Queue("q")] public unsafe sealed class Raw { public int* {|WARREN021:Address|} { get; init; } }
        """);

    [Fact]
    public Task Positional_record_parameter_that_cannot_travel_is_reported() => VerifySingleAsync("""
        [Queue("q")] public sealed record Work(string Id, Action {|WARREN021:Done|});
        """);

    [Fact]
    public async Task Inherited_property_is_reported_on_the_message()
    {
        IReadOnlyList<Diagnostic> diagnostics = await VerifyAsync("""
            public abstract class Base { public Func<int>? Callback { get; init; } public int Kept; }
            [Queue("q")] public sealed class {|#0:Message|} : Base { }
            """, Diagnostic("WARREN020").WithLocation(0), Diagnostic("WARREN021").WithLocation(0));

        Assert.Equal(2, diagnostics.Count);
        Assert.All(diagnostics, d => Assert.Equal("Message", LocatedText(d)));
        Assert.Contains(diagnostics, d => d.Id == "WARREN021" && d.GetMessage().StartsWith("Property 'Callback (inherited from 'Base')' of message 'Message'", System.StringComparison.Ordinal));
        Assert.Contains(diagnostics, d => d.Id == "WARREN020");
    }
}
