using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Warren.Generators.Diagnostics.Analyzers;
using Xunit;
using static Warren.Generators.Tests.Diagnostics.AnalyzerVerifier<Warren.Generators.Diagnostics.Analyzers.MessageNameAnalyzer>;

namespace Warren.Generators.Tests.Diagnostics;

/// <summary>WARREN017 (an invalid wire name or alias) and WARREN018 (two messages share one).</summary>
public sealed class MessageNameAnalyzerTests
{
    [Fact]
    public Task Readme_examples_are_silent() => VerifyAsync(ContractSamples.Readme);

    [Theory]
    [InlineData("""[Message("orders.placed"), Queue("q")] public sealed record A(string T);""")]
    [InlineData("""[Message("orders.placed", Aliases = new[] { "Shop.OrderPlaced", "orders.placed.v1" }), Queue("q")] public sealed record A(string T);""")]
    [InlineData("""[Message("orders.placed", Aliases = ["Ns.A"]), Queue("q")] public sealed record A(string T);""")]
    [InlineData("""[Message("a"), Queue("q")] public sealed record A(string T); [Message("b", Aliases = new[] { "Ns.A" }), Fanout("x")] public sealed record B(string T);""")]
    [InlineData("""[Message("Ns.B"), Queue("q")] public sealed record A(string T); [Message("Ns.A"), Fanout("x")] public sealed record B(string T);""")]
    [InlineData("""[Message("same")] public sealed record NotAMessage(string T); [Message("same"), Queue("q")] public sealed record A(string T);""")]
    [InlineData("""[Message("über.straße.注文")] public sealed record A(string T);""")]
    public Task Valid_and_distinct_names_are_silent(string source) => VerifyAsync("namespace Ns;\n" + source);

    [Theory]
    [InlineData("\"\"", "''", "is empty")]
    [InlineData("\"  \"", "'  '", "is empty")]
    [InlineData("\"orders placed\"", "'orders placed'", "contains whitespace at position 6")]
    [InlineData("\"orders\\tplaced\"", "'orders\tplaced'", "contains a control character (U+0009) at position 6")]
    [InlineData("\"orders\\u0000\"", "'orders\0'", "contains a control character (U+0000) at position 6")]
    public async Task Invalid_wire_name_is_reported_at_the_name(string literal, string quoted, string problem)
    {
        Diagnostic diagnostic = await VerifySingleAsync($$"""
            [Message({|WARREN017:{{literal}}|}), Queue("q")] public sealed record A(string T);
            """);

        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.StartsWith($"The wire name {quoted} {problem}", diagnostic.GetMessage());
    }

    [Fact]
    public async Task Wire_name_over_255_utf8_bytes_is_reported()
    {
        // 128 two-byte characters: 128 characters, 256 bytes.
        string name = new('é', 128);
        Diagnostic diagnostic = await VerifySingleAsync($$"""
            [Message({|WARREN017:"{{name}}"|}), Queue("q")] public sealed record A(string T);
            """);

        Assert.EndsWith("is 256 bytes in UTF-8, over the 255 an AMQP short string (the type property) can hold", diagnostic.GetMessage());
    }

    [Fact]
    public Task Wire_name_of_exactly_255_bytes_is_silent() =>
        VerifyAsync($$"""[Message("{{new string('a', 255)}}"), Queue("q")] public sealed record A(string T);""");

    [Theory]
    [InlineData("new[] { \"old\", {|WARREN017:\"\"|} }", "\"\"", "The alias '' is empty")]
    [InlineData("new string[] { {|WARREN017:\"old name\"|} }", "\"old name\"", "The alias 'old name' contains whitespace at position 3")]
    [InlineData("[{|WARREN017:\"orders.placed\"|}]", "\"orders.placed\"", "The alias 'orders.placed' repeats the wire name")]
    [InlineData("new[] { \"old\", \"older\", {|WARREN017:\"old\"|} }", "\"old\"", "The alias 'old' is listed twice")]
    public async Task Invalid_alias_is_reported_at_the_alias(string aliases, string located, string message)
    {
        IReadOnlyList<Diagnostic> diagnostics = await VerifyAsync($$"""
            [Message("orders.placed", Aliases = {{aliases}}), Queue("q")] public sealed record A(string T);
            """);

        Diagnostic diagnostic = Assert.Single(diagnostics);
        Assert.Equal("WARREN017", diagnostic.Id);
        Assert.Equal(located, LocatedText(diagnostic));
        Assert.StartsWith(message, diagnostic.GetMessage());
        // The duplicate is reported at its second occurrence, not the first.
        if (message.EndsWith("twice", System.StringComparison.Ordinal))
        {
            Assert.True(diagnostic.Location.SourceSpan.Start > diagnostics[0].Location.SourceTree!.ToString().IndexOf("\"older\"", System.StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Shared_wire_name_is_reported_on_both_types()
    {
        IReadOnlyList<Diagnostic> diagnostics = await VerifyAsync("""
            namespace Ns;
            [Message({|WARREN018:"orders.placed"|}), Queue("orders")] public sealed record OrderPlaced(string Id);
            [Message({|WARREN018:"orders.placed"|}), Fanout("audit")] public sealed record AuditedOrder(string Id);
            """);

        Assert.Equal(2, diagnostics.Count);
        Assert.All(diagnostics, d => Assert.Equal("WARREN018", d.Id));
        Assert.All(diagnostics, d => Assert.Equal("\"orders.placed\"", LocatedText(d)));
        Assert.Equal(
            "'orders.placed' is the wire name here and the wire name of 'Ns.AuditedOrder': consumers could not tell the two messages apart on the wire. Give each message its own [Message] name and aliases.",
            diagnostics[0].GetMessage());
        Assert.Equal(
            "'orders.placed' is the wire name here and the wire name of 'Ns.OrderPlaced': consumers could not tell the two messages apart on the wire. Give each message its own [Message] name and aliases.",
            diagnostics[1].GetMessage());
    }

    [Fact]
    public async Task Alias_equal_to_another_messages_clr_name_is_reported_at_the_alias_and_the_routing_attribute()
    {
        IReadOnlyList<Diagnostic> diagnostics = await VerifyAsync("""
            namespace Ns;
            [{|WARREN018:Queue("a")|}] public sealed record Legacy(string Id);
            [Message("orders.placed", Aliases = new[] { {|WARREN018:"Ns.Legacy"|} }), Queue("b")] public sealed record OrderPlaced(string Id);
            """);

        Assert.Equal(2, diagnostics.Count);
        Assert.Equal("Queue(\"a\")", LocatedText(diagnostics[0]));
        Assert.StartsWith("'Ns.Legacy' is the wire name here and an alias of 'Ns.OrderPlaced'", diagnostics[0].GetMessage());
        Assert.Equal("\"Ns.Legacy\"", LocatedText(diagnostics[1]));
        Assert.StartsWith("'Ns.Legacy' is an alias here and the wire name of 'Ns.Legacy'", diagnostics[1].GetMessage());
    }

    [Fact]
    public async Task Shared_alias_is_reported_on_both_types()
    {
        IReadOnlyList<Diagnostic> diagnostics = await VerifyAsync("""
            [Message("a", Aliases = new[] { {|WARREN018:"old"|} }), Queue("a")] public sealed record A(string Id);
            [Message("b", Aliases = new[] { {|WARREN018:"old"|} }), Queue("b")] public sealed record B(string Id);
            """);

        Assert.Equal(2, diagnostics.Count);
        Assert.All(diagnostics, d => Assert.Equal("WARREN018", d.Id));
        Assert.All(diagnostics, d => Assert.Equal("\"old\"", LocatedText(d)));
        Assert.StartsWith("'old' is an alias here and an alias of 'B'", diagnostics[0].GetMessage());
    }

    [Fact]
    public async Task Report_is_deterministic_whatever_the_declaration_order()
    {
        const string First = """[Message({|WARREN018:"x"|}), Queue("a")] public sealed record A(string Id);""";
        const string Second = """[Message({|WARREN018:"x"|}), Queue("b")] public sealed record B(string Id);""";
        IReadOnlyList<Diagnostic> forward = await VerifyAsync(First + "\n" + Second);
        IReadOnlyList<Diagnostic> backward = await VerifyAsync(Second + "\n" + First);

        Assert.Equal(forward.Select(d => d.GetMessage()).OrderBy(m => m), backward.Select(d => d.GetMessage()).OrderBy(m => m));
        Assert.Equal(2, forward.Count);
    }
}
