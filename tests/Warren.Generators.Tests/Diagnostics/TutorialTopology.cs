namespace Warren.Generators.Tests.Diagnostics;

/// <summary>
/// The README's tutorial messages and consumers, plus the samples' variants (a direct receiver whose keys come from
/// SubscribeOptions, a consumer base class with a derived consumer, primary constructors): valid code on which no
/// routing, binding or consumer diagnostic may fire.
/// </summary>
internal static class TutorialTopology
{
    public const string Source = """
        namespace Tutorials
        {
            [Queue("hello")]
            public sealed record Hello(string Text);

            [Queue("task_queue"), Durable]
            public sealed record WorkItem(string Payload);

            [Fanout("logs")]
            public sealed record LogLine(string Text);

            [Direct("direct_logs", RoutingKey = "{Severity}")]
            public sealed record SeverityLog(string Severity, string Text);

            [Topic("topic_logs", RoutingKey = "{Facility}.{Severity}")]
            public sealed record KernelLog(string Facility, string Severity, string Text);

            [Headers("shapes")]
            public sealed record Shape([property: Header("color")] string? Color, [property: Header("size")] string? Size, string Text);

            [Consumer]
            public sealed class HelloReceiver : IConsumer<Hello>
            {
                public ValueTask HandleAsync(Hello message, MessageContext context, CancellationToken cancellationToken) => default;
            }

            [Consumer(Prefetch = 1)]
            public sealed class Worker : IConsumer<WorkItem>
            {
                public ValueTask HandleAsync(WorkItem message, MessageContext context, CancellationToken cancellationToken) => default;
            }

            [Consumer]
            public sealed class LogPrinter : IConsumer<LogLine>
            {
                public ValueTask HandleAsync(LogLine message, MessageContext context, CancellationToken cancellationToken) => default;
            }

            [Consumer, Bind("error"), Bind("warning")]
            public sealed class ErrorSink : IConsumer<SeverityLog>
            {
                public ValueTask HandleAsync(SeverityLog message, MessageContext context, CancellationToken cancellationToken) => default;
            }

            // Its binding keys come from SubscribeOptions.Bindings, as in the routing tutorial.
            [Consumer]
            public sealed class SeverityLogReceiver(Action<string>? output = null) : IConsumer<SeverityLog>
            {
                public ValueTask HandleAsync(SeverityLog message, MessageContext context, CancellationToken cancellationToken)
                {
                    output?.Invoke(message.Text);
                    return default;
                }
            }

            [Consumer(Queue = "kernel"), Bind("kern.*"), Bind("*.critical")]
            public sealed class KernelWatch : IConsumer<KernelLog>
            {
                public ValueTask HandleAsync(KernelLog message, MessageContext context, CancellationToken cancellationToken) => default;
            }

            [Consumer]
            public class TopicLogReceiver(Action<string>? output = null) : IConsumer<KernelLog>
            {
                public ValueTask HandleAsync(KernelLog message, MessageContext context, CancellationToken cancellationToken)
                {
                    output?.Invoke(message.Text);
                    return default;
                }
            }

            [Consumer, Bind("kern.*"), Bind("*.critical")]
            public sealed class DerivedKernelWatch(Action<string>? output = null) : TopicLogReceiver(output);

            [Consumer, BindHeaders(HeadersMatch.All, "color", "blue", "size", "big")]
            public sealed class BigBlue : IConsumer<Shape>
            {
                public ValueTask HandleAsync(Shape message, MessageContext context, CancellationToken cancellationToken) => default;
            }

            [Consumer]
            public sealed class ShapeReceiver : IConsumer<Shape>
            {
                public ValueTask HandleAsync(Shape message, MessageContext context, CancellationToken cancellationToken) => default;
            }
        }
        """;
}
