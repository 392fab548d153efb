using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Warren.Generators.Diagnostics.Analyzers;
using Xunit;
using static Warren.Generators.Tests.Diagnostics.AnalyzerVerifier<Warren.Generators.Diagnostics.Analyzers.RpcMethodAnalyzer>;

namespace Warren.Generators.Tests.Diagnostics;

/// <summary>WARREN006: [RpcMethod] signatures the generated proxy cannot implement.</summary>
public sealed class RpcMethodAnalyzerTests
{
    [Fact]
    public Task Readme_examples_are_silent() => VerifyAsync(ContractSamples.Readme);

    [Theory]
    [InlineData("[RpcMethod] ValueTask<string?> EchoAsync(string? text, CancellationToken cancellationToken);")]
    [InlineData("[RpcMethod] Task<int[]> RangeAsync(int from, int count);")]
    [InlineData("[RpcMethod] Task<List<string>> ListAsync(Dictionary<string, int?> filter, CancellationToken cancellationToken = default);")]
    [InlineData("[RpcMethod] ValueTask PingAsync(CancellationToken cancellationToken);")]
    [InlineData("[RpcMethod] System.Threading.Tasks.Task<long> FibAsync(int n);")]
    [InlineData("[RpcMethod] Task RunAsync() => Task.CompletedTask;")]
    [InlineData("Task NotRpcAsync(ref int a, CancellationToken c, int b);")]
    public Task Valid_signatures_are_silent(string member) =>
        VerifyAsync($$"""[RpcService("q")] public interface IService { {{member}} }""");

    [Fact]
    public Task Rpc_method_attribute_on_a_class_method_is_silent() =>
        VerifyAsync("public sealed class C { [RpcMethod] public int Get(ref int a) => a; }");

    [Theory]
    [InlineData("[RpcMethod] int {|WARREN006:Get|}();", "returns 'int'; an RPC method must return Task, Task<T>, ValueTask or ValueTask<T>, because every call waits for a reply")]
    [InlineData("[RpcMethod] void {|WARREN006:Run|}(int a);", "returns 'void'")]
    [InlineData("[RpcMethod] IAsyncEnumerable<int> {|WARREN006:StreamAsync|}();", "returns 'System.Collections.Generic.IAsyncEnumerable<int>'")]
    [InlineData("[RpcMethod] Task<int>? {|WARREN006:CountAsync|}();", "returns the nullable 'System.Threading.Tasks.Task<int>?'; the proxy always returns a task, so declare it without '?'")]
    [InlineData("[RpcMethod] ValueTask<int>? {|WARREN006:CountAsync|}();", "returns 'System.Threading.Tasks.ValueTask<int>?'")]
    [InlineData("[RpcMethod] Task<T> {|WARREN006:EchoAsync|}<T>(T value);", "is generic; the proxy cannot send type arguments")]
    [InlineData("[RpcMethod] static Task {|WARREN006:RunAsync|}() => Task.CompletedTask;", "is static; an RPC method must be an instance method")]
    [InlineData("[RpcMethod] Task RunAsync({|WARREN006:ref int a|});", "has the ref parameter 'a'; arguments travel as JSON, by value, so remove the modifier")]
    [InlineData("[RpcMethod] Task RunAsync({|WARREN006:out int a|});", "has the out parameter 'a'")]
    [InlineData("[RpcMethod] Task RunAsync({|WARREN006:in int a|});", "has the in parameter 'a'")]
    [InlineData("[RpcMethod] Task RunAsync({|WARREN006:ref readonly int a|});", "has the ref readonly parameter 'a'")]
    [InlineData("[RpcMethod] Task RunAsync({|WARREN006:params int[] values|});", "has the params parameter 'values'; remove 'params'")]
    [InlineData("[RpcMethod] Task RunAsync({|WARREN006:{|CS0225:params|} List<int> values|});", "has the params parameter 'values'")]
    [InlineData("[RpcMethod] Task RunAsync({|WARREN006:CancellationToken cancellationToken|}, int a);", "has the CancellationToken 'cancellationToken' before other parameters; the CancellationToken (which is not sent) must be the last parameter")]
    [InlineData("[RpcMethod] Task RunAsync({|WARREN006:CancellationToken first|}, CancellationToken second);", "has the CancellationToken 'first' before other parameters")]
    [InlineData("[RpcMethod] Task<int> LengthAsync({|WARREN006:ReadOnlySpan<char> text|});", "has the parameter 'text' of type 'System.ReadOnlySpan<char>', a pointer or ref struct, which cannot travel as JSON")]
    public async Task Invalid_signature_is_reported_where_it_is_wrong(string member, string expectedProblem)
    {
        // params List<int> also has the compiler's CS0225 (marked in its source): params collections need C# 13.
        Diagnostic diagnostic = Assert.Single(await VerifyAsync($$"""
            [RpcService("q")]
            public interface IService
            {
                {{member}}
            }
            """), d => d.Id == "WARREN006");

        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.StartsWith("RPC method 'IService.", diagnostic.GetMessage(), System.StringComparison.Ordinal);
        Assert.Contains(expectedProblem, diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pointer_parameter_is_reported()
    {
        Diagnostic diagnostic = await VerifySingleAsync("""
            [RpcService("q")] public unsafe interface IService { [RpcMethod] Task<int> ReadAsync({|WARREN006:int* p|}); }
            """);

        Assert.Contains("of type 'int*', a pointer or ref struct", diagnostic.GetMessage(), System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task Full_message_names_the_interface_and_method()
    {
        Diagnostic diagnostic = await VerifySingleAsync("""
            [RpcService("rpc_queue")] public interface IFibonacci { [RpcMethod] long {|WARREN006:Fib|}(int n); }
            """);

        Assert.Equal(
            "RPC method 'IFibonacci.Fib' returns 'long'; an RPC method must return Task, Task<T>, ValueTask or ValueTask<T>, because every call waits for a reply",
            diagnostic.GetMessage());
    }

    [Fact]
    public async Task Every_problem_of_one_method_is_reported()
    {
        IReadOnlyList<Diagnostic> diagnostics = await VerifyAsync("""
            [RpcService("q")] public interface IService { [RpcMethod] int {|#0:Get|}<T>({|WARREN006:ref int a|}, {|WARREN006:CancellationToken c|}, {|WARREN006:params string[] rest|}); }
            """, Diagnostic("WARREN006").WithLocation(0), Diagnostic("WARREN006").WithLocation(0));

        Assert.Equal(["Get", "Get", "ref int a", "CancellationToken c", "params string[] rest"], diagnostics.Select(LocatedText));
    }

    [Fact]
    public async Task Method_of_an_interface_without_rpc_service_is_still_checked()
    {
        // The missing [RpcService] is WARREN007's; the signature is wrong either way.
        await VerifySingleAsync("public interface IService { [RpcMethod] int {|WARREN006:Get|}(); }");
    }
}
