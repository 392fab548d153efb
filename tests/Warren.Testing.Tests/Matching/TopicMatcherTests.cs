using Warren.Testing.Routing;
using Xunit;

namespace Warren.Testing.Tests.Matching;

/// <summary>RabbitMQ's topic rules, case by case (the differential suite checks the same against the broker).</summary>
public sealed class TopicMatcherTests
{
    [Theory]
    [InlineData("a.*", "a.b", true)]
    [InlineData("a.*", "a.b.c", false)]
    [InlineData("a.*", "a", false)]
    [InlineData("a.*", "a.", true)]
    [InlineData("a.#", "a", true)]
    [InlineData("a.#", "a.b.c", true)]
    [InlineData("a.#", "b.a", false)]
    [InlineData("#", "", true)]
    [InlineData("#", "a.b.c", true)]
    [InlineData("*", "", false)]
    [InlineData("*", "a", true)]
    [InlineData("*", "a.b", false)]
    [InlineData("*.b.#", "a.b", true)]
    [InlineData("*.b.#", "a.b.c.d", true)]
    [InlineData("*.b.#", "b", false)]
    [InlineData("a.#.c", "a.c", true)]
    [InlineData("a.#.c", "a.b.b.c", true)]
    [InlineData("a.#.c", "a.b.b", false)]
    [InlineData("#.c", "c", true)]
    [InlineData("", "", true)]
    [InlineData("", "a", false)]
    [InlineData("a..c", "a..c", true)]
    [InlineData("a.*.c", "a..c", true)]
    [InlineData(".", ".", true)]
    [InlineData("*.*", ".", true)]
    [InlineData("#.#", "", true)]
    [InlineData("a.b", "A.b", false)]
    public void Matches_as_the_broker_does(string binding, string routingKey, bool expected) =>
        Assert.Equal(expected, TopicMatcher.Matches(binding, routingKey));

    [Fact]
    public void Many_hashes_do_not_backtrack_exponentially()
    {
        string binding = string.Join('.', System.Linq.Enumerable.Repeat("#", 40)) + ".z";
        string key = string.Join('.', System.Linq.Enumerable.Repeat("a", 60));
        Assert.False(TopicMatcher.Matches(binding, key));
        Assert.True(TopicMatcher.Matches(binding, key + ".z"));
    }
}
