using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Warren.Generators.Diagnostics.Analyzers;
using Xunit;
using static Warren.Generators.Tests.Diagnostics.AnalyzerVerifier<Warren.Generators.Diagnostics.Analyzers.StreamConsumerAnalyzer>;

namespace Warren.Generators.Tests.Diagnostics;

/// <summary>WARREN016 on stream consumer settings of [Consumer] that cannot work.</summary>
public sealed class StreamConsumerAnalyzerTests
{
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
    public Task Valid_settings_are_silent(string arguments) => VerifyAsync(Source(arguments));

    [Theory]
    [InlineData("StreamOffset = {|WARREN016:\"beginning\"|}", "'beginning' is not a stream offset")]
    [InlineData("StreamOffset = {|WARREN016:\"-5\"|}", "'-5' is not a stream offset")]
    [InlineData("StreamOffset = {|WARREN016:\"\"|}", "'' is not a stream offset")]
    [InlineData("StreamConsumerName = {|WARREN016:\"\"|}", "an empty name stores no offset")]
    public async Task Invalid_settings_are_errors_at_the_value(string arguments, string expected)
    {
        Diagnostic diagnostic = await VerifySingleAsync(Source(arguments));

        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Contains("on consumer 'Reader'", diagnostic.GetMessage(), System.StringComparison.Ordinal);
        Assert.Contains(expected, diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }
}
