using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using Xunit;
using static Warren.Generators.Tests.GeneratorHarness;

namespace Warren.Generators.Tests;

/// <summary>The generated contract documents: their content (snapshots), their form, and the class that carries them.</summary>
public sealed class ContractDocumentTests
{
    [Theory]
    [InlineData("AsyncApi", "asyncapi.json")]
    [InlineData("Definitions", "definitions.json")]
    [InlineData("Lock", "warren.contracts.json")]
    public void Documents_of_every_kind_of_contract(string constant, string snapshot)
    {
        GeneratorRun run = RunClean(ContractSamples.Shop);

        Snapshot.Verify(Document(run, constant), snapshot);
    }

    [Fact]
    public void Documents_are_json_pretty_printed_with_two_spaces_and_end_with_a_newline()
    {
        GeneratorRun run = RunClean(ContractSamples.Shop);

        foreach (string constant in new[] { "AsyncApi", "Definitions", "Lock" })
        {
            string text = Document(run, constant);
            using JsonDocument parsed = JsonDocument.Parse(text);
            Assert.EndsWith("}\n", text, StringComparison.Ordinal);
            Assert.DoesNotContain("\r", text, StringComparison.Ordinal);
            Assert.StartsWith("{\n  \"", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Framework_types_on_a_message_are_not_walked_into_the_schemas()
    {
        // A MethodInfo or an HttpClient reaches thousands of framework types through its properties (Module, Assembly,
        // Type, handlers...): walking them made a build take minutes and the document megabytes. WARREN021 reports them;
        // the schema says "any value" and describes only the project's own types.
        GeneratorRun run = Run(CreateCompilation(Usings + """
            namespace Shop;

            [Queue("framework.members")]
            public sealed record Odd(string Id, System.Reflection.MethodInfo? Method, System.Net.Http.HttpClient? Client, Action? Callback, Line Line);

            public sealed record Line(string Sku, System.IO.Stream? Data);
            """));

        using JsonDocument asyncApi = JsonDocument.Parse(Document(run, "AsyncApi"));
        string[] schemas = asyncApi.RootElement.GetProperty("components").GetProperty("schemas").EnumerateObject().Select(p => p.Name).Order().ToArray();
        Assert.Equal(["Shop.Line", "Shop.Odd"], schemas);
    }

    [Fact]
    public void Virtual_host_comes_from_the_build_property()
    {
        GeneratorRun run = RunWith(new Dictionary<string, string> { ["WarrenVirtualHost"] = "shop" }, ContractSamples.Shop);

        using JsonDocument definitions = JsonDocument.Parse(Document(run, "Definitions"));
        Assert.Equal("shop", definitions.RootElement.GetProperty("vhosts")[0].GetProperty("name").GetString());
        Assert.All(definitions.RootElement.GetProperty("queues").EnumerateArray(), q => Assert.Equal("shop", q.GetProperty("vhost").GetString()));
        Assert.Contains("\"vhost\": \"shop\"", Document(run, "AsyncApi"), StringComparison.Ordinal);
    }

    [Fact]
    public void Definitions_leave_out_server_named_queues_but_keep_their_error_queue()
    {
        GeneratorRun run = RunClean(ContractSamples.Shop);

        using JsonDocument definitions = JsonDocument.Parse(Document(run, "Definitions"));
        string[] queues = definitions.RootElement.GetProperty("queues").EnumerateArray().Select(q => q.GetProperty("name").GetString()!).ToArray();
        Assert.Contains("audit.error", queues);
        Assert.Contains("ticks.offsets.chart", queues);
        Assert.DoesNotContain(queues, q => q.Length == 0 || q.StartsWith("amq.", StringComparison.Ordinal));
    }

    [Fact]
    public void Order_of_files_does_not_change_the_documents()
    {
        string[] parts = ContractSamples.Shop.Split("public sealed record Quote", StringSplitOptions.None);
        GeneratorRun forward = RunClean(parts[0], Usings + "namespace Shop;\npublic sealed record Quote" + parts[1]);
        GeneratorRun backward = RunClean(Usings + "namespace Shop;\npublic sealed record Quote" + parts[1], parts[0]);

        Assert.Equal(forward.Source("Warren.Contracts.g.cs"), backward.Source("Warren.Contracts.g.cs"));
    }

    [Fact]
    public void No_contracts_no_documents()
    {
        GeneratorRun run = RunClean(Usings + "namespace Ns; public sealed record NotAMessage(string Text);");

        Assert.DoesNotContain("Warren.Contracts.g.cs", run.HintNames);
    }

    [Fact]
    public void Two_assemblies_with_the_documents_compile_cleanly_when_one_sees_the_others_internals()
    {
        GeneratorRun first = Run(CreateCompilation(
            [Parse(Samples.Tutorials, "Tutorials.cs"), Parse("[assembly: System.Runtime.CompilerServices.InternalsVisibleTo(\"Second\")]", "Assembly.cs")], "First"));
        first.AssertCompilesWithoutWarnings();
        using var image = new MemoryStream();
        EmitResult emitted = first.OutputCompilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));

        CSharpCompilation second = CSharpCompilation.Create(
            "Second", [Parse(Samples.Rpc, "Rpc.cs")], References.Add(MetadataReference.CreateFromImage(image.ToArray())), GeneratorHarness.CompilationOptions);
        GeneratorRun run = Run(second);

        Assert.Contains("Warren.Contracts.g.cs", run.HintNames);
        run.AssertCompilesWithoutWarnings();
    }

    [Fact]
    public void Documents_are_constants_of_the_generated_class()
    {
        GeneratorRun run = RunClean(ContractSamples.Shop);
        using var image = new MemoryStream();
        Assert.True(run.OutputCompilation.Emit(image).Success);

        Assembly assembly = Assembly.Load(image.ToArray());
        Type documents = assembly.GetType("Warren.Generated.WarrenContractDocuments", throwOnError: true)!;
        Assert.True(documents.IsAbstract && documents.IsSealed && documents.IsNotPublic);
        Assert.Equal(Document(run, "Lock"), (string)documents.GetField("Lock")!.GetRawConstantValue()!);
    }

    /// <summary>The text of one constant of the generated class, read from its source.</summary>
    internal static string Document(GeneratorRun run, string constant)
    {
        SyntaxTree tree = CSharpSyntaxTree.ParseText(run.Source("Warren.Contracts.g.cs"));
        var field = tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax>()
            .Single(v => v.Identifier.Text == constant);
        return (string)((Microsoft.CodeAnalysis.CSharp.Syntax.LiteralExpressionSyntax)field.Initializer!.Value).Token.Value!;
    }

    internal static GeneratorRun RunWith(IReadOnlyDictionary<string, string> properties, string source, params AdditionalText[] files)
    {
        GeneratorDriver driver = CreateDriver(files, properties).RunGeneratorsAndUpdateCompilation(CreateCompilation(source), out Compilation output, out _);
        return new GeneratorRun(driver, driver.GetRunResult().Results.Single(), output);
    }
}
