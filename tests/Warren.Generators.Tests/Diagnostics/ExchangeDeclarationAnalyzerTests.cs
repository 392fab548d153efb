using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Warren.Generators.Diagnostics.Analyzers;
using Xunit;
using static Warren.Generators.Tests.Diagnostics.AnalyzerVerifier<Warren.Generators.Diagnostics.Analyzers.ExchangeDeclarationAnalyzer>;

namespace Warren.Generators.Tests.Diagnostics;

/// <summary>WARREN003: two message types declare one exchange differently.</summary>
public sealed class ExchangeDeclarationAnalyzerTests
{
    [Fact]
    public Task Readme_examples_are_silent() => VerifyAsync(ContractSamples.Readme);

    [Theory]
    [InlineData("""[Topic("x")] public sealed record A(string T); [Topic("x", RoutingKey = "{T}")] public sealed record B(string T);""")]
    [InlineData("""[Fanout("x"), Durable] public sealed record A(string T); [Durable, Fanout("x")] public sealed record B(string T);""")]
    [InlineData("""[Queue("x")] public sealed record A(string T); [Fanout("x")] public sealed record B(string T);""")]
    [InlineData("""[Direct("x")] public sealed record A(string T); [Direct("X")] public sealed record B(string T);""")]
    [InlineData("""[Headers("x")] public sealed record A(string T); public static class Outer<T> { [Fanout("x")] public sealed record B(string T); }""")]
    public Task Agreeing_or_unrelated_declarations_are_silent(string source) => VerifyAsync(source);

    [Fact]
    public async Task Kind_conflict_is_reported_at_the_later_name_argument()
    {
        Diagnostic diagnostic = await VerifySingleAsync("""
            public static class Exchanges { public const string Logs = "logs"; }

            [Topic("logs", RoutingKey = "{Severity}")]
            public sealed record AppLog(string Severity, string Text);

            [Direct({|WARREN003:Exchanges.Logs|}, RoutingKey = "{Severity}")]
            public sealed record AuditLog(string Severity, string Text);
            """);

        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(
            "Exchange 'logs' is declared here as a non-durable direct exchange but as a non-durable topic exchange by 'AppLog'; RabbitMQ refuses the second declaration with PRECONDITION_FAILED",
            diagnostic.GetMessage());
    }

    [Fact]
    public async Task Durability_conflict_is_reported()
    {
        Diagnostic diagnostic = await VerifySingleAsync("""
            public static class Names { public const string Orders = "orders"; }

            namespace Billing
            {
                [Fanout("orders"), Durable] public sealed record Invoice(string Number);
            }

            namespace Shipping
            {
                [Fanout({|WARREN003:Names.Orders|})] public sealed record Parcel(string Number);
            }
            """);

        Assert.Equal(
            "Exchange 'orders' is declared here as a non-durable fanout exchange but as a durable fanout exchange by 'Billing.Invoice'; RabbitMQ refuses the second declaration with PRECONDITION_FAILED",
            diagnostic.GetMessage());
    }

    [Fact]
    public async Task Every_declaration_that_disagrees_with_the_first_by_type_name_is_reported_in_any_source_order()
    {
        IReadOnlyList<Diagnostic> diagnostics = await VerifyAsync("""
            [Topic({|WARREN003:"events"|}, RoutingKey = "{K}")] public sealed record Zebra(string K);
            [Direct("events", RoutingKey = "{K}")] public sealed record Mole(string K);
            [Direct("events", RoutingKey = "{K}")] public sealed record Ant(string K);
            [Headers({|WARREN003:"events"|}), Durable] public sealed record Yak(string K);
            """);

        // Ant is first by name: Mole agrees with it, Yak and Zebra do not.
        Assert.Equal(
            [
                "Exchange 'events' is declared here as a non-durable topic exchange but as a non-durable direct exchange by 'Ant'; RabbitMQ refuses the second declaration with PRECONDITION_FAILED",
                "Exchange 'events' is declared here as a durable headers exchange but as a non-durable direct exchange by 'Ant'; RabbitMQ refuses the second declaration with PRECONDITION_FAILED",
            ],
            diagnostics.Select(d => d.GetMessage()));
        Assert.All(diagnostics, d => Assert.Equal("\"events\"", LocatedText(d)));
    }

    [Fact]
    public async Task Declarations_in_different_files_are_compared()
    {
        // One source, two namespaces: the comparison runs at the end of the compilation, over every type.
        Diagnostic diagnostic = await VerifySingleAsync("""
            namespace A { [Headers("shapes")] public sealed record Circle([property: Header("color")] string Color); }
            namespace B { [Topic({|WARREN003:"shapes"|})] public sealed record Square(string Color); }
            """);

        Assert.Contains("by 'A.Circle'", diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }
}
