using System.Threading.Tasks;
using Warren.Generators.Diagnostics;
using Xunit;
using Verify = Warren.CodeFixes.Tests.CodeFixVerifier<
    Warren.Generators.Diagnostics.Analyzers.MessageRoutingAnalyzer,
    Warren.CodeFixes.RoutingKeyTemplateCodeFixProvider>;

namespace Warren.CodeFixes.Tests;

/// <summary>WARREN001: the nearest property names for a misspelled routing-key placeholder.</summary>
public sealed class RoutingKeyTemplateCodeFixTests
{
    [Fact]
    public Task Misspelled_placeholder_is_replaced_by_the_nearest_property_and_nothing_else_changes() => Verify.VerifyAsync(
        Verify.Usings + """
        [Topic("orders", RoutingKey = {|WARREN001:"{Regoin}.{OrderId}.eu"|})]
        public sealed record OrderPlaced(string Region, Guid OrderId);
        """,
        Verify.Usings + """
        [Topic("orders", RoutingKey = "{Region}.{OrderId}.eu")]
        public sealed record OrderPlaced(string Region, Guid OrderId);
        """,
        fixAll: false);

    [Fact]
    public Task Every_occurrence_of_the_placeholder_is_replaced_with_its_spacing_dropped() => Verify.VerifyAsync(
        Verify.Usings + """
        [Direct("orders", RoutingKey = {|WARREN001:@"{ Regoin }-{Regoin}"|})]
        public sealed record OrderPlaced(string Region);
        """,
        Verify.Usings + """
        [Direct("orders", RoutingKey = @"{Region}-{Region}")]
        public sealed record OrderPlaced(string Region);
        """,
        fixAll: false);

    [Fact]
    public Task A_name_that_differs_only_in_case_comes_first() => Verify.VerifyAsync(
        Verify.Usings + """
        [Topic("logs", RoutingKey = {|WARREN001:"{level}"|})]
        public sealed record LogLine(string Level, string Label, string Text);
        """,
        Verify.Usings + """
        [Topic("logs", RoutingKey = "{Level}")]
        public sealed record LogLine(string Level, string Label, string Text);
        """,
        actionIndex: 0,
        fixAll: false);

    [Fact]
    public Task Each_near_name_is_an_action_of_its_own() => Verify.VerifyAsync(
        Verify.Usings + """
        [Topic("payments", RoutingKey = {|WARREN001:"{Acount}"|})]
        public sealed record Payment(string Account, decimal Amount);
        """,
        Verify.Usings + """
        [Topic("payments", RoutingKey = "{Amount}")]
        public sealed record Payment(string Account, decimal Amount);
        """,
        equivalenceKey: "WARREN001:Acount:Amount",
        actionIndex: 1,
        fixAll: false);

    [Fact]
    public Task Two_misspelled_placeholders_are_two_diagnostics_each_with_its_fix() => Verify.VerifyAsync(
        Verify.Usings + """
        [Topic("orders", RoutingKey = {|WARREN001:{|WARREN001:"{Regoin}.{Cuntry}"|}|})]
        public sealed record OrderPlaced(string Region, string Country);
        """,
        Verify.Usings + """
        [Topic("orders", RoutingKey = "{Region}.{Country}")]
        public sealed record OrderPlaced(string Region, string Country);
        """,
        fixAll: false);

    [Theory]
    // Nothing near enough to suggest.
    [InlineData("""[Topic("orders", RoutingKey = {|WARREN001:"{Xyzzy}"|})] public sealed record OrderPlaced(string Region);""")]
    // Empty braces: no name to correct.
    [InlineData("""[Topic("orders", RoutingKey = {|WARREN001:"{}"|})] public sealed record OrderPlaced(string Region);""")]
    // A template that is not a string literal: the fix would have to edit the constant elsewhere.
    [InlineData("""[Topic("orders", RoutingKey = {|WARREN001:Keys.Order|})] public sealed record OrderPlaced(string Region); public static class Keys { public const string Order = "{Regoin}"; }""")]
    public Task No_fix_is_offered_when_no_name_is_clear(string source) => Verify.VerifyNoFixAsync(Verify.Usings + source);

    [Fact]
    public void Replace_splits_braces_as_the_generator_does()
    {
        Assert.Equal("a.{Region}.{Other}.{Region", RoutingKeyTemplateCodeFixProvider.Replace("a.{ Regoin}.{Other}.{Region", "Regoin", "Region"));
        Assert.Null(RoutingKeyTemplateCodeFixProvider.Replace("{Other}", "Regoin", "Region"));
    }

    [Theory]
    // The same name in another case first, then by distance (a swap of neighbours counts once), then by name.
    [InlineData("region", "Region,Legion,Regions", "Regions", "Legion", "Region")]
    [InlineData("Regoin", "Region", "Region", "Reason")]
    [InlineData("Acount", "Account,Amount", "Amount", "Account", "Count1234")]
    // At most three, within a third of the typo's length (at least 1, at most 3).
    [InlineData("Abcdefghijkl", "Abcdefghijkl0,Abcdefghijkx,Abcdefghijxx", "Abcdefghijkx", "Abcdefghijxx", "Abcdefghixxx", "Abcdefghijkl0", "Abcdefxxxxxx")]
    [InlineData("Id", "Ip", "Ip", "Xy")]
    [InlineData("Xyzzy", "", "Region", "Amount")]
    public void Nearest_names_are_ranked_and_limited(string typo, string expected, params string[] names) =>
        Assert.Equal(expected, string.Join(",", FixProperties.Nearest(typo, names)));
}
