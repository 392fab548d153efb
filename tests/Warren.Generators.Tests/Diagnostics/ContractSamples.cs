namespace Warren.Generators.Tests.Diagnostics;

/// <summary>
/// Valid Warren code for the topology, RPC and serialization analyzers (WARREN003, 004, 006, 007, 008, 009): the README's
/// tutorials, the introduction's KernelLog on the same topic exchange as the tutorial's TopicLog, the RPC section's
/// IFibonacci, and the generator tests' ICalculator (a durable service, a custom wire name, a method without result).
/// </summary>
internal static class ContractSamples
{
    public const string Readme = """
        namespace Tutorials
        {
            [Queue("hello")]
            public sealed record Hello(string Text);

            [Consumer]
            public sealed class HelloReceiver : IConsumer<Hello>
            {
                public ValueTask HandleAsync(Hello message, MessageContext context, CancellationToken cancellationToken) => default;
            }

            [Queue("task_queue"), Durable]
            public sealed record WorkItem(string Payload);

            [Consumer(Prefetch = 1)]
            public sealed class Worker : IConsumer<WorkItem>
            {
                public ValueTask HandleAsync(WorkItem message, MessageContext context, CancellationToken cancellationToken) => default;
            }

            [Fanout("logs")]
            public sealed record LogLine(string Text);

            [Consumer]
            public sealed class LogReceiver : IConsumer<LogLine>
            {
                public ValueTask HandleAsync(LogLine message, MessageContext context, CancellationToken cancellationToken) => default;
            }

            [Direct("direct_logs", RoutingKey = "{Severity}")]
            public sealed record SeverityLog(string Severity, string Text);

            [Consumer, Bind("warning"), Bind("error")]
            public sealed class SeverityLogReceiver : IConsumer<SeverityLog>
            {
                public ValueTask HandleAsync(SeverityLog message, MessageContext context, CancellationToken cancellationToken) => default;
            }

            [Topic("topic_logs", RoutingKey = "{Facility}.{Severity}")]
            public sealed record TopicLog(string Facility, string Severity, string Text);

            [Consumer]
            public class TopicLogReceiver : IConsumer<TopicLog>
            {
                public ValueTask HandleAsync(TopicLog message, MessageContext context, CancellationToken cancellationToken) => default;
            }

            [Consumer, Bind("kern.*"), Bind("*.critical")]
            public sealed class KernelWatch : TopicLogReceiver;

            [Headers("shapes")]
            public sealed record Shape(
                [property: Header("color")] string? Color,
                [property: Header("size")] string? Size,
                string Text);

            [Consumer, BindHeaders(HeadersMatch.All, "color", "blue", "size", "big")]
            public sealed class ShapeReceiver : IConsumer<Shape>
            {
                public ValueTask HandleAsync(Shape message, MessageContext context, CancellationToken cancellationToken) => default;
            }
        }

        namespace Introduction
        {
            [Topic("topic_logs", RoutingKey = "{Facility}.{Severity}")]
            public sealed record KernelLog(string Facility, string Severity, string Text);

            [Consumer(Queue = "kernel"), Bind("kern.*"), Bind("*.critical")]
            public sealed class KernelWatch : IConsumer<KernelLog>
            {
                public ValueTask HandleAsync(KernelLog log, MessageContext context, CancellationToken cancellationToken) => default;
            }
        }

        namespace Rpc
        {
            [RpcService("rpc_queue")]
            public interface IFibonacci
            {
                [RpcMethod]   // "Fib" on the wire
                Task<long> FibAsync(int n, CancellationToken cancellationToken = default);
            }

            public sealed class FibonacciService : IFibonacci
            {
                public Task<long> FibAsync(int n, CancellationToken cancellationToken = default) => Task.FromResult((long)n);
            }

            public sealed record Sum(int Total);

            [RpcService("calc"), Durable]
            public interface ICalculator
            {
                [RpcMethod] Task<Sum> AddAsync(int a, int b, CancellationToken cancellationToken = default);
                [RpcMethod("div")] ValueTask<double> DivideAsync(double x, double y);
                [RpcMethod] Task ResetAsync();
            }
        }
        """;

    /// <summary>
    /// <see cref="Readme"/> with a <c>JsonSerializerContext</c> that lists every type Warren serializes: valid in a
    /// trimmed or NativeAOT project too.
    /// </summary>
    public const string ReadmeWithJsonContext = Readme + """

        namespace Json
        {
            [JsonSerializable(typeof(Tutorials.Hello))]
            [JsonSerializable(typeof(Tutorials.WorkItem))]
            [JsonSerializable(typeof(Tutorials.LogLine))]
            [JsonSerializable(typeof(Tutorials.SeverityLog))]
            [JsonSerializable(typeof(Tutorials.TopicLog))]
            [JsonSerializable(typeof(Tutorials.Shape))]
            [JsonSerializable(typeof(Introduction.KernelLog))]
            [JsonSerializable(typeof(int))]
            [JsonSerializable(typeof(long))]
            [JsonSerializable(typeof(double))]
            [JsonSerializable(typeof(Rpc.Sum))]
            internal partial class AppJsonContext : JsonSerializerContext
            {
                public AppJsonContext() : base(null) { }
                public static AppJsonContext Default { get; } = new();
                protected override System.Text.Json.JsonSerializerOptions? GeneratedSerializerOptions => null;
                public override System.Text.Json.Serialization.Metadata.JsonTypeInfo? GetTypeInfo(Type type) => null;
            }
        }
        """;
}
