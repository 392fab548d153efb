using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Warren.Generators.Diagnostics.Analyzers;
using Xunit;
using static Warren.Generators.Tests.Diagnostics.AnalyzerVerifier<Warren.Generators.Diagnostics.Analyzers.QueueDeclarationAnalyzer>;

namespace Warren.Generators.Tests.Diagnostics;

/// <summary>WARREN004: two declarations of one queue disagree, or one queue serves two purposes.</summary>
public sealed class QueueDeclarationAnalyzerTests
{
    private const string Handler = "public ValueTask HandleAsync(Event message, MessageContext context, CancellationToken cancellationToken) => default;";

    [Fact]
    public Task Readme_examples_are_silent() => VerifyAsync(ContractSamples.Readme);

    [Theory]
    // Competing consumers: two classes on one durable named queue for one message.
    [InlineData($$"""
        [Fanout("events")] public sealed record Event(string Text);
        [Consumer(Queue = "audit"), Durable] public sealed class A : IConsumer<Event> { {{Handler}} }
        [Durable, Consumer(Queue = "audit")] public sealed class B : IConsumer<Event> { {{Handler}} }
        """)]
    // A consumer of a [Queue] message consumes the message's queue: its own name is never declared (WARREN010's concern).
    [InlineData($$"""
        [Queue("work"), Durable] public sealed record Event(string Text);
        [Consumer(Queue = "other")] public sealed class A : IConsumer<Event> { {{Handler}} }
        [Queue("other"), Durable] public sealed record Other(string Text);
        """)]
    // Server-named consumer queues have no name to conflict on.
    [InlineData($$"""
        [Fanout("events")] public sealed record Event(string Text);
        [Consumer] public sealed class A : IConsumer<Event> { {{Handler}} }
        [Queue("q")] public sealed record Other(string Text);
        """)]
    // Exchanges and queues are separate namespaces in RabbitMQ.
    [InlineData("""
        [Fanout("q")] public sealed record Event(string Text);
        [Queue("q"), Durable] public sealed record Other(string Text);
        [RpcService("r")] public interface IService { [RpcMethod] Task RunAsync(); }
        [Direct("r")] public sealed record Third(string Text);
        """)]
    // Quorum queues that agree: the default limit written out or not, competing consumers on one quorum queue.
    [InlineData($$"""
        [Fanout("events"), Durable] public sealed record Event(string Text);
        [Consumer(Queue = "audit"), Durable(QueueType.Quorum)] public sealed class A : IConsumer<Event> { {{Handler}} }
        [Consumer(Queue = "audit"), Durable(QueueType.Quorum, DeliveryLimit = 5)] public sealed class B : IConsumer<Event> { {{Handler}} }
        """)]
    // [Durable(QueueType.Classic)] is plain [Durable].
    [InlineData($$"""
        [Fanout("events"), Durable] public sealed record Event(string Text);
        [Consumer(Queue = "audit"), Durable(QueueType.Classic)] public sealed class A : IConsumer<Event> { {{Handler}} }
        [Consumer(Queue = "audit"), Durable] public sealed class B : IConsumer<Event> { {{Handler}} }
        """)]
    // The consumer of a quorum [Queue] message reads that queue: its own (plain) [Durable] is never declared.
    [InlineData($$"""
        [Queue("orders"), Durable(QueueType.Quorum)] public sealed record Event(string Text);
        [Consumer, Durable] public sealed class A : IConsumer<Event> { {{Handler}} }
        """)]
    public Task Agreeing_or_unrelated_queues_are_silent(string source) => VerifyAsync(source);

    [Fact]
    public async Task Quorum_and_classic_consumers_of_one_queue_are_reported()
    {
        Diagnostic diagnostic = await VerifySingleAsync($$"""
            [Fanout("events"), Durable] public sealed record Event(string Text);

            [Consumer(Queue = "audit"), Durable(QueueType.Quorum)] public sealed class AuditA : IConsumer<Event> { {{Handler}} }
            [Consumer(Queue = {|WARREN004:"audit"|}), Durable] public sealed class AuditB : IConsumer<Event> { {{Handler}} }
            """);

        Assert.Equal(
            "Queue 'audit' is declared here as a durable classic queue but as a quorum queue with delivery limit 5 by 'AuditA'; "
            + "RabbitMQ refuses the second declaration with PRECONDITION_FAILED",
            diagnostic.GetMessage());
    }

    [Fact]
    public async Task Consumers_with_different_queue_arguments_are_reported_naming_the_argument()
    {
        Diagnostic diagnostic = await VerifySingleAsync($$"""
            [Fanout("events"), Durable] public sealed record Event(string Text);

            [Consumer(Queue = "audit"), Durable, QueueArguments(MessageTtl = "00:01:00")] public sealed class AuditA : IConsumer<Event> { {{Handler}} }
            [Consumer(Queue = {|WARREN004:"audit"|}), Durable] public sealed class AuditB : IConsumer<Event> { {{Handler}} }
            """);

        Assert.Equal(
            "Queue 'audit' is declared here without x-message-ttl but with x-message-ttl = 60000 by 'AuditA'; "
            + "RabbitMQ refuses the second declaration with PRECONDITION_FAILED",
            diagnostic.GetMessage());
    }

    [Theory]
    [InlineData("QueueArguments(MaxPriority = 5)", "QueueArguments(MaxPriority = 9)", "x-max-priority = 9", "x-max-priority = 5")]
    [InlineData("QueueArguments(Overflow = QueueOverflow.DropHead)", "QueueArguments(Overflow = QueueOverflow.RejectPublish)", "x-overflow = reject-publish", "x-overflow = drop-head")]
    [InlineData("Consumer(Queue = \"audit\", SingleActive = true)", "QueueArguments(DeadLetterExchange = \"dlx\")", "x-dead-letter-exchange = 'dlx'", "without x-dead-letter-exchange")]
    public async Task Every_argument_is_compared(string first, string second, string here, string there)
    {
        Diagnostic diagnostic = await VerifySingleAsync($$"""
            [Fanout("events"), Durable] public sealed record Event(string Text);

            [Consumer(Queue = "audit"), Durable, {{first}}] public sealed class AuditA : IConsumer<Event> { {{Handler}} }
            [Consumer(Queue = {|WARREN004:"audit"|}), Durable, {{second}}] public sealed class AuditB : IConsumer<Event> { {{Handler}} }
            """.Replace("[Consumer(Queue = \"audit\"), Durable, Consumer(", "[Durable, Consumer(", System.StringComparison.Ordinal));

        Assert.Contains(here, diagnostic.GetMessage(), System.StringComparison.Ordinal);
        Assert.Contains(there, diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_and_classic_declarations_of_one_queue_are_reported()
    {
        Diagnostic diagnostic = await VerifySingleAsync($$"""
            [Fanout("events"), Durable] public sealed record Event(string Text);

            [Consumer(Queue = "ticks"), Durable(QueueType.Stream)] public sealed class AuditA : IConsumer<Event> { {{Handler}} }
            [Consumer(Queue = {|WARREN004:"ticks"|}), Durable] public sealed class AuditB : IConsumer<Event> { {{Handler}} }
            """);

        Assert.StartsWith("Queue 'ticks' is declared here as a durable classic queue but as a stream queue by 'AuditA'", diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quorum_consumers_with_different_delivery_limits_are_reported()
    {
        Diagnostic diagnostic = await VerifySingleAsync($$"""
            [Fanout("events"), Durable] public sealed record Event(string Text);

            [Consumer(Queue = "audit"), Durable(QueueType.Quorum, DeliveryLimit = 3)] public sealed class AuditA : IConsumer<Event> { {{Handler}} }
            [Consumer(Queue = {|WARREN004:"audit"|}), Durable(QueueType.Quorum)] public sealed class AuditB : IConsumer<Event> { {{Handler}} }
            """);

        Assert.Equal(
            "Queue 'audit' is declared here as a quorum queue with delivery limit 5 but as a quorum queue with delivery limit 3 by 'AuditA'; "
            + "RabbitMQ refuses the second declaration with PRECONDITION_FAILED",
            diagnostic.GetMessage());
    }

    [Fact]
    public async Task Quorum_message_queue_reused_by_a_classic_consumer_names_both_conflicts()
    {
        Diagnostic diagnostic = await VerifySingleAsync($$"""
            [Queue("q"), Durable(QueueType.Quorum)] public sealed record Order(string Id);
            [Fanout("events"), Durable] public sealed record Event(string Text);
            [Consumer(Queue = {|WARREN004:"q"|}), Durable] public sealed class Sink : IConsumer<Event> { {{Handler}} }
            """);

        Assert.EndsWith(
            "(they also disagree on the queue type, a durable classic queue here and a quorum queue with delivery limit 5 there, "
            + "so RabbitMQ refuses the second declaration with PRECONDITION_FAILED)",
            diagnostic.GetMessage());
    }

    [Fact]
    public async Task Consumer_queue_durability_conflict_is_reported_at_the_queue_argument()
    {
        Diagnostic diagnostic = await VerifySingleAsync($$"""
            [Fanout("events")] public sealed record Event(string Text);

            [Consumer(Queue = "audit"), Durable] public sealed class AuditA : IConsumer<Event> { {{Handler}} }
            [Consumer(Prefetch = 1, Queue = {|WARREN004:"audit"|})] public sealed class AuditB : IConsumer<Event> { {{Handler}} }
            """);

        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(
            "Queue 'audit' is declared here as non-durable but as durable by 'AuditA'; RabbitMQ refuses the second declaration with PRECONDITION_FAILED",
            diagnostic.GetMessage());
    }

    [Fact]
    public async Task Two_message_types_on_one_queue_are_reported_with_their_durability_conflict()
    {
        Diagnostic diagnostic = await VerifySingleAsync("""
            public static class Queues { public const string Tasks = "task_queue"; }
            [Queue("task_queue"), Durable] public sealed record Event(string Text);
            [Queue({|WARREN004:Queues.Tasks|})] public sealed record Event2(string Text);
            """);

        Assert.Equal(
            "Queue 'task_queue' is the queue of [Queue] message 'Event2' but also the queue of [Queue] message 'Event': each would get the other's messages, "
            + "which a consumer rejects as another type's and an RPC server answers as an unknown method; give each its own queue "
            + "(they also disagree on durability, non-durable here and durable there, so RabbitMQ refuses the second declaration with PRECONDITION_FAILED)",
            diagnostic.GetMessage());
    }

    [Fact]
    public async Task Two_rpc_services_on_one_queue_are_reported()
    {
        IReadOnlyList<Diagnostic> diagnostics = await VerifyAsync("""
            [RpcService("rpc"), Durable] public interface IOne { [RpcMethod] Task RunAsync(); }
            [RpcService({|WARREN004:"rpc"|})] public interface ITwo { [RpcMethod] Task RunAsync(); }
            """);

        Diagnostic diagnostic = Assert.Single(diagnostics);
        Assert.Equal("\"rpc\"", LocatedText(diagnostic));
        Assert.Contains("is the request queue of RPC service 'ITwo' but also the request queue of RPC service 'IOne'", diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task Consumer_queue_equal_to_a_message_queue_is_reported_at_the_consumer()
    {
        Diagnostic diagnostic = await VerifySingleAsync($$"""
            [Queue("hello")] public sealed record Hello(string Text);
            [Fanout("events")] public sealed record Event(string Text);
            [Consumer(Queue = {|WARREN004:"hello"|})] public sealed class EventSink : IConsumer<Event> { {{Handler}} }
            """);

        Assert.Equal(
            "Queue 'hello' is the named queue of consumer 'EventSink' for 'Event' but also the queue of [Queue] message 'Hello': each would get the other's messages, "
            + "which a consumer rejects as another type's and an RPC server answers as an unknown method; give each its own queue",
            diagnostic.GetMessage());
        Assert.Contains("Consumer(Queue = \"hello\")", diagnostic.Location.SourceTree!.GetText().Lines[diagnostic.Location.GetLineSpan().StartLinePosition.Line].ToString(), System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task Consumer_queue_equal_to_an_rpc_queue_is_reported_at_the_consumer()
    {
        Diagnostic diagnostic = await VerifySingleAsync($$"""
            public static class Names { public const string Rpc = "rpc_queue"; }
            [RpcService("rpc_queue")] public interface IFibonacci { [RpcMethod] Task<long> FibAsync(int n); }
            [Topic("events")] public sealed record Event(string Text);
            [Consumer(Queue = {|WARREN004:Names.Rpc|})] public sealed class EventSink : IConsumer<Event> { {{Handler}} }
            """);

        Assert.Contains("is the named queue of consumer 'EventSink' for 'Event' but also the request queue of RPC service 'IFibonacci'", diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rpc_queue_equal_to_a_message_queue_is_reported_at_the_service()
    {
        Diagnostic diagnostic = await VerifySingleAsync("""
            public static class Names { public const string Jobs = "jobs"; }
            [Queue("jobs"), Durable] public sealed record Job(string Text);
            [RpcService({|WARREN004:Names.Jobs|}), Durable] public interface IJobs { [RpcMethod] Task RunAsync(); }
            """);

        Assert.Contains("is the request queue of RPC service 'IJobs' but also the queue of [Queue] message 'Job'", diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task Consumers_of_different_messages_on_one_named_queue_are_reported()
    {
        Diagnostic diagnostic = await VerifySingleAsync("""
            [Fanout("a")] public sealed record A(string Text);
            [Fanout("b")] public sealed record B(string Text);
            [Consumer(Queue = "shared")] public sealed class SinkA : IConsumer<A> { public ValueTask HandleAsync(A message, MessageContext context, CancellationToken cancellationToken) => default; }
            [Consumer(Queue = {|WARREN004:"shared"|})] public sealed class SinkB : IConsumer<B> { public ValueTask HandleAsync(B message, MessageContext context, CancellationToken cancellationToken) => default; }
            """);

        Assert.Contains("is the named queue of consumer 'SinkB' for 'B' but also the named queue of consumer 'SinkA' for 'A'", diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }
}
