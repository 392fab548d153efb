using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Warren.Generators.Diagnostics.Analyzers;
using Xunit;
using static Warren.Generators.Tests.Diagnostics.AnalyzerVerifier<Warren.Generators.Diagnostics.Analyzers.JsonContextCoverageAnalyzer>;

namespace Warren.Generators.Tests.Diagnostics;

/// <summary>WARREN009: types Warren serializes that no JsonSerializerContext lists, in a trimmed or NativeAOT project.</summary>
public sealed class JsonContextCoverageAnalyzerTests
{
    private static readonly Dictionary<string, string> Aot = new() { ["PublishAot"] = "true" };

    private static string Context(string name, params string[] types) =>
        string.Concat(types.Select(t => $"[JsonSerializable(typeof({t}))]\n")) + $$"""
        internal partial class {{name}} : JsonSerializerContext
        {
            public {{name}}() : base(null) { }
            public static {{name}} Default { get; } = new();
            protected override System.Text.Json.JsonSerializerOptions? GeneratedSerializerOptions => null;
            public override System.Text.Json.Serialization.Metadata.JsonTypeInfo? GetTypeInfo(Type type) => null;
        }
        """;

    [Fact]
    public Task Readme_examples_without_a_context_are_silent_when_not_trimmed() => VerifyAsync(ContractSamples.Readme);

    [Theory]
    [InlineData("PublishAot", "false")]
    [InlineData("PublishTrimmed", "")]
    [InlineData("IsTrimmable", "no")]
    [InlineData("TrimMode", "full")]
    public Task Untrimmed_project_is_silent(string property, string value) =>
        VerifyAsync(ContractSamples.Readme, new Dictionary<string, string> { [property] = value });

    [Fact]
    public Task Readme_examples_with_a_complete_context_are_silent_under_aot() =>
        VerifyAsync(ContractSamples.ReadmeWithJsonContext, Aot);

    [Theory]
    [InlineData("PublishAot", "true")]
    [InlineData("PublishTrimmed", "True")]
    [InlineData("IsTrimmable", "TRUE")]
    [InlineData("IsAotCompatible", " true ")]
    public async Task Each_trimming_property_turns_the_rule_on(string property, string value)
    {
        Diagnostic diagnostic = await VerifySingleAsync("""
            [{|WARREN009:Queue("hello")|}] public sealed record Hello(string Text);
            """, new Dictionary<string, string> { [property] = value });

        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
    }

    [Fact]
    public async Task Message_missing_from_the_context_is_reported_at_its_routing_attribute()
    {
        Diagnostic diagnostic = await VerifySingleAsync($$"""
            namespace App
            {
                [Queue("hello")] public sealed record Hello(string Text);
                [{|WARREN009:Fanout("logs")|}] public sealed record LogLine(string Text);
                {{Context("AppJsonContext", "Hello")}}
            }
            """, Aot);

        Assert.Equal(
            "'App.LogLine' is not covered by a JsonSerializerContext of this project, which is trimmed or NativeAOT: add [JsonSerializable(typeof(App.LogLine))] to 'App.AppJsonContext'",
            diagnostic.GetMessage());
    }

    [Fact]
    public async Task Without_any_context_the_message_says_to_create_one()
    {
        Diagnostic diagnostic = await VerifySingleAsync("""
            [{|WARREN009:Queue("hello")|}] public sealed record Hello(string Text);
            """, Aot);

        Assert.Equal(
            "'Hello' is not covered by a JsonSerializerContext of this project, which is trimmed or NativeAOT: add [JsonSerializable(typeof(Hello))] to a partial class deriving from JsonSerializerContext (this project has none; create one)",
            diagnostic.GetMessage());
    }

    [Fact]
    public async Task Rpc_parameter_and_result_types_are_roots_primitives_included()
    {
        IReadOnlyList<Diagnostic> diagnostics = await VerifyAsync($$"""
            public sealed record Sum(int Total);

            [RpcService("calc")]
            public interface ICalculator
            {
                [RpcMethod] {|WARREN009:Task<Sum>|} AddAsync(int a, {|WARREN009:int?|} b, string? label, CancellationToken cancellationToken = default);
                [RpcMethod] Task ResetAsync();
            }

            {{Context("AppJsonContext", "int", "string")}}
            """, Aot);

        // int covers int and string covers string?, but int? is another type; a listed type's property types are not roots.
        Assert.Equal(["Task<Sum>", "int?"], diagnostics.Select(LocatedText));
        Assert.Equal(
            "'int?' is not covered by a JsonSerializerContext of this project, which is trimmed or NativeAOT: add [JsonSerializable(typeof(int?))] to 'AppJsonContext', "
            + "and make that context the TypeInfoResolver of BusOptions.JsonSerializerOptions, which RPC calls serialize with",
            diagnostics[1].GetMessage());
        Assert.StartsWith("'Sum' is not covered", diagnostics[0].GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generic_roots_must_be_listed_as_written()
    {
        IReadOnlyList<Diagnostic> diagnostics = await VerifyAsync($$"""
            [RpcService("q")]
            public interface IService
            {
                [RpcMethod] Task<List<string>> ListAsync({|WARREN009:Dictionary<string, int>|} filter);
            }

            {{Context("AppJsonContext", "List<string>", "string", "int")}}
            """, Aot);

        Assert.Equal(["Dictionary<string, int>"], diagnostics.Select(LocatedText));
    }

    [Fact]
    public async Task Context_the_generator_cannot_name_covers_rpc_types_but_not_messages()
    {
        IReadOnlyList<Diagnostic> diagnostics = await VerifyAsync($$"""
            [{|WARREN009:Queue("hello")|}] public sealed record Hello(string Text);

            [RpcService("q")]
            public interface IService { [RpcMethod] Task RunAsync(Hello hello); }

            public static class Program
            {
                {{Context("PrivateContext", "Hello").Replace("internal partial class", "private partial class", System.StringComparison.Ordinal)}}
            }
            """, Aot);

        Diagnostic diagnostic = Assert.Single(diagnostics);
        Assert.Equal("Queue(\"hello\")", LocatedText(diagnostic));
        Assert.Contains(
            "add [JsonSerializable(typeof(Hello))] to an internal or public partial class deriving from JsonSerializerContext (the generated code cannot reach 'Program.PrivateContext', which is private, generic or file-local)",
            diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task Several_contexts_together_cover_the_roots()
    {
        await VerifyAsync($$"""
            [Queue("hello")] public sealed record Hello(string Text);
            [Fanout("logs")] public sealed record LogLine(string Text);
            {{Context("MessagesContext", "Hello")}}
            {{Context("MoreContext", "LogLine")}}
            """, Aot);
    }

    [Fact]
    public Task Types_other_rules_reject_are_not_asked_for()
    {
        // WARREN008 (a delegate, System.Type, an open generic message) and WARREN006 (a generic method): listing them would not help.
        return VerifyAsync($$"""
            [Queue("envelopes")] public sealed record Envelope<T>(T Body);

            [RpcService("q")]
            public interface IService
            {
                [RpcMethod] Task<Type> GetAsync(Action callback);
                [RpcMethod] Task<T> EchoAsync<T>(T value);
            }

            {{Context("AppJsonContext")}}
            """, Aot);
    }
}
