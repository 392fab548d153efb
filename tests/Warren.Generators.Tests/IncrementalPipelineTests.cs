using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Warren.Generators.Model;
using Xunit;
using static Warren.Generators.Tests.GeneratorHarness;

namespace Warren.Generators.Tests;

/// <summary>The pipeline's named steps: they hold only values, and edits redo only the work they concern.</summary>
public sealed class IncrementalPipelineTests
{
    /// <summary>The generator's named steps that <see cref="Samples.Tutorials"/>, <see cref="Samples.Orders"/> and <see cref="Samples.Rpc"/> exercise.</summary>
    private static readonly string[] Steps =
    [
        TrackingNames.QueueMessages,
        TrackingNames.FanoutMessages,
        TrackingNames.DirectMessages,
        TrackingNames.TopicMessages,
        TrackingNames.HeadersMessages,
        TrackingNames.MessagesWithContext,
        TrackingNames.JsonContexts,
        TrackingNames.Consumers,
        TrackingNames.RpcServices,
        TrackingNames.RpcServers,
        TrackingNames.AssemblyName,
        TrackingNames.Registration,
        TrackingNames.HostingRegistration,
        TrackingNames.ContractOptions,
        TrackingNames.ContractDocuments,
        TrackingNames.ContractLockCheck,
    ];

    /// <summary>
    /// The contract steps that hold locations (for the lock check's diagnostics): an edit that moves a declaration modifies
    /// them, yet the documents made from them stay unchanged.
    /// </summary>
    private static readonly string[] LocatedSteps =
    [
        TrackingNames.MessageContracts,
        TrackingNames.ConsumerContracts,
        TrackingNames.RpcServiceContracts,
        TrackingNames.RpcServerContracts,
        TrackingNames.Contracts,
    ];

    private static readonly Type[] ForbiddenInModels =
        [typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(Location), typeof(SemanticModel), typeof(Compilation)];

    public static TheoryData<string> UnrelatedEdits => new(
        "add a file",
        "edit a method body in another file",
        "edit a consumer's method body next to the messages",
        "add a comment to a message file",
        "edit a service implementation's method body next to the services",
        "add a comment to a service file");

    [Theory]
    [MemberData(nameof(UnrelatedEdits))]
    public void Unrelated_edit_leaves_every_step_and_output_cached_or_unchanged(string edit)
    {
        SyntaxTree tutorials = Parse(Samples.Tutorials, "Tutorials.cs");
        SyntaxTree orders = Parse(Samples.Orders, "Orders.cs");
        SyntaxTree rpc = Parse(Samples.Rpc, "Rpc.cs");
        SyntaxTree unrelated = Parse(Samples.Unrelated, "Unrelated.cs");
        CSharpCompilation compilation = CreateCompilation([tutorials, orders, rpc, unrelated]);
        GeneratorDriver driver = CreateDriver().RunGenerators(compilation);
        GeneratorRunResult first = driver.GetRunResult().Results.Single();
        Assert.All(Steps, step => Assert.NotEmpty(Outputs(first, step)));
        Assert.NotEmpty(first.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs));

        CSharpCompilation edited = edit switch
        {
            "add a file" => compilation.AddSyntaxTrees(Parse("internal sealed class Unrelated { public int X => 1; }", "New.cs")),
            "edit a method body in another file" => compilation.ReplaceSyntaxTree(unrelated, Parse(Replace(Samples.Unrelated, "=> 1;", "=> 2;"), "Unrelated.cs")),
            "edit a consumer's method body next to the messages" => compilation.ReplaceSyntaxTree(tutorials, Parse(Replace(Samples.Tutorials, "Handled++;", "Handled += 2;"), "Tutorials.cs")),
            "add a comment to a message file" => compilation.ReplaceSyntaxTree(orders, Parse("// A comment.\n" + Samples.Orders, "Orders.cs")),
            "edit a service implementation's method body next to the services" => compilation.ReplaceSyntaxTree(rpc, Parse(Replace(Samples.Rpc, "Resets++;", "Resets += 2;"), "Rpc.cs")),
            "add a comment to a service file" => compilation.ReplaceSyntaxTree(rpc, Parse("// A comment.\n" + Samples.Rpc, "Rpc.cs")),
            _ => throw new ArgumentOutOfRangeException(nameof(edit), edit, null),
        };
        GeneratorRunResult second = driver.RunGenerators(edited).GetRunResult().Results.Single();

        // Edits in files without contracts do not even move a declaration.
        string[] checkedSteps = edit is "add a file" or "edit a method body in another file" ? [.. Steps, .. LocatedSteps] : Steps;
        List<string> redone = checkedSteps
            .SelectMany(step => Outputs(second, step).Select(output => (step, output.Reason)))
            .Concat(second.TrackedOutputSteps.SelectMany(s => s.Value.SelectMany(run => run.Outputs).Select(output => (step: s.Key, output.Reason))))
            .Where(output => output.Reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged))
            .Select(output => $"{output.step}: {output.Reason}")
            .ToList();
        Assert.True(redone.Count == 0, "Steps redone after an unrelated edit:\n" + string.Join("\n", redone));
    }

    [Fact]
    public void Editing_one_message_modifies_only_that_message()
    {
        SyntaxTree hello = Parse(Usings + """namespace Ns; [Queue("hello")] public sealed record Hello(string Text);""", "Hello.cs");
        SyntaxTree work = Parse(Usings + """namespace Ns; [Queue("task_queue"), Durable] public sealed record WorkItem(string Payload);""", "Work.cs");
        SyntaxTree kernel = Parse(Usings + """
            namespace Ns;

            [Topic("topic_logs", RoutingKey = "{Facility}.{Severity}")] public sealed record KernelLog(string Facility, string Severity, string Text);

            [Consumer, Bind("kern.*")]
            public sealed class KernelWatch : IConsumer<KernelLog>
            {
                public ValueTask HandleAsync(KernelLog message, MessageContext context, CancellationToken cancellationToken) => default;
            }
            """, "Kernel.cs");
        CSharpCompilation compilation = CreateCompilation([hello, work, kernel]);
        GeneratorDriver driver = CreateDriver().RunGenerators(compilation);

        SyntaxTree renamed = Parse(Replace(hello.ToString(), "[Queue(\"hello\")]", "[Queue(\"hello2\")]"), "Hello.cs");
        GeneratorRunResult result = driver.RunGenerators(compilation.ReplaceSyntaxTree(hello, renamed)).GetRunResult().Results.Single();

        (object Value, IncrementalStepRunReason Reason)[] queue = Outputs(result, TrackingNames.QueueMessages).ToArray();
        Assert.Equal(2, queue.Length);
        Assert.Equal(IncrementalStepRunReason.Modified, Assert.Single(queue, o => ((MessageSpec)o.Value).Name == "hello2").Reason);
        AssertCachedOrUnchanged(queue.Where(o => ((MessageSpec)o.Value).Name != "hello2"));

        (object Value, IncrementalStepRunReason Reason)[] emitted = Outputs(result, TrackingNames.MessagesWithContext).ToArray();
        Assert.Equal("hello2", ((MessageEmitSpec)Assert.Single(emitted, o => o.Reason == IncrementalStepRunReason.Modified).Value).Message.Name);
        AssertCachedOrUnchanged(emitted.Where(o => o.Reason != IncrementalStepRunReason.Modified));

        // The queue name is not part of the registration, and nothing else changed.
        AssertCachedOrUnchanged(Outputs(result, TrackingNames.TopicMessages));
        AssertCachedOrUnchanged(Outputs(result, TrackingNames.Consumers));
        AssertCachedOrUnchanged(Outputs(result, TrackingNames.Registration));
        (object Value, IncrementalStepRunReason Reason)[] sources = DescriptorSources(result);
        Assert.Single(sources, o => o.Reason == IncrementalStepRunReason.Modified);
        AssertCachedOrUnchanged(sources.Where(o => o.Reason != IncrementalStepRunReason.Modified));
        // The queue name is part of the contracts, whose documents are made again.
        Assert.Equal(IncrementalStepRunReason.Modified, Assert.Single(Outputs(result, TrackingNames.ContractDocuments)).Reason);
        Assert.Contains("\"hello2\"", result.GeneratedSources.Single(s => s.HintName == "Ns.Hello.Message.g.cs").SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Naming_a_message_modifies_only_that_message_and_listing_a_derived_type_adds_its_registration()
    {
        const string Hello = """namespace Ns; [Queue("hello")] public record Hello(string Text); public sealed record LoudHello(string Text, int Volume) : Hello(Text);""";
        SyntaxTree hello = Parse(Usings + Hello, "Hello.cs");
        SyntaxTree work = Parse(Usings + """namespace Ns; [Queue("task_queue"), Durable] public sealed record WorkItem(string Payload);""", "Work.cs");
        CSharpCompilation compilation = CreateCompilation([hello, work]);
        GeneratorDriver driver = CreateDriver().RunGenerators(compilation);

        SyntaxTree named = Parse(Usings + Replace(Hello, "[Queue(\"hello\")]", "[Message(\"greetings.hello\", Aliases = new[] { \"Ns.Hello\" }), Queue(\"hello\")]"), "Hello.cs");
        compilation = compilation.ReplaceSyntaxTree(hello, named);
        driver = driver.RunGenerators(compilation);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();

        (object Value, IncrementalStepRunReason Reason)[] queue = Outputs(result, TrackingNames.QueueMessages).ToArray();
        MessageSpec renamed = (MessageSpec)Assert.Single(queue, o => o.Reason == IncrementalStepRunReason.Modified).Value;
        Assert.Equal("greetings.hello", renamed.MessageType);
        Assert.Equal(["Ns.Hello"], renamed.Aliases);
        AssertCachedOrUnchanged(queue.Where(o => o.Reason != IncrementalStepRunReason.Modified));
        // The wire name is not part of the registration.
        AssertCachedOrUnchanged(Outputs(result, TrackingNames.Registration));

        SyntaxTree listed = Parse(Usings + Replace(named.ToString().Substring(Usings.Length), "Queue(\"hello\")]", "Queue(\"hello\"), JsonDerivedType(typeof(LoudHello), \"loud\")]"), "Hello.cs");
        result = driver.RunGenerators(compilation.ReplaceSyntaxTree(named, listed)).GetRunResult().Results.Single();

        MessageSpec polymorphic = (MessageSpec)Assert.Single(Outputs(result, TrackingNames.QueueMessages), o => o.Reason == IncrementalStepRunReason.Modified).Value;
        Assert.Equal("global::Ns.LoudHello", Assert.Single(polymorphic.DerivedTypes).TypeName);
        Assert.Equal(IncrementalStepRunReason.Modified, Assert.Single(Outputs(result, TrackingNames.Registration)).Reason);
        Assert.Contains(
            "global::Warren.Runtime.WarrenRegistry.Register(global::Warren.Generated.Ns_LoudHello_MessageDescriptor.Instance);",
            result.GeneratedSources.Single(s => s.HintName == "Warren.Registration.g.cs").SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Editing_one_rpc_service_modifies_only_that_service()
    {
        SyntaxTree fibonacci = Parse(Usings + """
            namespace Ns;

            [RpcService("rpc_queue")]
            public interface IFibonacci
            {
                [RpcMethod] Task<long> FibAsync(int n, CancellationToken cancellationToken = default);
            }
            """, "Fibonacci.cs");
        SyntaxTree calculator = Parse(Usings + """
            namespace Ns;

            public sealed record Sum(int Total);

            [RpcService("calc"), Durable]
            public interface ICalculator
            {
                [RpcMethod] Task<Sum> AddAsync(int a, int b, CancellationToken cancellationToken = default);
                [RpcMethod("div")] ValueTask<double> DivideAsync(double x, double y);
            }
            """, "Calculator.cs");
        SyntaxTree hello = Parse(Usings + """namespace Ns; [Queue("hello")] public sealed record Hello(string Text);""", "Hello.cs");
        CSharpCompilation compilation = CreateCompilation([fibonacci, calculator, hello]);
        GeneratorDriver driver = CreateDriver().RunGenerators(compilation);

        SyntaxTree edited = Parse(Replace(calculator.ToString(), "[RpcMethod(\"div\")]", "[RpcMethod(\"divide\")]"), "Calculator.cs");
        GeneratorRunResult result = driver.RunGenerators(compilation.ReplaceSyntaxTree(calculator, edited)).GetRunResult().Results.Single();

        (object Value, IncrementalStepRunReason Reason)[] services = Outputs(result, TrackingNames.RpcServices).ToArray();
        Assert.Equal(2, services.Length);
        RpcServiceSpec modified = (RpcServiceSpec)Assert.Single(services, o => o.Reason == IncrementalStepRunReason.Modified).Value;
        Assert.Equal(["Add", "divide"], modified.Methods.Select(m => m.WireName));
        AssertCachedOrUnchanged(services.Where(o => o.Reason != IncrementalStepRunReason.Modified));

        // A wire name is not part of the registration, and nothing else changed.
        AssertCachedOrUnchanged(Outputs(result, TrackingNames.QueueMessages));
        AssertCachedOrUnchanged(Outputs(result, TrackingNames.Registration));
        (object Value, IncrementalStepRunReason Reason)[] sources = DescriptorSources(result);
        Assert.Single(sources, o => o.Reason == IncrementalStepRunReason.Modified);
        AssertCachedOrUnchanged(sources.Where(o => o.Reason != IncrementalStepRunReason.Modified));
        Assert.Equal(IncrementalStepRunReason.Modified, Assert.Single(Outputs(result, TrackingNames.ContractDocuments)).Reason);
        Assert.Contains("\"divide\"", result.GeneratedSources.Single(s => s.HintName == "Ns.ICalculator.Rpc.g.cs").SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Adding_an_rpc_method_modifies_only_that_service()
    {
        const string Fibonacci = """
            namespace Ns;

            [RpcService("rpc_queue")]
            public interface IFibonacci
            {
                [RpcMethod] Task<long> FibAsync(int n, CancellationToken cancellationToken = default);
            }
            """;
        SyntaxTree fibonacci = Parse(Usings + Fibonacci, "Fibonacci.cs");
        SyntaxTree greeter = Parse(Usings + """namespace Ns; [RpcService("greeter")] public interface IGreeter { [RpcMethod] Task<string> GreetAsync(string name); }""", "Greeter.cs");
        CSharpCompilation compilation = CreateCompilation([fibonacci, greeter]);
        GeneratorDriver driver = CreateDriver().RunGenerators(compilation);

        SyntaxTree edited = Parse(Usings + Replace(Fibonacci, "= default);", "= default);\n    [RpcMethod] ValueTask ResetAsync();"), "Fibonacci.cs");
        GeneratorRunResult result = driver.RunGenerators(compilation.ReplaceSyntaxTree(fibonacci, edited)).GetRunResult().Results.Single();

        (object Value, IncrementalStepRunReason Reason)[] services = Outputs(result, TrackingNames.RpcServices).ToArray();
        RpcServiceSpec modified = (RpcServiceSpec)Assert.Single(services, o => o.Reason == IncrementalStepRunReason.Modified).Value;
        Assert.Equal(["Fib", "Reset"], modified.Methods.Select(m => m.WireName));
        AssertCachedOrUnchanged(services.Where(o => o.Reason != IncrementalStepRunReason.Modified));
        AssertCachedOrUnchanged(Outputs(result, TrackingNames.Registration));
    }

    [Fact]
    public void Adding_a_method_to_another_part_of_a_partial_service_regenerates_its_proxy()
    {
        SyntaxTree attributed = Parse(Usings + """namespace Ns; [RpcService("parts")] public partial interface IParts { [RpcMethod] Task<int> OneAsync(int a); }""", "Attributed.cs");
        const string Other = """namespace Ns; public partial interface IParts { [RpcMethod] Task<int> TwoAsync(int b); }""";
        SyntaxTree other = Parse(Usings + Other, "Other.cs");
        CSharpCompilation compilation = CreateCompilation([attributed, other]);
        GeneratorDriver driver = CreateDriver().RunGenerators(compilation);

        SyntaxTree edited = Parse(Usings + Replace(Other, "}", " [RpcMethod] Task ThreeAsync(); }"), "Other.cs");
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation.ReplaceSyntaxTree(other, edited), out Compilation output, out _);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();

        RpcServiceSpec spec = (RpcServiceSpec)Assert.Single(Outputs(result, TrackingNames.RpcServices)).Value;
        Assert.Equal(["One", "Two", "Three"], spec.Methods.Select(m => m.WireName));
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    [Fact]
    public void Editing_a_message_payload_redoes_the_contract_documents_only()
    {
        SyntaxTree hello = Parse(Usings + """namespace Ns; [Queue("hello")] public sealed record Hello(string Text);""", "Hello.cs");
        SyntaxTree work = Parse(Usings + """namespace Ns; [Queue("task_queue"), Durable] public sealed record WorkItem(string Payload);""", "Work.cs");
        CSharpCompilation compilation = CreateCompilation([hello, work]);
        GeneratorDriver driver = CreateDriver().RunGenerators(compilation);

        SyntaxTree edited = Parse(Replace(hello.ToString(), "string Text)", "string Text, int Count)"), "Hello.cs");
        GeneratorRunResult result = driver.RunGenerators(compilation.ReplaceSyntaxTree(hello, edited)).GetRunResult().Results.Single();

        // The descriptor does not depend on the payload: its steps and file stay as they were.
        AssertCachedOrUnchanged(Outputs(result, TrackingNames.QueueMessages));
        AssertCachedOrUnchanged(Outputs(result, TrackingNames.MessagesWithContext));
        AssertCachedOrUnchanged(DescriptorSources(result));
        (object Value, IncrementalStepRunReason Reason)[] contracts = Outputs(result, TrackingNames.MessageContracts).ToArray();
        Assert.Equal("Ns.Hello", ((MessageContract)Assert.Single(contracts, o => o.Reason == IncrementalStepRunReason.Modified).Value).ClrType);
        AssertCachedOrUnchanged(contracts.Where(o => o.Reason != IncrementalStepRunReason.Modified));
        Assert.Equal(IncrementalStepRunReason.Modified, Assert.Single(Outputs(result, TrackingNames.ContractDocuments)).Reason);
        Assert.Contains("\\\"count\\\"", result.GeneratedSources.Single(s => s.HintName == "Warren.Contracts.g.cs").SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Editing_the_lock_file_redoes_the_lock_check_only()
    {
        SyntaxTree hello = Parse(Usings + """namespace Ns; [Queue("hello")] public sealed record Hello(string Text);""", "Hello.cs");
        CSharpCompilation compilation = CreateCompilation([hello]);
        var lockFile = new InMemoryAdditionalText("/p/warren.contracts.json", """{ "version": 1 }""");
        GeneratorDriver driver = CreateDriver([lockFile]).RunGenerators(compilation);
        Assert.Empty(driver.GetRunResult().Diagnostics);

        driver = driver.ReplaceAdditionalText(lockFile, new InMemoryAdditionalText("/p/warren.contracts.json", """{ "version": 7 }"""));
        GeneratorRunResult result = driver.RunGenerators(compilation).GetRunResult().Results.Single();

        Assert.Equal("WARREN024", Assert.Single(result.Diagnostics).Id);
        Assert.Equal(IncrementalStepRunReason.Modified, Assert.Single(Outputs(result, TrackingNames.ContractLockFile)).Reason);
        Assert.Equal(IncrementalStepRunReason.Modified, Assert.Single(Outputs(result, TrackingNames.ContractLockCheck)).Reason);
        AssertCachedOrUnchanged(Outputs(result, TrackingNames.Contracts));
        AssertCachedOrUnchanged(Outputs(result, TrackingNames.ContractDocuments));
        AssertCachedOrUnchanged(DescriptorSources(result));
    }

    [Fact]
    public void Pipeline_models_hold_no_symbols_syntax_or_compilations()
    {
        GeneratorRunResult result = Run(CreateCompilation(Samples.Tutorials, Samples.Orders, Samples.Rpc)).Result;

        var visited = new HashSet<Type>();
        foreach (string step in Steps.Concat(LocatedSteps))
        {
            int i = 0;
            foreach ((object value, _) in Outputs(result, step))
            {
                AssertHoldsOnlyValues(value, $"{step}[{i++}]", visited);
            }
        }

        // The walk reached every kind of model, so the check above covers them all.
        Assert.Subset(visited, new HashSet<Type>
        {
            typeof(MessageSpec), typeof(MessageEmitSpec), typeof(RoutingKeySegment), typeof(HeaderSpec),
            typeof(ConsumerSpec), typeof(HeaderBindingSpec), typeof(JsonContextSpec), typeof(RegistrationSpec),
            typeof(RpcServiceSpec), typeof(RpcMethodSpec), typeof(RpcParameterSpec),
            typeof(MessageContract), typeof(ConsumerContract), typeof(RpcServiceContract), typeof(RpcMethodContract), typeof(SchemaSpec),
            typeof(SchemaProperty), typeof(JsonType), typeof(LocationInfo), typeof(ContractSet), typeof(ContractDocuments),
        });
    }

    /// <summary>The outputs that add descriptor sources: not the contract documents, nor the lock check's diagnostics.</summary>
    private static (object Value, IncrementalStepRunReason Reason)[] DescriptorSources(GeneratorRunResult result) =>
        result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs)
            .Where(o => HintNamesOf(o.Value) is { Length: > 0 } names && !names.Contains("Warren.Contracts.g.cs"))
            .ToArray();

    /// <summary>The hint names an output step added: its value is (sources, diagnostics), with Roslyn's internal source type.</summary>
    private static string[] HintNamesOf(object output)
    {
        object sources = output.GetType().GetField("Item1")!.GetValue(output)!;
        return ((IEnumerable)sources).Cast<object>()
            .Select(source => (string)source.GetType().GetProperty("HintName", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)!.GetValue(source)!)
            .ToArray();
    }

    private static IEnumerable<(object Value, IncrementalStepRunReason Reason)> Outputs(GeneratorRunResult result, string step)
    {
        Assert.True(result.TrackedSteps.TryGetValue(step, out ImmutableArray<IncrementalGeneratorRunStep> runs), $"No step named '{step}' ran.");
        return runs.SelectMany(run => run.Outputs);
    }

    private static void AssertCachedOrUnchanged(IEnumerable<(object Value, IncrementalStepRunReason Reason)> outputs) =>
        Assert.All(outputs, output => Assert.True(
            output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
            $"{output.Value} was {output.Reason}"));

    /// <summary>Walks public properties, fields and elements, failing on anything that would keep a compilation alive.</summary>
    private static void AssertHoldsOnlyValues(object? value, string path, HashSet<Type> visited)
    {
        if (value is null)
        {
            return;
        }

        Type type = value.GetType();
        Type? forbidden = ForbiddenInModels.FirstOrDefault(f => f.IsInstanceOfType(value));
        Assert.True(forbidden is null, $"{path} is a {type.FullName}, which is a {forbidden?.Name}: pipeline models must hold only values.");
        if (type.IsPrimitive || type.IsEnum || value is string)
        {
            return;
        }

        visited.Add(type);
        if (value is IEnumerable items)
        {
            int i = 0;
            foreach (object? item in items)
            {
                AssertHoldsOnlyValues(item, $"{path}[{i++}]", visited);
            }

            return;
        }

        foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            AssertHoldsOnlyValues(property.GetValue(value), $"{path}.{property.Name}", visited);
        }

        foreach (FieldInfo field in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
        {
            AssertHoldsOnlyValues(field.GetValue(value), $"{path}.{field.Name}", visited);
        }
    }

    private static string Replace(string text, string oldValue, string newValue)
    {
        Assert.Contains(oldValue, text, StringComparison.Ordinal);
        return text.Replace(oldValue, newValue, StringComparison.Ordinal);
    }
}
