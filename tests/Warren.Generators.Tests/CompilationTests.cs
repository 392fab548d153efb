using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using Warren.Runtime;
using Xunit;
using static Warren.Generators.Tests.GeneratorHarness;

namespace Warren.Generators.Tests;

/// <summary>The generated code as a whole: it compiles cleanly, is stable, and does at run time what the attributes say.</summary>
public sealed class CompilationTests
{
    [Fact]
    public void Generated_code_compiles_without_warnings_or_errors()
    {
        GeneratorRun run = RunClean(Samples.Tutorials, Samples.Orders, Samples.Rpc, Samples.Unrelated);

        run.AssertCompilesWithoutWarnings();
        using var stream = new MemoryStream();
        EmitResult emit = run.OutputCompilation.Emit(stream);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
    }

    [Fact]
    public void Hint_names_are_the_full_type_names_with_a_kind_suffix()
    {
        GeneratorRun run = RunClean(Samples.Tutorials, Samples.Orders, Samples.Rpc);

        Assert.Equal(Samples.HintNames, run.HintNames.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Same_input_gives_identical_output_on_two_runs()
    {
        GeneratorRun first = RunClean(Samples.Tutorials, Samples.Orders, Samples.Rpc);
        GeneratorRun second = RunClean(Samples.Tutorials, Samples.Orders, Samples.Rpc);

        Assert.Equal(Files(first), Files(second));
    }

    [Fact]
    public void Output_does_not_depend_on_the_order_of_files()
    {
        GeneratorRun forward = RunClean(Samples.Tutorials, Samples.Orders, Samples.Rpc);
        GeneratorRun backward = RunClean(Samples.Rpc, Samples.Orders, Samples.Tutorials);

        Assert.Equal(Files(forward).OrderBy(f => f.HintName, StringComparer.Ordinal), Files(backward).OrderBy(f => f.HintName, StringComparer.Ordinal));
    }

    [Fact]
    public void Json_context_is_used_only_for_the_types_it_declares()
    {
        GeneratorRun run = RunClean(Samples.Tutorials, Samples.Orders);

        const string Context = "global::Shop.ShopJsonContext.Default.GetTypeInfo(";
        Assert.Contains(Context + "typeof(global::Shop.Receipt))", run.Source("Shop.Receipt.Message.g.cs"), StringComparison.Ordinal);
        Assert.Contains(Context + "typeof(global::Shop.Orders.Billing.OrderPlaced))", run.Source("Shop.Orders.Billing.OrderPlaced.Message.g.cs"), StringComparison.Ordinal);
        Assert.DoesNotContain("GetGeneratedTypeInfo", run.Source("Shop.Orders.Billing.InvoiceIssued.Message.g.cs"), StringComparison.Ordinal);
        Assert.DoesNotContain("GetGeneratedTypeInfo", run.Source("Ns.Hello.Message.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void Module_initializer_registers_descriptors_that_route_and_write_headers_as_declared()
    {
        Assembly assembly = EmitAndLoad(Samples.Tutorials, Samples.Orders, Samples.Rpc);
        RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
        Dictionary<string, MessageDescriptor> messages = WarrenRegistry.Messages
            .Where(d => d.ClrType.Assembly == assembly)
            .ToDictionary(d => d.MessageType);
        Dictionary<string, ConsumerDescriptor> consumers = WarrenRegistry.Consumers
            .Where(d => d.ConsumerType.Assembly == assembly)
            .ToDictionary(d => d.ConsumerType.FullName!);

        Assert.Equal(11, messages.Count);
        Assert.Equal(9, consumers.Count);
        AssertMessage(messages["Ns.Hello"], ExchangeKind.Queue, "hello", durable: false);
        AssertMessage(messages["Ns.WorkItem"], ExchangeKind.Queue, "task_queue", durable: true);
        AssertMessage(messages["Ns.LogLine"], ExchangeKind.Fanout, "logs", durable: false);
        AssertMessage(messages["Ns.SeverityLog"], ExchangeKind.Direct, "direct_logs", durable: false);
        AssertMessage(messages["Ns.KernelLog"], ExchangeKind.Topic, "topic_logs", durable: false);
        AssertMessage(messages["Ns.Shape"], ExchangeKind.Headers, "shapes", durable: false);
        AssertMessage(messages["Shop.Orders.Billing.AuditEntry"], ExchangeKind.Headers, "audit", durable: true);

        // Routing keys are invariant-culture text of the template's properties, with null as empty.
        CultureInfo culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            var customer = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
            Assert.Equal("hello", RoutingKey(messages["Ns.Hello"], "hi"));
            Assert.Equal("task_queue", RoutingKey(messages["Ns.WorkItem"], "job"));
            Assert.Equal("", RoutingKey(messages["Ns.LogLine"], "line"));
            Assert.Equal("error", RoutingKey(messages["Ns.SeverityLog"], "error", "disk full"));
            Assert.Equal("kern.critical", RoutingKey(messages["Ns.KernelLog"], "kern", "critical", "panic"));
            Assert.Equal(".info", RoutingKey(messages["Ns.KernelLog"], null, "info", "boot"));
            Assert.Equal($"order.3.{customer}.7.12.5.rush", RoutingKey(messages["Shop.Orders.Billing.OrderPlaced"], 3, customer, 7, 12.5m, "rush"));
            Assert.Equal($"order.3.{customer}..0.", RoutingKey(messages["Shop.Orders.Billing.OrderPlaced"], 3, customer, null, 0m, null));
            Assert.Equal("42", RoutingKey(messages["Shop.Orders.Billing.InvoiceIssued"], 42L, null));

            Assert.Equal(
                new Dictionary<string, object?> { ["color"] = "blue", ["size"] = "big" },
                Headers(messages["Ns.Shape"], Create(messages["Ns.Shape"].ClrType, "blue", "big")));
            var at = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(2));
            object audit = Create(messages["Shop.Orders.Billing.AuditEntry"].ClrType);
            Set(audit, "User", null);
            Set(audit, "Level", 1234);
            Set(audit, "At", at);
            Set(audit, "Ratio", 0.25);
            // A null header property is left out, so a binding on an empty value does not match it.
            Assert.Equal(
                new Dictionary<string, object?> { ["level"] = "1234", ["at"] = at.ToString(null, CultureInfo.InvariantCulture), ["ratio"] = "0.25" },
                Headers(messages["Shop.Orders.Billing.AuditEntry"], audit));
            Set(audit, "User", "ada");
            Assert.Equal("ada", Headers(messages["Shop.Orders.Billing.AuditEntry"], audit)["user"]);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }

        ConsumerDescriptor worker = consumers["Ns.Worker"];
        Assert.Equal((null, false, (ushort)1), (worker.Queue, worker.Durable, worker.Prefetch));
        Assert.Empty(worker.BindingKeys);
        Assert.Empty(worker.HeaderBindings);
        Assert.Same(messages["Ns.WorkItem"], worker.Message);

        ConsumerDescriptor kernel = consumers["Ns.KernelWatch"];
        Assert.Equal(("kernel", true, (ushort)0), (kernel.Queue, kernel.Durable, kernel.Prefetch));
        Assert.Equal(["kern.*", "*.critical"], kernel.BindingKeys);
        Assert.Same(messages["Ns.KernelLog"], kernel.Message);

        ConsumerDescriptor billing = consumers["Shop.Orders.Billing.OrderConsumer"];
        Assert.Equal(("billing", true, (ushort)10), (billing.Queue, billing.Durable, billing.Prefetch));
        Assert.Equal(["order.#"], billing.BindingKeys);

        HeadersBinding[] bindings = consumers["Ns.BigBlue"].HeaderBindings.ToArray();
        Assert.Equal(2, bindings.Length);
        Assert.Equal(HeadersMatch.All, bindings[0].Match);
        Assert.Equal(new Dictionary<string, string> { ["color"] = "blue", ["size"] = "big" }, bindings[0].Headers);
        Assert.Equal(HeadersMatch.Any, bindings[1].Match);
        Assert.Equal(new Dictionary<string, string> { ["color"] = "red" }, bindings[1].Headers);
    }

    [Fact]
    public void Module_initializer_registers_rpc_services_with_their_queue_durability_and_wire_names()
    {
        Assembly assembly = EmitAndLoad(Samples.Tutorials, Samples.Rpc);
        RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);

        RpcServiceDescriptor fibonacci = RegisteredService(assembly, "Ns.IFibonacci");
        Assert.Equal(("Ns.IFibonacci", "rpc_queue", false), (fibonacci.ServiceType, fibonacci.Queue, fibonacci.Durable));
        Assert.Equal(["Fib"], fibonacci.MethodNames);

        RpcServiceDescriptor calculator = RegisteredService(assembly, "Ns.ICalculator");
        Assert.Equal(("Ns.ICalculator", "calc", true), (calculator.ServiceType, calculator.Queue, calculator.Durable));
        Assert.Equal(["Add", "div", "Reset"], calculator.MethodNames);

        RpcServiceDescriptor nested = RegisteredService(assembly, "Ns.Services+INested");
        Assert.Equal(("Ns.Services+INested", "nested_rpc", false), (nested.ServiceType, nested.Queue, nested.Durable));
        Assert.Equal(["Ping", "Echo"], nested.MethodNames);

        // Each descriptor makes a proxy that implements its interface; making one calls nothing yet.
        Assert.All([fibonacci, calculator, nested], descriptor => Assert.IsAssignableFrom(
            assembly.GetType(descriptor.ServiceType, throwOnError: true)!,
            descriptor.GetType().GetMethod(nameof(RpcServiceDescriptor<object>.CreateClient))!.Invoke(descriptor, [null])));

        // RPC services are not messages or consumers.
        Assert.Equal(6, WarrenRegistry.Messages.Count(d => d.ClrType.Assembly == assembly));
        Assert.Equal(6, WarrenRegistry.Consumers.Count(d => d.ConsumerType.Assembly == assembly));
    }

    [Fact]
    public void Module_initializer_registers_queue_types_and_delivery_limits()
    {
        Assembly assembly = EmitAndLoad("""
            using System.Threading;
            using System.Threading.Tasks;
            using Warren;

            namespace Quorum;

            [Queue("orders"), Durable(QueueType.Quorum)] public sealed record Order(string Id);
            [Queue("payments"), Durable(QueueType.Quorum, DeliveryLimit = 0)] public sealed record Payment(string Id);
            [Queue("tasks"), Durable] public sealed record Task1(string Id);
            [Fanout("events"), Durable] public sealed record Event(string Id);

            [Consumer(Queue = "audit"), Durable(QueueType.Quorum, DeliveryLimit = 2)]
            public sealed class Audit : IConsumer<Event>
            {
                public ValueTask HandleAsync(Event message, MessageContext context, CancellationToken cancellationToken) => default;
            }

            [Consumer(Queue = "archive"), Durable]
            public sealed class Archive : IConsumer<Event>
            {
                public ValueTask HandleAsync(Event message, MessageContext context, CancellationToken cancellationToken) => default;
            }

            [RpcService("billing"), Durable(QueueType.Quorum, DeliveryLimit = 7)]
            public interface IBilling
            {
                [RpcMethod] Task<int> CountAsync();
            }
            """);
        RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
        Dictionary<string, MessageDescriptor> messages = WarrenRegistry.Messages
            .Where(d => d.ClrType.Assembly == assembly)
            .ToDictionary(d => d.MessageType);
        Dictionary<string, ConsumerDescriptor> consumers = WarrenRegistry.Consumers
            .Where(d => d.ConsumerType.Assembly == assembly)
            .ToDictionary(d => d.ConsumerType.FullName!);

        Assert.Equal((true, QueueType.Quorum, 5), (messages["Quorum.Order"].Durable, messages["Quorum.Order"].QueueType, messages["Quorum.Order"].DeliveryLimit));
        Assert.Equal((QueueType.Quorum, 0), (messages["Quorum.Payment"].QueueType, messages["Quorum.Payment"].DeliveryLimit));
        Assert.Equal((true, QueueType.Classic, 0), (messages["Quorum.Task1"].Durable, messages["Quorum.Task1"].QueueType, messages["Quorum.Task1"].DeliveryLimit));
        Assert.Equal((QueueType.Classic, 0), (messages["Quorum.Event"].QueueType, messages["Quorum.Event"].DeliveryLimit));
        Assert.Equal(("audit", true, QueueType.Quorum, 2), (consumers["Quorum.Audit"].Queue, consumers["Quorum.Audit"].Durable, consumers["Quorum.Audit"].QueueType, consumers["Quorum.Audit"].DeliveryLimit));
        Assert.Equal((true, QueueType.Classic, 0), (consumers["Quorum.Archive"].Durable, consumers["Quorum.Archive"].QueueType, consumers["Quorum.Archive"].DeliveryLimit));
        RpcServiceDescriptor billing = RegisteredService(assembly, "Quorum.IBilling");
        Assert.Equal(("billing", true, QueueType.Quorum, 7), (billing.Queue, billing.Durable, billing.QueueType, billing.DeliveryLimit));
    }

    [Fact]
    public async Task Generated_dispatcher_reads_the_arguments_the_generated_proxy_writes()
    {
        Assembly assembly = EmitAndLoad(Samples.Rpc);
        RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
        RpcServiceDescriptor calculator = RegisteredService(assembly, "Ns.ICalculator");
        RpcServiceDescriptor fibonacci = RegisteredService(assembly, "Ns.IFibonacci");
        object calculatorService = Create(assembly.GetType("Ns.Calculator", throwOnError: true)!);
        object fibonacciService = Create(assembly.GetType("Ns.Fibonacci", throwOnError: true)!);

        // One parameter is sent bare, several as an object keyed by parameter name, none as an empty object.
        byte[] add = RequestBody(calculator, 0, 2, 3);
        byte[] divide = RequestBody(calculator, 1, 5.0, 2.0);
        byte[] fib = RequestBody(fibonacci, 0, 10);
        Assert.Equal("""{"a":2,"b":3}""", Encoding.UTF8.GetString(add));
        Assert.Equal("""{"x":5,"y":2}""", Encoding.UTF8.GetString(divide));
        Assert.Equal("10", Encoding.UTF8.GetString(fib));

        Assert.Equal("""{"Total":5}""", await DispatchAsync(calculator, calculatorService, 0, add));
        Assert.Equal("2.5", await DispatchAsync(calculator, calculatorService, 1, divide));
        Assert.Equal("null", await DispatchAsync(calculator, calculatorService, 2, "{}"u8.ToArray()));
        Assert.Equal(1, calculatorService.GetType().GetProperty("Resets")!.GetValue(calculatorService));
        Assert.Equal("55", await DispatchAsync(fibonacci, fibonacciService, 0, fib));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => DispatchAsync(calculator, calculatorService, 3, "{}"u8.ToArray()));
    }

    private static List<(string HintName, string Text)> Files(GeneratorRun run) =>
        run.Result.GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())).ToList();

    private static Assembly EmitAndLoad(params string[] sources)
    {
        CSharpCompilation compilation = CreateCompilation(
            sources.Select((source, i) => Parse(source, $"Sample{i}.cs")),
            assemblyName: "Warren.Samples.RunTime");
        GeneratorRun run = Run(compilation);
        run.AssertNoExceptionOrDiagnostics();
        using var stream = new MemoryStream();
        EmitResult emit = run.OutputCompilation.Emit(stream);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));

        // Each load of a byte array gets a load context of its own; Warren.dll resolves to the one this test uses.
        return Assembly.Load(stream.ToArray());
    }

    /// <summary>The descriptor the module initializer registered for the service interface (Warren keeps it in an internal generic cache).</summary>
    private static RpcServiceDescriptor RegisteredService(Assembly assembly, string serviceType)
    {
        Type service = assembly.GetType(serviceType, throwOnError: true)!;
        Type registry = typeof(WarrenRegistry).Assembly.GetType("Warren.Runtime.RpcRegistry`1", throwOnError: true)!.MakeGenericType(service);
        object? descriptor = registry.GetField("Descriptor", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null);
        Assert.True(descriptor is RpcServiceDescriptor, $"No RPC descriptor registered for {serviceType}.");
        return (RpcServiceDescriptor)descriptor!;
    }

    /// <summary>The serializer the bus gives generated code, with the default options.</summary>
    private static RpcJson RpcJson() =>
        (RpcJson)Activator.CreateInstance(typeof(RpcJson), BindingFlags.NonPublic | BindingFlags.Instance, null, [JsonSerializerOptions.Default], null)!;

    /// <summary>The request body the proxy sends for method <paramref name="method"/>: what its generated arguments struct writes.</summary>
    private static byte[] RequestBody(RpcServiceDescriptor descriptor, int method, params object[] arguments)
    {
        Type argumentsType = descriptor.GetType().GetNestedType("Arguments" + method, BindingFlags.NonPublic)!;
        var value = (IRpcArguments)Activator.CreateInstance(argumentsType, arguments)!;
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            value.Write(writer, RpcJson());
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Runs the generated dispatcher on a request body and returns the reply body.</summary>
    private static async Task<string> DispatchAsync(RpcServiceDescriptor descriptor, object service, int method, byte[] body)
    {
        object request = Activator.CreateInstance(typeof(RpcRequest), BindingFlags.NonPublic | BindingFlags.Instance, null, [new ReadOnlyMemory<byte>(body), RpcJson()], null)!;
        var buffer = new ArrayBufferWriter<byte>();
        using (var reply = new Utf8JsonWriter(buffer))
        {
            try
            {
                await (ValueTask)descriptor.GetType().GetMethod(nameof(RpcServiceDescriptor<object>.DispatchAsync))!
                    .Invoke(descriptor, [service, method, request, reply, CancellationToken.None])!;
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                ExceptionDispatchInfo.Throw(ex.InnerException);
            }
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void AssertMessage(MessageDescriptor descriptor, ExchangeKind kind, string name, bool durable)
    {
        Assert.Equal((kind, name, durable), (descriptor.Kind, descriptor.Name, descriptor.Durable));
        Assert.Equal(descriptor.ClrType.FullName, descriptor.MessageType);
    }

    private static string? RoutingKey(MessageDescriptor descriptor, params object?[] constructorArguments) =>
        (string?)descriptor.GetType().GetMethod(nameof(MessageDescriptor<object>.GetRoutingKey))!
            .Invoke(descriptor, [Create(descriptor.ClrType, constructorArguments)]);

    private static Dictionary<string, object?> Headers(MessageDescriptor descriptor, object message)
    {
        var headers = new Dictionary<string, object?>();
        descriptor.GetType().GetMethod(nameof(MessageDescriptor<object>.WriteHeaders))!.Invoke(descriptor, [message, headers]);
        return headers;
    }

    private static object Create(Type type, params object?[] constructorArguments) =>
        Activator.CreateInstance(type, constructorArguments)!;

    private static void Set(object target, string property, object? value) =>
        target.GetType().GetProperty(property)!.SetValue(target, value);
}
