using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
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
        GeneratorRun run = RunClean(Samples.Tutorials, Samples.Orders, Samples.Unrelated);

        run.AssertCompilesWithoutWarnings();
        using var stream = new MemoryStream();
        EmitResult emit = run.OutputCompilation.Emit(stream);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
    }

    [Fact]
    public void Hint_names_are_the_full_type_names_with_a_kind_suffix()
    {
        GeneratorRun run = RunClean(Samples.Tutorials, Samples.Orders);

        Assert.Equal(Samples.HintNames, run.HintNames.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Same_input_gives_identical_output_on_two_runs()
    {
        GeneratorRun first = RunClean(Samples.Tutorials, Samples.Orders);
        GeneratorRun second = RunClean(Samples.Tutorials, Samples.Orders);

        Assert.Equal(Files(first), Files(second));
    }

    [Fact]
    public void Output_does_not_depend_on_the_order_of_files()
    {
        GeneratorRun forward = RunClean(Samples.Tutorials, Samples.Orders);
        GeneratorRun backward = RunClean(Samples.Orders, Samples.Tutorials);

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
        Assembly assembly = EmitAndLoad(Samples.Tutorials, Samples.Orders);
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
