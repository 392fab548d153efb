using System.Collections.Generic;
using System.Text;
using Warren.Testing.Routing;
using Xunit;

namespace Warren.Testing.Tests.Matching;

/// <summary>RabbitMQ's headers rules for x-match all and any.</summary>
public sealed class HeadersMatcherTests
{
    private static readonly Dictionary<string, object?> RedBig = new() { ["color"] = "red", ["size"] = "big", ["x-tag"] = "1" };

    [Theory]
    [InlineData(HeadersMatch.All, new[] { "color", "red", "size", "big" }, true)]
    [InlineData(HeadersMatch.All, new[] { "color", "red", "size", "small" }, false)]
    [InlineData(HeadersMatch.Any, new[] { "color", "red", "size", "small" }, true)]
    [InlineData(HeadersMatch.Any, new[] { "color", "blue", "size", "small" }, false)]
    [InlineData(HeadersMatch.All, new[] { "color", "red", "x-tag", "other" }, true)]
    [InlineData(HeadersMatch.Any, new[] { "x-tag", "1" }, false)]
    [InlineData(HeadersMatch.All, new[] { "x-tag", "2" }, true)]
    [InlineData(HeadersMatch.All, new string[0], true)]
    [InlineData(HeadersMatch.Any, new string[0], false)]
    [InlineData(HeadersMatch.All, new[] { "shape", "round" }, false)]
    [InlineData(HeadersMatch.All, new[] { "color", "RED" }, false)]
    public void Matches_as_the_broker_does(HeadersMatch match, string[] binding, bool expected) =>
        Assert.Equal(expected, HeadersMatcher.Matches(HeadersBinding.FromPairs(match, binding), RedBig));

    [Fact]
    public void Values_compare_with_their_types()
    {
        HeadersBinding binding = HeadersBinding.FromPairs(HeadersMatch.All, "n", "5");
        Assert.False(HeadersMatcher.Matches(binding, new Dictionary<string, object?> { ["n"] = 5 }));
        Assert.True(HeadersMatcher.Matches(binding, new Dictionary<string, object?> { ["n"] = Encoding.UTF8.GetBytes("5") }));
        Assert.False(HeadersMatcher.Matches(binding, null));
    }
}
