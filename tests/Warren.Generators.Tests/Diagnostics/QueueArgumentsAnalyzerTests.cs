using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Warren.Generators.Diagnostics.Analyzers;
using Xunit;
using static Warren.Generators.Tests.Diagnostics.AnalyzerVerifier<Warren.Generators.Diagnostics.Analyzers.QueueArgumentsAnalyzer>;

namespace Warren.Generators.Tests.Diagnostics;

/// <summary>WARREN014 on queue arguments the broker refuses, WARREN015 on queue arguments that cannot take effect.</summary>
public sealed class QueueArgumentsAnalyzerTests
{
    private const string Handler = "public ValueTask HandleAsync(Event message, MessageContext context, CancellationToken cancellationToken) => default;";

    [Fact]
    public Task Readme_examples_are_silent() => VerifyAsync(ContractSamples.Readme);

    [Theory]
    [InlineData("""[Queue("q"), QueueArguments(MessageTtl = "00:05:00", Expires = "1.00:00:00", MaxLength = 10, MaxLengthBytes = 1000, Overflow = QueueOverflow.RejectPublishDlx, DeadLetterExchange = "", DeadLetterRoutingKey = "dead", MaxPriority = 10, SingleActiveConsumer = true)] public sealed record Event(string Text);""")]
    [InlineData("""[Queue("q"), Durable(QueueType.Quorum), QueueArguments(MessageTtl = "00:00:00", Overflow = QueueOverflow.RejectPublish, DeadLetterExchange = "dlx", SingleActiveConsumer = true)] public sealed record Event(string Text);""")]
    [InlineData("""[Queue("q"), Durable(QueueType.Stream), QueueArguments(MaxAge = "01:00:00", MaxLengthBytes = 1000000, MaxSegmentSizeBytes = 100000)] public sealed record Event(string Text);""")]
    [InlineData("""[RpcService("svc"), QueueArguments(MessageTtl = "00:00:30")] public interface ISvc { [RpcMethod] Task RunAsync(); }""")]
    [InlineData($$"""
        [Fanout("events")] public sealed record Event(string Text);
        [Consumer(Queue = "audit", SingleActive = true), QueueArguments(MaxPriority = 5)] public sealed class Audit : IConsumer<Event> { {{Handler}} }
        """)]
    public Task Valid_arguments_where_a_queue_is_declared_are_silent(string source) => VerifyAsync(source);

    [Theory]
    [InlineData("MessageTtl = {|WARREN014:\"five minutes\"|}", "is not a duration")]
    [InlineData("MessageTtl = {|WARREN014:\"-00:00:01\"|}", "is negative")]
    [InlineData("MessageTtl = {|WARREN014:\"60.00:00:00\"|}", "is out of range")]
    [InlineData("Expires = {|WARREN014:\"00:00:00\"|}", "is out of range")]
    [InlineData("MaxLength = {|WARREN014:-1|}", "is negative")]
    [InlineData("DeadLetterRoutingKey = {|WARREN014:\"dead\"|}", "needs a DeadLetterExchange")]
    [InlineData("MaxAge = {|WARREN014:\"01:00:00\"|}", "applies to stream queues only")]
    [InlineData("MaxSegmentSizeBytes = {|WARREN014:1000|}", "applies to stream queues only")]
    public async Task Invalid_values_are_errors_at_the_value(string argument, string expected)
    {
        Diagnostic diagnostic = await VerifySingleAsync($$"""[Queue("q"), QueueArguments({{argument}})] public sealed record Event(string Text);""");

        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.StartsWith("[QueueArguments] on 'Event': ", diagnostic.GetMessage(), System.StringComparison.Ordinal);
        Assert.Contains(expected, diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Quorum", "MaxPriority = {|WARREN014:5|}", "quorum queue")]
    [InlineData("Quorum", "Overflow = {|WARREN014:QueueOverflow.RejectPublishDlx|}", "not supported by quorum queues")]
    [InlineData("Stream", "MaxPriority = {|WARREN014:5|}", "stream queue")]
    [InlineData("Stream", "MessageTtl = {|WARREN014:\"00:01:00\"|}", "stream queue")]
    [InlineData("Stream", "SingleActiveConsumer = {|WARREN014:true|}", "stream queue")]
    [InlineData("Stream", "DeadLetterExchange = {|WARREN014:\"dlx\"|}", "stream queue")]
    public async Task Arguments_the_queue_type_refuses_are_errors(string type, string argument, string expected)
    {
        Diagnostic diagnostic = await VerifySingleAsync($$"""[Queue("q"), Durable(QueueType.{{type}}), QueueArguments({{argument}})] public sealed record Event(string Text);""");

        Assert.Contains(expected, diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task Single_active_consumer_on_a_stream_consumer_is_an_error()
    {
        Diagnostic diagnostic = await VerifySingleAsync($$"""
            [Fanout("events"), Durable] public sealed record Event(string Text);
            [Consumer(Queue = "s", SingleActive = {|WARREN014:true|}), Durable(QueueType.Stream)] public sealed class Audit : IConsumer<Event> { {{Handler}} }
            """);

        Assert.Contains("stream queue", diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task Arguments_on_an_exchange_message_are_a_warning()
    {
        Diagnostic diagnostic = await VerifySingleAsync("""
            [Fanout("events"), {|WARREN015:QueueArguments(MaxLength = 10)|}] public sealed record Event(string Text);
            """);

        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.StartsWith("[QueueArguments] on 'Event' has no effect: 'Event' is published to the fanout exchange 'events'", diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[Consumer, {|WARREN015:QueueArguments(MaxLength = 10)|}]""", "names no queue")]
    [InlineData("""[Consumer(SingleActive = {|WARREN015:true|})]""", "names no queue")]
    public async Task Arguments_on_a_consumer_without_a_named_queue_are_a_warning(string attributes, string expected)
    {
        Diagnostic diagnostic = await VerifySingleAsync($$"""
            [Fanout("events")] public sealed record Event(string Text);
            {{attributes}} public sealed class Audit : IConsumer<Event> { {{Handler}} }
            """);

        Assert.Contains(expected, diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task Arguments_on_a_consumer_of_a_queue_message_are_a_warning()
    {
        Diagnostic diagnostic = await VerifySingleAsync($$"""
            [Queue("work")] public sealed record Event(string Text);
            [Consumer, {|WARREN015:QueueArguments(MaxPriority = 3)|}] public sealed class Worker : IConsumer<Event> { {{Handler}} }
            """);

        Assert.Contains("Move them to 'Event'", diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public Task Arguments_on_a_plain_type_are_a_warning() =>
        VerifySingleAsync("""
            [{|WARREN015:QueueArguments(MaxLength = 1)|}] public sealed record Event(string Text);
            """);
}
