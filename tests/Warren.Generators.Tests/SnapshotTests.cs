using System;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using Xunit;
using static Warren.Generators.Tests.GeneratorHarness;

namespace Warren.Generators.Tests;

/// <summary>The emitted code for each attribute kind, compared with the reviewed files in Snapshots/.</summary>
public sealed class SnapshotTests
{
    [Fact]
    public Task Queue_message() => Verify("Ns.Hello.Message.g.cs", """
            [Queue("hello")] public sealed record Hello(string Text);
            """);

    [Fact]
    public Task Message_with_a_wire_name_and_aliases() => Verify("Ns.OrderPlaced.Message.g.cs", """
            [Message("orders.placed", Aliases = new[] { "Shop.OrderPlaced", "Ns.OrderPlaced" }), Topic("orders", RoutingKey = "orders.placed")]
            public sealed record OrderPlaced(string Id);
            """);

    [Fact]
    public Task Polymorphic_message_with_derived_types() => Verify("Ns.Shipment.Message.g.cs", """
            [Topic("shipments", RoutingKey = "{Region}"), JsonDerivedType(typeof(Shipment), "shipment"), JsonDerivedType(typeof(ExpressShipment), "express"), JsonDerivedType(typeof(DroneShipment), "drone")]
            public record Shipment(string Region);

            public record ExpressShipment(string Region, int Hours) : Shipment(Region);

            public sealed record DroneShipment(string Region, int Hours, string Drone) : ExpressShipment(Region, Hours);
            """);

    [Fact]
    public Task Durable_queue_message() => Verify("Ns.WorkItem.Message.g.cs", """
            [Queue("task_queue"), Durable] public sealed record WorkItem(string Payload);
            """);

    [Fact]
    public Task Quorum_queue_message() => Verify("Ns.Order.Message.g.cs", """
            [Queue("orders"), Durable(QueueType.Quorum)] public sealed record Order(string Id);
            """);

    [Fact]
    public Task Quorum_queue_message_with_a_delivery_limit() => Verify("Ns.Payment.Message.g.cs", """
            [Queue("payments", Mandatory = true), Durable(QueueType.Quorum, DeliveryLimit = 2)] public sealed record Payment(string Id);
            """);

    [Fact]
    public Task Queue_message_with_queue_arguments() => Verify("Ns.Job.Message.g.cs", """
            [Queue("jobs"), Durable, QueueArguments(MessageTtl = "00:05:00", Expires = "1.00:00:00", MaxLength = 100, MaxLengthBytes = 1048576,
                Overflow = QueueOverflow.RejectPublishDlx, DeadLetterExchange = "", DeadLetterRoutingKey = "jobs.dead", MaxPriority = 10, SingleActiveConsumer = true)]
            public sealed record Job(string Id);
            """);

    [Fact]
    public Task Stream_queue_message_with_retention() => Verify("Ns.Tick.Message.g.cs", """
            [Queue("ticks"), Durable(QueueType.Stream), QueueArguments(MaxAge = "01:00:00", MaxLengthBytes = 1000000000, MaxSegmentSizeBytes = 10000000)]
            public sealed record Tick(decimal Price);
            """);

    [Fact]
    public Task Stream_consumer_with_offset_and_name() => Verify("Ns.TickReader.Consumer.g.cs", """
            [Fanout("ticks")] public sealed record Tick(decimal Price);

            [Consumer(Queue = "ticks.all", StreamOffset = "first", StreamConsumerName = "reader", TrackStreamOffset = false), Durable(QueueType.Stream)]
            public sealed class TickReader : IConsumer<Tick>
            {
                public ValueTask HandleAsync(Tick message, MessageContext context, CancellationToken cancellationToken) => default;
            }
            """);

    [Fact]
    public Task Rpc_service_with_queue_arguments() => Verify("Ns.IPricing.Rpc.g.cs", """
            [RpcService("pricing"), Durable(QueueType.Quorum), QueueArguments(MessageTtl = "00:00:30", DeadLetterExchange = "pricing.dlx")]
            public interface IPricing { [RpcMethod] Task<decimal> QuoteAsync(string sku); }
            """);

    [Fact]
    public Task Fanout_message() => Verify("Ns.LogLine.Message.g.cs", """
            [Fanout("logs")] public sealed record LogLine(string Text);
            """);

    [Fact]
    public Task Direct_message_with_one_property_template() => Verify("Ns.SeverityLog.Message.g.cs", """
            [Direct("direct_logs", RoutingKey = "{Severity}")] public sealed record SeverityLog(string Severity, string Text);
            """);

    [Fact]
    public Task Direct_message_with_constant_routing_key() => Verify("Ns.Audit.Message.g.cs", """
            [Direct("audit", RoutingKey = "audit.all"), Durable] public sealed record Audit(string Text);
            """);

    [Fact]
    public Task Topic_message_with_two_property_template() => Verify("Ns.KernelLog.Message.g.cs", """
            [Topic("topic_logs", RoutingKey = "{Facility}.{Severity}")] public sealed record KernelLog(string Facility, string Severity, string Text);
            """);

    [Fact]
    public Task Topic_message_with_value_type_properties_in_template() => Verify("Ns.OrderPlaced.Message.g.cs", """
            [Topic("orders", RoutingKey = "order.{Priority}.{Customer}.{Quantity}.{Note}")]
            public sealed record OrderPlaced(int Priority, Guid Customer, int? Quantity, string? Note);
            """);

    [Fact]
    public Task Headers_message_with_header_properties() => Verify("Ns.Shape.Message.g.cs", """
            [Headers("shapes")] public sealed record Shape([property: Header("color")] string Color, [property: Header("size")] string Size, [property: Header("sides")] int Sides, string Note);
            """);

    [Fact]
    public Task Message_covered_by_json_serializer_context() => Verify("Ns.Hello.Message.g.cs", """
            [Queue("hello")] public sealed record Hello(string Text);
            """, JsonContext("AppJsonContext", "Hello"));

    [Fact]
    public Task Consumer_without_options() => Verify("Ns.HelloReceiver.Consumer.g.cs", """
            [Queue("hello")] public sealed record Hello(string Text);

            [Consumer]
            public sealed class HelloReceiver : IConsumer<Hello>
            {
                public ValueTask HandleAsync(Hello message, MessageContext context, CancellationToken cancellationToken) => default;
            }
            """);

    [Fact]
    public Task Consumer_with_queue_prefetch_durable_and_bindings() => Verify("Ns.KernelWatch.Consumer.g.cs", """
            [Topic("topic_logs", RoutingKey = "{Facility}.{Severity}")] public sealed record KernelLog(string Facility, string Severity, string Text);

            [Consumer(Queue = "kernel", Prefetch = 5), Durable, Bind("kern.*"), Bind("*.critical")]
            public sealed class KernelWatch : IConsumer<KernelLog>
            {
                public ValueTask HandleAsync(KernelLog message, MessageContext context, CancellationToken cancellationToken) => default;
            }
            """);

    [Fact]
    public Task Consumer_with_single_active_and_queue_arguments() => Verify("Ns.Ledger.Consumer.g.cs", """
            [Fanout("payments"), Durable] public sealed record Payment(string Id);

            [Consumer(Queue = "ledger", SingleActive = true), Durable, QueueArguments(MaxLength = 50, Overflow = QueueOverflow.DropHead)]
            public sealed class Ledger : IConsumer<Payment>
            {
                public ValueTask HandleAsync(Payment message, MessageContext context, CancellationToken cancellationToken) => default;
            }
            """);

    [Fact]
    public Task Consumer_with_a_quorum_queue() => Verify("Ns.KernelArchive.Consumer.g.cs", """
            [Topic("topic_logs", RoutingKey = "{Facility}.{Severity}"), Durable] public sealed record KernelLog(string Facility, string Severity, string Text);

            [Consumer(Queue = "kernel_archive"), Durable(QueueType.Quorum, DeliveryLimit = 10), Bind("kern.#")]
            public sealed class KernelArchive : IConsumer<KernelLog>
            {
                public ValueTask HandleAsync(KernelLog message, MessageContext context, CancellationToken cancellationToken) => default;
            }
            """);

    [Fact]
    public Task Consumer_with_header_bindings() => Verify("Ns.BigBlue.Consumer.g.cs", """
            [Headers("shapes")] public sealed record Shape([property: Header("color")] string Color, [property: Header("size")] string Size);

            [Consumer, BindHeaders(HeadersMatch.All, "color", "blue", "size", "big"), BindHeaders(HeadersMatch.Any, "color", "red")]
            public sealed class BigBlue : IConsumer<Shape>
            {
                public ValueTask HandleAsync(Shape message, MessageContext context, CancellationToken cancellationToken) => default;
            }
            """);

    [Fact]
    public Task Module_initializer_registration() => Verify("Warren.Registration.g.cs", """
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

            [RpcService("rpc_queue")]
            public interface IFibonacci
            {
                [RpcMethod] Task<long> FibAsync(int n, CancellationToken cancellationToken = default);
            }

            [RpcService("calc"), Durable]
            public interface ICalculator
            {
                [RpcMethod("div")] ValueTask<double> DivideAsync(double x, double y);
            }
            """);

    [Fact]
    public Task Hosting_registration() => Verify("Warren.Hosting.g.cs", """
            [Queue("hello")] public sealed record Hello(string Text);
            [Fanout("logs")] public sealed record LogLine(string Text);

            [Consumer]
            public sealed class HelloReceiver : IConsumer<Hello>
            {
                public ValueTask HandleAsync(Hello message, MessageContext context, CancellationToken cancellationToken) => default;
            }

            [Consumer]
            public sealed class LogPrinter(System.IO.TextWriter output) : IConsumer<LogLine>
            {
                public ValueTask HandleAsync(LogLine message, MessageContext context, CancellationToken cancellationToken) => new(output.WriteLineAsync(message.Text));
            }

            [RpcService("rpc_queue")]
            public interface IFibonacci
            {
                [RpcMethod] Task<long> FibAsync(int n, CancellationToken cancellationToken = default);
            }

            [RpcService("calc")]
            public interface ICalculator
            {
                [RpcMethod] ValueTask<double> DivideAsync(double x, double y);
            }

            [RpcServer]
            public sealed class MathServer : IFibonacci, ICalculator
            {
                public Task<long> FibAsync(int n, CancellationToken cancellationToken = default) => Task.FromResult(0L);
                public ValueTask<double> DivideAsync(double x, double y) => new(x / y);
            }
            """);

    [Fact]
    public Task Rpc_service_with_one_method() => Verify("Ns.IFibonacci.Rpc.g.cs", """
            [RpcService("rpc_queue")]
            public interface IFibonacci
            {
                [RpcMethod] Task<long> FibAsync(int n, CancellationToken cancellationToken = default);
            }
            """);

    [Fact]
    public Task Rpc_service_with_several_methods_a_custom_wire_name_and_a_durable_queue() => Verify("Ns.ICalculator.Rpc.g.cs", """
            public sealed record Sum(int Total);

            [RpcService("calc"), Durable]
            public interface ICalculator
            {
                [RpcMethod] Task<Sum> AddAsync(int a, int b, CancellationToken cancellationToken = default);
                [RpcMethod("div")] ValueTask<double> DivideAsync(double x, double y);
                [RpcMethod] Task ResetAsync();
            }
            """);

    [Fact]
    public Task Rpc_service_with_a_quorum_queue() => Verify("Ns.IBilling.Rpc.g.cs", """
            [RpcService("billing"), Durable(QueueType.Quorum)]
            public interface IBilling
            {
                [RpcMethod] Task<decimal> TotalAsync(string customer, CancellationToken cancellationToken = default);
            }
            """);

    [Fact]
    public Task Rpc_methods_without_parameters() => Verify("Ns.IHeartbeat.Rpc.g.cs", """
            [RpcService("heartbeat")]
            public interface IHeartbeat
            {
                [RpcMethod] ValueTask PingAsync();
                [RpcMethod] ValueTask<DateTimeOffset> NowAsync(CancellationToken cancellationToken);
                [RpcMethod] Task StopAsync(CancellationToken cancellationToken);
            }
            """);

    [Fact]
    public Task Rpc_methods_without_cancellation_token() => Verify("Ns.IGreeter.Rpc.g.cs", """
            [RpcService("greeter")]
            public interface IGreeter
            {
                [RpcMethod] Task<string> GreetAsync(string name);
                [RpcMethod] ValueTask<string> JoinAsync(string first, string second, char separator);
                [RpcMethod] Task ForgetAsync(string name);
            }
            """);

    [Fact]
    public Task Rpc_methods_with_nullable_parameters_and_results() => Verify("Ns.INotes.Rpc.g.cs", """
            [RpcService("notes")]
            public interface INotes
            {
                [RpcMethod] Task<string?> FindAsync(string? key, CancellationToken cancellationToken = default);
                [RpcMethod] Task SaveAsync(string key, string? text, int? version, CancellationToken cancellationToken = default);
                [RpcMethod] ValueTask<int?> CountAsync(string?[]? keys);
            }
            """);

    [Fact]
    public Task Rpc_methods_and_parameters_named_with_keywords() => Verify("Ns.IEvents.Rpc.g.cs", """
            [RpcService("events")]
            public interface IEvents
            {
                [RpcMethod] Task<int> PublishAsync(string @event, int @class, CancellationToken @default = default);
                [RpcMethod] Task @event(string @params);
                [RpcMethod] Task<bool> @checked(int @int, CancellationToken @in);
            }
            """);

    [Fact]
    public Task Rpc_parameters_named_like_the_generated_locals() => Verify("Ns.IColliding.Rpc.g.cs", """
            [RpcService("colliding")]
            public interface IColliding
            {
                [RpcMethod] Task<int> OneAsync(int service, CancellationToken cancellationToken);
                [RpcMethod] Task<string> AllAsync(int service, int method, string request, string reply, int result, int arguments, int a0, int a1, int p0, int writer, int json, CancellationToken cancellationToken);
                [RpcMethod] Task<int> ResultAsync(int result);
                [RpcMethod] Task<int> TokenAsync(int cancellationToken, CancellationToken token);
                [RpcMethod] Task<int> ArgumentsAsync(int arguments);
            }
            """);

    [Fact]
    public Task Rpc_methods_with_generic_parameter_and_result_types() => Verify("Ns.IInventory.Rpc.g.cs", """
            public sealed record Sum(int Total);

            [RpcService("inventory")]
            public interface IInventory
            {
                [RpcMethod] Task<List<Sum>> SplitAsync(Dictionary<string, int> counts, List<Sum>? previous, CancellationToken cancellationToken = default);
                [RpcMethod] Task<Dictionary<string, int>> CountAsync(List<Sum> sums);
                [RpcMethod] ValueTask<(int Count, List<string?> Names)> ListAsync(IReadOnlyList<KeyValuePair<string, Sum>> pairs);
            }
            """, usings: "using System.Collections.Generic;\n");

    [Fact]
    public Task Rpc_service_nested_in_a_class() => Verify("Ns.Outer+INested.Rpc.g.cs", """
            public static class Outer
            {
                public sealed record Item(string Name);

                [RpcService("nested")]
                public interface INested
                {
                    [RpcMethod] Task<Item> GetAsync(int id, CancellationToken cancellationToken = default);
                }
            }
            """);

    [Fact]
    public Task Rpc_service_in_the_global_namespace() => GeneratorVerifier.VerifySnapshotsAsync(Usings + """
            [RpcService("global")]
            public interface IGlobalService
            {
                [RpcMethod] Task<GlobalResult> GetAsync(GlobalRequest request, CancellationToken cancellationToken = default);
            }

            public sealed record GlobalRequest(string Query);
            public sealed record GlobalResult(string Answer);
            """, "IGlobalService.Rpc.g.cs");

    [Fact]
    public void Every_snapshot_file_belongs_to_a_snapshot_test()
    {
        string[] tests = typeof(SnapshotTests).GetMethods().Concat(typeof(ContractDocumentTests).GetMethods())
            .Where(method => method.GetCustomAttribute<FactAttribute>() is not null && method.Name != nameof(Every_snapshot_file_belongs_to_a_snapshot_test))
            .Select(method => method.Name + ".")
            .ToArray();

        Assert.All(Snapshot.FileNames(), file => Assert.True(tests.Any(test => file.StartsWith(test, StringComparison.Ordinal)), $"Snapshot '{file}' belongs to no test; delete it."));
    }

    /// <summary>Generates from the sample (in namespace Ns) and compares every generated file with its snapshot.</summary>
    private static Task Verify(string hintName, string sample, string extra = "", string usings = "", [CallerMemberName] string testName = "") =>
        GeneratorVerifier.VerifySnapshotsAsync(Usings + usings + "namespace Ns;\n\n" + sample + "\n" + extra, hintName, testName);
}
