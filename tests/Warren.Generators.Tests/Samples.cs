namespace Warren.Generators.Tests;

/// <summary>Sample user code: every attribute kind, in several files and namespaces.</summary>
internal static class Samples
{
    /// <summary>The tutorial messages and consumers, one attribute kind each.</summary>
    public const string Tutorials = GeneratorHarness.Usings + """
        namespace Ns
        {
            [Queue("hello")] public sealed record Hello(string Text);
            [Queue("task_queue"), Durable] public sealed record WorkItem(string Payload);
            [Fanout("logs")] public sealed record LogLine(string Text);
            [Direct("direct_logs", RoutingKey = "{Severity}")] public sealed record SeverityLog(string Severity, string Text);
            [Topic("topic_logs", RoutingKey = "{Facility}.{Severity}")] public sealed record KernelLog(string Facility, string Severity, string Text);
            [Headers("shapes")] public sealed record Shape([property: Header("color")] string Color, [property: Header("size")] string Size);

            [Consumer]
            public sealed class HelloReceiver : IConsumer<Hello>
            {
                public ValueTask HandleAsync(Hello message, MessageContext context, CancellationToken cancellationToken) => default;
            }

            [Consumer(Prefetch = 1)]
            public sealed class Worker : IConsumer<WorkItem>
            {
                public int Handled { get; private set; }

                public ValueTask HandleAsync(WorkItem message, MessageContext context, CancellationToken cancellationToken)
                {
                    Handled++;
                    return default;
                }
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

            [Consumer(Queue = "kernel"), Durable, Bind("kern.*"), Bind("*.critical")]
            public sealed class KernelWatch : IConsumer<KernelLog>
            {
                public ValueTask HandleAsync(KernelLog message, MessageContext context, CancellationToken cancellationToken) => default;
            }

            [Consumer, BindHeaders(HeadersMatch.All, "color", "blue", "size", "big"), BindHeaders(HeadersMatch.Any, "color", "red")]
            public sealed class BigBlue : IConsumer<Shape>
            {
                public ValueTask HandleAsync(Shape message, MessageContext context, CancellationToken cancellationToken) => default;
            }
        }
        """;

    /// <summary>Value-type and nullable template properties, a struct message, a nested type, nested namespaces and a JSON context.</summary>
    public const string Orders = GeneratorHarness.Usings + """
        namespace Shop
        {
            namespace Orders.Billing
            {
                [Topic("orders", RoutingKey = "order.{Priority}.{Customer}.{Quantity}.{Total}.{Note}")]
                public sealed record OrderPlaced(int Priority, Guid Customer, int? Quantity, decimal Total, string? Note);

                [Direct("invoices", RoutingKey = "{Number}")]
                internal readonly record struct InvoiceIssued(long Number, DateTimeOffset? DueAt);

                [Headers("audit"), Durable]
                public sealed class AuditEntry
                {
                    [Header("user")] public string? User { get; init; }
                    [Header("level")] public int Level { get; init; }
                    [Header("at")] public DateTimeOffset? At { get; init; }
                    [Header("ratio")] public double Ratio { get; init; }
                }

                public static class Outer
                {
                    [Fanout("nested")] public sealed record NestedEvent(string Text);

                    [Consumer]
                    internal sealed class NestedConsumer : IConsumer<NestedEvent>
                    {
                        public ValueTask HandleAsync(NestedEvent message, MessageContext context, CancellationToken cancellationToken) => default;
                    }
                }

                [Consumer(Queue = "billing", Prefetch = 10, SingleActive = true), Durable, QueueArguments(MessageTtl = "00:05:00", MaxPriority = 5), Bind("order.#")]
                internal sealed class OrderConsumer : IConsumer<OrderPlaced>
                {
                    public ValueTask HandleAsync(OrderPlaced message, MessageContext context, CancellationToken cancellationToken) => default;
                }

                [Consumer, BindHeaders(HeadersMatch.Any, "user", "root")]
                internal sealed class AuditConsumer : IConsumer<AuditEntry>
                {
                    public ValueTask HandleAsync(AuditEntry message, MessageContext context, CancellationToken cancellationToken) => default;
                }
            }

            [Queue("receipts"), QueueArguments(MaxLength = 1000, Overflow = QueueOverflow.RejectPublish)] public sealed record Receipt(string Number);

            [JsonSerializable(typeof(Receipt))]
            [JsonSerializable(typeof(Orders.Billing.OrderPlaced))]
            internal partial class ShopJsonContext : JsonSerializerContext
            {
                public ShopJsonContext() : base(null) { }
                public static ShopJsonContext Default { get; } = new();
                protected override JsonSerializerOptions? GeneratedSerializerOptions => null;
                public override JsonTypeInfo? GetTypeInfo(Type type) => null;
            }
        }
        """;

    /// <summary>The RPC tutorial's service, a durable one with a custom wire name and a method without result, a nested one, and an implementation.</summary>
    public const string Rpc = GeneratorHarness.Usings + """
        namespace Ns
        {
            [RpcService("rpc_queue")]
            public interface IFibonacci
            {
                [RpcMethod] Task<long> FibAsync(int n, CancellationToken cancellationToken = default);
            }

            public sealed record Sum(int Total);

            [RpcService("calc"), Durable]
            public interface ICalculator
            {
                [RpcMethod] Task<Sum> AddAsync(int a, int b, CancellationToken cancellationToken = default);
                [RpcMethod("div")] ValueTask<double> DivideAsync(double x, double y);
                [RpcMethod] Task ResetAsync();
            }

            public static class Services
            {
                [RpcService("nested_rpc")]
                internal interface INested
                {
                    [RpcMethod] ValueTask PingAsync();
                    [RpcMethod] ValueTask<string?> EchoAsync(string? text, CancellationToken cancellationToken);
                }
            }

            [RpcServer]
            public sealed class Calculator : ICalculator
            {
                public int Resets { get; private set; }

                public Task<Sum> AddAsync(int a, int b, CancellationToken cancellationToken = default) => Task.FromResult(new Sum(a + b));

                public ValueTask<double> DivideAsync(double x, double y) => new(x / y);

                public Task ResetAsync()
                {
                    Resets++;
                    return Task.CompletedTask;
                }
            }

            public sealed class Fibonacci : IFibonacci
            {
                public Task<long> FibAsync(int n, CancellationToken cancellationToken = default)
                {
                    long a = 0, b = 1;
                    for (int i = 0; i < n; i++)
                    {
                        (a, b) = (b, a + b);
                    }

                    return Task.FromResult(a);
                }
            }
        }
        """;

    /// <summary>Code that has nothing to do with Warren, in a file of its own.</summary>
    public const string Unrelated = """
        namespace Other
        {
            internal static class Helpers
            {
                public static int Compute() => 1;
            }
        }
        """;

    /// <summary>The hint names <see cref="Tutorials"/>, <see cref="Orders"/> and <see cref="Rpc"/> generate, in a stable form.</summary>
    public static readonly string[] HintNames =
    [
        "Ns.BigBlue.Consumer.g.cs",
        "Ns.ErrorSink.Consumer.g.cs",
        "Ns.Hello.Message.g.cs",
        "Ns.HelloReceiver.Consumer.g.cs",
        "Ns.ICalculator.Rpc.g.cs",
        "Ns.IFibonacci.Rpc.g.cs",
        "Ns.KernelLog.Message.g.cs",
        "Ns.KernelWatch.Consumer.g.cs",
        "Ns.LogLine.Message.g.cs",
        "Ns.LogPrinter.Consumer.g.cs",
        "Ns.Services+INested.Rpc.g.cs",
        "Ns.SeverityLog.Message.g.cs",
        "Ns.Shape.Message.g.cs",
        "Ns.WorkItem.Message.g.cs",
        "Ns.Worker.Consumer.g.cs",
        "Shop.Orders.Billing.AuditConsumer.Consumer.g.cs",
        "Shop.Orders.Billing.AuditEntry.Message.g.cs",
        "Shop.Orders.Billing.InvoiceIssued.Message.g.cs",
        "Shop.Orders.Billing.OrderConsumer.Consumer.g.cs",
        "Shop.Orders.Billing.OrderPlaced.Message.g.cs",
        "Shop.Orders.Billing.Outer+NestedConsumer.Consumer.g.cs",
        "Shop.Orders.Billing.Outer+NestedEvent.Message.g.cs",
        "Shop.Receipt.Message.g.cs",
        "Warren.Contracts.g.cs",
        "Warren.Hosting.g.cs",
        "Warren.Registration.g.cs",
    ];
}
