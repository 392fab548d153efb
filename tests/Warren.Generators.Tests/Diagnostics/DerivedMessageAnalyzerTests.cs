using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Warren.Generators.Diagnostics.Analyzers;
using Xunit;
using static Warren.Generators.Tests.Diagnostics.AnalyzerVerifier<Warren.Generators.Diagnostics.Analyzers.DerivedMessageAnalyzer>;

namespace Warren.Generators.Tests.Diagnostics;

/// <summary>WARREN019: a type derived from a message that its base does not list with [JsonDerivedType] (with a discriminator).</summary>
public sealed class DerivedMessageAnalyzerTests
{
    [Fact]
    public Task Readme_examples_are_silent() => VerifyAsync(ContractSamples.Readme);

    [Theory]
    [InlineData("""[Queue("q"), JsonDerivedType(typeof(Express), "express")] public record Order(string Id); public sealed record Express(string Id, int Hours) : Order(Id);""")]
    [InlineData("""[Queue("q"), JsonDerivedType(typeof(Drone), "drone")] public record Order(string Id); public abstract record Fast(string Id) : Order(Id); public sealed record Drone(string Id) : Fast(Id);""")]
    [InlineData("""[Queue("q")] public record Order(string Id); [Queue("express")] public sealed record Express(string Id, int Hours) : Order(Id);""")]
    [InlineData("""[Queue("q")] public record Order(string Id); public abstract record Fast(string Id) : Order(Id);""")]
    [InlineData("""public record Plain(string Id); public sealed record Derived(string Id, int N) : Plain(Id);""")]
    public Task Listed_separately_routed_abstract_or_unrelated_types_are_silent(string source) => VerifyAsync(source);

    [Fact]
    public async Task Unlisted_derived_type_is_reported_on_its_name()
    {
        Diagnostic diagnostic = await VerifySingleAsync("""
            [Queue("orders")] public record Order(string Id);
            public sealed record {|WARREN019:ExpressOrder|}(string Id, int Hours) : Order(Id);
            """);

        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(
            "'ExpressOrder' derives from message 'Order' and has no routing attribute of its own, so it is published as 'Order'; but 'Order' does not list it with [JsonDerivedType], " +
            "so its own properties would be silently dropped. Add [JsonDerivedType(typeof(ExpressOrder), \"expressOrder\")] to 'Order', or give 'ExpressOrder' a routing attribute to make it a message of its own",
            diagnostic.GetMessage());
    }

    [Fact]
    public Task Indirectly_derived_unlisted_type_is_reported() => VerifySingleAsync("""
        [Queue("orders"), JsonDerivedType(typeof(Express), "express")] public record Order(string Id);
        public record Express(string Id, int Hours) : Order(Id);
        public sealed record {|WARREN019:Drone|}(string Id, int Hours, string Pilot) : Express(Id, Hours);
        """);

    [Fact]
    public Task Derived_class_listed_on_another_message_is_reported() => VerifySingleAsync("""
        [Fanout("a"), JsonDerivedType(typeof(Special), "special")] public class Root { public string Id { get; init; } = ""; }
        [Fanout("b")] public class Middle : Root { }
        public sealed class {|WARREN019:Special|} : Middle { public int N { get; init; } }
        """);

    [Fact]
    public async Task Listed_without_discriminator_is_reported_at_the_attribute()
    {
        Diagnostic diagnostic = await VerifySingleAsync("""
            [Queue("orders"), {|WARREN019:JsonDerivedType(typeof(ExpressOrder))|}] public record Order(string Id);
            public sealed record ExpressOrder(string Id, int Hours) : Order(Id);
            """);

        Assert.StartsWith("[JsonDerivedType(typeof(ExpressOrder))] on 'Order' gives no type discriminator", diagnostic.GetMessage());
    }
}
