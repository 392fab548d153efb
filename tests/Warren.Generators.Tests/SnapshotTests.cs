using System;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using Xunit;
using static Warren.Generators.Tests.GeneratorHarness;

namespace Warren.Generators.Tests;

/// <summary>The emitted code for each attribute kind, compared with the reviewed files in Snapshots/.</summary>
public sealed class SnapshotTests
{
    [Fact]
    public void Queue_message()
    {
        Verify("Ns.Hello.Message.g.cs", """
            [Queue("hello")] public sealed record Hello(string Text);
            """);
    }

    [Fact]
    public void Durable_queue_message()
    {
        Verify("Ns.WorkItem.Message.g.cs", """
            [Queue("task_queue"), Durable] public sealed record WorkItem(string Payload);
            """);
    }

    [Fact]
    public void Fanout_message()
    {
        Verify("Ns.LogLine.Message.g.cs", """
            [Fanout("logs")] public sealed record LogLine(string Text);
            """);
    }

    [Fact]
    public void Direct_message_with_one_property_template()
    {
        Verify("Ns.SeverityLog.Message.g.cs", """
            [Direct("direct_logs", RoutingKey = "{Severity}")] public sealed record SeverityLog(string Severity, string Text);
            """);
    }

    [Fact]
    public void Direct_message_with_constant_routing_key()
    {
        Verify("Ns.Audit.Message.g.cs", """
            [Direct("audit", RoutingKey = "audit.all"), Durable] public sealed record Audit(string Text);
            """);
    }

    [Fact]
    public void Topic_message_with_two_property_template()
    {
        Verify("Ns.KernelLog.Message.g.cs", """
            [Topic("topic_logs", RoutingKey = "{Facility}.{Severity}")] public sealed record KernelLog(string Facility, string Severity, string Text);
            """);
    }

    [Fact]
    public void Topic_message_with_value_type_properties_in_template()
    {
        Verify("Ns.OrderPlaced.Message.g.cs", """
            [Topic("orders", RoutingKey = "order.{Priority}.{Customer}.{Quantity}.{Note}")]
            public sealed record OrderPlaced(int Priority, Guid Customer, int? Quantity, string? Note);
            """);
    }

    [Fact]
    public void Headers_message_with_header_properties()
    {
        Verify("Ns.Shape.Message.g.cs", """
            [Headers("shapes")] public sealed record Shape([property: Header("color")] string Color, [property: Header("size")] string Size, [property: Header("sides")] int Sides, string Note);
            """);
    }

    [Fact]
    public void Message_covered_by_json_serializer_context()
    {
        Verify("Ns.Hello.Message.g.cs", """
            [Queue("hello")] public sealed record Hello(string Text);
            """, JsonContext("AppJsonContext", "Hello"));
    }

    [Fact]
    public void Consumer_without_options()
    {
        Verify("Ns.HelloReceiver.Consumer.g.cs", """
            [Queue("hello")] public sealed record Hello(string Text);

            [Consumer]
            public sealed class HelloReceiver : IConsumer<Hello>
            {
                public ValueTask HandleAsync(Hello message, MessageContext context, CancellationToken cancellationToken) => default;
            }
            """);
    }

    [Fact]
    public void Consumer_with_queue_prefetch_durable_and_bindings()
    {
        Verify("Ns.KernelWatch.Consumer.g.cs", """
            [Topic("topic_logs", RoutingKey = "{Facility}.{Severity}")] public sealed record KernelLog(string Facility, string Severity, string Text);

            [Consumer(Queue = "kernel", Prefetch = 5), Durable, Bind("kern.*"), Bind("*.critical")]
            public sealed class KernelWatch : IConsumer<KernelLog>
            {
                public ValueTask HandleAsync(KernelLog message, MessageContext context, CancellationToken cancellationToken) => default;
            }
            """);
    }

    [Fact]
    public void Consumer_with_header_bindings()
    {
        Verify("Ns.BigBlue.Consumer.g.cs", """
            [Headers("shapes")] public sealed record Shape([property: Header("color")] string Color, [property: Header("size")] string Size);

            [Consumer, BindHeaders(HeadersMatch.All, "color", "blue", "size", "big"), BindHeaders(HeadersMatch.Any, "color", "red")]
            public sealed class BigBlue : IConsumer<Shape>
            {
                public ValueTask HandleAsync(Shape message, MessageContext context, CancellationToken cancellationToken) => default;
            }
            """);
    }

    [Fact]
    public void Module_initializer_registration()
    {
        Verify("Warren.Registration.g.cs", """
            [Topic("topic_logs", RoutingKey = "{Facility}.{Severity}")] public sealed record KernelLog(string Facility, string Severity, string Text);
            [Queue("hello")] public sealed record Hello(string Text);
            [Fanout("logs")] public sealed record LogLine(string Text);

            [Consumer]
            public sealed class HelloReceiver : IConsumer<Hello>
            {
                public ValueTask HandleAsync(Hello message, MessageContext context, CancellationToken cancellationToken) => default;
            }

            [Consumer, Bind("kern.*")]
            public sealed class KernelWatch : IConsumer<KernelLog>
            {
                public ValueTask HandleAsync(KernelLog message, MessageContext context, CancellationToken cancellationToken) => default;
            }
            """);
    }

    [Fact]
    public void Every_snapshot_file_belongs_to_a_snapshot_test()
    {
        string[] tests = typeof(SnapshotTests).GetMethods()
            .Where(method => method.GetCustomAttribute<FactAttribute>() is not null && method.Name != nameof(Every_snapshot_file_belongs_to_a_snapshot_test))
            .Select(method => method.Name + ".")
            .ToArray();

        Assert.All(Snapshot.FileNames(), file => Assert.True(tests.Any(test => file.StartsWith(test, StringComparison.Ordinal)), $"Snapshot '{file}' belongs to no test; delete it."));
    }

    /// <summary>Generates from the sample (in namespace Ns) and compares one file with its snapshot.</summary>
    private static void Verify(string hintName, string sample, string extra = "", [CallerMemberName] string testName = "")
    {
        GeneratorRun run = RunClean(Usings + "namespace Ns;\n\n" + sample + "\n" + extra);
        run.AssertCompilesWithoutWarnings();
        Snapshot.Verify(run.Source(hintName), hintName, testName);
    }
}
