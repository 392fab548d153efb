using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = Warren.CodeFixes.Tests.CodeFixVerifier<
    Warren.Generators.Diagnostics.Analyzers.DerivedMessageAnalyzer,
    Warren.CodeFixes.DerivedMessageCodeFixProvider>;

namespace Warren.CodeFixes.Tests;

/// <summary>WARREN019: the derived type listed on its message with [JsonDerivedType] and a discriminator.</summary>
public sealed class DerivedMessageCodeFixTests
{
    [Fact]
    public Task Unlisted_derived_type_is_listed_below_the_message_attributes() => Verify.VerifyAsync(
        Verify.Usings + """
        [Queue("orders")]
        public record {|#1:Order|}(string Id);

        public sealed record {|#0:ExpressOrder|}(string Id, int Hours) : Order(Id);
        """,
        Verify.Usings + """
        [Queue("orders")]
        [JsonDerivedType(typeof(ExpressOrder), "expressOrder")]
        public record Order(string Id);

        public sealed record ExpressOrder(string Id, int Hours) : Order(Id);
        """,
        fixAll: false,
        expected: new DiagnosticResult("WARREN019", DiagnosticSeverity.Error).WithLocation(0).WithLocation(1));

    [Fact]
    public Task Listed_type_without_a_discriminator_gets_one() => Verify.VerifyAsync(
        Verify.Usings + """
        [Queue("orders"), {|WARREN019:JsonDerivedType(typeof(ExpressOrder))|}]
        public record Order(string Id);

        public sealed record ExpressOrder(string Id, int Hours) : Order(Id);
        """,
        Verify.Usings + """
        [Queue("orders"), JsonDerivedType(typeof(ExpressOrder), "expressOrder")]
        public record Order(string Id);

        public sealed record ExpressOrder(string Id, int Hours) : Order(Id);
        """,
        fixAll: false,
        nonLocal: true);
}
