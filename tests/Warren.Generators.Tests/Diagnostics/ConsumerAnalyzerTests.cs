using System;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Warren.Generators.Diagnostics.Analyzers;
using Xunit;
using static Warren.Generators.Tests.Diagnostics.AnalyzerVerifier<Warren.Generators.Diagnostics.Analyzers.ConsumerAnalyzer>;

namespace Warren.Generators.Tests.Diagnostics;

/// <summary>WARREN002 on [Bind] keys, WARREN005 on consumers that cannot receive their message as declared, WARREN010 on [Durable].</summary>
public sealed class ConsumerAnalyzerTests
{
    private const string Messages = """
        [Queue("hello")] public sealed record Hello(string Text);
        [Queue("task_queue"), Durable] public sealed record WorkItem(string Payload);
        [Fanout("logs")] public sealed record LogLine(string Text);
        [Fanout("events"), Durable] public sealed record DurableEvent(string Text);
        [Direct("direct_logs", RoutingKey = "{Severity}")] public sealed record SeverityLog(string Severity, string Text);
        [Topic("topic_logs", RoutingKey = "{Facility}.{Severity}")] public sealed record KernelLog(string Facility, string Severity, string Text);
        [Headers("shapes")] public sealed record Shape([property: Header("color")] string? Color, string Text);

        """;

    /// <summary>A consumer class of <paramref name="message"/> with <paramref name="attributes"/>, after <see cref="Messages"/>.</summary>
    private static string Consumer(string attributes, string message) => Messages + $$"""
        [{{attributes}}]
        public sealed class C : IConsumer<{{message}}>
        {
            public ValueTask HandleAsync({{message}} message, MessageContext context, CancellationToken cancellationToken) => default;
        }
        """;

    [Fact]
    public Task Tutorial_consumers_are_silent() => VerifyAsync(TutorialTopology.Source);

    [Theory]
    [InlineData("Consumer(Queue = \"audit\"), Durable", "DurableEvent")]
    [InlineData("Consumer(Queue = \"kernel\", Prefetch = 5), Bind(\"kern.#\")", "KernelLog")]
    [InlineData("Consumer, Bind(\"\")", "KernelLog")]
    [InlineData("Consumer, Bind(\"a..b\"), Bind(\"\")", "SeverityLog")]
    [InlineData("Consumer, BindHeaders(HeadersMatch.Any)", "Shape")]
    [InlineData("Consumer, BindHeaders(HeadersMatch.Any, \"color\", \"blue\"), BindHeaders(HeadersMatch.All, \"color\", \"red\")", "Shape")]
    [InlineData("Consumer(Queue = \"audit\"), Durable(QueueType.Quorum)", "DurableEvent")]
    [InlineData("Consumer(Queue = \"audit\"), Durable(QueueType.Quorum, DeliveryLimit = 1)", "DurableEvent")]
    [InlineData("Consumer(Queue = null)", "Hello")]
    [InlineData("Consumer", "Hello?")]
    [InlineData("Consumer", "{|CS0246:Undefined|}")]
    public Task Valid_consumers_are_silent(string attributes, string message) => VerifyAsync(Consumer(attributes, message));

    [Fact]
    public Task Consumer_implementing_its_interface_through_a_base_class_is_checked_against_that_message() =>
        VerifySingleAsync(Messages + """
            public abstract class LogBase : IConsumer<LogLine>
            {
                public ValueTask HandleAsync(LogLine message, MessageContext context, CancellationToken cancellationToken) => default;
            }
            [Consumer, {|WARREN005:Bind("x")|}] public sealed class C : LogBase;
            """);

    // WARREN002 on binding keys.

    [Theory]
    [InlineData("a..b", "two dots in a row")]
    [InlineData(".kern", "starts with a dot")]
    [InlineData("kern.", "ends with a dot")]
    [InlineData("a.b*", "the word 'b*' mixes a wildcard")]
    [InlineData("#x", "the word '#x' mixes a wildcard")]
    [InlineData("kern.#critical", "the word '#critical' mixes a wildcard")]
    [InlineData("**.x", "the word '**' mixes a wildcard")]
    public async Task Invalid_topic_binding_key_is_reported_at_the_key(string key, string expectedReason)
    {
        Diagnostic diagnostic = await VerifySingleAsync(Consumer($"Consumer, Bind(\"kern.*\"), Bind({{|WARREN002:\"{key}\"|}})", "KernelLog"));

        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.StartsWith($"The binding key '{key}' is invalid: ", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Contains(expectedReason, diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("#")]
    [InlineData("*")]
    [InlineData("kern.*")]
    [InlineData("*.critical")]
    [InlineData("a.#.b")]
    [InlineData("#.#")]
    [InlineData("*.*.*")]
    [InlineData("")]
    [InlineData("kern-el_1:x.crit ical")]
    public Task Valid_topic_binding_key_is_silent(string key) =>
        VerifyAsync(Consumer($"Consumer, Bind(\"{key}\")", "KernelLog"));

    [Theory]
    [InlineData("*.x", "'*' is no wildcard there")]
    [InlineData("error#", "'#' is no wildcard there")]
    [InlineData("#", "'#' is no wildcard there")]
    public async Task Wildcard_in_a_direct_binding_key_is_reported(string key, string expectedReason)
    {
        Diagnostic diagnostic = await VerifySingleAsync(Consumer($"Consumer, Bind({{|WARREN002:\"{key}\"|}})", "SeverityLog"));

        Assert.Contains(expectedReason, diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("[Topic]", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("KernelLog", 255, false)]
    [InlineData("KernelLog", 256, true)]
    [InlineData("SeverityLog", 256, true)]
    public async Task Binding_key_over_255_bytes_is_reported(string message, int length, bool reported)
    {
        string key = new('k', length);
        string literal = $"\"{key}\"";
        string source = Consumer($"Consumer, Bind({(reported ? "{|WARREN002:" + literal + "|}" : literal)})", message);
        if (reported)
        {
            Diagnostic diagnostic = await VerifySingleAsync(source);
            Assert.Contains($"{length} bytes", diagnostic.GetMessage(), StringComparison.Ordinal);
        }
        else
        {
            await VerifyAsync(source);
        }
    }

    [Fact]
    public Task Binding_key_given_by_parameter_name_is_located() =>
        VerifySingleAsync(Consumer("Consumer, Bind(bindingKey: {|WARREN002:\"a..b\"|})", "KernelLog"));

    [Fact]
    public async Task Null_binding_key_is_reported()
    {
        Diagnostic diagnostic = await VerifySingleAsync(Consumer("Consumer, Bind({|WARREN002:null!|})", "KernelLog"));

        Assert.Contains("binding key null", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    // WARREN005.

    [Fact]
    public async Task Message_without_routing_attribute_is_reported_at_the_consumer_attribute()
    {
        Diagnostic diagnostic = await VerifySingleAsync("""
            public sealed record Plain(string Text);

            [{|WARREN005:Consumer(Prefetch = 2)|}]
            public sealed class C : IConsumer<Plain>
            {
                public ValueTask HandleAsync(Plain message, MessageContext context, CancellationToken cancellationToken) => default;
            }
            """);

        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Contains("'Plain', which has no routing attribute", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("MessageNotRegisteredException", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("string", "no routing attribute")]
    [InlineData("int[]", "no routing attribute")]
    [InlineData("Point?", "nullable value type")]
    [InlineData("Envelope<string>", "generic message type")]
    public async Task Message_the_generator_emits_nothing_for_is_reported(string message, string expectedReason)
    {
        Diagnostic diagnostic = await VerifySingleAsync($$"""
            [Queue("points")] public readonly record struct Point(int X, int Y);
            [Queue("envelopes")] public sealed record Envelope<T>(T Body);

            [{|WARREN005:Consumer|}]
            public sealed class C : IConsumer<{{message}}>
            {
                public ValueTask HandleAsync({{message}} message, MessageContext context, CancellationToken cancellationToken) => default;
            }
            """);

        Assert.Contains(expectedReason, diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bind(\"x\")", "LogLine", "fanout exchange 'logs'")]
    [InlineData("Bind(\"x\")", "Shape", "headers exchange 'shapes'")]
    [InlineData("BindHeaders(HeadersMatch.All, \"a\", \"b\")", "KernelLog", "topic exchange 'topic_logs'")]
    [InlineData("BindHeaders(HeadersMatch.All, \"a\", \"b\")", "SeverityLog", "direct exchange 'direct_logs'")]
    [InlineData("BindHeaders(HeadersMatch.Any)", "LogLine", "fanout exchange 'logs'")]
    [InlineData("Bind(\"hello\")", "Hello", "[Queue] message")]
    [InlineData("BindHeaders(HeadersMatch.All, \"a\", \"b\")", "WorkItem", "[Queue] message")]
    public async Task Binding_the_exchange_ignores_is_reported_at_the_binding(string binding, string message, string expectedReason)
    {
        Diagnostic diagnostic = await VerifySingleAsync(Consumer("Consumer, {|WARREN005:" + binding + "|}", message));

        Assert.Contains(expectedReason, diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Queue_name_on_a_consumer_of_a_queue_message_is_reported_at_the_name()
    {
        Diagnostic diagnostic = await VerifySingleAsync(Consumer("Consumer(Queue = {|WARREN005:\"greetings\"|})", "Hello"));

        Assert.Contains("its own queue 'hello'", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("BindHeaders(HeadersMatch.All, \"color\", \"blue\", \"size\")", "'size' has no partner")]
    [InlineData("BindHeaders(HeadersMatch.Any, \"color\")", "'color' has no partner")]
    [InlineData("BindHeaders(HeadersMatch.All, null!)", "null list")]
    public async Task Header_names_and_values_that_do_not_pair_up_are_reported(string binding, string expectedReason)
    {
        Diagnostic diagnostic = await VerifySingleAsync(Consumer("Consumer, {|WARREN005:" + binding + "|}", "Shape"));

        Assert.Contains(expectedReason, diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public Task Bindings_the_compiler_already_rejects_are_left_to_the_compiler() =>
        VerifyAsync(Consumer("Consumer, {|CS7036:Bind()|}, Bind({|CS1503:42|}), {|CS7036:BindHeaders()|}", "Hello"));

    [Fact]
    public async Task Binding_on_a_class_without_consumer_attribute_is_reported()
    {
        Diagnostic diagnostic = await VerifySingleAsync(Messages + """
            [Consumer]
            public class TopicLogReceiver : IConsumer<KernelLog>
            {
                public ValueTask HandleAsync(KernelLog message, MessageContext context, CancellationToken cancellationToken) => default;
            }

            [{|WARREN005:Bind("kern.*")|}]
            public sealed class KernelWatch : TopicLogReceiver;
            """);

        Assert.Contains("not marked [Consumer]", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    // WARREN010.

    [Fact]
    public async Task Durable_on_a_server_named_queue_is_reported_at_durable()
    {
        Diagnostic diagnostic = await VerifySingleAsync(Consumer("Consumer, {|WARREN010:Durable|}", "DurableEvent"));

        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.StartsWith("[Durable] on consumer 'C' has no effect: ", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("server-named queue", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Durable_on_a_consumer_of_a_queue_message_is_reported()
    {
        Diagnostic diagnostic = await VerifySingleAsync(Consumer("Consumer(Prefetch = 1), {|WARREN010:Durable|}", "Hello"));

        Assert.Contains("the message's own [Durable] decides", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("put it on 'Hello'", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Durable_on_a_consumer_of_a_durable_queue_message_says_it_is_there_already()
    {
        Diagnostic diagnostic = await VerifySingleAsync(Consumer("Consumer(Prefetch = 1), {|WARREN010:Durable|}", "WorkItem"));

        Assert.Contains("'WorkItem' has [Durable] already", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quorum_on_a_server_named_queue_is_reported_at_durable()
    {
        Diagnostic diagnostic = await VerifySingleAsync(Consumer("Consumer, {|WARREN010:Durable(QueueType.Quorum)|}", "DurableEvent"));

        Assert.StartsWith("[Durable(QueueType.Quorum)] on consumer 'C' has no effect: it names no queue", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("never a quorum queue", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quorum_on_a_consumer_of_a_classic_queue_message_says_where_it_belongs()
    {
        Diagnostic diagnostic = await VerifySingleAsync(Consumer("Consumer, {|WARREN010:Durable(QueueType.Quorum)|}", "WorkItem"));

        Assert.Contains("whose durability and type the message's own [Durable] decides", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("write [Durable(QueueType.Quorum)] on 'WorkItem'", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Durable_queue_bound_to_a_transient_exchange_is_reported()
    {
        Diagnostic diagnostic = await VerifySingleAsync(Consumer("Consumer(Queue = \"kernel\"), {|WARREN010:Durable|}, Bind(\"kern.*\")", "KernelLog"));

        Assert.StartsWith("[Durable] on consumer 'C' cannot keep its messages across a broker restart: ", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("durable queue 'kernel' is bound to the topic exchange 'topic_logs', which is not durable", diagnostic.GetMessage(), StringComparison.Ordinal);
    }
}
