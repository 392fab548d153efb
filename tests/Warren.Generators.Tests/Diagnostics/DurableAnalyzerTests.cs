using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Warren.Generators.Diagnostics.Analyzers;
using Xunit;
using static Warren.Generators.Tests.Diagnostics.AnalyzerVerifier<Warren.Generators.Diagnostics.Analyzers.DurableAnalyzer>;

namespace Warren.Generators.Tests.Diagnostics;

/// <summary>WARREN010 on a queue type or delivery limit that cannot take effect, WARREN012 on a negative delivery limit.</summary>
public sealed class DurableAnalyzerTests
{
    private const string Handler = "public ValueTask HandleAsync(Event message, MessageContext context, CancellationToken cancellationToken) => default;";

    [Fact]
    public Task Readme_examples_are_silent() => VerifyAsync(ContractSamples.Readme);

    [Theory]
    [InlineData("""[Queue("orders"), Durable(QueueType.Quorum)] public sealed record Event(string Text);""")]
    [InlineData("""[Queue("orders"), Durable(QueueType.Quorum, DeliveryLimit = 0)] public sealed record Event(string Text);""")]
    [InlineData("""[Queue("orders"), Durable(queueType: QueueType.Quorum, DeliveryLimit = 20)] public sealed record Event(string Text);""")]
    [InlineData("""[Queue("orders"), Durable(QueueType.Classic)] public sealed record Event(string Text);""")]
    [InlineData("""[Fanout("events"), Durable(QueueType.Classic)] public sealed record Event(string Text);""")]
    [InlineData("""[RpcService("billing"), Durable(QueueType.Quorum, DeliveryLimit = 3)] public interface IBilling { [RpcMethod] Task RunAsync(); }""")]
    [InlineData($$"""
        [Fanout("events"), Durable] public sealed record Event(string Text);
        [Consumer(Queue = "audit"), Durable(QueueType.Quorum, DeliveryLimit = 2)] public sealed class Audit : IConsumer<Event> { {{Handler}} }
        """)]
    public Task Quorum_queues_with_valid_limits_are_silent(string source) => VerifyAsync(source);

    [Fact]
    public async Task Quorum_on_an_exchange_message_is_reported_at_the_queue_type()
    {
        Diagnostic diagnostic = await VerifySingleAsync("""
            [Topic("topic_logs", RoutingKey = "{Facility}"), Durable({|WARREN010:QueueType.Quorum|})] public sealed record KernelLog(string Facility, string Text);
            """);

        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.StartsWith(
            "QueueType.Quorum on 'KernelLog' has no effect: 'KernelLog' is published to the topic exchange 'topic_logs', and an exchange has no queue type",
            diagnostic.GetMessage(), System.StringComparison.Ordinal);
        Assert.Contains("[Durable(QueueType.Quorum)] on each consumer that names its queue", diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[Fanout("logs"), Durable({|WARREN010:QueueType.Quorum|})] public sealed record Event(string Text);""")]
    [InlineData("""[Direct("direct_logs", RoutingKey = "x"), Durable({|WARREN010:QueueType.Quorum|})] public sealed record Event(string Text);""")]
    [InlineData("""[Headers("shapes"), Durable({|WARREN010:QueueType.Quorum|})] public sealed record Event(string Text);""")]
    public Task Quorum_on_every_exchange_kind_is_reported(string source) => VerifySingleAsync(source);

    [Theory]
    [InlineData("""[Queue("tasks"), Durable(DeliveryLimit = {|WARREN010:3|})] public sealed record Event(string Text);""")]
    [InlineData("""[Queue("tasks"), Durable(QueueType.Classic, DeliveryLimit = {|WARREN010:3|})] public sealed record Event(string Text);""")]
    [InlineData("""[RpcService("billing"), Durable(DeliveryLimit = {|WARREN010:3|})] public interface IBilling { [RpcMethod] Task RunAsync(); }""")]
    [InlineData($$"""
        [Fanout("events"), Durable] public sealed record Event(string Text);
        [Consumer(Queue = "audit"), Durable(DeliveryLimit = {|WARREN010:3|})] public sealed class Audit : IConsumer<Event> { {{Handler}} }
        """)]
    public async Task Delivery_limit_without_quorum_is_reported_at_the_limit(string source)
    {
        Diagnostic diagnostic = await VerifySingleAsync(source);

        Assert.Contains("has no effect: only quorum queues have a delivery limit", diagnostic.GetMessage(), System.StringComparison.Ordinal);
        Assert.EndsWith("Write [Durable(QueueType.Quorum, DeliveryLimit = 3)], or remove DeliveryLimit", diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task Negative_delivery_limit_is_an_error_at_the_limit()
    {
        Diagnostic diagnostic = await VerifySingleAsync("""
            [Queue("orders"), Durable(QueueType.Quorum, DeliveryLimit = {|WARREN012:-1|})] public sealed record Event(string Text);
            """);

        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.StartsWith("DeliveryLimit = -1 on 'Event' is negative", diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task Limit_from_a_constant_is_checked_by_value()
    {
        Diagnostic diagnostic = await VerifySingleAsync("""
            public static class Limits { public const int None = -1; }
            [RpcService("billing"), Durable(QueueType.Quorum, DeliveryLimit = {|WARREN012:Limits.None|})] public interface IBilling { [RpcMethod] Task RunAsync(); }
            """);

        Assert.Contains("'IBilling'", diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }
}
