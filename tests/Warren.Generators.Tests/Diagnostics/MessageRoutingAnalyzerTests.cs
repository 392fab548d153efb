using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Warren.Generators.Diagnostics.Analyzers;
using Xunit;
using static Warren.Generators.Tests.Diagnostics.AnalyzerVerifier<Warren.Generators.Diagnostics.Analyzers.MessageRoutingAnalyzer>;

namespace Warren.Generators.Tests.Diagnostics;

/// <summary>WARREN001 and WARREN002 on the routing-key templates of [Direct] and [Topic] messages.</summary>
public sealed class MessageRoutingAnalyzerTests
{
    [Fact]
    public Task Tutorial_messages_are_silent() => VerifyAsync(TutorialTopology.Source);

    [Theory]
    [InlineData("""[Topic("t", RoutingKey = "{Value}.{Other}")] public sealed record Derived(string Other) : BaseMessage; public abstract record BaseMessage { public int Value { get; init; } }""")]
    [InlineData("""[Topic("t", RoutingKey = "{Value}")] public class P { protected internal int Value { get; init; } }""")]
    [InlineData("""[Topic("t", RoutingKey = "{Value}")] public class P { internal int Value { get; private set; } }""")]
    [InlineData("""[Topic("t", RoutingKey = "{ A }.{B}")] public readonly record struct Rs(int A, string B);""")]
    [InlineData("""[Topic("t", RoutingKey = "{event}")] public sealed record Keyworded(string @event);""")]
    [InlineData("""[Topic("t", RoutingKey = "order.{A}.x}.done")] public sealed record Brace(string A);""")]
    [InlineData("""[Topic("t", RoutingKey = "")] public sealed record Empty(string A);""")]
    [InlineData("""[Topic("t", RoutingKey = "{A}{B}")] public sealed record Joined(string A, int B);""")]
    [InlineData("""[Topic("t")] public sealed record NoTemplate(string A);""")]
    [InlineData("""[Direct("d", RoutingKey = "a..b.{A}")] public sealed record DirectDots(string A);""")]
    [InlineData("""[Direct("d", RoutingKey = Keys.Fixed)] public sealed record FromConstant(string A); public static class Keys { public const string Fixed = "fixed"; }""")]
    public Task Valid_templates_are_silent(string declaration) => VerifyAsync(declaration);

    [Fact]
    public async Task Missing_property_is_reported_at_the_template()
    {
        Diagnostic diagnostic = await VerifySingleAsync("""
            [Topic("topic_logs", RoutingKey = {|WARREN001:"{Facility}.{Severty}"|})]
            public sealed record KernelLog(string Facility, string Severity);
            """);

        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(
            "The routing-key template '{Facility}.{Severty}' names 'Severty', which is not a readable property of 'KernelLog'",
            diagnostic.GetMessage());
    }

    [Theory]
    [InlineData("""public sealed class M { public string A { private get; set; } = ""; }""", "getter is not public or internal")]
    [InlineData("""public sealed class M { public string A { set { } } }""", "without a getter")]
    [InlineData("""public sealed class M { public static string A => ""; }""", "static property")]
    [InlineData("""public sealed class M { public string A = ""; }""", "a field")]
    [InlineData("""public sealed class M { public string A() => ""; }""", "a method")]
    [InlineData("""public sealed record M(string a);""", "did you mean '{a}'")]
    [InlineData("""public sealed record M(string B);""", "not a readable property of 'M'")]
    public async Task Unreadable_member_is_reported_with_the_reason(string declaration, string expectedReason)
    {
        Diagnostic diagnostic = await VerifySingleAsync($$"""
            [Direct("d", RoutingKey = {|WARREN001:"x.{A}"|})]
            {{declaration}}
            """);

        Assert.Contains(expectedReason, diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unclosed_brace_is_reported()
    {
        Diagnostic diagnostic = await VerifySingleAsync("""
            [Topic("topic_logs", RoutingKey = {|WARREN001:"{Facility}.{Severity"|})]
            public sealed record KernelLog(string Facility, string Severity);
            """);

        Assert.Contains("brace at position 11 that is never closed", diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_braces_are_reported()
    {
        Diagnostic diagnostic = await VerifySingleAsync("""
            [Direct("d", RoutingKey = {|WARREN001:"{}"|})] public sealed record M(string Severity);
            """);

        Assert.Contains("empty braces", diagnostic.GetMessage(), System.StringComparison.Ordinal);
        Assert.Contains("'{Severity}'", diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_missing_property_is_reported_once()
    {
        var diagnostics = await VerifyAsync("""
            [Topic("t", RoutingKey = {|#0:"{A}.{B}.{A}.{C}"|})] public sealed record M(string C);
            """, Diagnostic("WARREN001").WithLocation(0), Diagnostic("WARREN001").WithLocation(0));

        Assert.Equal(2, diagnostics.Count);
        Assert.All(diagnostics, d => Assert.Equal("WARREN001", d.Id));
        Assert.Contains("names 'A'", diagnostics[0].GetMessage(), System.StringComparison.Ordinal);
        Assert.Contains("names 'B'", diagnostics[1].GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task Template_on_a_type_with_a_second_routing_attribute_is_still_checked()
    {
        await VerifySingleAsync("""
            [Fanout("f"), Topic("t", RoutingKey = {|WARREN001:"{Nope}"|})] public sealed record M(string A);
            """);
    }

    [Theory]
    [InlineData("Topic", "{A}..{B}", "two dots in a row")]
    [InlineData("Topic", ".{A}", "starts with a dot")]
    [InlineData("Topic", "{A}.", "ends with a dot")]
    [InlineData("Topic", "a.*", "'*' is a wildcard")]
    [InlineData("Topic", "#.{A}", "'#' is a wildcard")]
    [InlineData("Topic", "{A}.x#", "'#' is a wildcard")]
    [InlineData("Direct", "{A}*", "'*' is a wildcard")]
    [InlineData("Direct", "#", "'#' is a wildcard")]
    public async Task Invalid_fixed_text_in_a_template_is_reported(string attribute, string template, string expectedReason)
    {
        Diagnostic diagnostic = await VerifySingleAsync($$"""
            [{{attribute}}("x", RoutingKey = {|WARREN002:"{{template}}"|})] public sealed record M(string A, string B);
            """);

        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.StartsWith($"The routing-key template '{template}' is invalid: ", diagnostic.GetMessage(), System.StringComparison.Ordinal);
        Assert.Contains(expectedReason, diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(255, false)]
    [InlineData(256, true)]
    public async Task Fixed_text_over_255_bytes_is_reported(int length, bool reported)
    {
        string template = new string('k', length - 1) + ".{A}";   // the property's value is unknown: the fixed text alone counts
        string literal = $"\"{template}\"";
        string source = $$"""[Topic("x", RoutingKey = {{(reported ? "{|WARREN002:" + literal + "|}" : literal)}})] public sealed record M(string A);""";
        if (reported)
        {
            Diagnostic diagnostic = await VerifySingleAsync(source);
            Assert.Contains($"{length} bytes", diagnostic.GetMessage(), System.StringComparison.Ordinal);
        }
        else
        {
            await VerifyAsync(source);
        }
    }

    [Fact]
    public async Task Bytes_are_counted_in_utf8()
    {
        string template = new string('é', 128);   // 128 characters, 256 bytes
        Diagnostic diagnostic = await VerifySingleAsync($$"""[Direct("x", RoutingKey = {|WARREN002:"{{template}}"|})] public sealed record M(string A);""");

        Assert.Contains("256 bytes", diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_template_with_a_missing_property_and_a_bad_literal_gets_both()
    {
        var diagnostics = await VerifyAsync("""[Topic("x", RoutingKey = {|#0:"{Nope}..a"|})] public sealed record M(string A);""",
            Diagnostic("WARREN001").WithLocation(0), Diagnostic("WARREN002").WithLocation(0));

        Assert.Equal(["WARREN001", "WARREN002"], diagnostics.Select(d => d.Id).Order());
    }
}
