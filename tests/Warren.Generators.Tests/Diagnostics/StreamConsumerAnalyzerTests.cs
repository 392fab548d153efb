using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Warren.Generators.Diagnostics.Analyzers;
using Xunit;
using static Warren.Generators.Tests.Diagnostics.AnalyzerHarness;

namespace Warren.Generators.Tests.Diagnostics;

/// <summary>WARREN016 on stream consumer settings of [Consumer] that cannot work.</summary>
public sealed class StreamConsumerAnalyzerTests
{
    private static readonly StreamConsumerAnalyzer Analyzer = new();

    private static string Source(string consumerArguments) => $$"""
        [Fanout("events")] public sealed record Event(string Text);
        [Consumer(Queue = "events.all", {{consumerArguments}}), Durable(QueueType.Stream)]
        public sealed class Reader : IConsumer<Event>
        {
            public ValueTask HandleAsync(Event message, MessageContext context, CancellationToken cancellationToken) => default;
        }
        """;

    [Theory]
    [InlineData("StreamOffset = \"first\"")]
    [InlineData("StreamOffset = \"LAST\"")]
    [InlineData("StreamOffset = \"next\"")]
    [InlineData("StreamOffset = \"1000\"")]
    [InlineData("StreamOffset = \"2024-05-01T12:00:00Z\"")]
    [InlineData("StreamOffset = \"2024-05-01\"")]
    [InlineData("StreamConsumerName = \"billing\", TrackStreamOffset = false")]
    public Task Valid_settings_are_silent(string arguments) => AssertSilentAsync(Analyzer, Source(arguments));

    [Theory]
    [InlineData("StreamOffset = \"beginning\"", "\"beginning\"", "'beginning' is not a stream offset")]
    [InlineData("StreamOffset = \"-5\"", "\"-5\"", "'-5' is not a stream offset")]
    [InlineData("StreamOffset = \"\"", "\"\"", "'' is not a stream offset")]
    [InlineData("StreamConsumerName = \"\"", "\"\"", "an empty name stores no offset")]
    public async Task Invalid_settings_are_errors_at_the_value(string arguments, string located, string expected)
    {
        Diagnostic diagnostic = await AssertSingleAsync(Analyzer, "WARREN016", located, Source(arguments));

        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Contains("on consumer 'Reader'", diagnostic.GetMessage(), System.StringComparison.Ordinal);
        Assert.Contains(expected, diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }
}
